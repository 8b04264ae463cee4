// SPDX-License-Identifier: GPL-2.0
/*
 * A context's protection mode: which of the guard's two PCI drivers has
 * it.  vmm_guard (iommu) hands the VF itself to the VM through VFIO, the
 * IOMMU confining its DMA; vmm_guard_sw (sw) keeps the VF and offers the
 * VM a mediated device, validating every descriptor.  Changing the mode
 * rebinds the VF (driver_override, unbind, the driver's bind file); in sw
 * mode the context's one mediated device is created, named by the stable
 * UUID cdna_ctx_uuid() gives it (or the one a domain's XML names), and it
 * is removed before the context leaves sw mode.
 *
 * Only a context nobody holds changes modes (cdna_mode_blocker()); the
 * caller holds cdnactl's lock.  A VMM opening the mediated device between
 * that check and its removal makes the kernel's remove wait until it
 * closes it: VFIO offers no way to refuse the open here.  A change that
 * fails half-way puts the context back as it was, driver and mediated
 * device (with its UUID) both.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

/**
 * cdna_mode_blocker - why a context cannot change modes now
 * @c: the context (refreshed)
 * @buf: room for the reason
 * @len: its size
 *
 * Return: a sentence, or NULL when nobody holds it: unbound, or bound to
 * the guard with the ledger free and no owner name.
 */
const char *cdna_mode_blocker(const struct cdna_topo_ctx *c, char *buf,
			      size_t len)
{
	if (!c->driver[0])
		return NULL;
	if (!cdna_ctx_on_guard(c)) {
		snprintf(buf, len, "in use by the host's %s driver (unbind it first)",
			 c->driver);
		return buf;
	}
	if (cdna_ctx_in_state(c, CDNA_GUARD_QUARANTINED)) {
		snprintf(buf, len, "quarantined: the guard's last scrub failed (see the kernel log; unbind it from %s to retry)",
			 c->driver);
		return buf;
	}
	if (!cdna_ctx_in_state(c, CDNA_GUARD_FREE)) {
		snprintf(buf, len, "%s by %s", c->gstate[0] ? c->gstate : "unknown",
			 cdna_ctx_holder(c)[0] ? cdna_ctx_holder(c) :
			 "a VFIO user");
		return buf;
	}
	if (c->owner[0]) {
		snprintf(buf, len, "reserved for domain '%s'", c->owner);
		return buf;
	}
	return NULL;
}

/* Give an unbound context to the guard's driver of @mode. */
static int bind_mode(const struct cdna_topo *t, struct cdna_topo_ctx *c,
		     enum cdna_mode mode)
{
	const char *driver = cdna_mode_driver(mode);
	char name[64], why[256];
	int err;

	if (!cdna_guard_loaded(mode) && mode == CDNA_MODE_IOMMU)
		return cdna_err(CDNA_EX_FAIL,
				"%s is not loaded: no context can go to a VM (modprobe vfio-pci-core; load vmm_guard)",
				driver);
	if (!cdna_guard_loaded(mode))
		return cdna_err(CDNA_EX_FAIL,
				"%s is not there: no context can go to a VM in %s mode (modprobe mdev vfio_iommu_type1; load vmm_guard built with its software mode)",
				driver, cdna_mode_name(mode));
	err = cdna_vf_bind(c->vf, driver);
	if (err == -EPERM && mode == CDNA_MODE_IOMMU) {
		cdna_isolation_reason(c->vf, why, sizeof(why));
		return cdna_err(CDNA_EX_ISOLATION,
				"%s refused %s: not isolated: %s", driver,
				cdna_ctx_name(t, c, name, sizeof(name)), why);
	}
	/* Past the isolation gate by allow_unsafe_isolation, VFIO refuses. */
	if (err == -EINVAL && mode == CDNA_MODE_IOMMU &&
	    !cdna_vf_has_iommu_group(c->vf))
		return cdna_err(CDNA_EX_FAIL,
				"cannot bind %s to %s: %s (it has no IOMMU group, which VFIO needs even with allow_unsafe_isolation)",
				cdna_ctx_name(t, c, name, sizeof(name)), driver,
				strerror(-err));
	if (err)
		return cdna_err(CDNA_EX_FAIL, "cannot bind %s to %s: %s",
				cdna_ctx_name(t, c, name, sizeof(name)), driver,
				strerror(-err));
	cdna_ctx_refresh(c);
	if (!cdna_ctx_on_mode(c, mode))
		return cdna_err(CDNA_EX_FAIL, "%s did not bind to %s",
				cdna_ctx_name(t, c, name, sizeof(name)), driver);
	return 0;
}

