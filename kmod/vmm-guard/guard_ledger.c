// SPDX-License-Identifier: GPL-2.0
/*
 * The guard's ledger: per context, who holds it and what the guard did,
 * one value per file in /sys/bus/pci/devices/VF/guard/.  The files are
 * named in cdna_sysfs_abi.h; what each holds and who writes it is in
 * docs/abi/sysfs-bus-pci-guard.
 *
 * Also the bookkeeping both modes share when a VM opens and releases a
 * context: the hold on the PF, the scrub, the owner, the state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sysfs.h>

#include "guard.h"

/**
 * guard_ctx_ops_get - take cdna_pf's context operations for a VF
 * @pdev: the VF
 * @ops: set to the operations, held until symbol_put(cdna_pf_ctx_ops)
 * @index: set to the context's number within its PF
 *
 * Return: 0, or -ENODEV (logged) when the VF is not a context of a PF
 * that cdna_pf drives.
 */
int guard_ctx_ops_get(struct pci_dev *pdev, const struct cdna_ctx_ops **ops,
		      int *index)
{
	if (!pdev->is_virtfn) {
		pci_err(pdev, "not a virtual function: only contexts (VFs) go to VMs\n");
		return -ENODEV;
	}
	*ops = symbol_get(cdna_pf_ctx_ops);
	if (!*ops) {
		pci_err(pdev, "cdna_pf is not loaded: contexts come only from PFs it drives\n");
		return -ENODEV;
	}
	*index = (*ops)->index(pdev);
	if (*index < 0) {
		pci_err(pdev, "its PF %s is not driven by cdna_pf\n",
			pci_name(pci_physfn(pdev)));
		symbol_put(cdna_pf_ctx_ops);
		return -ENODEV;
	}
	return 0;
}

void guard_ledger_init(struct guard_ledger *led, struct pci_dev *pdev,
		       const struct cdna_ctx_ops *ops, int vf_index)
{
	mutex_init(&led->lock);
	led->pdev = pdev;
	led->pf_ops = ops;
	led->vf_index = vf_index;
	led->state = GUARD_FREE;
}

void guard_ledger_destroy(struct guard_ledger *led)
{
	mutex_destroy(&led->lock);
}

/**
 * guard_ledger_hold - a VM opens the context: hold it on the PF, reset it
 * @led: the context's ledger
 *
 * Whatever the last owner left, the VM starts from reset state.
 *
 * Return: 0; -EIO for a quarantined context; the PF's error otherwise.
 */
int guard_ledger_hold(struct guard_ledger *led)
{
	struct pci_dev *pdev = led->pdev;
	char name[GUARD_OWNER_LEN];
	int ret;

	mutex_lock(&led->lock);
	if (led->state == GUARD_QUARANTINED) {
		led->refused_opens++;
		mutex_unlock(&led->lock);
		pci_err(pdev, "context %d refused to %s[%d]: quarantined (%s); rebind it to retry\n",
			led->vf_index, current->comm, task_tgid_nr(current),
			led->quarantine_why);
		return -EIO;
	}
	if (led->owner[0])
		strscpy(name, led->owner, sizeof(name));
	else
		strscpy(name, current->comm, sizeof(name));
	mutex_unlock(&led->lock);

	/* The PF keeps its contexts while one is held. */
	ret = led->pf_ops->hold(pdev, name);
	if (ret)
		return ret;
	ret = led->pf_ops->scrub(pdev);
	if (ret) {
		pci_err(pdev, "context %d: cannot reset its state before open (%d)\n",
			led->vf_index, ret);
		led->pf_ops->release(pdev);
	}
	return ret;
}

/* The mode's own enabling succeeded: the VM holds the context. */
void guard_ledger_opened(struct guard_ledger *led)
{
	mutex_lock(&led->lock);
	led->state = GUARD_ASSIGNED;
	led->owner_pid = task_tgid_nr(current);
	get_task_comm(led->owner_comm, current);
	led->since = ktime_get_real_seconds();
	/* An owner name written since the hold. */
	if (led->owner[0])
		led->pf_ops->set_owner(led->pdev, led->owner);
	mutex_unlock(&led->lock);
	pci_info(led->pdev, "context %d opened by %s[%d]\n", led->vf_index,
		 led->owner_comm, led->owner_pid);
}

void guard_ledger_closing(struct guard_ledger *led)
{
	mutex_lock(&led->lock);
	led->state = GUARD_SCRUBBING;
	mutex_unlock(&led->lock);
}

/**
 * guard_ledger_closed - the VM let go: scrub, release, record
 * @led: the context's ledger
 * @start_ns: when the release began (ktime_get_ns())
 * @ret: 0 if the mode stopped the context's DMA, else why not; a context
 *	that could not be stopped or scrubbed is quarantined
 */
