// SPDX-License-Identifier: GPL-2.0
/*
 * cdnactl create, destroy and set: contexts of a PF (sriov_numvfs) and
 * their policy (rtnetlink).  Everything is checked before anything is
 * changed; a setting the kernel refuses puts back the ones applied
 * before it.  Each holds cdnactl's lock (lock.c) from its check to its
 * change: destroy must not remove a context a hook claims in between,
 * and set must not interleave with an attach that may put the old
 * policy back.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct option force_options[] = {
	{ "force", no_argument, NULL, 'f' },
	{ "autoprobe", no_argument, NULL, 'a' },
	CDNA_HELP_OPTION,
	{ NULL, 0, NULL, 0 }
};

/* -f/--force (destroy) or -a/--autoprobe (create), and --help. */
static int flag_options(const char *cmd, int argc, char **argv, int flag,
			bool *set, int nargs)
{
	int opt;

	while ((opt = getopt_long(argc, argv, "fah", force_options, NULL)) != -1) {
		if (opt != flag)
			return cdna_help_shown(cmd, opt);
		*set = true;
	}
	return argc - optind == nargs ? 0 : cdna_help(cmd, CDNA_EX_USAGE);
}

static int busy_count(const struct cdna_topo_pf *pf)
{
	return cdna_err(CDNA_EX_BUSY,
			"PF %s has %u contexts: the kernel changes a non-zero count only through 0 (EBUSY); run 'cdnactl destroy %s' first",
			pf->netdev[0] ? pf->netdev : pf->pci, pf->numvfs,
			pf->netdev[0] ? pf->netdev : pf->pci);
}

static void print_contexts(const struct cdna_topo_pf *pf)
{
	struct cdna_topo t;
	unsigned int i;

	if (cdna_topo_load(&t))
		return;
	printf("%s (%s): %u contexts:", pf->netdev, pf->pci, pf->numvfs);
	for (i = 0; i < t.nctx; i++)
		if (!strcmp(t.pf[t.ctx[i].pf].pci, pf->pci))
			printf(" %s", t.ctx[i].vf);
	printf("\n");
	cdna_topo_free(&t);
}

static int write_numvfs(struct cdna_topo_pf *pf, unsigned int n)
{
	int err = cdna_pf_set_numvfs(pf, n);

	if (err == -EBUSY && n)
		return busy_count(pf);
	if (err == -EBUSY)
		return cdna_err(CDNA_EX_BUSY,
				"%s: the kernel keeps the contexts: some are assigned to guests (EBUSY)",
				pf->pci);
	if (err == -ERANGE || err == -EINVAL)
		return cdna_err(CDNA_EX_INVALID,
				"%s: %s refused %u contexts: %s (see the kernel log)",
				pf->pci, CDNA_PF_DRIVER, n, strerror(-err));
	if (err)
		return cdna_err(CDNA_EX_FAIL, "%s: sriov_numvfs: %s", pf->pci,
				strerror(-err));
	pf->numvfs = n;
	return 0;
}

/**
 * cmd_create - cdnactl create PF N [--autoprobe]
 * @argc: argument count
 * @argv: arguments
 * @o: global options
 *
 * Return: exit status.
 */
