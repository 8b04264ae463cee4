// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs side of cdnactl: PCI topology, drivers, the guard's ledger
 * (kmod/vmm-guard/guard_ledger.c), the mediated devices of software-mode
 * contexts (kmod/vmm-guard/guard_sw.c), sriov_numvfs, the per-context
 * files of cdna_pf (kmod/cdna-pf/pf_sysfs.c).  Policy and counters come
 * from rtnetlink (nl.c), not from here.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cdna_isolation.h"
#include "cdnactl.h"
#include "sysfs.h"

#define PCI_DEVICES	"/sys/bus/pci/devices"
#define PCI_DRIVERS	"/sys/bus/pci/drivers"
#define MDEV_DEVICES	"/sys/bus/mdev/devices"

/**
 * cdna_sysfs_read - a sysfs attribute, without its trailing newline
 * @path: the file
 * @buf: its contents
 * @len: size of @buf
 *
 * Return: 0 or a negative errno.
 */
int cdna_sysfs_read(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	buf[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

/**
 * cdna_sysfs_write - write a sysfs attribute in one write
 * @path: the file
 * @val: the value
 *
 * Return: 0 or the negative errno of the kernel's answer.
 */
int cdna_sysfs_write(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

static int read_uint(const char *path, unsigned int *val)
{
	char buf[32], *end;
	unsigned long v;
	int ret;

	ret = cdna_sysfs_read(path, buf, sizeof(buf));
	if (ret)
		return ret;
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (errno || end == buf || *end || v > UINT_MAX)
		return -EINVAL;
	*val = (unsigned int)v;
	return 0;
}

/* The last path element of the symlink @path, "" when there is none. */
static void link_name(const char *path, char *buf, size_t len)
{
	char target[PATH_MAX];
	ssize_t n;

	buf[0] = '\0';
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	snprintf(buf, len, "%s", basename(target));
}

static void pci_path(char *buf, size_t len, const char *dev, const char *file)
{
	snprintf(buf, len, PCI_DEVICES "/%s/%s", dev, file);
}

static void pf_netdev(struct cdna_topo_pf *pf)
{
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dir;

	pf->netdev[0] = '\0';
	pci_path(path, sizeof(path), pf->pci, "net");
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		size_t n = strlen(d->d_name);

		if (d->d_name[0] == '.' || n >= sizeof(pf->netdev))
			continue;
		memcpy(pf->netdev, d->d_name, n + 1);
		break;
	}
	closedir(dir);
}

static int add_pf(struct cdna_topo *t, const char *pci)
{
	char path[PATH_MAX];
	struct cdna_topo_pf *pf;

	pf = realloc(t->pf, (t->npf + 1) * sizeof(*pf));
	if (!pf)
		return -ENOMEM;
	t->pf = pf;
	pf = &t->pf[t->npf];
	memset(pf, 0, sizeof(*pf));
	memcpy(pf->pci, pci, CDNA_PCI_LEN);
	pf_netdev(pf);
	pci_path(path, sizeof(path), pci, "sriov_numvfs");
	if (read_uint(path, &pf->numvfs))
		pf->numvfs = 0;
	pci_path(path, sizeof(path), pci, "sriov_totalvfs");
	if (read_uint(path, &pf->totalvfs))
		pf->totalvfs = 0;
	t->npf++;
	return 0;
}

static int cmp_pf(const void *a, const void *b)
{
	return strcmp(((const struct cdna_topo_pf *)a)->pci,
		      ((const struct cdna_topo_pf *)b)->pci);
}

static int load_pfs(struct cdna_topo *t)
{
	char pci[CDNA_PCI_LEN];
	const char *why;
	struct dirent *d;
	DIR *dir;
	int ret = 0;

	dir = opendir(PCI_DRIVERS "/" CDNA_PF_DRIVER);
	if (!dir)
		return 0;	/* cdna_pf not loaded: no PF */
	while (!ret && (d = readdir(dir)))
		if (!cdna_parse_pci(d->d_name, pci, &why) &&
		    !strcmp(pci, d->d_name))
			ret = add_pf(t, pci);
	closedir(dir);
	if (t->npf)
		qsort(t->pf, t->npf, sizeof(*t->pf), cmp_pf);
	return ret;
}

/**
 * cdna_ctx_refresh - read again who holds a context
 * @c: the context; its driver and ledger fields are updated
 */
void cdna_ctx_refresh(struct cdna_topo_ctx *c)
{
	char path[PATH_MAX], comm[16], pid[12];

	pci_path(path, sizeof(path), c->vf, "driver");
	link_name(path, c->driver, sizeof(c->driver));
	c->gstate[0] = '\0';
	c->mode[0] = '\0';
	c->owner[0] = '\0';
	c->opener[0] = '\0';
	memset(&c->sw, 0, sizeof(c->sw));
	if (!cdna_ctx_on_guard(c))
		return;
	if (cdna_ctx_on_mode(c, CDNA_MODE_SW)) {
		pci_path(path, sizeof(path), c->vf, CDNA_LEDGER_DIR);
		cdna_sw_info_read(path, &c->sw);
	}
	cdna_ledger_read(c->vf, CDNA_LEDGER_STATE, c->gstate,
			 sizeof(c->gstate));
	cdna_ledger_read(c->vf, CDNA_LEDGER_MODE, c->mode, sizeof(c->mode));
	cdna_ledger_read(c->vf, CDNA_LEDGER_OWNER, c->owner, sizeof(c->owner));
	if (!cdna_ctx_in_state(c, CDNA_GUARD_ASSIGNED))
		return;
	if (!cdna_ledger_read(c->vf, CDNA_LEDGER_OWNER_COMM, comm,
			      sizeof(comm)) &&
	    !cdna_ledger_read(c->vf, CDNA_LEDGER_OWNER_PID, pid, sizeof(pid)))
		snprintf(c->opener, sizeof(c->opener), "%s[%s]", comm, pid);
}

static int add_ctx(struct cdna_topo *t, unsigned int pf, unsigned int index)
{
	char path[PATH_MAX];
	struct cdna_topo_ctx *c;

	c = realloc(t->ctx, (t->nctx + 1) * sizeof(*c));
	if (!c)
		return -ENOMEM;
	t->ctx = c;
	c = &t->ctx[t->nctx];
	memset(c, 0, sizeof(*c));
	c->pf = pf;
	c->index = index;
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/virtfn%u",
		 t->pf[pf].pci, index);
	link_name(path, c->vf, sizeof(c->vf));
	if (!c->vf[0])
		return 0;	/* going away under us: leave it out */
	cdna_ctx_refresh(c);
	t->nctx++;
	return 0;
}

/**
 * cdna_topo_load - every PF driven by cdna_pf and its contexts
 * @t: filled in; free with cdna_topo_free()
 *
 * Return: 0 or CDNA_EX_FAIL (out of memory; said on stderr).
 */
int cdna_topo_load(struct cdna_topo *t)
{
	unsigned int p, i;
	int ret;

	memset(t, 0, sizeof(*t));
	ret = load_pfs(t);
	for (p = 0; !ret && p < t->npf; p++)
		for (i = 0; !ret && i < t->pf[p].numvfs; i++)
			ret = add_ctx(t, p, i);
	if (ret) {
		cdna_topo_free(t);
		return cdna_err(CDNA_EX_FAIL, "out of memory");
	}
	return 0;
}

/**
 * cdna_topo_free - release a topology
 * @t: the topology
 */
void cdna_topo_free(struct cdna_topo *t)
{
	free(t->pf);
	free(t->ctx);
	memset(t, 0, sizeof(*t));
}

static void pf_list(const struct cdna_topo *t, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;
	int n;

	buf[0] = '\0';
	for (i = 0; i < t->npf && used < len; i++) {
		n = snprintf(buf + used, len - used, "%s%s (%s)", i ? ", " : "",
			     t->pf[i].netdev[0] ? t->pf[i].netdev : "no netdev",
			     t->pf[i].pci);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/**
 * cdna_find_pf - a PF named on the command line
 * @t: the topology
 * @arg: its netdev name or PCI address
 * @pf: the PF
 *
 * Return: 0, or CDNA_EX_INVALID / CDNA_EX_NOTFOUND (said on stderr).
 */
int cdna_find_pf(const struct cdna_topo *t, const char *arg,
		 const struct cdna_topo_pf **pf)
{
	char name[CDNA_NAME_LEN], known[512];
	const char *why;
	unsigned int i;

	if (cdna_parse_pf_name(arg, name, &why))
		return cdna_err(CDNA_EX_INVALID, "PF '%s': %s", arg, why);
	for (i = 0; i < t->npf; i++) {
		if (!strcmp(t->pf[i].pci, name) || !strcmp(t->pf[i].netdev, name)) {
			*pf = &t->pf[i];
			return 0;
		}
	}
	if (!t->npf)
		return cdna_err(CDNA_EX_NOTFOUND,
				"unknown PF '%s': no PF is driven by " CDNA_PF_DRIVER " (is it loaded?)",
				arg);
	pf_list(t, known, sizeof(known));
	return cdna_err(CDNA_EX_NOTFOUND,
			"unknown PF '%s': PFs driven by " CDNA_PF_DRIVER ": %s",
			arg, known);
}

/**
 * cdna_ctx_by_vf - the context of a VF
 * @t: the topology
 * @vf: the VF's normalized PCI address
 *
 * Return: the context, or NULL when @vf is not one.
 */
struct cdna_topo_ctx *cdna_ctx_by_vf(const struct cdna_topo *t, const char *vf)
{
	unsigned int i;

	for (i = 0; i < t->nctx; i++)
		if (!strcmp(t->ctx[i].vf, vf))
			return &t->ctx[i];
	return NULL;
}

/**
 * cdna_ctx_at - context @index of the PF at @pci
 * @t: the topology
 * @pci: the PF's PCI address
 * @index: the context's number
 *
 * Return: the context, or NULL.
 */
struct cdna_topo_ctx *cdna_ctx_at(const struct cdna_topo *t, const char *pci,
				  unsigned int index)
{
	unsigned int i;

	for (i = 0; i < t->nctx; i++)
		if (t->ctx[i].index == index &&
		    !strcmp(t->pf[t->ctx[i].pf].pci, pci))
			return &t->ctx[i];
	return NULL;
}

/**
 * cdna_topo_has_vf - @pci is a context (a cdna_xml_keep_fn)
 * @pci: a normalized PCI address
 * @topo: the struct cdna_topo
 *
 * Return: true when it is.
 */
bool cdna_topo_has_vf(const char *pci, void *topo)
{
	return cdna_ctx_by_vf(topo, pci);
}

static int ctx_of_pf(const struct cdna_topo *t, const char *arg,
		     const struct cdna_ctx_spec *spec,
		     struct cdna_topo_ctx **ctx)
{
	const struct cdna_topo_pf *pf;
	int ret;

	ret = cdna_find_pf(t, spec->pf, &pf);
	if (ret)
		return ret;
	*ctx = cdna_ctx_at(t, pf->pci, spec->index);
	if (*ctx)
		return 0;
	if (!pf->numvfs)
		return cdna_err(CDNA_EX_NOTFOUND,
				"unknown context '%s': PF %s has no contexts (cdnactl create)",
				arg, spec->pf);
	return cdna_err(CDNA_EX_NOTFOUND,
			"unknown context '%s': PF %s has contexts 0 to %u",
			arg, spec->pf, pf->numvfs - 1);
}

/**
 * cdna_find_ctx - a context named on the command line
 * @t: the topology
 * @arg: the VF's PCI address, or PF/N
 * @ctx: the context
 *
 * Return: 0, or CDNA_EX_INVALID / CDNA_EX_NOTFOUND (said on stderr).
 */
int cdna_find_ctx(const struct cdna_topo *t, const char *arg,
		  struct cdna_topo_ctx **ctx)
{
	struct cdna_ctx_spec spec;
	char path[PATH_MAX];
	const char *why;

	if (cdna_parse_ctx_spec(arg, &spec, &why))
		return cdna_err(CDNA_EX_INVALID, "context '%s': %s", arg, why);
	if (spec.by_pf)
		return ctx_of_pf(t, arg, &spec, ctx);
	*ctx = cdna_ctx_by_vf(t, spec.vf);
	if (*ctx)
		return 0;
	pci_path(path, sizeof(path), spec.vf, "");
	if (access(path, F_OK))
		return cdna_err(CDNA_EX_NOTFOUND,
				"unknown context '%s': no PCI device %s", arg,
				spec.vf);
	return cdna_err(CDNA_EX_NOTFOUND,
			"unknown context '%s': %s is not a VF of a PF driven by " CDNA_PF_DRIVER,
			arg, spec.vf);
}

/**
 * cdna_ctx_on_guard - the context is bound to the guard, in either mode
 *	(vmm_guard or vmm_guard_sw): it has a ledger
 * @c: the context
 *
 * Return: true when it is.
 */
bool cdna_ctx_on_guard(const struct cdna_topo_ctx *c)
{
	return cdna_ctx_on_mode(c, CDNA_MODE_IOMMU) ||
	       cdna_ctx_on_mode(c, CDNA_MODE_SW);
}

/**
 * cdna_ctx_on_mode - the context is bound to the guard's driver of a mode
 * @c: the context
 * @mode: the mode
 *
 * Return: true when it is.
 */
bool cdna_ctx_on_mode(const struct cdna_topo_ctx *c, enum cdna_mode mode)
{
	return !strcmp(c->driver, cdna_mode_driver(mode));
}

/**
 * cdna_ctx_in_state - the guard's ledger shows a context in a state
 * @c: the context
 * @state: the state
 *
 * Return: true when @c is bound to the guard and its ledger reads @state.
 */
bool cdna_ctx_in_state(const struct cdna_topo_ctx *c,
		       enum cdna_guard_state state)
{
	const char *name = cdna_guard_state_name(state);

	return cdna_ctx_on_guard(c) && name && !strcmp(c->gstate, name);
}

/**
 * cdna_ctx_state - what list shows as a context's state
 * @c: the context
 * @buf: room for "host:DRIVER"
 * @len: its size
 *
 * Return: "free" (no driver, as the ledger's free), the ledger's state
 * (the guard, either mode), or "host:DRIVER" (another driver of this host
 * holds it).
 */
const char *cdna_ctx_state(const struct cdna_topo_ctx *c, char *buf, size_t len)
{
	if (!c->driver[0])
		return CDNA_GUARD_STATE_FREE;
	if (cdna_ctx_on_guard(c))
		return c->gstate[0] ? c->gstate : "unknown";
	snprintf(buf, len, "host:%s", c->driver);
	return buf;
}

/**
 * cdna_ctx_is_free - nobody holds the context: no driver, or the guard
 *	with no VM and no owner name
 * @c: the context
 *
 * Return: true when it may be given to a domain.
 */
bool cdna_ctx_is_free(const struct cdna_topo_ctx *c)
{
	if (!c->driver[0])
		return true;
	return cdna_ctx_in_state(c, CDNA_GUARD_FREE) && !c->owner[0];
}

/**
 * cdna_ctx_holder - who holds a context, as list shows it
 * @c: the context
 *
 * Return: the ledger's owner name, else the process that has it open,
 * else "".
 */
const char *cdna_ctx_holder(const struct cdna_topo_ctx *c)
{
	return c->owner[0] ? c->owner : c->opener;
}

/**
 * cdna_ctx_admin_mac - whether the host set the context's MAC
 * @t: the topology
 * @c: the context
 *
 * Return: 1 (set by the host), 0 (the VF's own) or a negative errno.
 */
int cdna_ctx_admin_mac(const struct cdna_topo *t, const struct cdna_topo_ctx *c)
{
	char path[PATH_MAX];
	unsigned int v;
	int ret;

	snprintf(path, sizeof(path),
		 PCI_DEVICES "/%s/" CDNA_SYSFS_DIR "/" CDNA_SYSFS_CTX_DIR "%u/"
		 CDNA_SYSFS_CTX_ADMIN_MAC, t->pf[c->pf].pci, c->index);
	ret = read_uint(path, &v);
	return ret ? ret : !!v;
}

/**
 * cdna_pf_set_numvfs - write sriov_numvfs
 * @pf: the PF
 * @n: contexts wanted
 *
 * Return: 0 or the kernel's negative errno.
 */
int cdna_pf_set_numvfs(const struct cdna_topo_pf *pf, unsigned int n)
{
	char path[PATH_MAX], val[16];

	pci_path(path, sizeof(path), pf->pci, "sriov_numvfs");
	snprintf(val, sizeof(val), "%u", n);
	return cdna_sysfs_write(path, val);
}

/**
 * cdna_pf_set_autoprobe - write sriov_drivers_autoprobe
 * @pf: the PF
 * @on: whether drivers take new contexts as they appear
 *
 * Return: 0 or a negative errno.
 */
int cdna_pf_set_autoprobe(const struct cdna_topo_pf *pf, bool on)
{
	char path[PATH_MAX];

	pci_path(path, sizeof(path), pf->pci, "sriov_drivers_autoprobe");
	return cdna_sysfs_write(path, on ? "1" : "0");
}

/**
 * cdna_pf_link_speed - the PF's link speed
 * @pf: the PF
 *
 * Return: Mbit/s, or -1 when unknown (no netdev, no link).
 */
int cdna_pf_link_speed(const struct cdna_topo_pf *pf)
{
	char path[PATH_MAX], buf[32];
	long v;

	if (!pf->netdev[0])
		return -1;
	snprintf(path, sizeof(path), "/sys/class/net/%s/speed", pf->netdev);
	if (cdna_sysfs_read(path, buf, sizeof(buf)))
		return -1;
	v = strtol(buf, NULL, 10);
	return v > 0 && v < INT_MAX ? (int)v : -1;
}

/**
 * cdna_guard_loaded - the guard's driver of a mode is there to take contexts
 * @mode: the mode
 *
 * Return: true when its driver directory exists.
 */
bool cdna_guard_loaded(enum cdna_mode mode)
{
	return cdna_driver_loaded(cdna_mode_driver(mode));
}

/**
 * cdna_vf_bind - give an unbound context to a driver
 * @vf: the VF's PCI address
 * @driver: the driver (CDNA_GUARD_DRIVER, CDNA_GUARD_SW_DRIVER)
 *
 * Through driver_override and the driver's bind file rather than
 * drivers_probe: drivers_probe succeeds whatever the probe says, the bind
 * file returns the probe's errno (EPERM: vmm_guard found the context not
 * isolated).  On failure driver_override is cleared again.
 *
 * Return: 0 or a negative errno.
 */
int cdna_vf_bind(const char *vf, const char *driver)
{
	int ret;

	ret = cdna_pci_set_override(vf, driver);
	if (ret)
		return ret;
	ret = cdna_pci_bind(vf, driver);
	if (ret)
		cdna_pci_set_override(vf, "");
	return ret;
}

/**
 * cdna_vf_unbind - release a context from its driver, clear its override
 * @vf: the VF's PCI address
 *
 * Return: 0 or the first negative errno.
 */
int cdna_vf_unbind(const char *vf)
{
	int ret, ret2;

	ret = cdna_pci_unbind(vf);
	ret2 = cdna_pci_set_override(vf, "");
	return ret ? ret : ret2;
}

static void mdev_type_path(char *buf, size_t len, const char *vf,
			   const char *file)
{
	snprintf(buf, len, PCI_DEVICES "/%s/mdev_supported_types/"
		 CDNA_GUARD_SW_MDEV_TYPE "/%s", vf, file);
}

/**
 * cdna_vf_has_mdev_type - a context offers the guard's mediated device type
 *	(it is bound to vmm_guard_sw)
 * @vf: the VF's PCI address
 *
 * Return: true when its create file is there.
 */
bool cdna_vf_has_mdev_type(const char *vf)
{
	char path[PATH_MAX];

	mdev_type_path(path, sizeof(path), vf, "create");
	return !access(path, F_OK);
}

/**
 * cdna_mdev_create - create a software-mode context's mediated device
 * @vf: the VF's PCI address, bound to vmm_guard_sw
 * @uuid: the device's UUID, normalized
 *
 * Return: 0 or the kernel's negative errno (EEXIST: a mediated device
 * with that UUID exists, here or elsewhere; EDQUOT: the context has its
 * one already).
 */
int cdna_mdev_create(const char *vf, const char *uuid)
{
	char path[PATH_MAX];

	mdev_type_path(path, sizeof(path), vf, "create");
	return cdna_sysfs_write(path, uuid);
}

/**
 * cdna_mdev_remove - remove a mediated device
 * @uuid: its UUID
 *
 * The kernel waits for a VMM that has it open to close it: the caller
 * checks the context is free first.
 *
 * Return: 0 or a negative errno (ENOENT: there is none).
 */
int cdna_mdev_remove(const char *uuid)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), MDEV_DEVICES "/%s/remove", uuid);
	return cdna_sysfs_write(path, "1");
}

