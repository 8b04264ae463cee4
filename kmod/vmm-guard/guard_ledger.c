// SPDX-License-Identifier: GPL-2.0
/*
 * The guard's ledger: per context, who holds it and what the guard did.
 * Read from sysfs, one value per file, under the context's PCI device:
 *
 *   /sys/bus/pci/devices/VF/guard/
 *     state          free | assigned | scrubbing | quarantined
 *     mode           iommu
 *     context        the context's number within its PF
 *     owner          an owner name; tools may write it (e.g. the libvirt
 *                    domain name) while the context is bound; cleared on
 *                    release; at most 63 bytes of printable ASCII (0x20
 *                    to 0x7e), one trailing newline stripped; a longer
 *                    name is refused (ENAMETOOLONG), as is any other byte
 *                    (EINVAL), the old name kept: never cut or folded
 *                    into another owner's name; writable by root only
 *     owner_pid      pid of the process holding it, 0 when free
 *     owner_comm     its command name, empty when free
 *     since          when it was opened (seconds since the epoch), 0 when free
 *     scrubs         scrubs since the context was bound to the guard
 *     last_scrub_us  duration of the last scrub
 *     refused_opens  opens refused (isolation, quarantine)
 *     tainted        1 once bound or opened without isolation
 *                    (allow_unsafe_isolation)
 *     isolation      "ok", or why the last check found it not isolated
 */
#include <linux/device.h>
#include <linux/pci.h>
#include <linux/sysfs.h>

#include "guard.h"

static const char * const guard_state_names[] = {
	[GUARD_FREE] = "free",
	[GUARD_ASSIGNED] = "assigned",
	[GUARD_SCRUBBING] = "scrubbing",
	[GUARD_QUARANTINED] = "quarantined",
};

/**
 * guard_state_name - the ledger's name of a context state
 * @state: enum guard_state
 *
 * Return: a static string.
 */
const char *guard_state_name(enum guard_state state)
{
	if (state >= ARRAY_SIZE(guard_state_names))
		return "unknown";
	return guard_state_names[state];
}

static struct guard_ctx *dev_to_ctx(struct device *dev)
{
	struct vfio_pci_core_device *core = dev_get_drvdata(dev);

	return container_of(core, struct guard_ctx, core);
}

#define GUARD_SHOW(_name, _fmt, _expr)					\
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
static DEVICE_ATTR_RO(_name)

GUARD_SHOW(state, "%s", guard_state_name(ctx->state));
GUARD_SHOW(mode, "%s", "iommu");
GUARD_SHOW(context, "%d", ctx->vf_index);
GUARD_SHOW(owner_pid, "%d", ctx->owner_pid);
GUARD_SHOW(owner_comm, "%s", ctx->owner_comm);
GUARD_SHOW(since, "%lld", (long long)ctx->since);
GUARD_SHOW(scrubs, "%llu", ctx->scrubs);
GUARD_SHOW(last_scrub_us, "%llu", div_u64(ctx->last_scrub_ns, NSEC_PER_USEC));
GUARD_SHOW(refused_opens, "%llu", ctx->refused_opens);
GUARD_SHOW(tainted, "%d", ctx->tainted);
GUARD_SHOW(isolation, "%s", ctx->iso_reason ?: "ok");

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

/*
 * Printable ASCII only, not isprint(): that takes 0xa0-0xff as Latin-1,
 * so it would let through bytes of UTF-8 characters one by one, and the
 * name is shown raw by sysfs, cdnactl list and the PF's cdna/ files.
 */
static bool guard_owner_byte_ok(char c)
{
	return c >= 0x20 && c <= 0x7e;
}

static ssize_t owner_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct guard_ctx *ctx = dev_to_ctx(dev);
	size_t len = count, i;

	if (len && buf[len - 1] == '\n')
		len--;
	if (len >= GUARD_OWNER_LEN)
		return -ENAMETOOLONG;
	for (i = 0; i < len; i++)
		if (!guard_owner_byte_ok(buf[i]))
			return -EINVAL;

	mutex_lock(&ctx->lock);
	memcpy(ctx->owner, buf, len);
	ctx->owner[len] = '\0';
	if (ctx->state == GUARD_ASSIGNED && len)
		ctx->pf_ops->set_owner(ctx->core.pdev, ctx->owner);
	mutex_unlock(&ctx->lock);
	return count;
}
static DEVICE_ATTR_RW(owner);

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
	.name = "guard",
	.attrs = guard_ledger_attrs,
};

const struct attribute_group *guard_ledger_groups[] = {
	&guard_ledger_group,
	NULL
};