int cmd_create(int argc, char **argv, const struct cdna_opts *o)
{
	const struct cdna_topo_pf *found;
	bool autoprobe = false;
	struct cdna_topo t;
	struct cdna_topo_pf pf;
	unsigned long n;
	const char *why;
	int ret, err;

	(void)o;
	ret = flag_options("create", argc, argv, 'a', &autoprobe, 2);
	if (ret)
		return ret == CDNA_HELP_SHOWN ? 0 : ret;
	if (cdna_parse_uint(argv[optind + 1], 65535, &n, &why) || !n)
		return cdna_err(CDNA_EX_INVALID,
				"invalid count '%s': 1 or more contexts (cdnactl destroy removes them)",
				argv[optind + 1]);
	ret = cdna_lock();
	if (!ret)
		ret = cdna_topo_load(&t);
	if (ret)
		return ret;
	ret = cdna_find_pf(&t, argv[optind], &found);
	if (!ret)
		pf = *found;
	cdna_topo_free(&t);
	if (ret)
		return ret;
	if (pf.totalvfs && n > pf.totalvfs)
		return cdna_err(CDNA_EX_INVALID,
				"invalid count '%lu': PF %s offers at most %u contexts",
				n, pf.pci, pf.totalvfs);
	if (pf.numvfs == n) {
		printf("%s: already has %lu contexts\n", pf.pci, n);
		return 0;
	}
	if (pf.numvfs)
		return busy_count(&pf);
	/* New contexts stay unbound (free) unless asked otherwise. */
	err = cdna_pf_set_autoprobe(&pf, autoprobe);
	if (err)
		return cdna_err(CDNA_EX_FAIL, "%s: sriov_drivers_autoprobe: %s",
				pf.pci, strerror(-err));
	ret = write_numvfs(&pf, (unsigned int)n);
	if (!ret)
		print_contexts(&pf);
	return ret;
}

/* Why destroy must not take @c away; NULL when it may. */
static const char *blocker(const struct cdna_topo_ctx *c, bool force, char *buf,
			   size_t len)
{
	if (!c->driver[0])
		return NULL;
	if (cdna_ctx_on_guard(c)) {
		if (cdna_ctx_in_state(c, CDNA_GUARD_ASSIGNED) ||
		    cdna_ctx_in_state(c, CDNA_GUARD_SCRUBBING)) {
			snprintf(buf, len, "%s by %s: detach it first", c->gstate,
				 cdna_ctx_holder(c)[0] ? cdna_ctx_holder(c) :
				 "a VFIO user");
			return buf;
		}
		if (force)
			return NULL;
		if (cdna_ctx_in_state(c, CDNA_GUARD_QUARANTINED))
			return "quarantined (--force removes it)";
		if (c->owner[0]) {
			snprintf(buf, len, "reserved for %s (--force removes it)",
				 c->owner);
			return buf;
		}
		return NULL;
	}
	if (force)
		return NULL;
	snprintf(buf, len, "in use by the host's %s (--force removes it)",
		 c->driver);
	return buf;
}

static int check_destroy(const struct cdna_topo *t,
			 const struct cdna_topo_pf *pf, bool force)
{
	char buf[128], name[64];
	const char *why;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < t->nctx; i++) {
		const struct cdna_topo_ctx *c = &t->ctx[i];

		if (&t->pf[c->pf] != pf)
			continue;
		why = blocker(c, force, buf, sizeof(buf));
		if (why)
			ret = cdna_err(CDNA_EX_BUSY, "%s is %s",
				       cdna_ctx_name(t, c, name, sizeof(name)), why);
	}
	if (ret)
		cdna_warn("%s: nothing removed", pf->pci);
	return ret;
}

/**
 * cmd_destroy - cdnactl destroy PF [--force]
 * @argc: argument count
 * @argv: arguments
 * @o: global options
 *
 * Return: exit status.
 */
int cmd_destroy(int argc, char **argv, const struct cdna_opts *o)
{
	const struct cdna_topo_pf *found;
	bool force = false;
	struct cdna_topo t;
	struct cdna_topo_pf pf;
	int ret;

	(void)o;
	ret = flag_options("destroy", argc, argv, 'f', &force, 1);
	if (ret)
		return ret == CDNA_HELP_SHOWN ? 0 : ret;
	ret = cdna_lock();
	if (!ret)
		ret = cdna_topo_load(&t);
	if (ret)
		return ret;
	ret = cdna_find_pf(&t, argv[optind], &found);
	if (!ret) {
		pf = *found;
		ret = check_destroy(&t, found, force);
	}
	cdna_topo_free(&t);
	if (ret)
		return ret;
	if (!pf.numvfs) {
		printf("%s: no contexts\n", pf.pci);
		return 0;
	}
	ret = write_numvfs(&pf, 0);
	if (!ret)
		printf("%s: contexts removed\n", pf.pci);
	return ret;
}

