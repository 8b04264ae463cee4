// SPDX-License-Identifier: GPL-2.0
/*
 * cdna_pf sysfs: the contexts' state, read-only, for cdnactl and tests.
 *
 * /sys/bus/pci/devices/<PF>/cdna/
 *	pf_pool		the PF's own VMDq pool (= number of VFs)
 *	num_ctx		contexts (VFs) that exist
 *	ctxN/		one directory per context N (VF N), while it exists:
 *	  pool		VMDq pool of the context (= N)
 *	  mac		the context's MAC, 00:00:00:00:00:00 when none
 *	  admin_mac	1 when the host set the MAC (ip link set PF vf N mac)
 *	  vlan		port VLAN set by the host, 0 = none
 *	  qos		802.1p priority of the port VLAN
 *	  vlans		VLANs the VF asked for, space separated
 *	  vlans_max	the VF's share of VLANs of its own: the 32 VLAN
 *			filters less one kept per context for a port VLAN,
 *			split evenly, at most 8
 *	  vlan_refused	SET_VLAN add requests refused: port VLAN set by the
 *			host, share used up, no VLAN filter left
 *	  uc_filters	extra unicast filters the VF holds (SET_MAC
 *			FILTER_ADD, e.g. a macvlan on the VF), space
 *			separated; empty after any reset of the VF, and
 *			once the host takes trust back from a VF whose MAC
 *			it set
 *	  uc_filters_max the VF's share of extra unicast filters (free RAR
 *			entries split evenly between the VFs, at most 4)
 *	  uc_refused	FILTER_ADD requests refused: untrusted VF with a
 *			host-set MAC, another pool's or the PF's address,
 *			share used up, invalid address
 *	  spoofchk	anti-spoofing on (programmed; not emulated by QEMU)
 *	  trust		the VF is trusted (may be multicast promiscuous)
 *	  link_state	auto, enable or disable
 *	  max_tx_rate	Mbit/s, 0 = unlimited
 *	  max_frame	largest frame the pool accepts (SET_LPE)
 *	  cts		1 once the VF completed its RESET handshake
 *	  resets	VF resets seen (FLR, VF CTRL.RST, RESET message)
 *	  mbx_msgs	mailbox messages read from the VF
 *	  mbx_refused	messages answered with NACK
 *	  mbx_throttled	requests flood control held back (served late)
 *	  resets_throttled resets beyond the reset rate (handled late)
 *	  throttled	1 while the VF is held back by flood control
 *	  owner		who holds the context (vmm_guard's owner name or
 *			the opener's command), empty when nobody
 *	  held		1 while a VM holds the context through vmm_guard:
 *			the contexts cannot be removed (sriov_numvfs = 0
 *			is refused with EBUSY)
 */
#include <linux/sysfs.h>

#include "pf.h"

static struct cdna_pf *kobj_to_pf(struct kobject *kobj)
{
	/* ctxN -> cdna -> PCI device */
	struct device *dev = kobj_to_dev(kobj->parent->parent);

	return pci_get_drvdata(to_pci_dev(dev));
}

typedef int (*ctx_show_fn)(const struct cdna_pf *pf, int vf, char *buf);

static ssize_t ctx_show(struct kobject *kobj, char *buf, ctx_show_fn fn)
{
	struct cdna_pf *pf = kobj_to_pf(kobj);
	int vf, ret;

	if (kstrtoint(kobject_name(kobj) + strlen("ctx"), 10, &vf))
		return -ENODEV;
	mutex_lock(&pf->vf_lock);
	ret = cdna_vf_enabled(pf, vf) ? fn(pf, vf, buf) : -ENODEV;
	mutex_unlock(&pf->vf_lock);
	return ret;
}

#define CTX_ATTR(_name, _fmt, _expr)					\
static int _name##_fn(const struct cdna_pf *pf, int vf, char *buf)	\
{									\
	const struct cdna_vf *v = &pf->vfs[vf];				\
									\
	return sysfs_emit(buf, _fmt "\n", _expr);			\
}									\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	return ctx_show(kobj, buf, _name##_fn);				\
}									\
static struct kobj_attribute ctx_attr_##_name = __ATTR_RO(_name)

