// SPDX-License-Identifier: GPL-2.0
/*
 * cdnactl attach and detach: hot-plug a context into a running domain
 * and take it back.  attach undoes every step it made when a later one
 * fails; detach waits for the guest to let go and for the guard to have
 * scrubbed the context.  A context goes to the domain in IOMMU mode as a
 * PCI <hostdev>, in software mode (attach --mode sw) as its mediated
 * device's <hostdev type='mdev'>; detach finds both in the live XML.
 *
 * attach picks, claims and hot-plugs its context under cdnactl's lock
 * (lock.c), so that a hook starting a domain that names the same context
 * cannot take it in between; detach takes the lock only to clear the
 * owner name, not while it waits for the guest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "domxml.h"
#include "virt.h"

struct attach_args {
	const char *domain;
	char owner[CDNA_OWNER_LEN];
	const char *pf;
	struct cdna_policy pol;
	enum cdna_mode mode;
	bool config;
};

/* What attach did, newest last, for the rollback. */
struct attach_done {
	struct cdna_policy old;
	unsigned int applied;
	struct cdna_mode_undo mode;
	bool owned;
};

static const struct option attach_options[] = {
	{ "pf", required_argument, NULL, 'p' },
	{ "mode", required_argument, NULL, 'M' },
	{ "mac", required_argument, NULL, 'm' },
	{ "vlan", required_argument, NULL, 'v' },
	{ "config", no_argument, NULL, 'C' },
	CDNA_HELP_OPTION,
	{ NULL, 0, NULL, 0 }
};

static int attach_option(struct attach_args *a, int opt)
{
	const char *why;

	switch (opt) {
	case 'p':
		a->pf = optarg;
		return 0;
	case 'M':
		if (cdna_parse_mode(optarg, &a->mode, &why))
			return cdna_err(CDNA_EX_INVALID, "invalid mode '%s': %s",
					optarg, why);
		return 0;
	case 'm':
		if (cdna_parse_mac(optarg, a->pol.mac, &why))
			return cdna_err(CDNA_EX_INVALID, "invalid mac '%s': %s",
					optarg, why);
		a->pol.mask |= CDNA_POL(CDNA_POL_MAC);
		return 0;
	case 'v':
		if (cdna_parse_vlan(optarg, &a->pol.vlan, &why))
			return cdna_err(CDNA_EX_INVALID, "invalid vlan '%s': %s",
					optarg, why);
		a->pol.mask |= CDNA_POL(CDNA_POL_VLAN);
		return 0;
	case 'C':
		a->config = true;
		return 0;
	default:
		return cdna_help_shown("attach", opt);
	}
}

static int attach_parse(int argc, char **argv, struct attach_args *a)
{
	int opt, ret;

	memset(a, 0, sizeof(*a));
	while ((opt = getopt_long(argc, argv, "h", attach_options, NULL)) != -1) {
		ret = attach_option(a, opt);
		if (ret)
			return ret;
	}
	if (argc - optind != 1)
		return cdna_help("attach", CDNA_EX_USAGE);
	a->domain = argv[optind];
	return cdna_check_owner(a->domain, a->owner);
}

static bool on_pf(const struct cdna_topo *t, const struct cdna_topo_ctx *c,
		  const struct cdna_topo_pf *pf)
{
	return !pf || &t->pf[c->pf] == pf;
}

/*
 * A free context for @mode: one already in it first, else an unbound one.
 * Never a free one of the other mode: its mediated device, or its
 * vmm_guard binding, may be what a domain's definition names.
 */
static struct cdna_topo_ctx *pick_free(struct cdna_topo *t,
				       const struct cdna_topo_pf *pf,
				       enum cdna_mode mode)
{
	struct cdna_topo_ctx *unbound = NULL, *c;
	unsigned int i;

	for (i = 0; i < t->nctx; i++) {
		c = &t->ctx[i];
		if (!on_pf(t, c, pf) || !cdna_ctx_is_free(c))
			continue;
		if (cdna_ctx_on_mode(c, mode))
			return c;
		if (!c->driver[0] && !unbound)
			unbound = c;
	}
	return unbound;
}

