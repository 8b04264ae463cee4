// SPDX-License-Identifier: GPL-2.0
/*
 * The guard's ledger: per context, who holds it and what the guard did,
 * one value per file in /sys/bus/pci/devices/VF/guard/.  The files are
 * named in cdna_sysfs_abi.h; what each holds and who writes it is in
 * docs/abi/sysfs-bus-pci-guard.
 */
#include <linux/device.h>
#include <linux/pci.h>
#include <linux/sysfs.h>

#include "guard.h"

static struct guard_ctx *dev_to_ctx(struct device *dev)
{
	struct vfio_pci_core_device *core = dev_get_drvdata(dev);

	return container_of(core, struct guard_ctx, core);
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
	struct guard_ctx *ctx = dev_to_ctx(dev);			\
	ssize_t n;							\
									\
	mutex_lock(&ctx->lock);						\
	n = sysfs_emit(buf, _fmt "\n", _expr);				\
	mutex_unlock(&ctx->lock);					\
	return n;							\
}									\
GUARD_ATTR(_name, _file, 0444, _name##_show, NULL)

/* ctx->state is always one of the ledger's states: "unknown" is a bug. */
static const char *guard_state_name(enum cdna_guard_state state)
{
	return cdna_guard_state_name(state) ?: "unknown";
}

GUARD_SHOW(state, CDNA_LEDGER_STATE, "%s", guard_state_name(ctx->state));
GUARD_SHOW(mode, CDNA_LEDGER_MODE, "%s", CDNA_LEDGER_MODE_IOMMU);
GUARD_SHOW(context, CDNA_LEDGER_CONTEXT, "%d", ctx->vf_index);
GUARD_SHOW(owner_pid, CDNA_LEDGER_OWNER_PID, "%d", ctx->owner_pid);
GUARD_SHOW(owner_comm, CDNA_LEDGER_OWNER_COMM, "%s", ctx->owner_comm);
GUARD_SHOW(since, CDNA_LEDGER_SINCE, "%lld", (long long)ctx->since);
GUARD_SHOW(scrubs, CDNA_LEDGER_SCRUBS, "%llu", ctx->scrubs);
GUARD_SHOW(last_scrub_us, CDNA_LEDGER_LAST_SCRUB_US, "%llu",
	   div_u64(ctx->last_scrub_ns, NSEC_PER_USEC));
GUARD_SHOW(refused_opens, CDNA_LEDGER_REFUSED_OPENS, "%llu",
	   ctx->refused_opens);
GUARD_SHOW(tainted, CDNA_LEDGER_TAINTED, "%d", ctx->tainted);
GUARD_SHOW(isolation, CDNA_LEDGER_ISOLATION, "%s",
	   ctx->iso_reason ?: CDNA_LEDGER_ISOLATION_OK);

static ssize_t owner_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct guard_ctx *ctx = dev_to_ctx(dev);
	ssize_t n;

	mutex_lock(&ctx->lock);
	n = sysfs_emit(buf, "%s\n", ctx->owner);
	mutex_unlock(&ctx->lock);
	return n;
}

static ssize_t owner_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct guard_ctx *ctx = dev_to_ctx(dev);
	size_t len = count, i;

	if (len && buf[len - 1] == '\n')
		len--;
	if (len >= CDNA_OWNER_LEN)
		return -ENAMETOOLONG;
	for (i = 0; i < len; i++)
		if (!cdna_owner_byte_ok(buf[i]))
			return -EINVAL;

	mutex_lock(&ctx->lock);
	memcpy(ctx->owner, buf, len);
	ctx->owner[len] = '\0';
	if (ctx->state == GUARD_ASSIGNED && len)
		ctx->pf_ops->set_owner(ctx->core.pdev, ctx->owner);
	mutex_unlock(&ctx->lock);
	return count;
}
GUARD_ATTR(owner, CDNA_LEDGER_OWNER, 0644, owner_show, owner_store);

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
	NULL
};

static const struct attribute_group guard_ledger_group = {
	.name = CDNA_LEDGER_DIR,
	.attrs = guard_ledger_attrs,
};

const struct attribute_group *guard_ledger_groups[] = {
	&guard_ledger_group,
	NULL
};
