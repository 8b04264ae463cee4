// SPDX-License-Identifier: GPL-2.0
/*
 * cdnactl save and restore: the contexts of every PF, their policy and
 * the guard mode each waits in, to a file, and back (at boot, from
 * cdna-restore@.service, which userspace/system/90-cdna.rules starts for
 * one PF at a time as its netdev appears).  restore checks
 * the whole file, and the file against the system, before it changes
 * anything.  restore holds cdnactl's lock (lock.c) from its checks to its
 * last change, as the commands that claim contexts do.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cdna_pci_ids.h"
#include "commands.h"
#include "conf.h"

/* How long modprobe may take (it waits for udev's firmware, for one). */
#define CDNA_MODPROBE_TIMEOUT	60
/* How long a PF's probe by cdna_pf may take (its reset, under TCG). */
#define CDNA_CLAIM_TIMEOUT	30

struct conf_args {
	const char *path;
	bool explicit;		/* --conf or $CDNACTL_CONF */
	const char *pf;
};

static const struct option conf_options[] = {
	{ "conf", required_argument, NULL, 'f' },
	{ "pf", required_argument, NULL, 'p' },
	CDNA_HELP_OPTION,
	{ NULL, 0, NULL, 0 }
};

/* --conf FILE, and --pf PF when @with_pf. */
static int conf_parse_args(const char *cmd, int argc, char **argv,
			   bool with_pf, struct conf_args *a)
{
	int opt;

	memset(a, 0, sizeof(*a));
	a->path = getenv("CDNACTL_CONF");
	a->explicit = a->path && *a->path;
	while ((opt = getopt_long(argc, argv, "h", conf_options, NULL)) != -1) {
		if (opt == 'f') {
			a->path = optarg;
			a->explicit = true;
		} else if (opt == 'p' && with_pf) {
			a->pf = optarg;
		} else {
			return cdna_help_shown(cmd, opt);
		}
	}
	if (!a->explicit)
		a->path = CDNA_CONF_DEFAULT;
	return optind == argc ? 0 : cdna_help(cmd, CDNA_EX_USAGE);
}

static int snap_to_conf(const struct cdna_snap *s, struct cdna_conf *conf)
{
	unsigned int p, i;

	for (p = 0; p < s->topo.npf; p++)
		if (cdna_conf_add_pf(conf, s->topo.pf[p].pci, s->topo.pf[p].numvfs))
			return cdna_err(CDNA_EX_FAIL, "out of memory");
	for (i = 0; i < s->topo.nctx; i++) {
		const struct cdna_topo_ctx *c = &s->topo.ctx[i];
		struct cdna_policy *pol = &conf->pf[c->pf].ctx[c->index];

		if (!s->has_info[i])
			return cdna_err(CDNA_EX_FAIL,
					"no policy for %s from rtnetlink: nothing saved",
					c->vf);
		*pol = s->info[i].pol;
		if (cdna_ctx_admin_mac(&s->topo, c) != 1)
			memset(pol->mac, 0, sizeof(pol->mac));
		if (cdna_ctx_on_mode(c, CDNA_MODE_IOMMU))
			conf->pf[c->pf].mode[c->index] = CDNA_MODE_IOMMU;
		else if (cdna_ctx_on_mode(c, CDNA_MODE_SW))
			conf->pf[c->pf].mode[c->index] = CDNA_MODE_SW;
	}
	return 0;
}

/* Write @conf to @path through a temporary file, so a crash leaves the old. */
static int write_conf(const char *path, const struct cdna_conf *conf)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	FILE *f;
	int ret;

	snprintf(dir, sizeof(dir), "%s", path);
	if (mkdir(dirname(dir), 0755) && errno != EEXIST)
		return cdna_err(CDNA_EX_FAIL, "cannot create %s: %s", dir,
				strerror(errno));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return cdna_err(CDNA_EX_FAIL, "cannot write %s: %s", tmp,
				strerror(errno));
	ret = cdna_conf_write(f, conf);
	if (fclose(f) || ret) {
		unlink(tmp);
		return cdna_err(CDNA_EX_FAIL, "cannot write %s", tmp);
	}
	if (rename(tmp, path)) {
		ret = errno;
		unlink(tmp);
		return cdna_err(CDNA_EX_FAIL, "cannot replace %s: %s", path,
				strerror(ret));
	}
	return 0;
}

/**
 * cmd_save - cdnactl save [--conf FILE]
 * @argc: argument count
 * @argv: arguments
 * @o: global options
 *
 * Return: exit status.
 */
