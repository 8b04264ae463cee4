/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmm_guard, software mode: the structures the mediated device
 * (guard_sw.c) and the shadow rings (guard_swq.c) share.
 */
#ifndef _GUARD_SW_H_
#define _GUARD_SW_H_

#include <linux/eventfd.h>
#include <linux/mdev.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/vfio.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "cdna_swring.h"
#include "cdna_vf_regs.h"
#include "guard.h"

/* Size of the emulated config space: conventional, no extended space. */
#define GUARD_SW_CFG_SIZE	256
/* BAR0 (registers) and BAR3 (MSI-X) of an 82576 VF: 16 KiB each */
#define GUARD_SW_BAR_SIZE	SZ_16K

/* The VF's real MSI-X vectors, in the layout the stock igbvf uses. */
#define GUARD_SW_VEC_TX		0
#define GUARD_SW_VEC_RX		1
#define GUARD_SW_VEC_MBX	2

/* Bounce buffers one queue may hold at once, in bytes. */
#define GUARD_SW_BOUNCE_BYTES	SZ_4M
/* Recent .dma_unmap ranges no pin may enter (see guard_sw_dma_unmap()). */
#define GUARD_SW_FENCES		4
#define GUARD_SW_FENCE_MS	1000
/* The shortest interrupt interval the VM may set on the real vectors. */
#define GUARD_SW_EITR_MIN_US	20

/* The VF's statistics registers, which the VM reads from its open on. */
#define GUARD_SW_NR_STATS	9

/* A range of guest IOVAs the VMM just unmapped. */
struct guard_sw_fence {
	u64 iova;
	u64 len;
	unsigned long until;	/* jiffies */
};

/* How guest buffers are pinned and mapped (guard/strategy). */
enum guard_sw_strategy {
	GUARD_SW_PER_DESC,	/* pin and map at post, undo at completion */
	GUARD_SW_CACHE,		/* pin a page once, keep it until reset */
};

/* What the VM did to a queue: a register file the guard keeps. */
struct guard_sw_vregs {
	u32 bal;
	u32 bah;
	u32 len;
	u32 srrctl;	/* RX only */
	u32 dctl;	/* RXDCTL, TXDCTL as written */
	u32 wbal;	/* TX only: head write-back address, enable in bit 0 */
	u32 wbah;
	u32 tail;
};

/**
 * struct guard_swq - one of the context's queues (queue 0, RX or TX)
 * @rx: receive (else transmit)
 * @vr: the registers as the VM wrote them
 * @live: enabled on the NIC, on the shadow ring
 * @stopped: stopped by the guard (memory in use unmapped, a ring it
 *	cannot read, geometry refused); the VM must disable and re-enable it
 * @eng: the ring engine's queue (kmod/include/cdna_swring.c)
 * @slots: the engine's per-guest-slot state
 * @runs: the engine's per-shadow-slot state
 * @shadow: the ring the NIC reads, in host memory the VM cannot reach
 * @shadow_dma: its bus address
 * @shadow_bytes: its size
 * @head_wb: TX: where the NIC writes its head (host memory)
 * @head_wb_dma: its bus address
 * @copy: the VM's descriptors, each copied once from guest memory
 * @done: completions to hand back (struct cdna_sw_rx_done or _tx_done)
 * @bounce: RX: per-slot bounce buffer in use, for buffers that cross
 *	non-contiguous pages, or NULL
 * @bounce_dma: their bus addresses
 * @bounce_free: RX: bounce buffers not in use, linked through their
 *	first word
 * @bounce_n: RX: bounce buffers allocated (at most
 *	GUARD_SW_BOUNCE_BYTES worth)
 * @hdr: TX: per guest slot, the copy of its packet's first bytes the
 *	NIC reads (CDNA_SW_TX_HDR_BUF each; host memory)
 * @hdr_dma: its bus address
 * @hdr_bytes: its size
 * @told_spoof: TX: the engine's spoof drops already reported to the PF
 * @told_vlan: and its VLAN drops
 */
struct guard_swq {
	bool rx;
	struct guard_sw_vregs vr;
	bool live;
	bool stopped;
	struct cdna_sw_q eng;
	struct cdna_sw_slot *slots;
	struct cdna_sw_run *runs;
	void *shadow;
	dma_addr_t shadow_dma;
	size_t shadow_bytes;
	__le32 *head_wb;
	dma_addr_t head_wb_dma;
	void *copy;
	void *done;
	void **bounce;
	dma_addr_t *bounce_dma;
	void *bounce_free;
	u32 bounce_n;
	u8 *hdr;
	dma_addr_t hdr_dma;
	size_t hdr_bytes;
	u64 told_spoof;
	u64 told_vlan;
};