/* The ledger shows the mediated device @uuid, within a second. */
static bool mdev_shown(struct cdna_topo_ctx *c, const char *uuid)
{
	int i;

	for (i = 0; i < 10; i++) {
		cdna_ctx_refresh(c);
		if (!strcmp(c->sw.mdev, uuid))
			return true;
		cdna_nap(100);
	}
	return false;
}

/*
 * A software-mode context's mediated device: @uuid (else its stable
 * UUID) created unless it has one, which must then be @uuid if given.
 */
static int ensure_mdev(const struct cdna_topo *t, struct cdna_topo_ctx *c,
		       const char *uuid, struct cdna_mode_undo *u)
{
	char name[64], want[CDNA_UUID_LEN], other[CDNA_PCI_LEN];
	int err;

	cdna_ctx_name(t, c, name, sizeof(name));
	cdna_ctx_refresh(c);
	if (c->sw.mdev[0] && uuid && strcmp(c->sw.mdev, uuid))
		return cdna_err(CDNA_EX_BUSY,
				"%s offers mediated device %s, not %s (a context has one)",
				name, c->sw.mdev, uuid);
	if (c->sw.mdev[0])
		return 0;
	if (uuid)
		snprintf(want, sizeof(want), "%s", uuid);
	else if (cdna_ctx_uuid(t->pf[c->pf].pci, c->index, want))
		return cdna_err(CDNA_EX_FAIL, "%s: no UUID for PF %s", name,
				t->pf[c->pf].pci);
	if (!cdna_vf_has_mdev_type(c->vf))
		return cdna_err(CDNA_EX_FAIL,
				"%s offers no mediated device type %s (see the kernel log)",
				name, CDNA_GUARD_SW_MDEV_TYPE);
	err = cdna_mdev_create(c->vf, want);
	if (err == -EEXIST && !cdna_mdev_parent(want, other))
		return cdna_err(CDNA_EX_BUSY,
				"%s: mediated device %s exists already, under %s",
				name, want, other);
	if (err)
		return cdna_err(CDNA_EX_FAIL,
				"%s: cannot create mediated device %s: %s", name,
				want, strerror(-err));
	snprintf(u->created, sizeof(u->created), "%s", want);
	if (!mdev_shown(c, want))
		return cdna_err(CDNA_EX_FAIL,
				"%s: mediated device %s created, but the guard's ledger shows '%s'",
				name, want, c->sw.mdev);
	return 0;
}

/* Out of the guard's driver it is on: its mediated device removed, unbound. */
static int leave_mode(const struct cdna_topo *t, struct cdna_topo_ctx *c,
		      struct cdna_mode_undo *u)
{
	char name[64];
	int err;

	cdna_ctx_name(t, c, name, sizeof(name));
	if (c->sw.mdev[0]) {
		err = cdna_mdev_remove(c->sw.mdev);
		if (err && err != -ENOENT)
			return cdna_err(CDNA_EX_FAIL,
					"%s: cannot remove mediated device %s: %s",
					name, c->sw.mdev, strerror(-err));
	}
	u->rebound = true;
	err = cdna_vf_unbind(c->vf);
	cdna_ctx_refresh(c);
	if (err || c->driver[0])
		return cdna_err(CDNA_EX_FAIL, "cannot unbind %s from %s: %s",
				name, u->driver, strerror(err ? -err : EBUSY));
	return 0;
}