int cmd_save(int argc, char **argv, const struct cdna_opts *o)
{
	struct cdna_conf conf = { 0 };
	struct conf_args a;
	struct cdna_snap s;
	struct cdna_nl *nl;
	int ret;

	(void)o;
	ret = conf_parse_args("save", argc, argv, false, &a);
	if (ret)
		return ret == CDNA_HELP_SHOWN ? 0 : ret;
	nl = cdna_nl_open();
	if (!nl)
		return cdna_err(CDNA_EX_FAIL, "cannot open rtnetlink");
	ret = cdna_snap_load(&s, nl);
	cdna_nl_close(nl);
	if (ret)
		return ret;
	ret = snap_to_conf(&s, &conf);
	if (!ret)
		ret = write_conf(a.path, &conf);
	if (!ret)
		printf("saved %u PFs, %u contexts to %s\n", s.topo.npf,
		       s.topo.nctx, a.path);
	cdna_conf_free(&conf);
	cdna_snap_free(&s);
	return ret;
}

static int read_conf(const struct conf_args *a, struct cdna_conf *conf)
{
	char err[512];
	FILE *f;
	int ret;

	f = fopen(a->path, "r");
	if (!f && errno == ENOENT && !a->explicit) {
		fprintf(stderr, "cdnactl: no %s: nothing to restore\n", a->path);
		return -1;
	}
	if (!f)
		return cdna_err(errno == ENOENT ? CDNA_EX_NOTFOUND : CDNA_EX_FAIL,
				"cannot read %s: %s", a->path, strerror(errno));
	ret = cdna_conf_parse(f, a->path, conf, err, sizeof(err));
	fclose(f);
	if (ret)
		cdna_err(ret, "%s; nothing restored", err);
	return ret;
}

/* The file's PF @cp against the system: it exists, its count fits. */
static int check_pf(const struct conf_args *a, const struct cdna_topo *t,
		    const struct cdna_conf_pf *cp)
{
	const struct cdna_topo_pf *pf = NULL;
	unsigned int i, c;
	int ret = 0;

	for (i = 0; i < t->npf; i++)
		if (!strcmp(t->pf[i].pci, cp->pci))
			pf = &t->pf[i];
	if (!pf)
		return cdna_err(CDNA_EX_NOTFOUND,
				"%s:%u: PF %s is not driven by %s; nothing restored",
				a->path, cp->line, cp->pci, CDNA_PF_DRIVER);
	if (pf->totalvfs && cp->count > pf->totalvfs)
		return cdna_err(CDNA_EX_INVALID,
				"%s:%u: PF %s offers at most %u contexts; nothing restored",
				a->path, cp->line, cp->pci, pf->totalvfs);
	if (pf->numvfs && pf->numvfs != cp->count)
		return cdna_err(CDNA_EX_BUSY,
				"%s:%u: PF %s has %u contexts, the file %u: run 'cdnactl destroy %s' first; nothing restored",
				a->path, cp->line, cp->pci, pf->numvfs, cp->count,
				cp->pci);
	for (c = 0; !ret && c < cp->count; c++)
		ret = cdna_check_rate(pf, &cp->ctx[c]);
	return ret;
}

static int create_pf(const struct cdna_conf_pf *cp,
		     const struct cdna_topo_pf *pf)
{
	int err;

	if (pf->numvfs == cp->count || !cp->count)
		return 0;
	err = cdna_pf_set_autoprobe(pf, false);
	if (!err)
		err = cdna_pf_set_numvfs(pf, cp->count);
	if (err)
		return cdna_err(CDNA_EX_FAIL, "%s: cannot create %u contexts: %s",
				pf->pci, cp->count, strerror(-err));
	return 0;
}

/*
 * The guard's module for @mode, loaded by name (modprobe follows
 * vmm_guard's dependencies: cdna_pf, vfio-pci-core, mdev) when a
 * context is to wait in that mode and the guard is not there yet.
 */
static void load_guard(enum cdna_mode mode)
{
	char *argv[] = { "modprobe", "-q", CDNA_GUARD_DRIVER, NULL };

	if (!cdna_guard_loaded(mode))
		cdna_run(argv, CDNA_MODPROBE_TIMEOUT);
}

