// SPDX-License-Identifier: GPL-2.0
/*
 * vmm_guard, IOMMU mode: a VFIO PCI variant driver for CDNA contexts.
 *
 * A context (a VF of an 82576 driven by cdna_pf) reaches a VM only through
 * this driver: QEMU and libvirt use it exactly as they use vfio-pci
 * (/dev/vfio/GROUP, -device vfio-pci,host=...).  It adds what plain
 * vfio-pci does not:
 *   - an isolation gate: a context whose IOMMU group holds other devices,
 *     whose DMA the IOMMU does not translate, or whose MSIs the platform
 *     does not isolate (no interrupt remapping), is not opened;
 *   - a scrub on release: the context's queues are stopped through cdna_pf
 *     while the VM's DMA mappings are still valid, then the function is
 *     reset and the state the VM asked for is cleared, so the next owner
 *     finds a clean context;
 *   - a ledger of who holds each context (see guard_ledger.c).
 *
 * Binding: echo vmm_guard > /sys/bus/pci/devices/VF/driver_override, then
 * echo VF > /sys/bus/pci/drivers_probe (the id table only matches through
 * driver_override, as for every VFIO variant driver).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/iommu.h>
#include <linux/irqdomain.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>

#include "cdna_isolation.h"
#include "cdna_pci_ids.h"
#include "cdna_version.h"
#include "guard.h"

static bool allow_unsafe_isolation;
module_param(allow_unsafe_isolation, bool, 0444);
MODULE_PARM_DESC(allow_unsafe_isolation,
		 "Open contexts that are not isolated by the IOMMU (UNSAFE: a VM can then DMA into memory it does not own; every such open is logged and marks the context tainted in the ledger)");

static int guard_count_dev(struct device *dev, void *data)
{
	(*(unsigned int *)data)++;
	return 0;
}

/*
 * At bind time the function still has its default domain; VFIO attaches
 * the VM's domain only when the group is opened, so translation is judged
 * at open (@at_open) and taken for granted at bind.
 */
static void guard_iso_facts(struct pci_dev *pdev, struct cdna_iso_facts *f,
			    bool at_open)
{
	struct iommu_domain *domain;
	struct iommu_group *group;

	memset(f, 0, sizeof(*f));
	f->override = allow_unsafe_isolation;
	group = iommu_group_get(&pdev->dev);
	if (!group)
		return;
	f->has_group = true;
	iommu_group_for_each_dev(group, &f->group_devices, guard_count_dev);
#ifdef CDNA_HAVE_ISOLATED_MSI
	f->msi_isolated = iommu_group_has_isolated_msi(group);
#else	/* before 6.3 */
	f->msi_isolated = device_iommu_capable(&pdev->dev, IOMMU_CAP_INTR_REMAP) ||
			  irq_domain_check_msi_remap();
#endif
	iommu_group_put(group);
	if (!at_open) {
		f->dma_translated = true;
		return;
	}
#if IS_ENABLED(CONFIG_IOMMUFD)
	{
		struct vfio_pci_core_device *core = dev_get_drvdata(&pdev->dev);

		f->iommufd = core && core->vdev.iommufd_device;
	}
#endif
	/* Once VFIO attached the group, the domain is the VM's: paging. */
	domain = iommu_get_domain_for_dev(&pdev->dev);
	f->dma_translated = domain && (domain->type & __IOMMU_DOMAIN_PAGING);
}

static struct guard_ctx *to_guard_ctx(struct vfio_device *vdev)
{
	return container_of(vdev, struct guard_ctx, core.vdev);
}

/* The ledger of a context bound to either of the guard's drivers. */
struct guard_ledger *guard_ledger_of(struct device *dev)
{
	struct vfio_pci_core_device *core;

	if (guard_is_sw_dev(dev))
		return guard_sw_ledger(dev);
	core = dev_get_drvdata(dev);
	return &container_of(core, struct guard_ctx, core)->led;
}

static void guard_release_dev(struct vfio_device *vdev)
{
	struct guard_ctx *ctx = to_guard_ctx(vdev);

	guard_ledger_destroy(&ctx->led);
	vfio_pci_core_release_dev(vdev);
}

