// SPDX-License-Identifier: GPL-2.0
/*
 * cdnactl hook qemu DOMAIN OP SUBOP [EXTRA]: the libvirt qemu hook
 * (libvirt-hooks/qemu runs it, the domain XML on stdin).
 *
 * prepare begin: every context the XML passes through (<hostdev
 *   type='pci'> or <interface type='hostdev'> whose source is a VF of a
 *   PF driven by cdna_pf) is checked free, bound to vmm_guard and given
 *   the domain's name as owner in the guard's ledger.  A context in
 *   software mode goes as its mediated device (<hostdev type='mdev'>
 *   whose UUID is the context's mediated device, or the stable UUID
 *   cdnactl gives context N of a PF): it is checked free, put in
 *   software mode with that mediated device if it is unbound (after a
 *   reboot), and owned the same way.  Each mode's form is refused for a
 *   context in the other mode: changing a context's mode is cdnactl set's.  Any failure undoes
 *   what this run did and exits non-zero: libvirt then refuses to start
 *   the domain and shows the message.  The check and the claim run under
 *   cdnactl's lock (lock.c): libvirt starts domains in parallel, and two
 *   whose XML names one context must not both find it free.  A domain
 *   name the ledger cannot hold (cdna_parse_owner()) is refused, exit
 *   CDNA_EX_NAME, before anything changes; a domain without contexts is
 *   none of cdnactl's business, whatever its name.
 * release end: every such context the domain had is waited for (bounded)
 *   until the guard has scrubbed it, and its owner name is cleared (under
 *   the lock).  A name the ledger cannot hold owns no context: nothing.
 * anything else: nothing, exit 0.
 *
 * cdnactl hook network NETWORK OP SUBOP [EXTRA]: the libvirt network hook
 * (libvirt-hooks/network, <hookData> with the network and the port on
 * stdin), for <forward mode='hostdev'> networks that hand out contexts as
 * a pool.  The qemu hook cannot serve them: its "prepare begin" XML names
 * the network, not the context, which libvirt only picks afterwards in
 * qemuProcessPrepareDomain(), where the network driver creates the port
 * and runs this hook with "port-created begin", still before
 * qemuProcessPrepareHost() needs the context on a VFIO driver.  So:
 * port-created begin: as prepare begin, for the port's context, with the
 *   port's owner (the domain) as owner;
 * port-deleted begin: as release end.
 *
 * Never calls libvirt: a hook that calls back into libvirtd deadlocks it.
 * Never touches MAC or VLAN: for <interface type='hostdev'> libvirt
 * programs them through the PF itself, after this hook.
 *
 * Where this hook runs in libvirt (11.3, src/qemu/qemu_process.c):
 * qemuProcessStart() calls qemuProcessInit(), which runs the "prepare
 * begin" hook, before qemuProcessPrepareHost(), which calls
 * qemuHostdevPrepareDomainDevices(); there virHostdevPreparePCIDevices
 * requires a managed='no' device to be bound to a VFIO driver already
 * ("Unmanaged PCI device ... must be manually detached from the host").
 * So binding here, in prepare, comes in time.  libvirt 11.x takes a VFIO
 * variant driver such as vmm_guard for a VFIO driver:
 * virPCIDeviceGetCurrentDriverNameAndType() (src/util/virpci.c) looks for
 * the device's vfio-dev/ sysfs directory, which every driver registered
 * through vfio-pci-core gets.  libvirt 9.0 (Debian bookworm) knew only
 * the name "vfio-pci" there and refuses such a device.
 *
 * managed='yes' (what Nova writes for every neutron direct port): libvirt
 * binds the device itself, in qemuProcessPrepareHost(), to the driver
 * <driver model='...'/> names or else to the VFIO variant driver
 * modules.alias offers for it (modalias.h), vfio-pci when none.  A
 * context libvirt would give to any driver but vmm_guard, around the
 * guard's isolation gate, scrub and ledger, is refused here with what to
 * change (libvirt before 10.0 always takes vfio-pci; hot-plugged devices
 * run no hook at all: libvirt's modules.alias choice alone decides
 * them).  One libvirt would give to vmm_guard is prepared as a
 * managed='no' one: bound to vmm_guard and owned now, so libvirt finds it
 * on its driver already, leaves it there (virPCIDeviceBindToStub()) and,
 * having bound nothing, unbinds nothing when the domain stops: the
 * context stays on the guard, scrubbed, for the next domain.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <libvirt/libvirt.h>

#include "commands.h"
#include "domxml.h"
#include "modalias.h"

struct hook_run {
	const char *domain;
	const char *network;
	char port_owner[1024];
	char owner[CDNA_OWNER_LEN];
	struct cdna_topo topo;
	struct cdna_xml_devs devs;
	unsigned int timeout;
};

static int read_stdin(char **buf, size_t *len)
{
	size_t cap = 65536, n;

	*len = 0;
	*buf = malloc(cap + 1);
	if (!*buf)
		return cdna_err(CDNA_EX_FAIL, "out of memory");
	while ((n = fread(*buf + *len, 1, cap - *len, stdin)) > 0) {
		*len += n;
		if (*len > CDNA_XML_MAX)
			return cdna_err(CDNA_EX_INVALID,
					"domain XML on stdin larger than %d bytes",
					CDNA_XML_MAX);
		if (*len == cap) {
			char *more = realloc(*buf, cap * 2 + 1);

			if (!more)
				return cdna_err(CDNA_EX_FAIL, "out of memory");
			*buf = more;
			cap *= 2;
		}
	}
	if (ferror(stdin))
		return cdna_err(CDNA_EX_FAIL, "cannot read the domain XML on stdin");
	(*buf)[*len] = '\0';
	return 0;
}

/* The domain's contexts, from the XML on stdin. */
static int hook_load(struct hook_run *h)
{
	const struct cdna_xml_match m = {
		.keep = cdna_topo_has_vf, .mdev = cdna_topo_mdev_vf,
		.arg = &h->topo,
	};
	char *xml = NULL, err[256] = "";
	size_t len;
	int ret;

	ret = read_stdin(&xml, &len);
	if (!ret)
		ret = cdna_topo_load(&h->topo);
	if (!ret && h->network) {
		ret = cdna_xml_find_port(xml, len, &m, &h->devs, h->port_owner,
					 sizeof(h->port_owner), err,
					 sizeof(err));
		h->domain = h->port_owner;
	} else if (!ret) {
		ret = cdna_xml_find(xml, len, &m, &h->devs, err, sizeof(err));
	}
	if (ret && err[0])
		cdna_err(ret, "%s: %s", h->network ? h->network : h->domain,
			 err);
	free(xml);
	return ret;
}