void guard_ledger_closed(struct guard_ledger *led, u64 start_ns, int ret)
{
	struct pci_dev *pdev = led->pdev;
	char comm[TASK_COMM_LEN];
	const char *why;
	pid_t pid;

	if (!ret)
		ret = led->pf_ops->scrub(pdev);
	led->pf_ops->release(pdev);

	mutex_lock(&led->lock);
	led->scrubs++;
	led->last_scrub_ns = ktime_get_ns() - start_ns;
	pid = led->owner_pid;
	strscpy(comm, led->owner_comm, sizeof(comm));
	led->owner_pid = 0;
	led->owner_comm[0] = '\0';
	led->owner[0] = '\0';
	led->since = 0;
	if (ret && !led->quarantine_why)
		led->quarantine_why = "its scrub failed";
	why = led->quarantine_why;
	led->state = why ? GUARD_QUARANTINED : GUARD_FREE;
	mutex_unlock(&led->lock);

	if (ret)
		pci_err(pdev, "context %d quarantined: scrub after %s[%d] failed (%d)\n",
			led->vf_index, comm, pid, ret);
	else if (why)
		pci_err(pdev, "context %d released by %s[%d] and scrubbed; it stays quarantined (%s) until rebound\n",
			led->vf_index, comm, pid, why);
	else
		pci_info(pdev, "context %d released by %s[%d], scrubbed in %llu us\n",
			 led->vf_index, comm, pid,
			 div_u64(ktime_get_ns() - start_ns, NSEC_PER_USEC));
}

/**
 * guard_ledger_quarantine - take a context away from its VM for good
 * @led: the context's ledger
 * @why: the reason, a string that lives as long as the module
 *
 * The state says quarantined from now on; the release that follows still
 * scrubs the context, and no VM gets it again until it is rebound.
 */
void guard_ledger_quarantine(struct guard_ledger *led, const char *why)
{
	mutex_lock(&led->lock);
	led->state = GUARD_QUARANTINED;
	if (!led->quarantine_why)
		led->quarantine_why = why;
	mutex_unlock(&led->lock);
}

/*
 * A ledger file: named by the ABI header (@_file), not by the C name
 * DEVICE_ATTR_*() would turn into the file's name.
 */
#define GUARD_ATTR(_name, _file, _mode, _show, _store)			\
static struct device_attribute dev_attr_##_name = {			\
	.attr = { .name = _file, .mode = _mode },			\
	.show = _show,							\
	.store = _store,						\
}

#define GUARD_SHOW(_name, _file, _fmt, _expr)				\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct guard_ledger *led = guard_ledger_of(dev);		\
	ssize_t n;							\
									\
	mutex_lock(&led->lock);						\
	n = sysfs_emit(buf, _fmt "\n", _expr);				\
	mutex_unlock(&led->lock);					\
	return n;							\
}									\
GUARD_ATTR(_name, _file, 0444, _name##_show, NULL)

/* led->state is always one of the ledger's states: "unknown" is a bug. */
static const char *guard_state_name(enum cdna_guard_state state)
{
	return cdna_guard_state_name(state) ?: "unknown";
}

GUARD_SHOW(state, CDNA_LEDGER_STATE, "%s", guard_state_name(led->state));
GUARD_SHOW(mode, CDNA_LEDGER_MODE, "%s",
	   guard_is_sw_dev(dev) ? CDNA_LEDGER_MODE_SW : CDNA_LEDGER_MODE_IOMMU);
GUARD_SHOW(context, CDNA_LEDGER_CONTEXT, "%d", led->vf_index);
GUARD_SHOW(owner_pid, CDNA_LEDGER_OWNER_PID, "%d", led->owner_pid);
GUARD_SHOW(owner_comm, CDNA_LEDGER_OWNER_COMM, "%s", led->owner_comm);
GUARD_SHOW(since, CDNA_LEDGER_SINCE, "%lld", (long long)led->since);
GUARD_SHOW(scrubs, CDNA_LEDGER_SCRUBS, "%llu", led->scrubs);
GUARD_SHOW(last_scrub_us, CDNA_LEDGER_LAST_SCRUB_US, "%llu",
	   div_u64(led->last_scrub_ns, NSEC_PER_USEC));
GUARD_SHOW(refused_opens, CDNA_LEDGER_REFUSED_OPENS, "%llu",
	   led->refused_opens);
GUARD_SHOW(tainted, CDNA_LEDGER_TAINTED, "%d", led->tainted);
GUARD_SHOW(isolation, CDNA_LEDGER_ISOLATION, "%s",
	   led->iso_reason ?: CDNA_LEDGER_ISOLATION_OK);

static ssize_t owner_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct guard_ledger *led = guard_ledger_of(dev);
	ssize_t n;

	mutex_lock(&led->lock);
	n = sysfs_emit(buf, "%s\n", led->owner);
	mutex_unlock(&led->lock);
	return n;
}