/* Context @i of @cp into the mode the file gives, if it has one. */
static int restore_mode(struct cdna_topo *t, const struct cdna_conf_pf *cp,
			unsigned int i)
{
	struct cdna_mode_undo u;
	struct cdna_topo_ctx *c;
	char why[256];

	if (cp->mode[i] < 0)
		return 0;
	c = cdna_ctx_at(t, cp->pci, i);
	if (!c)
		return cdna_err(CDNA_EX_FAIL, "%s/%u: no such context",
				cp->pci, i);
	cdna_ctx_refresh(c);
	if (cdna_ctx_on_mode(c, cp->mode[i]))
		return 0;
	if (cdna_mode_blocker(c, why, sizeof(why)))
		return cdna_err(CDNA_EX_BUSY, "%s/%u stays out of %s mode: %s",
				cp->pci, i, cdna_mode_name(cp->mode[i]), why);
	load_guard(cp->mode[i]);
	return cdna_ctx_set_mode(t, c, cp->mode[i], NULL, &u);
}

/*
 * Create the contexts of @cp, apply every setting the file gives, then
 * put the contexts that have a mode in it.
 */
static int restore_pf(struct cdna_nl *nl, const struct cdna_conf_pf *cp,
		      const struct cdna_topo_pf *pf)
{
	unsigned int i, applied, with = 0, modes = 0;
	struct cdna_topo t;
	struct cdna_topo_ctx *c;
	int ret, r;

	ret = create_pf(cp, pf);
	if (!ret)
		ret = cdna_topo_load(&t);
	if (ret)
		return ret;
	for (i = 0; i < cp->count; i++) {
		if (!cp->ctx[i].mask)
			continue;
		c = cdna_ctx_at(&t, cp->pci, i);
		if (c)
			r = cdna_apply(nl, &t, c, &cp->ctx[i], &applied);
		else
			r = cdna_err(CDNA_EX_FAIL, "%s/%u: no such context",
				     cp->pci, i);
		ret = ret ? ret : r;
		with += !r;
	}
	for (i = 0; i < cp->count; i++) {
		r = restore_mode(&t, cp, i);
		ret = ret ? ret : r;
		modes += !r && cp->mode[i] >= 0;
	}
	printf("restored %s: %u contexts, %u with settings, %u in a guard mode\n",
	       cp->pci, cp->count, with, modes);
	cdna_topo_free(&t);
	return ret;
}

static int restore(const struct conf_args *a, const struct cdna_conf *conf,
		   const struct cdna_topo *t, const char *only)
{
	unsigned int i, p;
	struct cdna_nl *nl;
	int ret = 0, r;

	for (i = 0; !ret && i < conf->npf; i++)
		if (!only || !strcmp(conf->pf[i].pci, only))
			ret = check_pf(a, t, &conf->pf[i]);
	if (ret)
		return ret;
	nl = cdna_nl_open();
	if (!nl)
		return cdna_err(CDNA_EX_FAIL, "cannot open rtnetlink");
	for (i = 0; i < conf->npf; i++) {
		if (only && strcmp(conf->pf[i].pci, only))
			continue;
		for (p = 0; strcmp(t->pf[p].pci, conf->pf[i].pci); p++)
			;
		r = restore_pf(nl, &conf->pf[i], &t->pf[p]);
		ret = ret ? ret : r;
	}
	cdna_nl_close(nl);
	return ret;
}

/*
 * Whether @pci is on cdna_pf within CDNA_CLAIM_TIMEOUT: its probe (a PF
 * reset, under TCG) may still run when its netdev, or the bind file's
 * answer, comes.
 */
static bool on_cdna_pf(const char *pci)
{
	char drv[CDNA_DRIVER_LEN];
	unsigned int waited;

	for (waited = 0; waited < CDNA_CLAIM_TIMEOUT * 1000; waited += 100) {
		cdna_pci_driver(pci, drv, sizeof(drv));
		if (!strcmp(drv, CDNA_PF_DRIVER))
			return true;
		cdna_nap(100);
	}
	return false;
}

/*
 * At boot cdna-restore@.service starts as cdna_pf registers the PF's
 * netdev, from within its probe: wait (bounded) until the probe is over
 * and the PF shows as cdna_pf's, when --pf names it by PCI address.
 */
static void wait_bound(const char *pf)
{
	char pci[CDNA_PCI_LEN];
	const char *why;

	if (pf && !cdna_parse_pci(pf, pci, &why))
		on_cdna_pf(pci);
}