/* libvirt 10.0 picks VFIO variant drivers; before, vfio-pci always. */
#define CDNA_LIBVIRT_VARIANTS	10000000UL

/*
 * The driver libvirt binds managed='yes' context @d to: its <driver
 * model> (a model='' too, which libvirt keeps as one), else the best VFIO
 * variant in the running kernel's modules.alias, else vfio-pci; always
 * vfio-pci for a libvirt before 10.0.  @from says where the choice came
 * from.  libvirt finds a model's driver as named or with '-' as '_'.
 */
static void libvirt_driver(const struct cdna_xml_dev *d, char *drv,
			   size_t len, char *from, size_t fromlen)
{
	char path[PATH_MAX], modalias[256];
	unsigned long ver = 0;
	struct utsname u;
	FILE *f = NULL;
	char *p;

	snprintf(drv, len, "vfio-pci");
	if (virGetVersion(&ver, NULL, NULL) || ver < CDNA_LIBVIRT_VARIANTS) {
		snprintf(from, fromlen, "libvirt %lu.%lu takes no other VFIO driver; 10.0 and later do",
			 ver / 1000000, ver / 1000 % 1000);
		return;
	}
	if (d->has_driver_model) {
		snprintf(drv, len, "%s", d->driver_model);
		snprintf(from, fromlen, "<driver model='%s'/>", d->driver_model);
		for (p = drv; *p; p++)
			if (*p == '-')
				*p = '_';
		if (!d->driver_model[0])
			snprintf(drv, len, "''");
		return;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/modalias", d->pci);
	if (cdna_sysfs_read(path, modalias, sizeof(modalias)) || uname(&u)) {
		snprintf(from, fromlen, "its modalias unreadable");
		return;
	}
	snprintf(path, sizeof(path), CDNA_MODULES_ALIAS, u.release);
	f = fopen(path, "r");
	if (!f) {
		snprintf(from, fromlen, "%s: %s", path, strerror(errno));
		return;
	}
	if (cdna_best_vfio_variant(modalias, f, drv, len) || !drv[0])
		snprintf(drv, len, "vfio-pci");
	fclose(f);
	snprintf(from, fromlen, "the best VFIO driver %s offers for it", path);
}

/*
 * Why libvirt may not manage @d (managed='yes'): it would bind the
 * context to a driver other than the guard.  NULL for managed='no', an
 * mdev, or a context libvirt would give to vmm_guard.
 */
static const char *managed_refusal(const struct cdna_xml_dev *d, char *buf,
				   size_t len)
{
	char drv[CDNA_XML_NAME_LEN], from[PATH_MAX + 64];

	if (!d->managed || d->kind == CDNA_XML_MDEV)
		return NULL;
	libvirt_driver(d, drv, sizeof(drv), from, sizeof(from));
	if (!strcmp(drv, CDNA_GUARD_DRIVER))
		return NULL;
	snprintf(buf, len, "managed='yes' and libvirt would bind it to %s (%s), around the guard: install %s into /lib/modules (the cdna-dkms package, or make install and depmod), give the device <driver model='%s'/>, or use managed='no'",
		 drv, from, CDNA_GUARD_DRIVER, CDNA_GUARD_DRIVER);
	return buf;
}

/* Why @c cannot go to the domain; NULL when it can. */
static const char *unavailable(const struct hook_run *h,
			       const struct cdna_xml_dev *d,
			       const struct cdna_topo_ctx *c, char *buf,
			       size_t len)
{
	bool mdev = d->kind == CDNA_XML_MDEV;

	if (!c->driver[0])
		return NULL;
	if (!cdna_ctx_on_guard(c)) {
		snprintf(buf, len, "in use by the host's %s driver", c->driver);
		return buf;
	}
	if (mdev && cdna_ctx_on_mode(c, CDNA_MODE_IOMMU))
		return "in IOMMU mode, not a mediated device: pass it as a PCI <hostdev>, or cdnactl set CTX mode sw";
	if (!mdev && cdna_ctx_on_mode(c, CDNA_MODE_SW)) {
		snprintf(buf, len, "in software mode: pass its mediated device, <hostdev mode='subsystem' type='mdev' model='vfio-pci'><source><address uuid='%s'/></source></hostdev>, or cdnactl set CTX mode iommu",
			 c->sw.mdev[0] ? c->sw.mdev : "UUID");
		return buf;
	}
	if (mdev && c->sw.mdev[0] && strcmp(c->sw.mdev, d->uuid)) {
		snprintf(buf, len, "offering mediated device %s, not %s",
			 c->sw.mdev, d->uuid);
		return buf;
	}
	if (!cdna_ctx_in_state(c, CDNA_GUARD_FREE)) {
		snprintf(buf, len, "%s by %s", c->gstate,
			 cdna_ctx_holder(c)[0] ? cdna_ctx_holder(c) :
			 "another VFIO user");
		return buf;
	}
	if (c->owner[0] && strcmp(c->owner, h->owner)) {
		snprintf(buf, len, "owned by domain '%s'", c->owner);
		return buf;
	}
	return NULL;
}

static int check_all(struct hook_run *h)
{
	char buf[PATH_MAX + 512], name[64];
	const char *why;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < h->devs.n; i++) {
		struct cdna_topo_ctx *c = cdna_ctx_by_vf(&h->topo,
							 h->devs.dev[i].pci);

		if (!c) {
			ret = cdna_err(CDNA_EX_NOTFOUND,
				       "%s: context %s is gone (its PF's contexts were destroyed)",
				       h->domain, h->devs.dev[i].pci);
			continue;
		}
		cdna_ctx_refresh(c);
		why = managed_refusal(&h->devs.dev[i], buf, sizeof(buf));
		if (why) {
			ret = cdna_err(CDNA_EX_INVALID, "%s: context %s is %s",
				       h->domain,
				       cdna_ctx_name(&h->topo, c, name, sizeof(name)),
				       why);
			continue;
		}
		why = unavailable(h, &h->devs.dev[i], c, buf, sizeof(buf));
		if (why)
			ret = cdna_err(CDNA_EX_BUSY, "%s: context %s is %s",
				       h->domain,
				       cdna_ctx_name(&h->topo, c, name, sizeof(name)),
				       why);
	}
	return ret;
}