/**
 * cdna_ctx_set_mode - put a context in a protection mode
 * @t: the topology
 * @c: the context: unbound or on the guard, free (cdna_mode_blocker())
 * @mode: the mode
 * @uuid: sw mode: the mediated device wanted (normalized), NULL for the
 *	  context's stable UUID; an existing one is kept
 * @u: what was changed, for cdna_ctx_undo_mode()
 *
 * Nothing to do when the context is in @mode already (with a mediated
 * device in sw mode).  Leaving sw mode for iommu is refused before
 * anything changes when vmm_guard would refuse the context (no IOMMU
 * group of its own: cdna_isolation_precheck()).  On failure the context
 * is put back as it was and @u holds nothing to undo.
 *
 * Return: 0, or CDNA_EX_ISOLATION, CDNA_EX_BUSY, CDNA_EX_FAIL (said on
 * stderr).
 */
int cdna_ctx_set_mode(const struct cdna_topo *t, struct cdna_topo_ctx *c,
		      enum cdna_mode mode, const char *uuid,
		      struct cdna_mode_undo *u)
{
	char name[64], why[256];
	int ret;

	memset(u, 0, sizeof(*u));
	cdna_ctx_refresh(c);
	snprintf(u->driver, sizeof(u->driver), "%s", c->driver);
	snprintf(u->mdev, sizeof(u->mdev), "%s", c->sw.mdev);
	if (cdna_ctx_on_mode(c, mode)) {
		ret = mode == CDNA_MODE_SW ? ensure_mdev(t, c, uuid, u) : 0;
		if (ret)
			cdna_ctx_undo_mode(t, c, u);
		return ret;
	}
	cdna_ctx_name(t, c, name, sizeof(name));
	if (c->driver[0] && !cdna_ctx_on_guard(c))
		return cdna_err(CDNA_EX_BUSY, "%s is in use by the host's %s driver",
				name, c->driver);
	if (!cdna_guard_loaded(mode))
		return bind_mode(t, c, mode);	/* says what is missing */
	if (c->driver[0] && mode == CDNA_MODE_IOMMU &&
	    !cdna_isolation_precheck(c->vf, why, sizeof(why)))
		return cdna_err(CDNA_EX_ISOLATION,
				"%s would refuse %s: not isolated: %s; it stays in %s mode",
				CDNA_GUARD_DRIVER, name, why,
				cdna_mode_name(CDNA_MODE_SW));
	ret = c->driver[0] ? leave_mode(t, c, u) : 0;
	if (!ret) {
		u->rebound = true;
		ret = bind_mode(t, c, mode);
	}
	if (!ret && mode == CDNA_MODE_SW)
		ret = ensure_mdev(t, c, uuid, u);
	if (ret)
		cdna_ctx_undo_mode(t, c, u);
	return ret;
}

/**
 * cdna_ctx_undo_mode - put a context back as it was before
 *	cdna_ctx_set_mode()
 * @t: the topology
 * @c: the context
 * @u: what cdna_ctx_set_mode() changed; emptied
 *
 * Failures are warned about, not returned: the caller is failing already.
 */
void cdna_ctx_undo_mode(const struct cdna_topo *t, struct cdna_topo_ctx *c,
			struct cdna_mode_undo *u)
{
	char name[64];
	int err;

	cdna_ctx_name(t, c, name, sizeof(name));
	if (u->created[0] && cdna_mdev_remove(u->created))
		cdna_warn("%s: could not remove mediated device %s", name,
			  u->created);
	if (u->rebound) {
		cdna_ctx_refresh(c);
		if (c->sw.mdev[0])
			cdna_mdev_remove(c->sw.mdev);
		if (c->driver[0] && cdna_vf_unbind(c->vf))
			cdna_warn("%s: could not unbind it from %s", name,
				  c->driver);
		err = u->driver[0] ? cdna_vf_bind(c->vf, u->driver) : 0;
		if (err) {
			cdna_warn("%s: could not bind it to %s again: %s", name,
				  u->driver, strerror(-err));
		} else if (u->mdev[0]) {
			err = cdna_mdev_create(c->vf, u->mdev);
			if (err)
				cdna_warn("%s: could not create mediated device %s again: %s",
					  name, u->mdev, strerror(-err));
		}
		if (!err)
			cdna_warn("%s: put back %s%s%s%s", name,
				  u->driver[0] ? "on " : "unbound", u->driver,
				  u->mdev[0] ? " with mediated device " : "",
				  u->mdev);
	}
	cdna_ctx_refresh(c);
	memset(u, 0, sizeof(*u));
}