/**
 * cdna_mdev_parent - the PCI device a mediated device belongs to
 * @uuid: its UUID, normalized
 * @vf: its parent's PCI address
 *
 * /sys/bus/mdev/devices/UUID links to .../PARENT/UUID.
 *
 * Return: 0, -ENOENT (no such mediated device) or -EINVAL (its parent is
 * not a PCI function).
 */
int cdna_mdev_parent(const char *uuid, char vf[CDNA_PCI_LEN])
{
	char path[PATH_MAX], target[PATH_MAX], *slash;
	const char *why;
	ssize_t n;

	snprintf(path, sizeof(path), MDEV_DEVICES "/%s", uuid);
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return -ENOENT;
	target[n] = '\0';
	slash = strrchr(target, '/');
	if (!slash)
		return -EINVAL;
	*slash = '\0';
	if (cdna_parse_pci(basename(target), vf, &why) ||
	    strcmp(vf, basename(target)))
		return -EINVAL;
	return 0;
}

/**
 * cdna_topo_mdev_vf - the context behind a mediated device's UUID (a
 *	cdna_xml_mdev_fn)
 * @uuid: the UUID, normalized
 * @pci: the context's VF
 * @topo: the struct cdna_topo
 *
 * The parent of the mediated device when it exists, else the context
 * whose stable UUID (cdna_ctx_uuid()) it is: the hook creates that one.
 *
 * Return: true when @uuid names a context.
 */