/* Undo the first @n contexts: owner names back, our mode changes undone. */
static void prepare_undo(struct hook_run *h, unsigned int n,
			 struct cdna_mode_undo *undo,
			 char (*old)[CDNA_OWNER_LEN])
{
	while (n--) {
		struct cdna_topo_ctx *c = cdna_ctx_by_vf(&h->topo,
							 h->devs.dev[n].pci);

		cdna_ledger_set_owner(c->vf, old[n]);
		cdna_ctx_undo_mode(&h->topo, c, &undo[n]);
	}
}

/*
 * @c for @d: on vmm_guard (a PCI form) or on vmm_guard_sw with the
 * mediated device @d names (the mdev form), owned by the domain.
 */
static int prepare_one(struct hook_run *h, const struct cdna_xml_dev *d,
		       struct cdna_topo_ctx *c, struct cdna_mode_undo *undo,
		       char old[CDNA_OWNER_LEN])
{
	bool mdev = d->kind == CDNA_XML_MDEV;
	int ret;

	ret = cdna_ctx_set_mode(&h->topo, c,
				mdev ? CDNA_MODE_SW : CDNA_MODE_IOMMU,
				mdev ? d->uuid : NULL, undo);
	memcpy(old, c->owner, CDNA_OWNER_LEN);
	if (!ret)
		ret = cdna_set_owner(&h->topo, c, h->owner);
	if (ret)
		cdna_ctx_undo_mode(&h->topo, c, undo);
	return ret;
}

