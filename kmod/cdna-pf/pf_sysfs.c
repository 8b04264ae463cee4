// SPDX-License-Identifier: GPL-2.0
/*
 * cdna_pf sysfs: the contexts' state, read-only, for cdnactl and tests,
 * in /sys/bus/pci/devices/PF/cdna/ and one cdna/ctxN/ per context N.  The
 * files are named in cdna_sysfs_abi.h; what each holds is in
 * docs/abi/sysfs-bus-pci-cdna.
 */
#include <linux/sysfs.h>

#include "cdna_sysfs_abi.h"
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

	if (kstrtoint(kobject_name(kobj) + strlen(CDNA_SYSFS_CTX_DIR), 10, &vf))
		return -ENODEV;
	mutex_lock(&pf->vf_lock);
	ret = cdna_vf_enabled(pf, vf) ? fn(pf, vf, buf) : -ENODEV;
	mutex_unlock(&pf->vf_lock);
	return ret;
}

/*
 * A read-only file, named by the ABI header (@_file), not by the C name
 * __ATTR_RO() would turn into the file's name.
 */
#define CDNA_ATTR_RO(_var, _file, _show)				\
static struct kobj_attribute _var = {					\
	.attr = { .name = _file, .mode = 0444 },			\
	.show = _show,							\
}

#define CTX_ATTR(_name, _file, _fmt, _expr)				\
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
CDNA_ATTR_RO(ctx_attr_##_name, _file, _name##_show)

/* Anything else (never set) reads as the default, auto. */
static const char *link_state_name(int state)
{
	return cdna_link_state_name(state) ?: CDNA_LINK_STATE_AUTO;
}

CTX_ATTR(pool, CDNA_SYSFS_CTX_POOL, "%d", (int)(v - pf->vfs));
CTX_ATTR(mac, CDNA_SYSFS_CTX_MAC, "%pM", v->mac);
CTX_ATTR(admin_mac, CDNA_SYSFS_CTX_ADMIN_MAC, "%d", v->admin_mac);
CTX_ATTR(vlan, CDNA_SYSFS_CTX_VLAN, "%u", v->vlan);
CTX_ATTR(qos, CDNA_SYSFS_CTX_QOS, "%u", v->qos);
CTX_ATTR(spoofchk, CDNA_SYSFS_CTX_SPOOFCHK, "%d", v->spoofchk);
CTX_ATTR(trust, CDNA_SYSFS_CTX_TRUST, "%d", v->trusted);
CTX_ATTR(link_state, CDNA_SYSFS_CTX_LINK_STATE, "%s",
	 link_state_name(v->link_state));
CTX_ATTR(max_tx_rate, CDNA_SYSFS_CTX_MAX_TX_RATE, "%u", v->max_tx_rate);
CTX_ATTR(max_frame, CDNA_SYSFS_CTX_MAX_FRAME, "%u", v->max_frame);
CTX_ATTR(cts, CDNA_SYSFS_CTX_CTS, "%d", cdna_vf_cts(v));
CTX_ATTR(resets, CDNA_SYSFS_CTX_RESETS, "%llu", v->resets);
CTX_ATTR(mbx_msgs, CDNA_SYSFS_CTX_MBX_MSGS, "%llu", v->mbx_msgs);
CTX_ATTR(mbx_refused, CDNA_SYSFS_CTX_MBX_REFUSED, "%llu", v->mbx_refused);
CTX_ATTR(mbx_throttled, CDNA_SYSFS_CTX_MBX_THROTTLED, "%llu",
	 v->mbx_throttled);
CTX_ATTR(owner, CDNA_SYSFS_CTX_OWNER, "%s", v->owner);
CTX_ATTR(uc_refused, CDNA_SYSFS_CTX_UC_REFUSED, "%llu", v->uc_refused);
CTX_ATTR(vlan_refused, CDNA_SYSFS_CTX_VLAN_REFUSED, "%llu", v->vlan_refused);
CTX_ATTR(held, CDNA_SYSFS_CTX_HELD, "%d", v->held);
CTX_ATTR(resets_throttled, CDNA_SYSFS_CTX_RESETS_THROTTLED, "%llu",
	 v->resets_throttled);
CTX_ATTR(throttled, CDNA_SYSFS_CTX_THROTTLED, "%d", v->throttle_until &&
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

CDNA_ATTR_RO(ctx_attr_vlans, CDNA_SYSFS_CTX_VLANS, vlans_show);

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

CDNA_ATTR_RO(ctx_attr_uc_filters, CDNA_SYSFS_CTX_UC_FILTERS, uc_filters_show);

static int uc_filters_max_fn(const struct cdna_pf *pf, int vf, char *buf)
{
	return sysfs_emit(buf, "%u\n", cdna_vf_uc_quota(pf));
}

static ssize_t uc_filters_max_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return ctx_show(kobj, buf, uc_filters_max_fn);
}

CDNA_ATTR_RO(ctx_attr_uc_filters_max, CDNA_SYSFS_CTX_UC_FILTERS_MAX,
	     uc_filters_max_show);

static int vlans_max_fn(const struct cdna_pf *pf, int vf, char *buf)
{
	return sysfs_emit(buf, "%u\n", cdna_vf_vlan_quota(pf));
}

static ssize_t vlans_max_show(struct kobject *kobj, struct kobj_attribute *attr,
			      char *buf)
{
	return ctx_show(kobj, buf, vlans_max_fn);
}

CDNA_ATTR_RO(ctx_attr_vlans_max, CDNA_SYSFS_CTX_VLANS_MAX, vlans_max_show);

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

CDNA_ATTR_RO(top_attr_pf_pool, CDNA_SYSFS_PF_POOL, pf_pool_show);
CDNA_ATTR_RO(top_attr_num_ctx, CDNA_SYSFS_NUM_CTX, num_ctx_show);

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

	pf->sysfs = kobject_create_and_add(CDNA_SYSFS_DIR, &pf->pdev->dev.kobj);
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

		snprintf(name, sizeof(name), CDNA_SYSFS_CTX_DIR "%d", vf);
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