bool cdna_topo_mdev_vf(const char *uuid, char pci[CDNA_PCI_LEN], void *topo)
{
	const struct cdna_topo_ctx *c;
	char pf[CDNA_PCI_LEN];
	unsigned int index;

	if (!cdna_mdev_parent(uuid, pci))
		return cdna_ctx_by_vf(topo, pci);
	if (cdna_uuid_ctx(uuid, pf, &index))
		return false;
	c = cdna_ctx_at(topo, pf, index);
	if (!c)
		return false;
	memcpy(pci, c->vf, CDNA_PCI_LEN);
	return true;
}

/**
 * cdna_ledger_read - a file of the guard's ledger of a context
 * @vf: the VF's PCI address
 * @file: CDNA_LEDGER_STATE, CDNA_LEDGER_OWNER, ...
 * @buf: its value
 * @len: size of @buf
 *
 * Return: 0 or a negative errno (-ENOENT: not bound to vmm_guard).
 */
int cdna_ledger_read(const char *vf, const char *file, char *buf, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/" CDNA_LEDGER_DIR "/%s",
		 vf, file);
	return cdna_sysfs_read(path, buf, len);
}

/**
 * cdna_ledger_set_owner - write the owner name of a context bound to
 *	vmm_guard
 * @vf: the VF's PCI address
 * @owner: the name ("" clears it), as cdna_parse_owner() took it
 *
 * Return: 0 or a negative errno.
 */
