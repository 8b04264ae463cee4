// SPDX-License-Identifier: GPL-2.0
/*
 * devlink for the PF: "devlink dev info" (the NVM version as the in-tree
 * igb reads it for the 82576, which ethtool -i also shows), and the "mbx"
 * health reporter: a context that floods the mailbox or resets itself in
 * a loop is throttled by the PF (pf_mbx.c); each time one is, the
 * reporter records it with that context's counters (devlink health dump
 * show), and "devlink health diagnose" lists every context's mailbox
 * counters and whether it is held back now.
 *
 * Locking: devlink calls diagnose with its instance lock held, and
 * devlink_health_report() takes that lock, so nothing here reports with
 * the PF's vf_lock held: pf_mbx.c records the event under vf_lock and a
 * work item reports it after.
 */
#include <net/devlink.h>

#include "pf.h"

#define CDNA_NVM_VERSION	0x05	/* major 15:12, minor 11:4, build 3:0 */
#define CDNA_NVM_ETRACK_LO	0x42
#define CDNA_NVM_ETRACK_HI	0x43	/* 15:12 = 8: an eTrack ID is there */
#define CDNA_NVM_MAJOR		GENMASK(15, 12)
#define CDNA_NVM_MINOR		GENMASK(11, 4)
#define CDNA_NVM_BUILD		GENMASK(3, 0)
#define CDNA_NVM_NEW_DEC	GENMASK(11, 8)
#define CDNA_NVM_COMB_MINOR	GENMASK(7, 0)
#define CDNA_NVM_ETRACK_VALID	8

/* How often one reporter may record an event, at most. */
#define CDNA_MBX_REPORT_GRACE_MS	1000

struct cdna_devlink {
	struct cdna_pf *pf;
};

/**
 * cdna_nvm_version - the NVM image's version, as igb reads it on an 82576
 * @pf: the PF
 *
 * With an eTrack ID in words 0x42/0x43, the minor number of word 0x05 is
 * decoded as two decimal digits ("%d.%d, 0x%08x"); without, word 0x05's
 * three fields ("%d.%d.%d").  Stored in @pf->fw_version and split into
 * @pf->nvm_ver and @pf->nvm_etrack for devlink.
 */
void cdna_nvm_version(struct cdna_pf *pf)
{
	u16 ver, lo, hi, minor;

	pf->fw_version[0] = '\0';
	if (cdna_hw_nvm_read(pf, CDNA_NVM_ETRACK_HI, &hi) ||
	    cdna_hw_nvm_read(pf, CDNA_NVM_VERSION, &ver))
		return;
	if (FIELD_GET(CDNA_NVM_MAJOR, hi) != CDNA_NVM_ETRACK_VALID) {
		snprintf(pf->nvm_ver, sizeof(pf->nvm_ver), "%lu.%lu.%lu",
			 FIELD_GET(CDNA_NVM_MAJOR, ver),
			 FIELD_GET(CDNA_NVM_MINOR, ver),
			 FIELD_GET(CDNA_NVM_BUILD, ver));
		pf->nvm_etrack = 0;
		strscpy(pf->fw_version, pf->nvm_ver, sizeof(pf->fw_version));
		return;
	}
	if (cdna_hw_nvm_read(pf, CDNA_NVM_ETRACK_LO, &lo))
		return;
	minor = ver & CDNA_NVM_NEW_DEC ? FIELD_GET(CDNA_NVM_MINOR, ver) :
					 FIELD_GET(CDNA_NVM_COMB_MINOR, ver);
	/* two decimal digits, one per nibble */
	snprintf(pf->nvm_ver, sizeof(pf->nvm_ver), "%lu.%u",
		 FIELD_GET(CDNA_NVM_MAJOR, ver), minor / 16 * 10 + minor % 16);
	pf->nvm_etrack = (u32)hi << 16 | lo;
	snprintf(pf->fw_version, sizeof(pf->fw_version), "%s, 0x%08x",
		 pf->nvm_ver, pf->nvm_etrack);
}