static int no_free(struct cdna_topo *t, const struct cdna_topo_pf *pf,
		   const struct attach_args *a)
{
	enum cdna_mode other = a->mode == CDNA_MODE_SW ? CDNA_MODE_IOMMU :
			       CDNA_MODE_SW;
	unsigned int i, n = 0;

	for (i = 0; i < t->nctx; i++)
		n += on_pf(t, &t->ctx[i], pf) && cdna_ctx_is_free(&t->ctx[i]) &&
		     cdna_ctx_on_mode(&t->ctx[i], other);
	if (n)
		return cdna_err(CDNA_EX_NOFREE,
				"no free context%s%s for %s mode: %u free in %s mode (attach --mode %s, or cdnactl set CTX mode %s)",
				pf ? " on " : "", pf ? a->pf : "",
				cdna_mode_name(a->mode), n, cdna_mode_name(other),
				cdna_mode_name(other), cdna_mode_name(a->mode));
	return cdna_err(CDNA_EX_NOFREE, "no free context%s%s (cdnactl list)",
			pf ? " on " : "", pf ? a->pf : "");
}

static void attach_undo(struct cdna_nl *nl, const struct cdna_topo *t,
			struct cdna_topo_ctx *c, struct attach_done *d)
{
	char name[64];

	if (d->owned)
		cdna_ledger_set_owner(c->vf, "");
	cdna_ctx_undo_mode(t, c, &d->mode);
	cdna_undo(nl, t, c, &d->old, d->applied);
	cdna_warn("%s: put back as it was", cdna_ctx_name(t, c, name, sizeof(name)));
}

/* The <hostdev> of @c for libvirt, in the mode it is in now. */
static int hostdev_xml(const struct cdna_topo *t, const struct cdna_topo_ctx *c,
		       char *xml, size_t len, char *what, size_t wlen)
{
	char name[64];
	int err;

	cdna_ctx_name(t, c, name, sizeof(name));
	if (cdna_ctx_on_mode(c, CDNA_MODE_SW)) {
		snprintf(what, wlen, "%s (mediated device %s)", c->vf, c->sw.mdev);
		err = cdna_xml_hostdev_mdev(c->sw.mdev, xml, len);
	} else {
		snprintf(what, wlen, "%s", c->vf);
		err = cdna_xml_hostdev_pci(c->vf, xml, len);
	}
	if (err)
		return cdna_err(CDNA_EX_FAIL, "%s: no device XML for libvirt",
				name);
	return 0;
}

static int attach_ctx(struct cdna_nl *nl, const struct cdna_topo *t,
		      struct cdna_topo_ctx *c, const struct attach_args *a,
		      virDomainPtr dom)
{
	struct attach_done d = { 0 };
	char xml[512], what[96];
	int ret;

	ret = cdna_read_policy(nl, t, c, &d.old);
	if (ret)
		return ret;
	ret = cdna_apply(nl, t, c, &a->pol, &d.applied);
	if (!ret)
		ret = cdna_ctx_set_mode(t, c, a->mode, NULL, &d.mode);
	if (!ret) {
		ret = cdna_set_owner(t, c, a->owner);
		d.owned = !ret;
	}
	if (!ret)
		ret = hostdev_xml(t, c, xml, sizeof(xml), what, sizeof(what));
	if (!ret)
		ret = cdna_virt_attach(dom, xml, what, a->config);
	if (ret)
		attach_undo(nl, t, c, &d);
	return ret;
}

static int attach_to(virDomainPtr dom, struct cdna_topo *t,
		     const struct attach_args *a)
{
	const struct cdna_topo_pf *pf = NULL;
	struct cdna_nl *nl;
	struct cdna_topo_ctx *c;
	char name[64];
	int ret;

	if (a->pf) {
		ret = cdna_find_pf(t, a->pf, &pf);
		if (ret)
			return ret;
	}
	c = pick_free(t, pf, a->mode);
	if (!c)
		return no_free(t, pf, a);
	ret = cdna_check_rate(&t->pf[c->pf], &a->pol);
	if (ret)
		return ret;
	nl = cdna_nl_open();
	if (!nl)
		return cdna_err(CDNA_EX_FAIL, "cannot open rtnetlink");
	ret = attach_ctx(nl, t, c, a, dom);
	cdna_nl_close(nl);
	if (!ret)
		printf("%s attached to %s (mode %s%s%s)\n",
		       cdna_ctx_name(t, c, name, sizeof(name)), a->domain,
		       cdna_mode_name(a->mode),
		       c->sw.mdev[0] ? ", mediated device " : "", c->sw.mdev);
	return ret;
}