int cdna_ledger_set_owner(const char *vf, const char *owner)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path),
		 PCI_DEVICES "/%s/" CDNA_LEDGER_DIR "/" CDNA_LEDGER_OWNER, vf);
	/* A lone newline: the ledger strips it and clears the owner. */
	return cdna_sysfs_write(path, owner[0] ? owner : "\n");
}

static unsigned int group_devices(const char *vf, char *names, size_t len)
{
	char path[PATH_MAX];
	unsigned int n = 0;
	size_t used = 0;
	struct dirent *d;
	DIR *dir;

	names[0] = '\0';
	pci_path(path, sizeof(path), vf, "iommu_group/devices");
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		n++;
		if (used < len)
			used += (size_t)snprintf(names + used, len - used,
						 "%s%s", used ? " " : "",
						 d->d_name);
	}
	closedir(dir);
	return n;
}

/**
 * cdna_isolation_reason - why vmm_guard finds a context not isolated
 * @vf: the VF's PCI address
 * @buf: the reason
 * @len: its size
 *
 * From the ledger's isolation file when the context is bound; otherwise
 * (the guard refused the bind, so there is no ledger) the guard's own
 * decision (kmod/include/cdna_isolation.c) over what sysfs shows: the
 * IOMMU group and the devices in it.
 */