static ssize_t owner_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct guard_ledger *led = guard_ledger_of(dev);
	size_t len = count, i;

	if (len && buf[len - 1] == '\n')
		len--;
	if (len >= CDNA_OWNER_LEN)
		return -ENAMETOOLONG;
	for (i = 0; i < len; i++)
		if (!cdna_owner_byte_ok(buf[i]))
			return -EINVAL;

	mutex_lock(&led->lock);
	memcpy(led->owner, buf, len);
	led->owner[len] = '\0';
	if (led->state == GUARD_ASSIGNED && len)
		led->pf_ops->set_owner(led->pdev, led->owner);
	mutex_unlock(&led->lock);
	return count;
}
GUARD_ATTR(owner, CDNA_LEDGER_OWNER, 0644, owner_show, owner_store);

#ifdef CDNA_GUARD_SW
#define GUARD_SW_SHOW(_name, _file, _field)				\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct guard_sw_stats st;					\
									\
	guard_sw_stats(dev, &st, NULL, 0);				\
	return sysfs_emit(buf, "%llu\n", st._field);			\
}									\
GUARD_ATTR(_name, _file, 0444, _name##_show, NULL)

GUARD_SW_SHOW(validated, CDNA_LEDGER_DESC_VALIDATED, validated);
GUARD_SW_SHOW(refused, CDNA_LEDGER_DESC_REFUSED, refused);
GUARD_SW_SHOW(pinned, CDNA_LEDGER_PINNED_PAGES, pinned);
GUARD_SW_SHOW(bounced, CDNA_LEDGER_RX_BOUNCED, bounced);
GUARD_SW_SHOW(split, CDNA_LEDGER_TX_SPLIT, split);
GUARD_SW_SHOW(spoof, CDNA_LEDGER_SPOOF_DROPPED, spoof);
GUARD_SW_SHOW(vlan, CDNA_LEDGER_VLAN_DROPPED, vlan);

static ssize_t strategy_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", guard_sw_strategy(dev));
}

static ssize_t strategy_store(struct device *dev,
			      struct device_attribute *attr, const char *buf,
			      size_t count)
{
	int ret = guard_sw_set_strategy(dev, buf);

	return ret ? ret : count;
}
GUARD_ATTR(strategy, CDNA_LEDGER_STRATEGY, 0644, strategy_show,
	   strategy_store);

static ssize_t mdev_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct guard_sw_stats st;
	char uuid[UUID_STRING_LEN + 1];

	guard_sw_stats(dev, &st, uuid, sizeof(uuid));
	return sysfs_emit(buf, "%s\n", uuid);
}
GUARD_ATTR(mdev, CDNA_LEDGER_MDEV, 0444, mdev_show, NULL);

#endif

/*
 * Every file of both modes; the first GUARD_LEDGER_SW_FIRST are those of
 * every context, the rest exist only for a context in software mode.
 */
static struct attribute *guard_ledger_attrs[] = {
	&dev_attr_state.attr,
	&dev_attr_mode.attr,
	&dev_attr_context.attr,
	&dev_attr_owner.attr,
	&dev_attr_owner_pid.attr,
	&dev_attr_owner_comm.attr,
	&dev_attr_since.attr,
	&dev_attr_scrubs.attr,
	&dev_attr_last_scrub_us.attr,
	&dev_attr_refused_opens.attr,
	&dev_attr_tainted.attr,
	&dev_attr_isolation.attr,
#define GUARD_LEDGER_SW_FIRST	12
#ifdef CDNA_GUARD_SW
	&dev_attr_validated.attr,
	&dev_attr_refused.attr,
	&dev_attr_pinned.attr,
	&dev_attr_bounced.attr,
	&dev_attr_split.attr,
	&dev_attr_spoof.attr,
	&dev_attr_vlan.attr,
	&dev_attr_strategy.attr,
	&dev_attr_mdev.attr,
#endif
	NULL
};

static umode_t guard_ledger_visible(struct kobject *kobj,
				    struct attribute *attr, int n)
{
	if (n < GUARD_LEDGER_SW_FIRST || guard_is_sw_dev(kobj_to_dev(kobj)))
		return attr->mode;
	return 0;
}

static const struct attribute_group guard_ledger_group = {
	.name = CDNA_LEDGER_DIR,
	.attrs = guard_ledger_attrs,
	.is_visible = guard_ledger_visible,
};

/* The dev_groups of both of the guard's PCI drivers. */
const struct attribute_group *guard_ledger_groups[] = {
	&guard_ledger_group,
	NULL
};