static const char *link_state_name(int state)
{
	switch (state) {
	case IFLA_VF_LINK_STATE_ENABLE:
		return "enable";
	case IFLA_VF_LINK_STATE_DISABLE:
		return "disable";
	default:
		return "auto";
	}
}

CTX_ATTR(pool, "%d", (int)(v - pf->vfs));
CTX_ATTR(mac, "%pM", v->mac);
CTX_ATTR(admin_mac, "%d", v->admin_mac);
CTX_ATTR(vlan, "%u", v->vlan);
CTX_ATTR(qos, "%u", v->qos);
CTX_ATTR(spoofchk, "%d", v->spoofchk);
CTX_ATTR(trust, "%d", v->trusted);
CTX_ATTR(link_state, "%s", link_state_name(v->link_state));
CTX_ATTR(max_tx_rate, "%u", v->max_tx_rate);
CTX_ATTR(max_frame, "%u", v->max_frame);
CTX_ATTR(cts, "%d", cdna_vf_cts(v));
CTX_ATTR(resets, "%llu", v->resets);
CTX_ATTR(mbx_msgs, "%llu", v->mbx_msgs);
CTX_ATTR(mbx_refused, "%llu", v->mbx_refused);
CTX_ATTR(mbx_throttled, "%llu", v->mbx_throttled);
CTX_ATTR(owner, "%s", v->owner);
CTX_ATTR(uc_refused, "%llu", v->uc_refused);
CTX_ATTR(vlan_refused, "%llu", v->vlan_refused);
CTX_ATTR(held, "%d", v->held);
CTX_ATTR(resets_throttled, "%llu", v->resets_throttled);
CTX_ATTR(throttled, "%d", v->throttle_until &&
	 time_before(jiffies, v->throttle_until));

static int vlans_fn(const struct cdna_pf *pf, int vf, char *buf)
{
	const struct cdna_vf *v = &pf->vfs[vf];
	int i, len = 0;

	for (i = 0; i < v->nr_vlans; i++)
		len += sysfs_emit_at(buf, len, "%s%u", i ? " " : "",
				     v->vlans[i]);
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

static ssize_t vlans_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return ctx_show(kobj, buf, vlans_fn);
}

static struct kobj_attribute ctx_attr_vlans = __ATTR_RO(vlans);

static int uc_filters_fn(const struct cdna_pf *pf, int vf, char *buf)
{
	const struct cdna_vf *v = &pf->vfs[vf];
	int i, len = 0;

	for (i = 0; i < v->nr_uc; i++)
		len += sysfs_emit_at(buf, len, "%s%pM", i ? " " : "",
				     v->uc[i].mac);
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

static ssize_t uc_filters_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return ctx_show(kobj, buf, uc_filters_fn);
}

static struct kobj_attribute ctx_attr_uc_filters = __ATTR_RO(uc_filters);

static int uc_filters_max_fn(const struct cdna_pf *pf, int vf, char *buf)
{
	return sysfs_emit(buf, "%u\n", cdna_vf_uc_quota(pf));
}

static ssize_t uc_filters_max_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return ctx_show(kobj, buf, uc_filters_max_fn);
}

static struct kobj_attribute ctx_attr_uc_filters_max =
	__ATTR_RO(uc_filters_max);

static int vlans_max_fn(const struct cdna_pf *pf, int vf, char *buf)
{
	return sysfs_emit(buf, "%u\n", cdna_vf_vlan_quota(pf));
}

static ssize_t vlans_max_show(struct kobject *kobj, struct kobj_attribute *attr,
			      char *buf)
{
	return ctx_show(kobj, buf, vlans_max_fn);
}

static struct kobj_attribute ctx_attr_vlans_max = __ATTR_RO(vlans_max);