static int cdna_devlink_info_get(struct devlink *devlink,
				 struct devlink_info_req *req,
				 struct netlink_ext_ack *extack)
{
	struct cdna_pf *pf = ((struct cdna_devlink *)devlink_priv(devlink))->pf;
	char etrack[16];
	int err;

	if (!pf->nvm_ver[0])
		return 0;
	err = devlink_info_version_running_put(req,
					       DEVLINK_INFO_VERSION_GENERIC_FW,
					       pf->nvm_ver);
	if (err || !pf->nvm_etrack)
		return err;
	snprintf(etrack, sizeof(etrack), "0x%08x", pf->nvm_etrack);
	return devlink_info_version_running_put(req,
						DEVLINK_INFO_VERSION_GENERIC_FW_BUNDLE_ID,
						etrack);
}

static const struct devlink_ops cdna_devlink_ops = {
	.info_get = cdna_devlink_info_get,
};

/* A context's mailbox counters, as fmsg pairs. */
static void cdna_mbx_fmsg(struct devlink_fmsg *fmsg,
			  const struct cdna_mbx_event *e)
{
	devlink_fmsg_u32_pair_put(fmsg, "context", e->vf);
	devlink_fmsg_u64_pair_put(fmsg, "mbx_msgs", e->mbx_msgs);
	devlink_fmsg_u64_pair_put(fmsg, "mbx_refused", e->mbx_refused);
	devlink_fmsg_u64_pair_put(fmsg, "mbx_throttled", e->mbx_throttled);
	devlink_fmsg_u64_pair_put(fmsg, "resets", e->resets);
	devlink_fmsg_u64_pair_put(fmsg, "resets_throttled",
				  e->resets_throttled);
	devlink_fmsg_u64_pair_put(fmsg, "uc_refused", e->uc_refused);
	devlink_fmsg_u64_pair_put(fmsg, "vlan_refused", e->vlan_refused);
	devlink_fmsg_bool_pair_put(fmsg, "throttled", e->throttled);
}

/* What a context's counters are now; with vf_lock held. */
void cdna_mbx_event_fill(struct cdna_pf *pf, int vf, struct cdna_mbx_event *e)
{
	const struct cdna_vf *v = &pf->vfs[vf];

	lockdep_assert_held(&pf->vf_lock);
	e->vf = vf;
	e->mbx_msgs = v->mbx_msgs;
	e->mbx_refused = v->mbx_refused;
	e->mbx_throttled = v->mbx_throttled;
	e->resets = v->resets;
	e->resets_throttled = v->resets_throttled;
	e->uc_refused = v->uc_refused;
	e->vlan_refused = v->vlan_refused;
	e->throttled = v->throttle_until &&
		       time_before(jiffies, v->throttle_until);
}

/* The event that made the report (auto dump, or dump of the last one). */
static int cdna_mbx_dump(struct devlink_health_reporter *reporter,
			 struct devlink_fmsg *fmsg, void *priv_ctx,
			 struct netlink_ext_ack *extack)
{
	if (!priv_ctx)
		return -EOPNOTSUPP;	/* only events are dumped */
	cdna_mbx_fmsg(fmsg, priv_ctx);
	return 0;
}

static int cdna_mbx_diagnose(struct devlink_health_reporter *reporter,
			     struct devlink_fmsg *fmsg,
			     struct netlink_ext_ack *extack)
{
	struct cdna_pf *pf = devlink_health_reporter_priv(reporter);
	struct cdna_mbx_event e;
	int vf;

	devlink_fmsg_arr_pair_nest_start(fmsg, "contexts");
	mutex_lock(&pf->vf_lock);
	for (vf = 0; vf < pf->num_vfs; vf++) {
		cdna_mbx_event_fill(pf, vf, &e);
		devlink_fmsg_obj_nest_start(fmsg);
		cdna_mbx_fmsg(fmsg, &e);
		devlink_fmsg_obj_nest_end(fmsg);
	}
	mutex_unlock(&pf->vf_lock);
	devlink_fmsg_arr_pair_nest_end(fmsg);
	return 0;
}