/**
 * cmd_attach - cdnactl attach DOMAIN [--pf PF] [--mode iommu|sw] [--mac M]
 *	[--vlan V] [--config]
 * @argc: argument count
 * @argv: arguments
 * @o: global options
 *
 * Return: exit status.
 */
int cmd_attach(int argc, char **argv, const struct cdna_opts *o)
{
	struct attach_args a;
	virConnectPtr conn;
	struct cdna_topo t;
	virDomainPtr dom;
	int ret;

	ret = attach_parse(argc, argv, &a);
	if (ret)
		return ret == CDNA_HELP_SHOWN ? 0 : ret;
	ret = cdna_lock();
	if (!ret)
		ret = cdna_topo_load(&t);
	if (ret)
		return ret;
	ret = cdna_virt_open(o->uri, &conn);
	if (!ret) {
		ret = cdna_virt_domain(conn, a.domain, &dom);
		if (!ret) {
			ret = attach_to(dom, &t, &a);
			virDomainFree(dom);
		}
		virConnectClose(conn);
	}
	cdna_topo_free(&t);
	cdna_unlock();
	return ret;
}

struct detach_args {
	const char *domain;
	const char *ctx;
	unsigned int timeout;
	bool config;
};

static const struct option detach_options[] = {
	{ "timeout", required_argument, NULL, 't' },
	{ "config", no_argument, NULL, 'C' },
	CDNA_HELP_OPTION,
	{ NULL, 0, NULL, 0 }
};

