// SPDX-License-Identifier: GPL-2.0
/*
 * vmm_guard, software mode: contexts for VMs on hosts with no usable
 * IOMMU, protected by validating every descriptor (the CDNA mechanism).
 *
 * The guard is the real VF's PCI driver (vmm_guard_sw): it owns the VF's
 * registers, its MSI-X vectors and its DMA, through the DMA API.  The VM
 * gets a VFIO mediated device that looks like an 82576 VF (8086:10ca,
 * BAR0 registers, BAR3 MSI-X, 3 vectors), so the stock igbvf and cdna_vf
 * drive it unchanged:
 *
 *   echo vmm_guard_sw > /sys/bus/pci/devices/VF/driver_override
 *   echo VF > /sys/bus/pci/drivers_probe
 *   echo UUID > /sys/bus/pci/devices/VF/mdev_supported_types/vmm_guard_sw-ctx/create
 *   qemu ... -device vfio-pci,sysfsdev=/sys/bus/mdev/devices/UUID
 *
 * Every register of BAR0 traps (each 4 KiB page holds something the guard
 * must see: the reset bit, the interrupt causes, the ring registers and
 * the doorbells).  What the VM writes lands in a register file here:
 *   - the mailbox (VMBMEM, V2PMAILBOX) goes to the real one; the PF
 *     already validates every message.  A RESET message leaves the
 *     queues as they are (the PF only forgets the VF's filters, as igb
 *     does; a VF driver sets CTRL.RST before it sends one), so the shadow
 *     state keeps matching the NIC's and the guard has nothing to undo;
 *   - the ring registers describe rings in guest memory; the NIC runs on
 *     shadow rings in host memory the VM cannot reach (guard_swq.c), and
 *     a tail write is where guest descriptors are read, validated,
 *     translated and posted;
 *   - the interrupt registers are virtual: the real vectors interrupt the
 *     guard, which completes the VM's descriptors first and then signals
 *     the VM's eventfds as the VM's IVAR, EIMS, EIAC and EIAM say;
 *   - CTRL.RST and VFIO_DEVICE_RESET stop the queues, unpin everything
 *     and reset the VF; statistics and STATUS read the real registers.
 *
 * Lock order: sw->lock, then vfio_iommu_type1's iommu->lock (every
 * vfio_dma_rw(), vfio_pin_pages() and vfio_unpin_pages() is called with
 * sw->lock held, so that a descriptor's pins and the queue state that
 * records them change together), then sw->irq_lock or sw->snap_lock.
 * The ledger's led->lock (a quarantine) and cdna_pf's vf_lock
 * (tx_policy, tx_dropped) are taken under sw->lock, never the other way.
 *
 * type1 calls .dma_unmap (guard_sw_dma_unmap()) holding its
 * device_list_lock, which it takes under iommu->lock, and the callback
 * must take sw->lock and unpin.  That closes a cycle through sw->lock
 * which only a VMM running two unmaps of pinned memory at once with a
 * tail write can close (QEMU issues all three under its big lock), and
 * which type1 has without the guard: the unpin it asks for in the
 * callback takes iommu->lock under device_list_lock, so two such unmaps
 * at once deadlock any driver that pins.  lockdep reports one or the
 * other; the debug tier runs the tests that unmap memory in use last,
 * with lockdep's lock proving turned off (tests/host/guard-sw.sh).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/interrupt.h>
#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "cdna_mbx.h"
#include "cdna_pci_ids.h"
#include "guard_sw.h"

static struct pci_driver guard_sw_driver;
static struct mdev_driver guard_sw_mdev_driver;

/*
 * A driver that works never has a descriptor refused; one that keeps
 * posting bad ones is an attacker or broken beyond use, and each refusal
 * costs the host a validation and an interrupt.
 */
static unsigned int sw_refused_limit = 4096;
module_param(sw_refused_limit, uint, 0644);
MODULE_PARM_DESC(sw_refused_limit,
		 "Software mode: descriptors a VM may have refused while it holds a context before the guard quarantines the context (0: never)");

static void guard_sw_police(struct guard_sw *sw);

struct guard_sw_dev {
	struct vfio_device vdev;
	struct guard_sw *sw;
};

static struct guard_sw *vdev_to_sw(struct vfio_device *vdev)
{
	return container_of(vdev, struct guard_sw_dev, vdev)->sw;
}

bool guard_is_sw_dev(struct device *dev)
{
	return dev->driver == &guard_sw_driver.driver;
}

struct guard_ledger *guard_sw_ledger(struct device *dev)
{
	struct guard_sw *sw = dev_get_drvdata(dev);

	return &sw->led;
}

/* Publish the ledger's counters; with sw->lock held. */
void guard_sw_snap(struct guard_sw *sw)
{
	struct guard_sw_stats st = sw->total;

	lockdep_assert_held(&sw->lock);
	guard_swq_stats(&sw->rxq, &st);
	guard_swq_stats(&sw->txq, &st);
	/* Cached pins outlive the descriptors that took them. */
	if (sw->strategy == GUARD_SW_CACHE)
		st.pinned = sw->npins;
	spin_lock(&sw->snap_lock);
	sw->snap = st;
	spin_unlock(&sw->snap_lock);
}

/* Never waits for sw->lock: a VM can keep that busy (guest memory). */
void guard_sw_stats(struct device *dev, struct guard_sw_stats *st,
		    char *mdev, size_t mdev_len)
{
	struct guard_sw *sw = dev_get_drvdata(dev);

	spin_lock(&sw->snap_lock);
	*st = sw->snap;
	if (mdev)
		strscpy(mdev, sw->uuid, mdev_len);
	spin_unlock(&sw->snap_lock);
}

static const char * const guard_sw_strategies[] = {
	[GUARD_SW_PER_DESC] = CDNA_STRATEGY_PER_DESC,
	[GUARD_SW_CACHE] = CDNA_STRATEGY_CACHE,
};

const char *guard_sw_strategy(struct device *dev)
{
	struct guard_sw *sw = dev_get_drvdata(dev);

	return guard_sw_strategies[READ_ONCE(sw->strategy)];
}

/**
 * guard_sw_set_strategy - choose how the context pins guest buffers
 * @dev: the context's device
 * @name: CDNA_STRATEGY_PER_DESC or CDNA_STRATEGY_CACHE
 *
 * Return: 0; -EINVAL for another name; -EBUSY while a VMM has the
 * context open.
 */
int guard_sw_set_strategy(struct device *dev, const char *name)
{
	struct guard_sw *sw = dev_get_drvdata(dev);
	int i = sysfs_match_string(guard_sw_strategies, name);
	int ret = 0;

	if (i < 0)
		return -EINVAL;
	mutex_lock(&sw->lock);
	if (sw->open)
		ret = -EBUSY;
	else
		WRITE_ONCE(sw->strategy, i);
	mutex_unlock(&sw->lock);
	return ret;
}