/*
 * The PF recovers by itself: the throttle is the remedy, and it ends when
 * the context calms down.  Reports closer than CDNA_MBX_REPORT_GRACE_MS
 * are only counted.
 */
static int cdna_mbx_recover(struct devlink_health_reporter *reporter,
			    void *priv_ctx, struct netlink_ext_ack *extack)
{
	return 0;
}

static const struct devlink_health_reporter_ops cdna_mbx_reporter_ops = {
	.name = "mbx",
	.recover = cdna_mbx_recover,
	.dump = cdna_mbx_dump,
	.diagnose = cdna_mbx_diagnose,
};

/*
 * Report the contexts pf_mbx.c found flooding, outside vf_lock: one
 * report each, with the counters as they were when it was held back.
 */
static void cdna_health_work(struct work_struct *work)
{
	struct cdna_pf *pf = container_of(work, struct cdna_pf, health_work);
	struct cdna_mbx_event ev[CDNA_MAX_VFS];
	struct devlink_health_reporter *r;
	unsigned long pending;
	int vf;

	mutex_lock(&pf->vf_lock);
	r = pf->mbx_reporter;
	pending = pf->health_pending;
	pf->health_pending = 0;
	for_each_set_bit(vf, &pending, CDNA_MAX_VFS)
		ev[vf] = pf->health_event[vf];
	mutex_unlock(&pf->vf_lock);
	if (!r)
		return;
	for_each_set_bit(vf, &pending, CDNA_MAX_VFS)
		devlink_health_report(r,
				      "context throttled: mailbox or reset flood",
				      &ev[vf]);
}

/**
 * cdna_mbx_health_event - a context is held back for flooding
 * @pf: the PF, vf_lock held
 * @vf: the context
 */
void cdna_mbx_health_event(struct cdna_pf *pf, int vf)
{
	lockdep_assert_held(&pf->vf_lock);
	if (!pf->mbx_reporter)
		return;
	cdna_mbx_event_fill(pf, vf, &pf->health_event[vf]);
	pf->health_event[vf].throttled = true;
	pf->health_pending |= BIT(vf);
	schedule_work(&pf->health_work);
}

/**
 * cdna_devlink_init - register the PF's devlink instance and reporter
 * @pf: the PF, its NVM version read
 *
 * Return: 0 or -ENOMEM.  A reporter that cannot be created is logged and
 * left out: the PF works without it.
 */
int cdna_devlink_init(struct cdna_pf *pf)
{
	struct devlink_health_reporter *r;
	struct devlink *devlink;

	INIT_WORK(&pf->health_work, cdna_health_work);
	devlink = devlink_alloc(&cdna_devlink_ops, sizeof(struct cdna_devlink),
				&pf->pdev->dev);
	if (!devlink)
		return -ENOMEM;
	((struct cdna_devlink *)devlink_priv(devlink))->pf = pf;
	pf->devlink = devlink;
	r = devlink_health_reporter_create(devlink, &cdna_mbx_reporter_ops,
					   CDNA_MBX_REPORT_GRACE_MS, pf);
	if (IS_ERR(r))
		dev_warn(&pf->pdev->dev, "no devlink health reporter (%ld)\n",
			 PTR_ERR(r));
	else
		pf->mbx_reporter = r;
	devlink_register(devlink);
	return 0;
}

void cdna_devlink_fini(struct cdna_pf *pf)
{
	struct devlink_health_reporter *r;

	if (!pf->devlink)
		return;
	devlink_unregister(pf->devlink);
	mutex_lock(&pf->vf_lock);
	r = pf->mbx_reporter;
	pf->mbx_reporter = NULL;	/* no more events */
	mutex_unlock(&pf->vf_lock);
	cancel_work_sync(&pf->health_work);
	if (r)
		devlink_health_reporter_destroy(r);
	devlink_free(pf->devlink);
	pf->devlink = NULL;
}