static struct attribute *ctx_attrs[] = {
	&ctx_attr_pool.attr,
	&ctx_attr_mac.attr,
	&ctx_attr_admin_mac.attr,
	&ctx_attr_vlan.attr,
	&ctx_attr_qos.attr,
	&ctx_attr_vlans.attr,
	&ctx_attr_vlans_max.attr,
	&ctx_attr_vlan_refused.attr,
	&ctx_attr_uc_filters.attr,
	&ctx_attr_uc_filters_max.attr,
	&ctx_attr_uc_refused.attr,
	&ctx_attr_spoofchk.attr,
	&ctx_attr_trust.attr,
	&ctx_attr_link_state.attr,
	&ctx_attr_max_tx_rate.attr,
	&ctx_attr_max_frame.attr,
	&ctx_attr_cts.attr,
	&ctx_attr_resets.attr,
	&ctx_attr_mbx_msgs.attr,
	&ctx_attr_mbx_refused.attr,
	&ctx_attr_mbx_throttled.attr,
	&ctx_attr_resets_throttled.attr,
	&ctx_attr_throttled.attr,
	&ctx_attr_owner.attr,
	&ctx_attr_held.attr,
	NULL,
};

static const struct attribute_group ctx_group = {
	.attrs = ctx_attrs,
};

static struct cdna_pf *top_to_pf(struct kobject *kobj)
{
	return pci_get_drvdata(to_pci_dev(kobj_to_dev(kobj->parent)));
}

static ssize_t pf_pool_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct cdna_pf *pf = top_to_pf(kobj);

	return sysfs_emit(buf, "%u\n", cdna_pf_pool(pf));
}

static ssize_t num_ctx_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct cdna_pf *pf = top_to_pf(kobj);

	return sysfs_emit(buf, "%d\n", READ_ONCE(pf->num_vfs));
}

static struct kobj_attribute top_attr_pf_pool = __ATTR_RO(pf_pool);
static struct kobj_attribute top_attr_num_ctx = __ATTR_RO(num_ctx);

static struct attribute *top_attrs[] = {
	&top_attr_pf_pool.attr,
	&top_attr_num_ctx.attr,
	NULL,
};

static const struct attribute_group top_group = {
	.attrs = top_attrs,
};

/**
 * cdna_sysfs_init - create /sys/bus/pci/devices/PF/cdna
 * @pf: the PF
 *
 * Return: 0 or -ENOMEM.
 */
int cdna_sysfs_init(struct cdna_pf *pf)
{
	int err;

	pf->sysfs = kobject_create_and_add("cdna", &pf->pdev->dev.kobj);
	if (!pf->sysfs)
		return -ENOMEM;
	err = sysfs_create_group(pf->sysfs, &top_group);
	if (err) {
		kobject_put(pf->sysfs);
		pf->sysfs = NULL;
	}
	return err;
}

/**
 * cdna_sysfs_fini - remove the cdna directory
 * @pf: the PF
 */
void cdna_sysfs_fini(struct cdna_pf *pf)
{
	cdna_sysfs_del_vfs(pf);
	if (!pf->sysfs)
		return;
	sysfs_remove_group(pf->sysfs, &top_group);
	kobject_put(pf->sysfs);
	pf->sysfs = NULL;
}

/**
 * cdna_sysfs_add_vfs - one ctxN directory per VF
 * @pf: the PF
 *
 * Called without the VF lock: a reader of these files takes it.
 *
 * Return: 0 or a negative errno (the directories made so far stay).
 */
int cdna_sysfs_add_vfs(struct cdna_pf *pf)
{
	char name[16];
	int vf, err;

	if (!pf->sysfs)
		return -ENODEV;
	for (vf = 0; vf < pf->num_vfs; vf++) {
		struct kobject *kobj;

		snprintf(name, sizeof(name), "ctx%d", vf);
		kobj = kobject_create_and_add(name, pf->sysfs);
		if (!kobj)
			return -ENOMEM;
		err = sysfs_create_group(kobj, &ctx_group);
		if (err) {
			kobject_put(kobj);
			return err;
		}
		pf->vfs[vf].kobj = kobj;
	}
	return 0;
}

/**
 * cdna_sysfs_del_vfs - remove the ctxN directories
 * @pf: the PF
 *
 * Must not hold the VF lock: removal waits for readers, who take it.
 */
void cdna_sysfs_del_vfs(struct cdna_pf *pf)
{
	int vf;

	for (vf = 0; vf < CDNA_MAX_VFS; vf++) {
		struct kobject *kobj = pf->vfs[vf].kobj;

		if (!kobj)
			continue;
		pf->vfs[vf].kobj = NULL;
		sysfs_remove_group(kobj, &ctx_group);
		kobject_put(kobj);
	}
}