static void guard_sw_signal(struct eventfd_ctx *ctx)
{
#ifdef CDNA_EVENTFD_SIGNAL_N	/* before 6.8 */
	eventfd_signal(ctx, 1);
#else
	eventfd_signal(ctx);
#endif
}

/*
 * Interrupts as the VM sees them.  Bit n of EICR, EIMS, EIAC and EIAM is
 * MSI-X vector n.  A cause sets its EICR bit; if the vector is unmasked,
 * the VM's eventfd is signalled, EIAC clears the cause and EIAM masks the
 * vector (as the 82576 does in MSI-X mode).  Called with irq_lock held.
 */
static void guard_sw_fire(struct guard_sw *sw)
{
	u32 due = sw->eicr & sw->eims;
	int v;

	for (v = 0; v < CDNA_VF_NUM_MSIX; v++) {
		if (!(due & BIT(v)))
			continue;
		sw->eicr &= ~(sw->eiac & BIT(v));
		sw->eims &= ~(sw->eiam & BIT(v));
		if (sw->trigger[v])
			guard_sw_signal(sw->trigger[v]);
	}
}

static void guard_sw_raise(struct guard_sw *sw, u32 vectors)
{
	unsigned long flags;

	spin_lock_irqsave(&sw->irq_lock, flags);
	sw->eicr |= vectors;
	guard_sw_fire(sw);
	spin_unlock_irqrestore(&sw->irq_lock, flags);
}

/* The VM's vector for an IVAR byte, or 0 (no interrupt) when not valid. */
static u32 guard_sw_ivar_vec(u32 byte)
{
	u32 v = FIELD_GET(CDNA_VF_IVAR_VECTOR, byte);

	if (!(byte & CDNA_VF_IVAR_VALID) || v >= CDNA_VF_NUM_MSIX)
		return 0;
	return BIT(v);
}

/*
 * Read V2PMAILBOX for the guard's own purpose without taking from the VM
 * the bits a read clears: they are kept and shown on its next read.
 */
static u32 guard_sw_mbx_peek(struct guard_sw *sw)
{
	u32 val = guard_sw_rd(sw, CDNA_VF_V2PMAILBOX);

	sw->mbx_r2c |= val & CDNA_V2P_R2C_BITS;
	return val;
}

/*
 * Completion work, queued by any of the VF's vectors (QEMU's model sends
 * the mailbox cause to the wrong one): hand back what the NIC finished,
 * post what waited for room, and tell the VM.  A kernel thread, so that
 * vfio_dma_rw() and the unpinning may sleep and reach the VMM's memory.
 */
static void guard_sw_work(struct work_struct *work)
{
	struct guard_sw *sw = container_of(work, struct guard_sw, work);
	u32 raise = 0;

	mutex_lock(&sw->lock);
	if (!sw->open) {
		mutex_unlock(&sw->lock);
		return;
	}
	if (guard_swq_complete(sw, &sw->rxq))
		raise |= guard_sw_ivar_vec(FIELD_GET(CDNA_VF_IVAR_RX0,
						     sw->ivar0));
	if (guard_swq_complete(sw, &sw->txq))
		raise |= guard_sw_ivar_vec(FIELD_GET(CDNA_VF_IVAR_TX0,
						     sw->ivar0));
	if (guard_sw_mbx_peek(sw) & (CDNA_V2P_PFSTS | CDNA_V2P_PFACK))
		raise |= guard_sw_ivar_vec(FIELD_GET(CDNA_VF_IVAR_MISC_MBX,
						     sw->ivar_misc));
	guard_sw_snap(sw);
	guard_sw_police(sw);
	mutex_unlock(&sw->lock);
	if (raise)
		guard_sw_raise(sw, raise);
}

static irqreturn_t guard_sw_irq(int irq, void *data)
{
	struct guard_sw *sw = data;

	queue_work(system_unbound_wq, &sw->work);
	return IRQ_HANDLED;
}

/*
 * Route the VF's causes to the guard's vectors.  The layout is the stock
 * igbvf's: QEMU's model ORs every VTIVAR write into the PF's IVAR and
 * never clears it, so any other layout would corrupt the routing for the
 * next driver of the VF.  CTRL.RST clears it: redone after every reset.
 */
void guard_sw_hw_irqs(struct guard_sw *sw)
{
	u32 rx = CDNA_VF_IVAR_VALID |
		 FIELD_PREP(CDNA_VF_IVAR_VECTOR, GUARD_SW_VEC_RX);
	u32 tx = CDNA_VF_IVAR_VALID |
		 FIELD_PREP(CDNA_VF_IVAR_VECTOR, GUARD_SW_VEC_TX);
	u32 mbx = CDNA_VF_IVAR_VALID |
		  FIELD_PREP(CDNA_VF_IVAR_VECTOR, GUARD_SW_VEC_MBX);
	u32 all = GENMASK(CDNA_VF_NUM_MSIX - 1, 0);

	guard_sw_wr(sw, CDNA_VF_IVAR0, FIELD_PREP(CDNA_VF_IVAR_RX0, rx) |
				       FIELD_PREP(CDNA_VF_IVAR_TX0, tx));
	guard_sw_wr(sw, CDNA_VF_IVAR_MISC,
		    FIELD_PREP(CDNA_VF_IVAR_MISC_MBX, mbx));
	guard_sw_wr(sw, CDNA_VF_EIAC, all);
	guard_sw_wr(sw, CDNA_VF_EIMS, all);
}

/**
 * guard_sw_hw_kill - stop every DMA of the VF now, whatever its queues do
 * @sw: the context
 *
 * Bus mastering off, then a VF reset (which clears the queue enables);
 * mastering and the interrupt routing come back once the VF is quiet.
 */
void guard_sw_hw_kill(struct guard_sw *sw)
{
	pci_clear_master(sw->pdev);
	guard_sw_wr(sw, CDNA_VF_CTRL, CDNA_VF_CTRL_RST);
	usleep_range(1000, 2000);
	pci_set_master(sw->pdev);
	guard_sw_hw_irqs(sw);
}

/*
 * Moderation of the real vectors follows what the VM asked of its own,
 * but no faster than GUARD_SW_EITR_MIN_US: every real interrupt costs the
 * host a worker's pass over the rings.
 */
static u32 guard_sw_eitr_val(u32 eitr)
{
	u32 min = FIELD_PREP(CDNA_VF_EITR_INTERVAL, GUARD_SW_EITR_MIN_US);

	return max(eitr & CDNA_VF_EITR_INTERVAL, min);
}

