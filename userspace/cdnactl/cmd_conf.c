// SPDX-License-Identifier: GPL-2.0
/*
 * cdnactl save and restore: the contexts of every PF and their policy to
 * a file, and back (at boot, from the udev rule userspace/system/
 * 90-cdna.rules, one PF at a time as its netdev appears).  restore checks
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

#include "commands.h"
#include "conf.h"

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

/* Create the contexts of @cp, then apply every setting the file gives. */
static int restore_pf(struct cdna_nl *nl, const struct cdna_conf_pf *cp,
		      const struct cdna_topo_pf *pf)
{
	unsigned int i, applied, with = 0;
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
	printf("restored %s: %u contexts, %u with settings\n", cp->pci,
	       cp->count, with);
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