/* Check the context is isolated now; records refusals in the ledger. */
static int guard_gate(struct guard_ctx *ctx)
{
	struct guard_ledger *led = &ctx->led;
	struct pci_dev *pdev = ctx->core.pdev;
	struct cdna_iso_facts facts;
	enum cdna_iso_verdict verdict;
	const char *why;

	guard_iso_facts(pdev, &facts, true);
	verdict = cdna_iso_decide(&facts, &why);

	mutex_lock(&led->lock);
	led->iso_reason = why;
	if (verdict == CDNA_ISO_REFUSED) {
		led->refused_opens++;
		mutex_unlock(&led->lock);
		pci_err(pdev, "context %d refused to %s[%d]: not isolated: %s\n",
			led->vf_index, current->comm, task_tgid_nr(current),
			why);
		return -EPERM;
	}
	if (verdict == CDNA_ISO_TAINTED) {
		led->tainted = true;
		pci_warn(pdev, "context %d opened by %s[%d] WITHOUT ISOLATION (%s): allow_unsafe_isolation is set\n",
			 led->vf_index, current->comm, task_tgid_nr(current),
			 why);
	}
	mutex_unlock(&led->lock);
	return 0;
}

static int guard_open_device(struct vfio_device *vdev)
{
	struct guard_ctx *ctx = to_guard_ctx(vdev);
	int ret;

	ret = guard_gate(ctx);
	if (ret)
		return ret;
	ret = guard_ledger_hold(&ctx->led);
	if (ret)
		return ret;
	ret = vfio_pci_core_enable(&ctx->core);
	if (ret) {
		ctx->led.pf_ops->release(ctx->core.pdev);
		return ret;
	}
	vfio_pci_core_finish_enable(&ctx->core);
	guard_ledger_opened(&ctx->led);
	return 0;
}

/* How often, and how far apart, the guard retries a reset VFIO skipped. */
#define GUARD_RESET_TRIES	10
#define GUARD_RESET_WAIT_MS	20

/*
 * VFIO resets the function on close only if it gets the device's lock and
 * its bridge's at the first try; when it cannot (two contexts closing at
 * once contend for their root port's), it says so only in needs_reset, and
 * what the last VM left in the function stays there until the next open
 * resets it (VFIO's open fails when it cannot).  The guard retries, never
 * blocking on the lock (an unbind holds it while it waits for this
 * close), and quarantines a context it cannot reset: one that keeps
 * failing its resets is not handed out again without an admin's rebind.
 * The release's scrub runs either way.
 */
static void guard_reset_after_close(struct guard_ctx *ctx)
{
	struct pci_dev *pdev = ctx->core.pdev;
	int i = 0, ret;

	if (!ctx->core.needs_reset)
		return;
	/* VFIO dropped its runtime PM reference on close: take one. */
	ret = pm_runtime_resume_and_get(&pdev->dev);
	if (!ret) {
		for (i = 0; i < GUARD_RESET_TRIES; i++) {
			if (i)
				msleep(GUARD_RESET_WAIT_MS);
			ret = guard_fault(GUARD_FAULT_FLR) ? -EAGAIN :
				pci_try_reset_function(pdev);
			if (ret != -EAGAIN)
				break;
		}
		pm_runtime_put(&pdev->dev);
	}
	if (ret) {
		pci_err(pdev, "context %d: its function was not reset after its VM (%d)\n",
			ctx->led.vf_index, ret);
		guard_ledger_quarantine(&ctx->led, "its function reset failed");
		return;
	}
	ctx->core.needs_reset = false;
	pci_info(pdev, "context %d: reset by the guard (try %d), VFIO could not\n",
		 ctx->led.vf_index, i + 1);
}

/*
 * VFIO calls this before it drops the VM's IOMMU mappings, whether QEMU
 * closed the device, was killed, or the device was hot-unplugged: the
 * context must stop DMAing while those mappings are still valid, or the
 * NIC would write through stale translations (DMAR faults at best).
 */
static void guard_close_device(struct vfio_device *vdev)
{
	struct guard_ctx *ctx = to_guard_ctx(vdev);
	struct pci_dev *pdev = ctx->core.pdev;
	u64 start = ktime_get_ns();
	bool held;
	int ret;

	guard_ledger_closing(&ctx->led);
	ret = ctx->led.pf_ops->quiesce(pdev);
	/*
	 * Disables the function and resets it (FLR).  The fault knob makes
	 * that reset fail the way it does for real: VFIO finds the device
	 * lock taken.
	 */
	held = guard_fault(GUARD_FAULT_FLR) && pci_dev_trylock(pdev);
	vfio_pci_core_close_device(vdev);
	if (held)
		pci_dev_unlock(pdev);
	guard_reset_after_close(ctx);
	guard_ledger_closed(&ctx->led, start, ret);
}

static const struct vfio_device_ops guard_vfio_ops = {
	.name = "vmm-guard",
	.init = vfio_pci_core_init_dev,
	.release = guard_release_dev,
	.open_device = guard_open_device,
	.close_device = guard_close_device,
	.ioctl = vfio_pci_core_ioctl,
	.device_feature = vfio_pci_core_ioctl_feature,
	.read = vfio_pci_core_read,
	.write = vfio_pci_core_write,
	.mmap = vfio_pci_core_mmap,
	.request = vfio_pci_core_request,
	.match = vfio_pci_core_match,
	/* iommufd's device cdev (6.6 on); 6.1 has the group/container only. */
#ifdef VFIO_DEVICE_BIND_IOMMUFD
	.bind_iommufd = vfio_iommufd_physical_bind,
	.unbind_iommufd = vfio_iommufd_physical_unbind,
	.attach_ioas = vfio_iommufd_physical_attach_ioas,
	.detach_ioas = vfio_iommufd_physical_detach_ioas,
#endif
};