static void guard_sw_hw_eitr(struct guard_sw *sw)
{
	u32 rx = guard_sw_ivar_vec(FIELD_GET(CDNA_VF_IVAR_RX0, sw->ivar0));
	u32 tx = guard_sw_ivar_vec(FIELD_GET(CDNA_VF_IVAR_TX0, sw->ivar0));

	guard_sw_wr(sw, CDNA_VF_EITR(GUARD_SW_VEC_RX),
		    guard_sw_eitr_val(rx ? sw->eitr[__ffs(rx)] : 0));
	guard_sw_wr(sw, CDNA_VF_EITR(GUARD_SW_VEC_TX),
		    guard_sw_eitr_val(tx ? sw->eitr[__ffs(tx)] : 0));
}

/*
 * Stop both queues, hand nothing more back, unpin everything, clear the
 * VM's register file and reset the VF: what CTRL.RST does on hardware,
 * and what VFIO_DEVICE_RESET, a release and an unmap of memory in use
 * need.  The mailbox memory is the PF's business (it sees the reset).
 */
static void guard_sw_reset(struct guard_sw *sw)
{
	unsigned long flags;

	lockdep_assert_held(&sw->lock);
	guard_swq_disable(sw, &sw->rxq);
	guard_swq_disable(sw, &sw->txq);
	guard_swq_unpin_range(sw, 0, U64_MAX);
	memset(&sw->rxq.vr, 0, sizeof(sw->rxq.vr));
	memset(&sw->txq.vr, 0, sizeof(sw->txq.vr));
	sw->rxq.stopped = false;
	sw->txq.stopped = false;
	sw->ctrl = 0;
	sw->ivar0 = 0;
	sw->ivar_misc = 0;
	memset(sw->eitr, 0, sizeof(sw->eitr));

	spin_lock_irqsave(&sw->irq_lock, flags);
	sw->eicr = 0;
	sw->eims = 0;
	sw->eiac = 0;
	sw->eiam = 0;
	spin_unlock_irqrestore(&sw->irq_lock, flags);

	guard_sw_wr(sw, CDNA_VF_CTRL, CDNA_VF_CTRL_RST);
	/* The VF needs a moment after a reset; the 82576 asks for 1 ms. */
	usleep_range(1000, 2000);
	guard_sw_hw_irqs(sw);
	guard_sw_hw_eitr(sw);
	guard_sw_snap(sw);
}

/*
 * Quarantine a context whose VM has had more than sw_refused_limit
 * descriptors refused since it opened the device: stop its queues, unpin
 * everything, and answer its register accesses with -EIO from now on.
 * The release still scrubs it; only a rebind gives it to a VM again.
 * With sw->lock held, after a batch of register writes or completions.
 */
static void guard_sw_police(struct guard_sw *sw)
{
	unsigned int limit = READ_ONCE(sw_refused_limit);
	u64 refused;

	lockdep_assert_held(&sw->lock);
	if (sw->quarantined || !limit)
		return;
	refused = READ_ONCE(sw->snap.refused) - sw->refused_base;
	if (refused <= limit)
		return;
	sw->quarantined = true;
	guard_sw_reset(sw);
	guard_ledger_quarantine(&sw->led,
				"its VM posted descriptors past sw_refused_limit");
	pci_err(sw->pdev, "context %d quarantined: its VM had %llu descriptors refused (sw_refused_limit %u); it loses the device\n",
		sw->led.vf_index, refused, limit);
}

/* The VF's statistics registers, in guard_sw->stat_base's order. */
static const u32 guard_sw_stat_regs[GUARD_SW_NR_STATS] = {
	CDNA_VF_GPRC, CDNA_VF_GPTC, CDNA_VF_GORC, CDNA_VF_GOTC, CDNA_VF_MPRC,
	CDNA_VF_GPRLBC, CDNA_VF_GPTLBC, CDNA_VF_GORLBC, CDNA_VF_GOTLBC,
};

/* A VM sees its own traffic only: counters start at 0 at its open. */
static void guard_sw_stat_base(struct guard_sw *sw)
{
	int i;

	for (i = 0; i < GUARD_SW_NR_STATS; i++)
		sw->stat_base[i] = guard_sw_rd(sw, guard_sw_stat_regs[i]);
}

static u32 guard_sw_stat_read(struct guard_sw *sw, u32 off)
{
	int i;

	for (i = 0; i < GUARD_SW_NR_STATS; i++)
		if (guard_sw_stat_regs[i] == off)
			return guard_sw_rd(sw, off) - sw->stat_base[i];
	return 0;
}

/* BAR0 as the VM sees it: one 32-bit register at @off. */
static u32 guard_sw_reg_read(struct guard_sw *sw, u32 off)
{
	unsigned long flags;
	u32 val;

	switch (off) {
	case CDNA_VF_CTRL:
		return 0;	/* RST self-clears; the rest reads 0 on QEMU */
	case CDNA_VF_STATUS:
		return guard_sw_rd(sw, off);
	case CDNA_VF_GPRC:
	case CDNA_VF_GPTC:
	case CDNA_VF_GORC:
	case CDNA_VF_GOTC:
	case CDNA_VF_MPRC:
	case CDNA_VF_GPRLBC:
	case CDNA_VF_GPTLBC:
	case CDNA_VF_GORLBC:
	case CDNA_VF_GOTLBC:
		return guard_sw_stat_read(sw, off);
	case CDNA_VF_VMBMEM(0) ... CDNA_VF_VMBMEM(CDNA_MBX_WORDS - 1):
		return guard_sw_rd(sw, off);
	case CDNA_VF_V2PMAILBOX:
		val = guard_sw_rd(sw, off) | sw->mbx_r2c;
		sw->mbx_r2c = 0;
		return val;
	case CDNA_VF_EICR:
		spin_lock_irqsave(&sw->irq_lock, flags);
		val = sw->eicr;
		sw->eicr = 0;	/* read to clear */
		spin_unlock_irqrestore(&sw->irq_lock, flags);
		return val;
	case CDNA_VF_EIMS:
		return READ_ONCE(sw->eims);
	case CDNA_VF_EIAC:
		return READ_ONCE(sw->eiac);
	case CDNA_VF_EIAM:
		return READ_ONCE(sw->eiam);
	case CDNA_VF_EITR(0) ... CDNA_VF_EITR(CDNA_VF_NUM_MSIX - 1):
		return sw->eitr[(off - CDNA_VF_EITR(0)) / 4];
	case CDNA_VF_IVAR0:
		return sw->ivar0;
	case CDNA_VF_IVAR_MISC:
		return sw->ivar_misc;
	case CDNA_VF_RDBAL(0):
		return sw->rxq.vr.bal;
	case CDNA_VF_RDBAH(0):
		return sw->rxq.vr.bah;
	case CDNA_VF_RDLEN(0):
		return sw->rxq.vr.len;
	case CDNA_VF_SRRCTL(0):
		return sw->rxq.vr.srrctl;
	case CDNA_VF_RDH(0):
		return guard_swq_head(&sw->rxq);
	case CDNA_VF_RDT(0):
		return sw->rxq.vr.tail;
	case CDNA_VF_RXDCTL(0):
		return sw->rxq.live ? sw->rxq.vr.dctl :
		       sw->rxq.vr.dctl & ~CDNA_VF_RXDCTL_ENABLE;
	case CDNA_VF_TDBAL(0):
		return sw->txq.vr.bal;
	case CDNA_VF_TDBAH(0):
		return sw->txq.vr.bah;
	case CDNA_VF_TDLEN(0):
		return sw->txq.vr.len;
	case CDNA_VF_TDH(0):
		return guard_swq_head(&sw->txq);
	case CDNA_VF_TDT(0):
		return sw->txq.vr.tail;
	case CDNA_VF_TXDCTL(0):
		return sw->txq.live ? sw->txq.vr.dctl :
		       sw->txq.vr.dctl & ~CDNA_VF_TXDCTL_ENABLE;
	case CDNA_VF_TDWBAL(0):
		return sw->txq.vr.wbal;
	case CDNA_VF_TDWBAH(0):
		return sw->txq.vr.wbah;
	default:
		return 0;	/* as the 82576 model: unknown offsets read 0 */
	}
}