/*
 * Under the lock, the contexts as they are now: another claimant may have
 * taken one, or a destroy removed it, since hook_load() looked.
 */
static int hook_lock(struct hook_run *h)
{
	int ret = cdna_lock();

	if (ret)
		return ret;
	cdna_topo_free(&h->topo);
	ret = cdna_topo_load(&h->topo);
	if (!ret)
		ret = check_all(h);
	if (ret)
		cdna_unlock();
	return ret;
}

static int hook_prepare(struct hook_run *h)
{
	struct cdna_mode_undo *undo;
	char (*old)[CDNA_OWNER_LEN];
	unsigned int i;
	int ret;

	if (!h->devs.n)
		return 0;
	ret = cdna_check_owner(h->domain, h->owner);
	if (!ret)
		ret = hook_lock(h);
	if (ret)
		return ret;
	undo = calloc(h->devs.n, sizeof(*undo));
	old = calloc(h->devs.n, sizeof(*old));
	if (!undo || !old)
		ret = cdna_err(CDNA_EX_FAIL, "out of memory");
	for (i = 0; !ret && i < h->devs.n; i++)
		ret = prepare_one(h, &h->devs.dev[i],
				  cdna_ctx_by_vf(&h->topo, h->devs.dev[i].pci),
				  &undo[i], old[i]);
	/* The one that failed undid itself; the ones before it go back. */
	if (ret && undo && old && i > 1) {
		prepare_undo(h, i - 1, undo, old);
		cdna_warn("%s: the contexts prepared before were put back",
			  h->domain);
	}
	free(undo);
	free(old);
	cdna_unlock();
	return ret;
}