/**
 * cmd_restore - cdnactl restore [--conf FILE] [--pf PF]
 * @argc: argument count
 * @argv: arguments
 * @o: global options
 *
 * Return: exit status.  No file at the default place (or
 * $CDNACTL_CONF), or a PF the file does not name, is nothing to do: 0.
 */
int cmd_restore(int argc, char **argv, const struct cdna_opts *o)
{
	struct cdna_conf conf = { 0 };
	const struct cdna_topo_pf *pf = NULL;
	struct conf_args a;
	struct cdna_topo t;
	int ret;

	(void)o;
	ret = conf_parse_args("restore", argc, argv, true, &a);
	if (ret)
		return ret == CDNA_HELP_SHOWN ? 0 : ret;
	ret = read_conf(&a, &conf);
	if (ret) {
		cdna_conf_free(&conf);
		return ret < 0 ? 0 : ret;
	}
	wait_bound(a.pf);
	ret = cdna_lock();
	if (ret) {
		cdna_conf_free(&conf);
		return ret;
	}
	ret = cdna_topo_load(&t);
	if (!ret && a.pf)
		ret = cdna_find_pf(&t, a.pf, &pf);
	if (!ret && pf && !cdna_conf_find(&conf, pf->pci))
		printf("%s: nothing saved for %s\n", a.path, pf->pci);
	else if (!ret)
		ret = restore(&a, &conf, &t, pf ? pf->pci : NULL);
	cdna_topo_free(&t);
	cdna_conf_free(&conf);
	return ret;
}

/* @vendor:@device is an 82576 PF: one of cdna_pf's device table. */
static bool is_82576_pf(unsigned int vendor, unsigned int device)
{
	static const unsigned int ids[] = {
		CDNA_82576_COPPER, CDNA_82576_FIBER, CDNA_82576_SERDES,
		CDNA_82576_QUAD_COPPER, CDNA_82576_NS, CDNA_82576_NS_SERDES,
		CDNA_82576_SERDES_QUAD,
	};
	size_t i;

	if (vendor != CDNA_PCI_VENDOR)
		return false;
	for (i = 0; i < ARRAY_SIZE(ids); i++)
		if (ids[i] == device)
			return true;
	return false;
}

/* @pci names an 82576 PF present in the system. */
static int check_claimable(const char *pci)
{
	unsigned int vendor, device;
	int err;

	err = cdna_pci_ids(pci, &vendor, &device);
	if (err == -ENOENT)
		return cdna_err(CDNA_EX_NOTFOUND, "no PCI function %s", pci);
	if (err)
		return cdna_err(CDNA_EX_FAIL, "cannot read %s's IDs: %s", pci,
				strerror(-err));
	if (!is_82576_pf(vendor, device))
		return cdna_err(CDNA_EX_INVALID,
				"%s is %04x:%04x, not an 82576 PF: %s drives none other",
				pci, vendor, device, CDNA_PF_DRIVER);
	return 0;
}

/*
 * Give @pci back to the driver it had (or to any) after a failed claim;
 * @now gets the driver it has then.  An override of cdna_pf (udev's, at
 * boot) is not kept: it would leave the PF with no driver at all.
 */
static void claim_undo(const char *pci, const char *old_override,
		       const char *old_driver, char *now, size_t len)
{
	cdna_pci_set_override(pci, strcmp(old_override, CDNA_PF_DRIVER) ?
			      old_override : "");
	if (!old_driver[0] || cdna_pci_bind(pci, old_driver))
		cdna_pci_reprobe(pci);
	cdna_pci_driver(pci, now, len);
	if (!now[0])
		snprintf(now, len, "no driver");
}