/* A queue's enable bit was written: start or stop it on the NIC. */
static void guard_sw_dctl(struct guard_sw *sw, struct guard_swq *q, u32 val,
			  u32 enable)
{
	q->vr.dctl = val;
	if ((val & enable) && !q->live && !q->stopped) {
		if (guard_swq_enable(sw, q))
			q->stopped = true;
	} else if (!(val & enable)) {
		guard_swq_disable(sw, q);
		q->stopped = false;
	}
}

/* A doorbell: refused descriptors may complete at once. */
static void guard_sw_tail(struct guard_sw *sw, struct guard_swq *q, u32 val)
{
	u32 ivar = q->rx ? FIELD_GET(CDNA_VF_IVAR_RX0, sw->ivar0) :
			   FIELD_GET(CDNA_VF_IVAR_TX0, sw->ivar0);

	if (guard_swq_tail(sw, q, val))
		guard_sw_raise(sw, guard_sw_ivar_vec(ivar));
}

/* A ring register written while its queue runs is ignored, as on the NIC. */
static void guard_sw_ring_reg(struct guard_swq *q, u32 *reg, u32 val)
{
	if (!q->live)
		*reg = val;
}

static void guard_sw_reg_write(struct guard_sw *sw, u32 off, u32 val)
{
	unsigned long flags;

	switch (off) {
	case CDNA_VF_CTRL:
		sw->ctrl = val & ~CDNA_VF_CTRL_RST;
		if (val & CDNA_VF_CTRL_RST)
			guard_sw_reset(sw);
		return;
	case CDNA_VF_VMBMEM(0) ... CDNA_VF_VMBMEM(CDNA_MBX_WORDS - 1):
	case CDNA_VF_V2PMAILBOX:
		guard_sw_wr(sw, off, val);
		return;
	case CDNA_VF_EICS:
		/*
		 * As on the 82576: a cause set through EICS also unmasks its
		 * vector if the vector auto-masks (igbvf relies on it).
		 */
		val &= GENMASK(CDNA_VF_NUM_MSIX - 1, 0);
		spin_lock_irqsave(&sw->irq_lock, flags);
		sw->eims |= val & sw->eiam;
		sw->eicr |= val;
		guard_sw_fire(sw);
		spin_unlock_irqrestore(&sw->irq_lock, flags);
		return;
	case CDNA_VF_EIMS:
	case CDNA_VF_EIMC:
	case CDNA_VF_EIAC:
	case CDNA_VF_EIAM:
	case CDNA_VF_EICR:
		val &= GENMASK(CDNA_VF_NUM_MSIX - 1, 0);
		spin_lock_irqsave(&sw->irq_lock, flags);
		if (off == CDNA_VF_EIMS)
			sw->eims |= val;
		else if (off == CDNA_VF_EIMC)
			sw->eims &= ~val;
		else if (off == CDNA_VF_EIAC)
			sw->eiac = val;
		else if (off == CDNA_VF_EIAM)
			sw->eiam = val;
		else
			sw->eicr &= ~val;	/* write 1 to clear */
		/* Causes pending while masked are delivered when unmasked. */
		if (off == CDNA_VF_EIMS)
			guard_sw_fire(sw);
		spin_unlock_irqrestore(&sw->irq_lock, flags);
		return;
	case CDNA_VF_EITR(0) ... CDNA_VF_EITR(CDNA_VF_NUM_MSIX - 1):
		sw->eitr[(off - CDNA_VF_EITR(0)) / 4] =
			val & CDNA_VF_EITR_INTERVAL;
		guard_sw_hw_eitr(sw);
		return;
	case CDNA_VF_IVAR0:
		sw->ivar0 = val;
		guard_sw_hw_eitr(sw);
		return;
	case CDNA_VF_IVAR_MISC:
		sw->ivar_misc = val;
		return;
	case CDNA_VF_RDBAL(0):
		guard_sw_ring_reg(&sw->rxq, &sw->rxq.vr.bal, val);
		return;
	case CDNA_VF_RDBAH(0):
		guard_sw_ring_reg(&sw->rxq, &sw->rxq.vr.bah, val);
		return;
	case CDNA_VF_RDLEN(0):
		guard_sw_ring_reg(&sw->rxq, &sw->rxq.vr.len, val);
		return;
	case CDNA_VF_SRRCTL(0):
		guard_sw_ring_reg(&sw->rxq, &sw->rxq.vr.srrctl, val);
		return;
	case CDNA_VF_RDT(0):
		guard_sw_tail(sw, &sw->rxq, val);
		return;
	case CDNA_VF_RXDCTL(0):
		guard_sw_dctl(sw, &sw->rxq, val, CDNA_VF_RXDCTL_ENABLE);
		return;
	case CDNA_VF_TDBAL(0):
		guard_sw_ring_reg(&sw->txq, &sw->txq.vr.bal, val);
		return;
	case CDNA_VF_TDBAH(0):
		guard_sw_ring_reg(&sw->txq, &sw->txq.vr.bah, val);
		return;
	case CDNA_VF_TDLEN(0):
		guard_sw_ring_reg(&sw->txq, &sw->txq.vr.len, val);
		return;
	case CDNA_VF_TDT(0):
		guard_sw_tail(sw, &sw->txq, val);
		return;
	case CDNA_VF_TXDCTL(0):
		guard_sw_dctl(sw, &sw->txq, val, CDNA_VF_TXDCTL_ENABLE);
		return;
	case CDNA_VF_TDWBAL(0):
		sw->txq.vr.wbal = val;
		return;
	case CDNA_VF_TDWBAH(0):
		sw->txq.vr.wbah = val;
		return;
	case CDNA_VF_RXDCTL(1):
	case CDNA_VF_TXDCTL(1):
		if (val & CDNA_VF_RXDCTL_ENABLE)
			dev_notice_ratelimited(&sw->pdev->dev,
					       "context %d: queue 1 is not offered in software mode\n",
					       sw->led.vf_index);
		return;
	default:
		/*
		 * RDH/TDH (the guard keeps the heads), PSRTYPE, queue 1 and
		 * offsets the VF does not have: ignored, as by the model.
		 */
		return;
	}
}