/*
 * "mode M" of set: nothing to do when the context is in it already,
 * whoever holds it; else refused unless nobody does.
 */
static int set_mode(const struct cdna_topo *t, struct cdna_topo_ctx *c,
		    enum cdna_mode mode, struct cdna_mode_undo *u)
{
	char name[64], buf[192];
	const char *why;

	memset(u, 0, sizeof(*u));
	cdna_ctx_name(t, c, name, sizeof(name));
	if (cdna_ctx_on_mode(c, mode) &&
	    (mode == CDNA_MODE_IOMMU || c->sw.mdev[0])) {
		printf("%s: already in mode %s%s%s\n", name, cdna_mode_name(mode),
		       c->sw.mdev[0] ? ", mediated device " : "", c->sw.mdev);
		return 0;
	}
	why = cdna_mode_blocker(c, buf, sizeof(buf));
	if (why)
		return cdna_err(CDNA_EX_BUSY,
				"%s is %s: its mode changes only while it is free; nothing changed",
				name, why);
	return cdna_ctx_set_mode(t, c, mode, NULL, u);
}

static int set_apply(const struct cdna_topo *t, struct cdna_topo_ctx *c,
		     const struct cdna_policy *pol, int mode)
{
	struct cdna_mode_undo mu = { 0 };
	unsigned int applied = 0;
	struct cdna_policy old;
	struct cdna_nl *nl = NULL;
	char name[64], words[256];
	int ret = 0;

	cdna_ctx_name(t, c, name, sizeof(name));
	if (pol->mask) {
		nl = cdna_nl_open();
		if (!nl)
			return cdna_err(CDNA_EX_FAIL, "cannot open rtnetlink");
		ret = cdna_read_policy(nl, t, c, &old);
		if (!ret)
			ret = cdna_apply(nl, t, c, pol, &applied);
	}
	if (!ret && mode >= 0)
		ret = set_mode(t, c, (enum cdna_mode)mode, &mu);
	if (ret && applied) {
		cdna_undo(nl, t, c, &old, applied);
		cdna_warn("%s: the settings applied before were put back", name);
	}
	if (!ret && pol->mask) {
		cdna_policy_format(pol, words, sizeof(words));
		printf("%s: %s\n", name, words);
	}
	if (!ret && mode >= 0 && (mu.rebound || mu.created[0]))
		printf("%s: mode %s%s%s\n", name, cdna_mode_name(mode),
		       c->sw.mdev[0] ? ", mediated device " : "", c->sw.mdev);
	if (nl)
		cdna_nl_close(nl);
	return ret;
}

/**
 * cmd_set - cdnactl set CTX SETTING VALUE...
 * @argc: argument count
 * @argv: arguments
 * @o: global options
 *
 * Return: exit status.
 */
int cmd_set(int argc, char **argv, const struct cdna_opts *o)
{
	static const struct option opts[] = { CDNA_HELP_OPTION, { NULL, 0, NULL, 0 } };
	struct cdna_policy pol;
	struct cdna_topo_ctx *c;
	struct cdna_topo t;
	char err[256];
	int opt, ret, mode;

	(void)o;
	/* "+": setting values are never options. */
	while ((opt = getopt_long(argc, argv, "+h", opts, NULL)) != -1)
		return cdna_help("set", opt == 'h' ? 0 : CDNA_EX_USAGE);
	if (argc - optind < 2)
		return cdna_help("set", CDNA_EX_USAGE);
	ret = cdna_set_parse(argc - optind - 1, argv + optind + 1, &pol, &mode,
			     err, sizeof(err));
	if (ret)
		return cdna_err(ret, "%s", err);
	ret = cdna_lock();
	if (!ret)
		ret = cdna_topo_load(&t);
	if (ret)
		return ret;
	ret = cdna_find_ctx(&t, argv[optind], &c);
	if (!ret)
		ret = cdna_check_rate(&t.pf[c->pf], &pol);
	if (!ret)
		ret = set_apply(&t, c, &pol, mode);
	cdna_topo_free(&t);
	return ret;
}