void cdna_isolation_reason(const char *vf, char *buf, size_t len)
{
	struct cdna_iso_facts facts = { .dma_translated = true };
	char path[PATH_MAX], names[256], opt[8];
	const char *why = NULL;

	if (!cdna_ledger_read(vf, CDNA_LEDGER_ISOLATION, buf, len) &&
	    strcmp(buf, CDNA_LEDGER_ISOLATION_OK))
		return;
	pci_path(path, sizeof(path), vf, "iommu_group");
	facts.has_group = !access(path, F_OK);
	facts.group_devices = group_devices(vf, names, sizeof(names));
	if (!cdna_sysfs_read("/sys/module/" CDNA_GUARD_DRIVER "/parameters/allow_unsafe_isolation",
			     opt, sizeof(opt)))
		facts.override = opt[0] == 'Y' || opt[0] == '1';
	cdna_iso_decide(&facts, &why);
	if (!why)
		snprintf(buf, len, "the guard refused it (see the kernel log)");
	else if (facts.group_devices > 1)
		snprintf(buf, len, "%s: %s", why, names);
	else
		snprintf(buf, len, "%s", why);
}

/**
 * cdna_vf_has_iommu_group - a function is in an IOMMU group
 * @vf: its PCI address
 *
 * Return: true when it is.
 */