/* Config space of an 82576 VF, as QEMU's vfio-pci wants to find it. */
#define GUARD_SW_CAP_MSIX	0x70

static void guard_sw_cfg_init(struct guard_sw *sw)
{
	u8 *c = sw->cfg;

	memset(c, 0, sizeof(sw->cfg));
	*(__le16 *)&c[PCI_VENDOR_ID] = cpu_to_le16(PCI_VENDOR_ID_INTEL);
	*(__le16 *)&c[PCI_DEVICE_ID] = cpu_to_le16(sw->pdev->device);
	*(__le16 *)&c[PCI_STATUS] = cpu_to_le16(PCI_STATUS_CAP_LIST);
	c[PCI_REVISION_ID] = sw->pdev->revision;
	c[PCI_CLASS_PROG] = 0;
	*(__le16 *)&c[PCI_CLASS_DEVICE] = cpu_to_le16(PCI_CLASS_NETWORK_ETHERNET);
	*(__le32 *)&c[PCI_BASE_ADDRESS_0] =
		cpu_to_le32(PCI_BASE_ADDRESS_MEM_TYPE_64 |
			    PCI_BASE_ADDRESS_MEM_PREFETCH);
	*(__le32 *)&c[PCI_BASE_ADDRESS_3] =
		cpu_to_le32(PCI_BASE_ADDRESS_MEM_TYPE_64 |
			    PCI_BASE_ADDRESS_MEM_PREFETCH);
	*(__le16 *)&c[PCI_SUBSYSTEM_VENDOR_ID] =
		cpu_to_le16(sw->pdev->subsystem_vendor);
	*(__le16 *)&c[PCI_SUBSYSTEM_ID] = cpu_to_le16(sw->pdev->subsystem_device);
	c[PCI_CAPABILITY_LIST] = GUARD_SW_CAP_MSIX;

	/* MSI-X: 3 vectors, table at BAR3 + 0, PBA at BAR3 + 0x2000 */
	c[GUARD_SW_CAP_MSIX + PCI_CAP_LIST_ID] = PCI_CAP_ID_MSIX;
	c[GUARD_SW_CAP_MSIX + PCI_CAP_LIST_NEXT] = 0;
	*(__le16 *)&c[GUARD_SW_CAP_MSIX + PCI_MSIX_FLAGS] =
		cpu_to_le16(CDNA_VF_NUM_MSIX - 1);
	*(__le32 *)&c[GUARD_SW_CAP_MSIX + PCI_MSIX_TABLE] =
		cpu_to_le32(CDNA_VF_BAR_MSIX);
	*(__le32 *)&c[GUARD_SW_CAP_MSIX + PCI_MSIX_PBA] =
		cpu_to_le32(0x2000 | CDNA_VF_BAR_MSIX);
}

/*
 * Config writes: the command register and MSI-X control are kept (QEMU
 * emulates the BARs and the MSI-X table itself); the rest is read-only.
 */
static void guard_sw_cfg_write(struct guard_sw *sw, u32 off, const u8 *buf,
			       size_t count)
{
	static const u16 cmd_mask = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
				    PCI_COMMAND_INTX_DISABLE;
	bool master = sw->cfg[PCI_COMMAND] & PCI_COMMAND_MASTER;
	size_t i;

	for (i = 0; i < count; i++) {
		u32 o = off + i;
		u8 mask;

		if (o == PCI_COMMAND)
			mask = cmd_mask & 0xff;
		else if (o == PCI_COMMAND + 1)
			mask = cmd_mask >> 8;
		else if (o == GUARD_SW_CAP_MSIX + PCI_MSIX_FLAGS + 1)
			mask = (PCI_MSIX_FLAGS_ENABLE |
				PCI_MSIX_FLAGS_MASKALL) >> 8;
		else
			continue;
		sw->cfg[o] = (sw->cfg[o] & ~mask) | (buf[i] & mask);
	}
	/* Bus mastering off: the emulated VF does no more DMA. */
	if (master && !(sw->cfg[PCI_COMMAND] & PCI_COMMAND_MASTER)) {
		guard_swq_disable(sw, &sw->rxq);
		guard_swq_disable(sw, &sw->txq);
		sw->rxq.stopped = false;
		sw->txq.stopped = false;
		guard_sw_snap(sw);
	}
}

static ssize_t guard_sw_rw(struct vfio_device *vdev, char *kbuf, size_t count,
			   loff_t pos, bool write)
{
	struct guard_sw *sw = vdev_to_sw(vdev);
	unsigned int index = VFIO_PCI_OFFSET_TO_INDEX(pos);
	u64 off = pos & VFIO_PCI_OFFSET_MASK;
	size_t i;

	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		if (off >= GUARD_SW_CFG_SIZE || count > GUARD_SW_CFG_SIZE - off)
			return -EINVAL;
		mutex_lock(&sw->lock);
		if (write)
			guard_sw_cfg_write(sw, off, kbuf, count);
		else
			memcpy(kbuf, &sw->cfg[off], count);
		mutex_unlock(&sw->lock);
		return count;
	case VFIO_PCI_BAR0_REGION_INDEX:
		/* 32-bit registers: whole, aligned dwords only */
		if (off >= GUARD_SW_BAR_SIZE || count > GUARD_SW_BAR_SIZE - off ||
		    !IS_ALIGNED(off, 4) || !IS_ALIGNED(count, 4) || !count)
			return -EINVAL;
		mutex_lock(&sw->lock);
		if (sw->quarantined) {
			mutex_unlock(&sw->lock);
			return -EIO;
		}
		for (i = 0; i < count; i += 4) {
			__le32 val;

			if (write) {
				memcpy(&val, kbuf + i, 4);
				guard_sw_reg_write(sw, off + i, le32_to_cpu(val));
			} else {
				val = cpu_to_le32(guard_sw_reg_read(sw, off + i));
				memcpy(kbuf + i, &val, 4);
			}
		}
		if (write) {
			guard_sw_snap(sw);
			guard_sw_police(sw);
		}
		mutex_unlock(&sw->lock);
		return count;
	case VFIO_PCI_BAR3_REGION_INDEX:
		/* The VMM emulates the MSI-X table and PBA over this BAR. */
		if (off >= GUARD_SW_BAR_SIZE || count > GUARD_SW_BAR_SIZE - off)
			return -EINVAL;
		if (!write)
			memset(kbuf, 0, count);
		return count;
	default:
		return -EINVAL;
	}
}