/*
 * Whether the domain being released had @c: libvirt also runs "release
 * end" after a start that failed, for instance because the prepare hook
 * refused a context another domain holds.  QEMU is gone by then, so a
 * context still assigned with no owner name is some other VFIO user's.
 */
static bool was_ours(const struct hook_run *h, struct cdna_topo_ctx *c)
{
	cdna_ctx_refresh(c);
	if (!cdna_ctx_on_guard(c))
		return false;
	if (c->owner[0])
		return !strcmp(c->owner, h->owner);
	return !cdna_ctx_in_state(c, CDNA_GUARD_ASSIGNED);
}

/* Clear our owner name of a scrubbed context, unless it was taken again. */
static int release_owner(struct hook_run *h, struct cdna_topo_ctx *c)
{
	int ret = cdna_lock();

	if (ret)
		return ret;
	cdna_ctx_refresh(c);
	if (cdna_ctx_in_state(c, CDNA_GUARD_FREE) &&
	    !strcmp(c->owner, h->owner))
		ret = cdna_set_owner(&h->topo, c, "");
	cdna_unlock();
	return ret;
}

static int hook_release(struct hook_run *h)
{
	double deadline = cdna_now() + h->timeout;
	unsigned int i;
	const char *why;
	int ret = 0, r;

	if (cdna_parse_owner(h->domain, h->owner, &why))
		return 0;
	for (i = 0; i < h->devs.n; i++) {
		struct cdna_topo_ctx *c = cdna_ctx_by_vf(&h->topo,
							 h->devs.dev[i].pci);

		if (!was_ours(h, c))
			continue;
		r = cdna_wait_free(c, deadline);
		if (r) {
			ret = r;
			continue;
		}
		r = release_owner(h, c);
		ret = ret ? ret : r;
	}
	return ret;
}

static const struct option hook_options[] = {
	{ "timeout", required_argument, NULL, 't' },
	CDNA_HELP_OPTION,
	{ NULL, 0, NULL, 0 }
};

/**
 * cmd_hook - cdnactl hook [--timeout S] qemu|network NAME OP SUBOP [EXTRA]
 * @argc: argument count
 * @argv: arguments
 * @o: global options
 *
 * Return: exit status; libvirt refuses to start the domain when the
 * prepare hook fails.
 */
int cmd_hook(int argc, char **argv, const struct cdna_opts *o)
{
	struct hook_run h = { .timeout = 30 };
	const char *op, *subop;
	bool prepare, release;
	int opt, ret;

	(void)o;
	while ((opt = getopt_long(argc, argv, "+t:h", hook_options, NULL)) != -1) {
		if (opt != 't')
			return cdna_help("hook", opt == 'h' ? 0 : CDNA_EX_USAGE);
		ret = cdna_parse_timeout(optarg, &h.timeout);
		if (ret)
			return ret;
	}
	if (argc - optind < 4 || argc - optind > 5)
		return cdna_help("hook", CDNA_EX_USAGE);
	op = argv[optind + 2];
	subop = argv[optind + 3];
	if (!strcmp(argv[optind], "qemu")) {
		h.domain = argv[optind + 1];
		prepare = !strcmp(op, "prepare") && !strcmp(subop, "begin");
		release = !strcmp(op, "release") && !strcmp(subop, "end");
	} else if (!strcmp(argv[optind], "network")) {
		h.network = argv[optind + 1];
		prepare = !strcmp(op, "port-created") && !strcmp(subop, "begin");
		release = !strcmp(op, "port-deleted") && !strcmp(subop, "begin");
	} else {
		return cdna_help("hook", CDNA_EX_USAGE);
	}
	if (!prepare && !release)
		return 0;
	ret = hook_load(&h);
	if (!ret)
		ret = prepare ? hook_prepare(&h) : hook_release(&h);
	cdna_xml_free(&h.devs);
	cdna_topo_free(&h.topo);
	return ret;
}