bool cdna_vf_has_iommu_group(const char *vf)
{
	char path[PATH_MAX];

	pci_path(path, sizeof(path), vf, "iommu_group");
	return !access(path, F_OK);
}

/**
 * cdna_isolation_precheck - whether vmm_guard could take a context
 * @vf: the VF's PCI address
 * @buf: why not
 * @len: its size
 *
 * The guard's own decision (kmod/include/cdna_isolation.c) over what
 * sysfs shows, before the context leaves the driver it has: an IOMMU
 * group of its own, unless vmm_guard was loaded with
 * allow_unsafe_isolation.  Translation and MSI isolation cannot be seen
 * from here: the guard judges them at bind and at open.
 *
 * Return: true unless it certainly could not.
 */
bool cdna_isolation_precheck(const char *vf, char *buf, size_t len)
{
	struct cdna_iso_facts facts = {
		.dma_translated = true, .msi_isolated = true,
	};
	char names[256], opt[8];
	const char *why = NULL;

	facts.has_group = cdna_vf_has_iommu_group(vf);
	facts.group_devices = group_devices(vf, names, sizeof(names));
	if (!cdna_sysfs_read("/sys/module/" CDNA_GUARD_DRIVER "/parameters/allow_unsafe_isolation",
			     opt, sizeof(opt)))
		facts.override = opt[0] == 'Y' || opt[0] == '1';
	if (cdna_iso_decide(&facts, &why) != CDNA_ISO_REFUSED)
		return true;
	if (facts.group_devices > 1)
		snprintf(buf, len, "%s: %s", why, names);
	else
		snprintf(buf, len, "%s", why);
	return false;
}