/**
 * struct guard_sw - a context bound to the guard in software mode
 * @led: its ledger; first, so that the ledger finds it
 * @pdev: the VF
 * @hw: the VF's registers (BAR0)
 * @parent: mdev parent: the context offers one mediated device
 * @type: its one mdev type
 * @types: the list mdev_register_parent() takes
 * @work: completion handling, queued by the VF's interrupts
 * @lock: protects everything below it but the interrupt state and @snap
 * @snap_lock: protects @snap
 * @snap: the ledger's counters as of the last change, so that reading
 *	them never waits for @lock (held while guest memory is accessed)
 * @vdev: the open mediated device, or NULL
 * @uuid: the mediated device's name while it exists
 * @open: a VMM has it open
 * @quarantined: the VM misbehaved past sw_refused_limit: its queues are
 *	stopped for good and BAR0 answers -EIO until it closes the device
 * @refused_base: descriptors refused before the VM opened the device
 * @strategy: how guest buffers are pinned, chosen while the context is
 *	free (guard/strategy)
 * @pins: GUARD_SW_CACHE: the guest pages pinned, by IOVA page number
 * @npins: entries in @pins
 * @ctrl: CTRL as the VM last wrote it (RST reads 0)
 * @ivar0: IVAR0 as written (only the queue 0 entries act)
 * @ivar_misc: IVAR_MISC as written
 * @eitr: EITR0-2 as written
 * @mbx_r2c: read-to-clear mailbox bits the guard read for the VM
 * @rxq: queue 0, receive
 * @txq: queue 0, transmit
 * @total: the counters of queues gone (reset, close), for the ledger
 * @fence: recent unmapped ranges: pins into them are refused for a while
 * @policy: what the context's frames may carry, from cdna_pf, refreshed
 *	before each TX post
 * @stat_base: the statistics registers when the VMM opened the device
 * @cfg: the emulated config space
 * @irq_lock: protects the interrupt state below; taken in any context
 * @eicr: the VM's interrupt causes
 * @eims: the VM's interrupt mask
 * @eiac: auto-clear
 * @eiam: auto-mask
 * @trigger: the VMM's eventfd for each MSI-X vector, or NULL
 * @req_trigger: the VMM's eventfd for a request to release the device
 *	(VFIO_PCI_REQ_IRQ_INDEX), or NULL
 */
struct guard_sw {
	struct guard_ledger led;
	struct pci_dev *pdev;
	void __iomem *hw;
	struct mdev_parent parent;
	struct mdev_type type;
	struct mdev_type *types[1];
	struct work_struct work;

	struct mutex lock;	/* protects the fields below up to irq_lock */
	struct vfio_device *vdev;
	char uuid[UUID_STRING_LEN + 1];
	bool open;
	bool quarantined;
	u64 refused_base;
	enum guard_sw_strategy strategy;
	struct xarray pins;
	unsigned long npins;
	u32 ctrl;
	u32 ivar0;
	u32 ivar_misc;
	u32 eitr[CDNA_VF_NUM_MSIX];
	u32 mbx_r2c;
	struct guard_swq rxq;
	struct guard_swq txq;
	struct guard_sw_stats total;
	struct guard_sw_fence fence[GUARD_SW_FENCES];
	struct cdna_sw_policy policy;
	u32 stat_base[GUARD_SW_NR_STATS];
	u8 cfg[GUARD_SW_CFG_SIZE];

	spinlock_t snap_lock;	/* protects snap */
	struct guard_sw_stats snap;

	spinlock_t irq_lock;	/* protects the interrupt state below */
	u32 eicr;
	u32 eims;
	u32 eiac;
	u32 eiam;
	struct eventfd_ctx *trigger[CDNA_VF_NUM_MSIX];
	struct eventfd_ctx *req_trigger;
};

static inline u32 guard_sw_rd(struct guard_sw *sw, u32 reg)
{
	return readl(sw->hw + reg);
}

static inline void guard_sw_wr(struct guard_sw *sw, u32 reg, u32 val)
{
	writel(val, sw->hw + reg);
}

/* guard_sw.c */
void guard_sw_hw_irqs(struct guard_sw *sw);
void guard_sw_hw_kill(struct guard_sw *sw);

/* guard_swq.c; every one with sw->lock held */
int guard_swq_enable(struct guard_sw *sw, struct guard_swq *q);
void guard_swq_disable(struct guard_sw *sw, struct guard_swq *q);
bool guard_swq_tail(struct guard_sw *sw, struct guard_swq *q, u32 tail);
bool guard_swq_complete(struct guard_sw *sw, struct guard_swq *q);
u32 guard_swq_head(struct guard_swq *q);
bool guard_swq_pins_range(struct guard_swq *q, u64 iova, u64 len);
void guard_swq_stats(struct guard_swq *q, struct guard_sw_stats *st);
void guard_swq_unpin_range(struct guard_sw *sw, u64 iova, u64 len);
void guard_sw_snap(struct guard_sw *sw);

#endif /* _GUARD_SW_H_ */