/* Refuse to take a context that can never be isolated. */
static int guard_probe_gate(struct pci_dev *pdev, bool *tainted)
{
	struct cdna_iso_facts facts;
	enum cdna_iso_verdict verdict;
	const char *why;

	guard_iso_facts(pdev, &facts, false);
	verdict = cdna_iso_decide(&facts, &why);
	*tainted = verdict == CDNA_ISO_TAINTED;
	if (verdict == CDNA_ISO_REFUSED) {
		pci_err(pdev, "not taking the context: not isolated: %s (%u devices in the group)\n",
			why, facts.group_devices);
		return -EPERM;
	}
	if (*tainted)
		pci_warn(pdev, "taking the context WITHOUT ISOLATION (%s): allow_unsafe_isolation is set\n",
			 why);
	return 0;
}

static int guard_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	const struct cdna_ctx_ops *ops;
	struct guard_ctx *ctx;
	bool tainted;
	int index, ret;

	if (!pdev->is_virtfn) {
		pci_err(pdev, "not a virtual function: only contexts (VFs) go to VMs\n");
		return -ENODEV;
	}
	ret = guard_probe_gate(pdev, &tainted);
	if (ret)
		return ret;
	ret = guard_ctx_ops_get(pdev, &ops, &index);
	if (ret)
		return ret;

	ctx = vfio_alloc_device(guard_ctx, core.vdev, &pdev->dev,
				&guard_vfio_ops);
	if (IS_ERR(ctx)) {
		ret = PTR_ERR(ctx);
		goto err_put_ops;
	}
	guard_ledger_init(&ctx->led, pdev, ops, index);
	ctx->led.tainted = tainted;
	dev_set_drvdata(&pdev->dev, &ctx->core);

	ret = vfio_pci_core_register_device(&ctx->core);
	if (ret)
		goto err_put_device;
	pci_info(pdev, "context %d of %s ready for VFIO (iommu mode)\n", index,
		 pci_name(pci_physfn(pdev)));
	return 0;

err_put_device:
	vfio_put_device(&ctx->core.vdev);
err_put_ops:
	symbol_put(cdna_pf_ctx_ops);
	return ret;
}

static void guard_remove(struct pci_dev *pdev)
{
	struct vfio_pci_core_device *core = dev_get_drvdata(&pdev->dev);

	vfio_pci_core_unregister_device(core);
	vfio_put_device(&core->vdev);
	symbol_put(cdna_pf_ctx_ops);
}

static const struct pci_device_id guard_ids[] = {
	{ PCI_DRIVER_OVERRIDE_DEVICE_VFIO(CDNA_PCI_VENDOR, CDNA_82576_VF) },
	{ PCI_DRIVER_OVERRIDE_DEVICE_VFIO(CDNA_PCI_VENDOR, CDNA_82576_VF_HV) },
	{ }
};
MODULE_DEVICE_TABLE(pci, guard_ids);

static struct pci_driver guard_driver = {
	.name = CDNA_GUARD_DRIVER,
	.id_table = guard_ids,
	.probe = guard_probe,
	.remove = guard_remove,
	.err_handler = &vfio_pci_core_err_handlers,
	.driver_managed_dma = true,
	.dev_groups = guard_ledger_groups,
};

static int __init guard_init(void)
{
	int ret;

	if (allow_unsafe_isolation)
		pr_warn("allow_unsafe_isolation is set: contexts without IOMMU isolation will be handed to VMs; they are marked tainted in the ledger\n");
	guard_fault_init();
	ret = pci_register_driver(&guard_driver);
	if (ret)
		goto err_faults;
	ret = guard_sw_register();
	if (ret)
		goto err_driver;
	return 0;

err_driver:
	pci_unregister_driver(&guard_driver);
err_faults:
	guard_fault_exit();
	return ret;
}
module_init(guard_init);

static void __exit guard_exit(void)
{
	guard_sw_unregister();
	pci_unregister_driver(&guard_driver);
	guard_fault_exit();
}
module_exit(guard_exit);

MODULE_DESCRIPTION("CDNA host protection layer: contexts for VMs through VFIO");
MODULE_LICENSE("GPL");
MODULE_VERSION(CDNA_VERSION);
MODULE_SOFTDEP("pre: cdna_pf");