/**
 * cdna_pci_driver - the driver a PCI function is bound to
 * @pci: its address
 * @buf: the driver's name, "" when unbound
 * @len: size of @buf
 */
void cdna_pci_driver(const char *pci, char *buf, size_t len)
{
	char path[PATH_MAX];

	pci_path(path, sizeof(path), pci, "driver");
	link_name(path, buf, len);
}

/**
 * cdna_pci_ids - a PCI function's vendor and device IDs
 * @pci: its address
 * @vendor: its vendor ID
 * @device: its device ID
 *
 * Return: 0, -ENOENT when there is no such function, or another errno.
 */
int cdna_pci_ids(const char *pci, unsigned int *vendor, unsigned int *device)
{
	char path[PATH_MAX], buf[32];
	int ret;

	pci_path(path, sizeof(path), pci, "vendor");
	ret = cdna_sysfs_read(path, buf, sizeof(buf));
	if (!ret && sscanf(buf, "%x", vendor) != 1)
		ret = -EINVAL;
	if (ret)
		return ret;
	pci_path(path, sizeof(path), pci, "device");
	ret = cdna_sysfs_read(path, buf, sizeof(buf));
	if (!ret && sscanf(buf, "%x", device) != 1)
		ret = -EINVAL;
	return ret;
}