/* At most this much per read or write call: a page of registers. */
#define GUARD_SW_RW_MAX		PAGE_SIZE

static ssize_t guard_sw_read(struct vfio_device *vdev, char __user *buf,
			     size_t count, loff_t *ppos)
{
	ssize_t ret;
	char *kbuf;

	if (!count || count > GUARD_SW_RW_MAX)
		return -EINVAL;
	kbuf = kzalloc(count, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	ret = guard_sw_rw(vdev, kbuf, count, *ppos, false);
	if (ret > 0 && copy_to_user(buf, kbuf, ret))
		ret = -EFAULT;
	kfree(kbuf);
	if (ret > 0)
		*ppos += ret;
	return ret;
}

static ssize_t guard_sw_write(struct vfio_device *vdev, const char __user *buf,
			      size_t count, loff_t *ppos)
{
	ssize_t ret;
	char *kbuf;

	if (!count || count > GUARD_SW_RW_MAX)
		return -EINVAL;
	kbuf = memdup_user(buf, count);
	if (IS_ERR(kbuf))
		return PTR_ERR(kbuf);
	ret = guard_sw_rw(vdev, kbuf, count, *ppos, true);
	kfree(kbuf);
	if (ret > 0)
		*ppos += ret;
	return ret;
}

static long guard_sw_get_info(unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static long guard_sw_region_info(unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_region_info info;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	if (info.index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	info.offset = VFIO_PCI_INDEX_TO_OFFSET(info.index);
	info.cap_offset = 0;
	switch (info.index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info.size = GUARD_SW_CFG_SIZE;
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
	case VFIO_PCI_BAR3_REGION_INDEX:
		/* Trapped, never mapped: the guard must see every access. */
		info.size = GUARD_SW_BAR_SIZE;
		break;
	default:
		info.size = 0;	/* BAR1, BAR4 (upper halves), others, ROM, VGA */
		break;
	}
	info.flags = info.size ? VFIO_REGION_INFO_FLAG_READ |
				 VFIO_REGION_INFO_FLAG_WRITE : 0;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static long guard_sw_irq_info(unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	info.flags = 0;
	info.count = 0;
	if (info.index == VFIO_PCI_MSIX_IRQ_INDEX) {
		info.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
		info.count = CDNA_VF_NUM_MSIX;
	} else if (info.index == VFIO_PCI_REQ_IRQ_INDEX) {
		info.flags = VFIO_IRQ_INFO_EVENTFD;
		info.count = 1;
	}
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static void guard_sw_eventfd_set(struct guard_sw *sw,
				 struct eventfd_ctx **slot,
				 struct eventfd_ctx *ctx)
{
	struct eventfd_ctx *old;
	unsigned long flags;

	spin_lock_irqsave(&sw->irq_lock, flags);
	old = *slot;
	*slot = ctx;
	spin_unlock_irqrestore(&sw->irq_lock, flags);
	if (old)
		eventfd_ctx_put(old);
}

static void guard_sw_trigger_set(struct guard_sw *sw, int v,
				 struct eventfd_ctx *ctx)
{
	guard_sw_eventfd_set(sw, &sw->trigger[v], ctx);
}

/* VFIO_PCI_REQ_IRQ_INDEX: one eventfd, or none. */
static int guard_sw_set_req(struct guard_sw *sw, struct vfio_irq_set *hdr,
			    const u8 *data)
{
	struct eventfd_ctx *ctx = NULL;
	s32 fd;

	if ((hdr->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;
	switch (hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		if (hdr->count)
			return -EINVAL;
		break;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		fd = *(const s32 *)data;
		if (fd >= 0) {
			ctx = eventfd_ctx_fdget(fd);
			if (IS_ERR(ctx))
				return PTR_ERR(ctx);
		}
		break;
	default:
		return -EINVAL;
	}
	guard_sw_eventfd_set(sw, &sw->req_trigger, ctx);
	return 0;
}

/*
 * The context is being taken away (mdev removed, VF unbound, PF's
 * contexts removed) while a VMM has it: ask the VMM to let go, as
 * vfio-pci does; QEMU unplugs the device from the guest.
 */
static void guard_sw_request(struct vfio_device *vdev, unsigned int count)
{
	struct guard_sw *sw = vdev_to_sw(vdev);
	unsigned long flags;

	spin_lock_irqsave(&sw->irq_lock, flags);
	if (sw->req_trigger) {
		if (!(count % 10))
			pci_notice(sw->pdev, "context %d: asking its VMM to release it (%u)\n",
				   sw->led.vf_index, count);
		guard_sw_signal(sw->req_trigger);
	} else if (!count) {
		pci_warn(sw->pdev, "context %d: its VMM cannot be asked to release it; waiting until it does\n",
			 sw->led.vf_index);
	}
	spin_unlock_irqrestore(&sw->irq_lock, flags);
}

static int guard_sw_set_msix(struct guard_sw *sw, struct vfio_irq_set *hdr,
			     const u8 *data)
{
	u32 i, v;

	if ((hdr->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;	/* no per-vector masking through VFIO */

	switch (hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		if (!hdr->count) {
			for (v = 0; v < CDNA_VF_NUM_MSIX; v++)
				guard_sw_trigger_set(sw, v, NULL);
			return 0;
		}
		guard_sw_raise(sw, GENMASK(hdr->start + hdr->count - 1,
					   hdr->start));
		return 0;
	case VFIO_IRQ_SET_DATA_BOOL:
		for (i = 0; i < hdr->count; i++)
			if (data[i])
				guard_sw_raise(sw, BIT(hdr->start + i));
		return 0;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		for (i = 0; i < hdr->count; i++) {
			s32 fd = ((const s32 *)data)[i];
			struct eventfd_ctx *ctx = NULL;

			if (fd >= 0) {
				ctx = eventfd_ctx_fdget(fd);
				if (IS_ERR(ctx))
					return PTR_ERR(ctx);
			}
			guard_sw_trigger_set(sw, hdr->start + i, ctx);
		}
		return 0;
	default:
		return -EINVAL;
	}
}

static long guard_sw_set_irqs(struct guard_sw *sw, unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	u8 *data = NULL;
	int nirqs, ret;

	if (copy_from_user(&hdr, (void __user *)arg, minsz))
		return -EFAULT;
	if (hdr.index == VFIO_PCI_MSIX_IRQ_INDEX)
		nirqs = CDNA_VF_NUM_MSIX;
	else if (hdr.index == VFIO_PCI_REQ_IRQ_INDEX)
		nirqs = 1;
	else
		nirqs = 0;
	ret = vfio_set_irqs_validate_and_prepare(&hdr, nirqs, VFIO_PCI_NUM_IRQS,
						 &data_size);
	if (ret)
		return ret;
	if (!nirqs)
		return hdr.count ? -EINVAL : 0;	/* INTx, MSI, ERR: none */
	if (data_size) {
		data = memdup_user((void __user *)(arg + minsz), data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}
	if (hdr.index == VFIO_PCI_REQ_IRQ_INDEX)
		ret = guard_sw_set_req(sw, &hdr, data);
	else
		ret = guard_sw_set_msix(sw, &hdr, data);
	kfree(data);
	return ret;
}

static long guard_sw_ioctl(struct vfio_device *vdev, unsigned int cmd,
			   unsigned long arg)
{
	struct guard_sw *sw = vdev_to_sw(vdev);
	long ret;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return guard_sw_get_info(arg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return guard_sw_region_info(arg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return guard_sw_irq_info(arg);
	case VFIO_DEVICE_SET_IRQS:
		return guard_sw_set_irqs(sw, arg);
	case VFIO_DEVICE_RESET:
		ret = -EIO;	/* a quarantined context stays stopped */
		mutex_lock(&sw->lock);
		if (!sw->quarantined) {
			guard_sw_reset(sw);
			ret = 0;
		}
		mutex_unlock(&sw->lock);
		return ret;
	default:
		return -ENOTTY;
	}
}

static int guard_sw_open_device(struct vfio_device *vdev)
{
	struct guard_sw *sw = vdev_to_sw(vdev);
	int ret;

	ret = guard_ledger_hold(&sw->led);
	if (ret)
		return ret;
	mutex_lock(&sw->lock);
	guard_sw_cfg_init(sw);
	sw->mbx_r2c = 0;
	memset(sw->fence, 0, sizeof(sw->fence));
	sw->open = true;
	sw->quarantined = false;
	guard_sw_reset(sw);
	sw->refused_base = sw->snap.refused;
	guard_sw_stat_base(sw);
	mutex_unlock(&sw->lock);
	guard_ledger_opened(&sw->led);
	return 0;
}

/*
 * The VMM closed the device or died.  VFIO calls this before it drops the
 * VM's mappings: the queues stop and every page is unpinned here.
 */
static void guard_sw_close_device(struct vfio_device *vdev)
{
	struct guard_sw *sw = vdev_to_sw(vdev);
	u64 start = ktime_get_ns();
	int v, ret;

	guard_ledger_closing(&sw->led);
	ret = sw->led.pf_ops->quiesce(sw->pdev);
	mutex_lock(&sw->lock);
	guard_sw_reset(sw);
	sw->open = false;
	mutex_unlock(&sw->lock);
	cancel_work_sync(&sw->work);
	for (v = 0; v < CDNA_VF_NUM_MSIX; v++)
		guard_sw_trigger_set(sw, v, NULL);
	guard_sw_eventfd_set(sw, &sw->req_trigger, NULL);
	guard_ledger_closed(&sw->led, start, ret);
}

/*
 * The VMM unmaps guest memory (ballooning, hot-unplug, or an attack): no
 * page of it may stay pinned or reachable by the NIC.  A queue holding a
 * page in the range is stopped and emptied; the VM sees its queue
 * disabled, as after an error, and must set it up again.
 */
static void guard_sw_dma_unmap(struct vfio_device *vdev, u64 iova, u64 len)
{
	struct guard_sw *sw = vdev_to_sw(vdev);
	struct guard_swq *qs[] = { &sw->rxq, &sw->txq };
	struct guard_sw_fence *f;
	int i;

	/*
	 * Called with type1's device_list_lock held and its iommu->lock
	 * not: sw->lock and the unpins below are allowed here (the order is
	 * in the comment at the top of this file).
	 */
	mutex_lock(&sw->lock);
	/*
	 * type1 looks for pins left in the range once this returns, and
	 * BUG()s after ten rounds: no tail write may pin into it meanwhile.
	 */
	f = &sw->fence[0];
	for (i = 1; i < GUARD_SW_FENCES; i++)
		if (time_before(sw->fence[i].until, f->until))
			f = &sw->fence[i];
	f->iova = iova;
	f->len = len;
	f->until = jiffies + msecs_to_jiffies(GUARD_SW_FENCE_MS);
	for (i = 0; i < ARRAY_SIZE(qs); i++) {
		if (!guard_swq_pins_range(qs[i], iova, len))
			continue;
		dev_warn_ratelimited(&sw->pdev->dev,
				     "context %d: the VM unmapped memory its %s queue uses (iova %#llx+%#llx): queue stopped\n",
				     sw->led.vf_index, qs[i]->rx ? "RX" : "TX",
				     iova, len);
		guard_swq_disable(sw, qs[i]);
		qs[i]->stopped = true;
	}
	/* Nothing in flight uses the range now: the cache lets go of it. */
	guard_swq_unpin_range(sw, iova, len);
	guard_sw_snap(sw);
	mutex_unlock(&sw->lock);
}

static const struct vfio_device_ops guard_sw_vfio_ops = {
	.name = "vmm-guard-sw",
	.open_device = guard_sw_open_device,
	.close_device = guard_sw_close_device,
	.read = guard_sw_read,
	.write = guard_sw_write,
	.ioctl = guard_sw_ioctl,
	.dma_unmap = guard_sw_dma_unmap,
	.request = guard_sw_request,
#ifdef VFIO_DEVICE_BIND_IOMMUFD
	.bind_iommufd = vfio_iommufd_emulated_bind,
	.unbind_iommufd = vfio_iommufd_emulated_unbind,
	.attach_ioas = vfio_iommufd_emulated_attach_ioas,
	.detach_ioas = vfio_iommufd_emulated_detach_ioas,
#endif
};

static int guard_sw_mdev_probe(struct mdev_device *mdev)
{
	struct guard_sw *sw = dev_get_drvdata(mdev->type->parent->dev);
	struct guard_sw_dev *sdev;
	int ret;

	sdev = vfio_alloc_device(guard_sw_dev, vdev, &mdev->dev,
				 &guard_sw_vfio_ops);
	if (IS_ERR(sdev))
		return PTR_ERR(sdev);
	sdev->sw = sw;
	dev_set_drvdata(&mdev->dev, sdev);
	/* Before the device can be opened: every path uses sw->vdev. */
	mutex_lock(&sw->lock);
	sw->vdev = &sdev->vdev;
	spin_lock(&sw->snap_lock);
	snprintf(sw->uuid, sizeof(sw->uuid), "%pUl", &mdev->uuid);
	spin_unlock(&sw->snap_lock);
	mutex_unlock(&sw->lock);
	ret = vfio_register_emulated_iommu_dev(&sdev->vdev);
	if (ret) {
		mutex_lock(&sw->lock);
		sw->vdev = NULL;
		spin_lock(&sw->snap_lock);
		sw->uuid[0] = '\0';
		spin_unlock(&sw->snap_lock);
		mutex_unlock(&sw->lock);
		vfio_put_device(&sdev->vdev);
		return ret;
	}
	pci_info(sw->pdev, "context %d offered to VMs as mediated device %pUl (software mode)\n",
		 sw->led.vf_index, &mdev->uuid);
	return 0;
}

static void guard_sw_mdev_remove(struct mdev_device *mdev)
{
	struct guard_sw_dev *sdev = dev_get_drvdata(&mdev->dev);
	struct guard_sw *sw = sdev->sw;

	vfio_unregister_group_dev(&sdev->vdev);
	mutex_lock(&sw->lock);
	sw->vdev = NULL;
	spin_lock(&sw->snap_lock);
	sw->uuid[0] = '\0';
	spin_unlock(&sw->snap_lock);
	mutex_unlock(&sw->lock);
	vfio_put_device(&sdev->vdev);
}

static ssize_t guard_sw_description(struct mdev_type *mtype, char *buf)
{
	return sysfs_emit(buf, "CDNA context, software protection mode (82576 VF)\n");
}

static struct mdev_driver guard_sw_mdev_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.max_instances = 1,
	.driver = {
		.name = CDNA_GUARD_SW_DRIVER,
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
	},
	.probe = guard_sw_mdev_probe,
	.remove = guard_sw_mdev_remove,
	.show_description = guard_sw_description,
};

static int guard_sw_hw_init(struct guard_sw *sw)
{
	struct pci_dev *pdev = sw->pdev;
	int ret, v;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(CDNA_VF_BAR_REGS), CDNA_GUARD_SW_DRIVER);
	if (ret)
		return ret;
	sw->hw = pcim_iomap_table(pdev)[CDNA_VF_BAR_REGS];
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	pci_set_master(pdev);
	ret = pci_alloc_irq_vectors(pdev, CDNA_VF_NUM_MSIX, CDNA_VF_NUM_MSIX,
				    PCI_IRQ_MSIX);
	if (ret < 0)
		return ret;
	for (v = 0; v < CDNA_VF_NUM_MSIX; v++) {
		ret = devm_request_irq(&pdev->dev, pci_irq_vector(pdev, v),
				       guard_sw_irq, 0, CDNA_GUARD_SW_DRIVER, sw);
		if (ret) {
			while (--v >= 0)
				devm_free_irq(&pdev->dev,
					      pci_irq_vector(pdev, v), sw);
			pci_free_irq_vectors(pdev);
			return ret;
		}
	}
	return 0;
}

static void guard_sw_hw_fini(struct guard_sw *sw)
{
	int v;

	guard_sw_wr(sw, CDNA_VF_EIMC, GENMASK(CDNA_VF_NUM_MSIX - 1, 0));
	for (v = 0; v < CDNA_VF_NUM_MSIX; v++)
		devm_free_irq(&sw->pdev->dev, pci_irq_vector(sw->pdev, v), sw);
	pci_free_irq_vectors(sw->pdev);
	cancel_work_sync(&sw->work);
	pci_clear_master(sw->pdev);
}

static int guard_sw_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	const struct cdna_ctx_ops *ops;
	struct guard_sw *sw;
	int index, ret;

	ret = guard_ctx_ops_get(pdev, &ops, &index);
	if (ret)
		return ret;
	sw = kzalloc(sizeof(*sw), GFP_KERNEL);
	if (!sw) {
		ret = -ENOMEM;
		goto err_put_ops;
	}
	guard_ledger_init(&sw->led, pdev, ops, index);
	sw->pdev = pdev;
	mutex_init(&sw->lock);
	spin_lock_init(&sw->irq_lock);
	spin_lock_init(&sw->snap_lock);
	INIT_WORK(&sw->work, guard_sw_work);
	xa_init(&sw->pins);
	sw->rxq.rx = true;
	dev_set_drvdata(&pdev->dev, sw);

	ret = guard_sw_hw_init(sw);
	if (ret) {
		pci_err(pdev, "context %d: cannot take the VF (%d)\n", index, ret);
		goto err_free;
	}
	sw->type.sysfs_name = CDNA_GUARD_SW_MDEV_NAME;
	sw->type.pretty_name = "CDNA context (software mode)";
	sw->types[0] = &sw->type;
	ret = mdev_register_parent(&sw->parent, &pdev->dev,
				   &guard_sw_mdev_driver, sw->types,
				   ARRAY_SIZE(sw->types));
	if (ret)
		goto err_hw;
	pci_info(pdev, "context %d of %s ready for VFIO (software mode)\n",
		 index, pci_name(pci_physfn(pdev)));
	return 0;

err_hw:
	guard_sw_hw_fini(sw);
err_free:
	mutex_destroy(&sw->lock);
	guard_ledger_destroy(&sw->led);
	kfree(sw);
err_put_ops:
	symbol_put(cdna_pf_ctx_ops);
	return ret;
}

static void guard_sw_remove(struct pci_dev *pdev)
{
	struct guard_sw *sw = dev_get_drvdata(&pdev->dev);

	/* Removes the mediated device, after its VMM let go of it. */
	mdev_unregister_parent(&sw->parent);
	guard_sw_hw_fini(sw);
	xa_destroy(&sw->pins);
	mutex_destroy(&sw->lock);
	guard_ledger_destroy(&sw->led);
	kfree(sw);
	symbol_put(cdna_pf_ctx_ops);
}

static const struct pci_device_id guard_sw_ids[] = {
	{ PCI_DRIVER_OVERRIDE_DEVICE_VFIO(CDNA_PCI_VENDOR, CDNA_82576_VF) },
	{ PCI_DRIVER_OVERRIDE_DEVICE_VFIO(CDNA_PCI_VENDOR, CDNA_82576_VF_HV) },
	{ }
};

static struct pci_driver guard_sw_driver = {
	.name = CDNA_GUARD_SW_DRIVER,
	.id_table = guard_sw_ids,
	.probe = guard_sw_probe,
	.remove = guard_sw_remove,
	.dev_groups = guard_ledger_groups,
};

int guard_sw_register(void)
{
	int ret;

	ret = mdev_register_driver(&guard_sw_mdev_driver);
	if (ret)
		return ret;
	ret = pci_register_driver(&guard_sw_driver);
	if (ret)
		mdev_unregister_driver(&guard_sw_mdev_driver);
	return ret;
}

void guard_sw_unregister(void)
{
	pci_unregister_driver(&guard_sw_driver);
	mdev_unregister_driver(&guard_sw_mdev_driver);
}