/* Bind @pci to cdna_pf, from whichever driver has it. */
static int claim(const char *pci)
{
	char *modprobe[] = { "modprobe", "-q", CDNA_PF_DRIVER, NULL };
	char old_driver[CDNA_DRIVER_LEN], old_override[CDNA_DRIVER_LEN];
	char driver[CDNA_DRIVER_LEN], path[PATH_MAX];
	int err;

	cdna_pci_driver(pci, old_driver, sizeof(old_driver));
	if (!strcmp(old_driver, CDNA_PF_DRIVER)) {
		printf("%s: on %s already\n", pci, CDNA_PF_DRIVER);
		return 0;
	}
	/* Unbinding a VFIO driver waits for its VM to let go: refuse. */
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vfio-dev", pci);
	if (old_driver[0] && !access(path, F_OK))
		return cdna_err(CDNA_EX_BUSY,
				"%s is on %s, a VFIO driver: a VM may hold it; unbind it first",
				pci, old_driver);
	err = cdna_pci_get_override(pci, old_override, sizeof(old_override));
	if (!err)
		err = cdna_pci_set_override(pci, CDNA_PF_DRIVER);
	if (err)
		return cdna_err(CDNA_EX_FAIL, "%s: cannot set driver_override: %s",
				pci, strerror(-err));
	/* Loading cdna_pf binds it already if nothing holds it. */
	if (!cdna_driver_loaded(CDNA_PF_DRIVER) &&
	    (cdna_run(modprobe, CDNA_MODPROBE_TIMEOUT) ||
	     !cdna_driver_loaded(CDNA_PF_DRIVER))) {
		claim_undo(pci, old_override, old_driver, driver, sizeof(driver));
		return cdna_err(CDNA_EX_FAIL,
				"%s: %s is not installed (modprobe %s failed); %s is on %s",
				pci, CDNA_PF_DRIVER, CDNA_PF_DRIVER, pci, driver);
	}
	cdna_pci_driver(pci, driver, sizeof(driver));
	err = 0;
	if (strcmp(driver, CDNA_PF_DRIVER)) {
		err = cdna_pci_unbind(pci);
		if (!err)
			err = cdna_pci_bind(pci, CDNA_PF_DRIVER);
	}
	if (!err && !on_cdna_pf(pci))
		err = -ETIMEDOUT;
	if (err) {
		claim_undo(pci, old_override, old_driver, driver, sizeof(driver));
		return cdna_err(CDNA_EX_FAIL, "%s: %s did not take it: %s; %s is on %s",
				pci, CDNA_PF_DRIVER, strerror(-err), pci, driver);
	}
	printf("%s: on %s (was %s)\n", pci, CDNA_PF_DRIVER,
	       old_driver[0] ? old_driver : "unbound");
	return 0;
}

static const struct option claim_options[] = {
	{ "conf", required_argument, NULL, 'f' },
	{ "test", no_argument, NULL, 't' },
	CDNA_HELP_OPTION,
	{ NULL, 0, NULL, 0 }
};

/**
 * cmd_claim - cdnactl claim [--test] [--conf FILE] PF
 * @argc: argument count
 * @argv: arguments
 * @o: global options
 *
 * Give the 82576 PF at PCI address PF to cdna_pf: driver_override, the
 * module loaded if it is not, unbound from igb (or whichever driver has
 * it), bound to cdna_pf.  On failure it goes back to its driver.  With
 * --test, change nothing: exit 0 when the configuration file names PF
 * and it is an 82576 PF, 1 otherwise (udev's PROGRAM, in 90-cdna.rules).
 *
 * Return: exit status.
 */
int cmd_claim(int argc, char **argv, const struct cdna_opts *o)
{
	struct cdna_conf conf = { 0 };
	char pci[CDNA_PCI_LEN];
	struct conf_args a = { 0 };
	bool test = false;
	const char *why;
	int opt, ret;

	(void)o;
	a.path = getenv("CDNACTL_CONF");
	a.explicit = a.path && *a.path;
	while ((opt = getopt_long(argc, argv, "h", claim_options, NULL)) != -1) {
		if (opt == 'f') {
			a.path = optarg;
			a.explicit = true;
		} else if (opt == 't') {
			test = true;
		} else {
			ret = cdna_help_shown("claim", opt);
			return ret == CDNA_HELP_SHOWN ? 0 : ret;
		}
	}
	if (!a.explicit)
		a.path = CDNA_CONF_DEFAULT;
	if (optind != argc - 1)
		return cdna_help("claim", CDNA_EX_USAGE);
	if (cdna_parse_pci(argv[optind], pci, &why))
		return cdna_err(CDNA_EX_INVALID, "PF '%s': %s (a PCI address)",
				argv[optind], why);
	if (!test) {
		ret = check_claimable(pci);
		return ret ? ret : claim(pci);
	}
	/* No file: no PF to claim, and nothing to say at every boot. */
	if (!a.explicit && access(a.path, F_OK) && errno == ENOENT)
		return CDNA_EX_FAIL;
	ret = read_conf(&a, &conf);
	if (!ret && !cdna_conf_find(&conf, pci))
		ret = CDNA_EX_FAIL;
	if (!ret)
		ret = check_claimable(pci) ? CDNA_EX_FAIL : 0;
	cdna_conf_free(&conf);
	return ret ? CDNA_EX_FAIL : 0;
}