/**
 * cdna_pci_set_override - write a PCI function's driver_override
 * @pci: its address
 * @driver: the only driver that may take it, "" for any
 *
 * Return: 0 or a negative errno.
 */
int cdna_pci_set_override(const char *pci, const char *driver)
{
	char path[PATH_MAX];

	pci_path(path, sizeof(path), pci, "driver_override");
	return cdna_sysfs_write(path, driver[0] ? driver : "\n");
}

/**
 * cdna_pci_get_override - a PCI function's driver_override
 * @pci: its address
 * @buf: the driver's name, "" for none ("(null)" in sysfs)
 * @len: size of @buf
 *
 * Return: 0 or a negative errno.
 */
int cdna_pci_get_override(const char *pci, char *buf, size_t len)
{
	char path[PATH_MAX];
	int ret;

	pci_path(path, sizeof(path), pci, "driver_override");
	ret = cdna_sysfs_read(path, buf, len);
	if (!ret && !strcmp(buf, "(null)"))
		buf[0] = '\0';
	return ret;
}

/**
 * cdna_pci_bind - bind a PCI function to a driver through its bind file
 * @pci: its address
 * @driver: the driver
 *
 * Return: 0 or the probe's negative errno.
 */
int cdna_pci_bind(const char *pci, const char *driver)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), PCI_DRIVERS "/%s/bind", driver);
	return cdna_sysfs_write(path, pci);
}

/**
 * cdna_pci_unbind - release a PCI function from its driver, if it has one
 * @pci: its address
 *
 * Return: 0 or a negative errno.
 */
int cdna_pci_unbind(const char *pci)
{
	char path[PATH_MAX];

	pci_path(path, sizeof(path), pci, "driver/unbind");
	if (access(path, F_OK))
		return 0;
	return cdna_sysfs_write(path, pci);
}

/**
 * cdna_pci_reprobe - let the drivers match a PCI function again
 * @pci: its address
 *
 * Return: 0 or a negative errno.
 */
int cdna_pci_reprobe(const char *pci)
{
	return cdna_sysfs_write("/sys/bus/pci/drivers_probe", pci);
}

/**
 * cdna_driver_loaded - a PCI driver is registered
 * @driver: its name
 *
 * Return: true when /sys/bus/pci/drivers/@driver exists.
 */
bool cdna_driver_loaded(const char *driver)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), PCI_DRIVERS "/%s", driver);
	return !access(path, F_OK);
}