static int detach_parse(int argc, char **argv, struct detach_args *a)
{
	int opt, ret;

	memset(a, 0, sizeof(*a));
	a->timeout = 60;
	while ((opt = getopt_long(argc, argv, "t:h", detach_options, NULL)) != -1) {
		if (opt == 't') {
			ret = cdna_parse_timeout(optarg, &a->timeout);
			if (ret)
				return ret;
		} else if (opt == 'C') {
			a->config = true;
		} else {
			return cdna_help_shown("detach", opt);
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
		return cdna_help("detach", CDNA_EX_USAGE);
	a->domain = argv[optind];
	a->ctx = argc - optind == 2 ? argv[optind + 1] : NULL;
	return 0;
}

/* The contexts in the live XML of @dom. */
static int live_contexts(virDomainPtr dom, struct cdna_topo *t,
			 struct cdna_xml_devs *devs)
{
	const struct cdna_xml_match m = {
		.keep = cdna_topo_has_vf, .mdev = cdna_topo_mdev_vf, .arg = t,
	};
	char *xml, err[256];
	int ret;

	ret = cdna_virt_live_xml(dom, &xml);
	if (ret)
		return ret;
	ret = cdna_xml_find(xml, strlen(xml), &m, devs, err, sizeof(err));
	free(xml);
	if (ret) {
		cdna_xml_free(devs);
		return cdna_err(ret, "%s", err);
	}
	return 0;
}

static const struct cdna_xml_dev *choose(const struct cdna_xml_devs *devs,
					 const struct detach_args *a,
					 const struct cdna_topo_ctx *want,
					 int *ret)
{
	char list[512] = "";
	size_t used = 0;
	unsigned int i;

	*ret = 0;
	for (i = 0; i < devs->n; i++) {
		if (want && !strcmp(devs->dev[i].pci, want->vf))
			return &devs->dev[i];
		if (used < sizeof(list))
			used += (size_t)snprintf(list + used, sizeof(list) - used,
						 "%s%s", i ? " " : "",
						 devs->dev[i].pci);
	}
	if (want)
		*ret = cdna_err(CDNA_EX_NOTFOUND, "%s is not attached to %s",
				want->vf, a->domain);
	else if (!devs->n)
		*ret = cdna_err(CDNA_EX_NOTFOUND, "%s has no cdna context",
				a->domain);
	else if (devs->n > 1)
		*ret = cdna_err(CDNA_EX_USAGE,
				"%s has %u cdna contexts: %s; name the one to detach",
				a->domain, devs->n, list);
	return *ret ? NULL : &devs->dev[0];
}

/* Until @vf has left the live XML of @dom, or the deadline. */
static int wait_gone(virDomainPtr dom, struct cdna_topo *t, const char *vf,
		     const struct detach_args *a, double deadline)
{
	struct cdna_xml_devs devs;
	bool present;
	unsigned int i;
	int ret;

	for (;;) {
		ret = live_contexts(dom, t, &devs);
		if (ret)
			return ret;
		present = false;
		for (i = 0; i < devs.n; i++)
			present |= !strcmp(devs.dev[i].pci, vf);
		cdna_xml_free(&devs);
		if (!present)
			return 0;
		if (cdna_now() >= deadline)
			return cdna_err(CDNA_EX_TIMEOUT,
					"%s did not release %s within %u s: the guest has not ejected it (libvirt keeps the request)",
					a->domain, vf, a->timeout);
		cdna_nap(250);
	}
}

static int detach_from(virDomainPtr dom, struct cdna_topo *t,
		       const struct detach_args *a,
		       const struct cdna_topo_ctx *want)
{
	double deadline = cdna_now() + a->timeout;
	const struct cdna_xml_dev *dev;
	struct cdna_xml_devs devs;
	char name[64], scrubs[32] = "?";
	struct cdna_topo_ctx *c;
	int ret;

	ret = live_contexts(dom, t, &devs);
	if (ret)
		return ret;
	dev = choose(&devs, a, want, &ret);
	if (dev)
		ret = cdna_virt_detach(dom, dev->xml, a->config);
	c = dev ? cdna_ctx_by_vf(t, dev->pci) : NULL;
	cdna_xml_free(&devs);
	if (ret)
		return ret;
	ret = wait_gone(dom, t, c->vf, a, deadline);
	/* A scrub takes milliseconds; leave it some time even so. */
	if (!ret)
		ret = cdna_wait_free(c, deadline > cdna_now() + 10 ? deadline :
				     cdna_now() + 10);
	if (ret)
		return ret;
	ret = cdna_lock();
	if (ret)
		return ret;
	/* Not if the domain's guest took it again meanwhile. */
	cdna_ctx_refresh(c);
	if (cdna_ctx_in_state(c, CDNA_GUARD_FREE))
		cdna_ledger_set_owner(c->vf, "");
	cdna_unlock();
	if (cdna_ctx_on_guard(c))
		cdna_ledger_read(c->vf, CDNA_LEDGER_SCRUBS, scrubs,
				 sizeof(scrubs));
	printf("%s detached from %s, scrubbed (scrubs: %s)\n",
	       cdna_ctx_name(t, c, name, sizeof(name)), a->domain, scrubs);
	return 0;
}

/**
 * cmd_detach - cdnactl detach DOMAIN [CTX] [--timeout S] [--config]
 * @argc: argument count
 * @argv: arguments
 * @o: global options
 *
 * Return: exit status.
 */
int cmd_detach(int argc, char **argv, const struct cdna_opts *o)
{
	struct cdna_topo_ctx *want = NULL;
	struct detach_args a;
	virConnectPtr conn;
	struct cdna_topo t;
	virDomainPtr dom;
	int ret;

	ret = detach_parse(argc, argv, &a);
	if (ret)
		return ret == CDNA_HELP_SHOWN ? 0 : ret;
	ret = cdna_topo_load(&t);
	if (ret)
		return ret;
	if (a.ctx)
		ret = cdna_find_ctx(&t, a.ctx, &want);
	if (!ret)
		ret = cdna_virt_open(o->uri, &conn);
	if (!ret) {
		ret = cdna_virt_domain(conn, a.domain, &dom);
		if (!ret) {
			ret = detach_from(dom, &t, &a, want);
			virDomainFree(dom);
		}
		virConnectClose(conn);
	}
	cdna_topo_free(&t);
	return ret;
}
