// SPDX-License-Identifier: GPL-2.0
/*
 * vmm_guard, software mode: the shadow rings and the DMA strategy.
 *
 * The VM's rings stay in guest memory, where the VM may rewrite them at
 * any time; the NIC runs on shadow rings here.  On a tail write the new
 * guest descriptors are copied once (vfio_dma_rw), and the ring engine
 * (kmod/include/cdna_swring.c) validates each copy, pins the guest pages
 * it names (vfio_pin_pages: only pages the VMM mapped for the VM can be
 * pinned) and maps them for the VF (the DMA API), and writes translated
 * descriptors into the shadow ring.  Only then does the NIC's tail move.
 * Packet data goes straight between the NIC and guest pages, except a
 * receive buffer that crosses host pages that are not contiguous, which is
 * bounced (counted).
 *
 * Strategies (guard/strategy, chosen while the context is free):
 *   - "per-desc": a buffer's pages are pinned and mapped when posted and
 *     unmapped and unpinned when completed.  On a host with an IOMMU the
 *     DMA API confines the NIC to the buffers in flight; without one the
 *     validation is the protection.
 *   - "cache": a guest page is pinned the first time a descriptor names
 *     it and stays pinned until the queues are reset, the VM unmaps it or
 *     lets go of the context (pinning is the expensive part); mappings
 *     are still made per descriptor.  The VMM's RLIMIT_MEMLOCK bounds the
 *     pins, as for any VFIO user: a page that cannot be pinned refuses
 *     its descriptor.
 *
 * Everything here runs with the context's lock held (guard_sw.c), in
 * process context: the VMM's thread for register writes, a kernel worker
 * for completions; both may sleep, as pinning and vfio_dma_rw() do.
 */
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/iopoll.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "guard_sw.h"

/* How long the NIC may take to stop a queue (datasheet: a few us). */
#define GUARD_SWQ_STOP_US	10000

/*
 * The VMM unmapped these IOVAs a moment ago: type1 checks after its
 * .dma_unmap callback that no pin is left and BUG()s after ten tries, so
 * a tail write racing the unmap must not pin them again.
 */
static bool guard_swq_fenced(struct guard_sw *sw, u64 iova)
{
	int i;

	for (i = 0; i < GUARD_SW_FENCES; i++) {
		struct guard_sw_fence *f = &sw->fence[i];

		if (f->len && time_before(jiffies, f->until) &&
		    iova >= f->iova && iova - f->iova < f->len)
			return true;
	}
	return false;
}

static int guard_swq_pin(void *priv, u64 iova, u64 *pfn)
{
	struct guard_sw *sw = priv;
	struct page *page;
	int ret;

	if (guard_swq_fenced(sw, iova))
		return -EBUSY;
	if (sw->strategy == GUARD_SW_CACHE) {
		page = xa_load(&sw->pins, iova >> PAGE_SHIFT);
		if (page) {
			*pfn = page_to_pfn(page);
			return 0;
		}
	}
	ret = vfio_pin_pages(sw->vdev, iova, 1, IOMMU_READ | IOMMU_WRITE,
			     &page);
	if (ret != 1)
		return ret < 0 ? ret : -EFAULT;
	/*
	 * type1 pins reserved pages (a PFNMAP of reserved RAM) without a
	 * reference: nothing would keep them while the NIC uses them.
	 */
	if (PageReserved(page)) {
		vfio_unpin_pages(sw->vdev, iova, 1);
		return -EPERM;
	}
	if (sw->strategy == GUARD_SW_CACHE) {
		ret = xa_err(xa_store(&sw->pins, iova >> PAGE_SHIFT, page,
				      GFP_KERNEL_ACCOUNT));
		if (ret) {
			vfio_unpin_pages(sw->vdev, iova, 1);
			return ret;
		}
		sw->npins++;
	}
	*pfn = page_to_pfn(page);
	return 0;
}

/* Cached pins stay until guard_swq_unpin_range(). */
static void guard_swq_unpin(void *priv, u64 iova)
{
	struct guard_sw *sw = priv;

	if (sw->strategy != GUARD_SW_CACHE)
		vfio_unpin_pages(sw->vdev, iova, 1);
}

/**
 * guard_swq_unpin_range - drop the cached pins of an IOVA range
 * @sw: the context
 * @iova: start
 * @len: bytes; ~0 with @iova 0 for everything
 *
 * No descriptor in flight may use the range: the queues that did were
 * stopped and emptied first.
 */
void guard_swq_unpin_range(struct guard_sw *sw, u64 iova, u64 len)
{
	unsigned long first = iova >> PAGE_SHIFT;
	unsigned long last = (iova + len - 1) >> PAGE_SHIFT;
	unsigned long index;
	struct page *page;

	lockdep_assert_held(&sw->lock);
	if (iova + len - 1 < iova)
		last = ULONG_MAX;
	xa_for_each_range(&sw->pins, index, page, first, last) {
		xa_erase(&sw->pins, index);
		vfio_unpin_pages(sw->vdev, (u64)index << PAGE_SHIFT, 1);
		sw->npins--;
	}
}

static int guard_swq_map(void *priv, u64 pfn, u32 off, u32 len, bool to_dev,
			 u64 *bus)
{
	struct guard_sw *sw = priv;
	dma_addr_t dma;

	dma = dma_map_page(&sw->pdev->dev, pfn_to_page(pfn), off, len,
			   to_dev ? DMA_TO_DEVICE : DMA_FROM_DEVICE);
	if (dma_mapping_error(&sw->pdev->dev, dma))
		return -ENOMEM;
	*bus = dma;
	return 0;
}

static void guard_swq_unmap(void *priv, u64 bus, u32 len, bool to_dev)
{
	struct guard_sw *sw = priv;

	dma_unmap_page(&sw->pdev->dev, bus, len,
		       to_dev ? DMA_TO_DEVICE : DMA_FROM_DEVICE);
}

/* A bounce buffer on the free list: where it is, in its own first bytes. */
struct guard_swq_bfree {
	void *next;
	dma_addr_t dma;
};

static void guard_swq_bounce_put(struct guard_swq *q, u32 slot)
{
	struct guard_swq_bfree *b = q->bounce[slot];

	b->next = q->bounce_free;
	b->dma = q->bounce_dma[slot];
	q->bounce_free = b;
	q->bounce[slot] = NULL;
}

/*
 * RX only: a host buffer for a slot whose guest buffer crosses host pages
 * that are not contiguous, from a pool of at most GUARD_SW_BOUNCE_BYTES;
 * when it is used up, the descriptor waits until a buffer comes back.
 */
static int guard_swq_bounce(void *priv, u32 slot, u32 len, u64 *bus)
{
	struct guard_sw *sw = priv;
	struct guard_swq *q = &sw->rxq;
	struct guard_swq_bfree *b;

	if (slot >= q->eng.count || len > cdna_sw_rx_bounce_size(&q->eng))
		return -EINVAL;
	if (!q->bounce[slot]) {
		if (q->bounce_free) {
			b = q->bounce_free;
			q->bounce_free = b->next;
			q->bounce[slot] = b;
			q->bounce_dma[slot] = b->dma;
		} else {
			if ((q->bounce_n + 1) *
			    cdna_sw_rx_bounce_size(&q->eng) >
			    GUARD_SW_BOUNCE_BYTES)
				return -ENOMEM;
			q->bounce[slot] = dma_alloc_coherent(&sw->pdev->dev,
							     cdna_sw_rx_bounce_size(&q->eng),
							     &q->bounce_dma[slot],
							     GFP_KERNEL);
			if (!q->bounce[slot])
				return -ENOMEM;
			q->bounce_n++;
		}
	}
	*bus = q->bounce_dma[slot];
	return 0;
}

/*
 * A TX packet's first bytes: copied once from guest memory (only what the
 * VMM mapped for the VM can be read) into host memory the VM cannot
 * reach, checked there against the context's policy, and the NIC reads
 * them from there: the guest cannot change them after the check.
 */
static enum cdna_sw_reason guard_swq_tx_hdr(void *priv, u32 slot,
					    const struct cdna_sw_tx_hdr *h,
					    u64 *bus)
{
	struct guard_sw *sw = priv;
	struct guard_swq *q = &sw->txq;
	u32 i, off = 0;
	u8 *buf;

	if (slot >= q->eng.count || h->len > CDNA_SW_TX_HDR_BUF)
		return CDNA_SW_LEN;
	buf = q->hdr + (size_t)slot * CDNA_SW_TX_HDR_BUF;
	for (i = 0; i < h->nseg; i++) {
		if (guard_swq_fenced(sw, h->seg[i].iova) ||
		    vfio_dma_rw(sw->vdev, h->seg[i].iova, buf + off,
				h->seg[i].len, false))
			return CDNA_SW_ADDR;
		off += h->seg[i].len;
	}
	*bus = q->hdr_dma + (size_t)slot * CDNA_SW_TX_HDR_BUF;
	return cdna_sw_tx_policy(&sw->policy, buf, h->len, h->vle,
				 h->vle_tci);
}

static const struct cdna_sw_mem_ops guard_swq_mem_ops = {
	.pin = guard_swq_pin,
	.unpin = guard_swq_unpin,
	.map = guard_swq_map,
	.unmap = guard_swq_unmap,
	.bounce = guard_swq_bounce,
	.tx_hdr = guard_swq_tx_hdr,
};

static u32 guard_swq_reg(struct guard_swq *q, u32 rx_reg, u32 tx_reg)
{
	return q->rx ? rx_reg : tx_reg;
}

static void guard_swq_free(struct guard_sw *sw, struct guard_swq *q)
{
	struct device *dev = &sw->pdev->dev;
	u32 i;

	if (q->bounce) {
		for (i = 0; i < q->eng.count; i++)
			if (q->bounce[i])
				guard_swq_bounce_put(q, i);
		while (q->bounce_free) {
			struct guard_swq_bfree *b = q->bounce_free;

			q->bounce_free = b->next;
			dma_free_coherent(dev, cdna_sw_rx_bounce_size(&q->eng),
					  b, b->dma);
		}
	}
	q->bounce_n = 0;
	kvfree(q->bounce);
	kvfree(q->bounce_dma);
	if (q->head_wb)
		dma_free_coherent(dev, sizeof(*q->head_wb), q->head_wb,
				  q->head_wb_dma);
	if (q->hdr)
		dma_free_coherent(dev, q->hdr_bytes, q->hdr, q->hdr_dma);
	if (q->shadow)
		dma_free_coherent(dev, q->shadow_bytes, q->shadow,
				  q->shadow_dma);
	kvfree(q->done);
	kvfree(q->copy);
	kvfree(q->runs);
	kvfree(q->slots);
	q->bounce = NULL;
	q->bounce_dma = NULL;
	q->head_wb = NULL;
	q->hdr = NULL;
	q->shadow = NULL;
	q->done = NULL;
	q->copy = NULL;
	q->runs = NULL;
	q->slots = NULL;
}

static int guard_swq_alloc(struct guard_sw *sw, struct guard_swq *q,
			   u32 count)
{
	struct device *dev = &sw->pdev->dev;
	enum cdna_sw_kind kind = q->rx ? CDNA_SW_RX : CDNA_SW_TX;
	u32 nshadow = cdna_sw_shadow_count(kind, count);
	size_t done = q->rx ? sizeof(struct cdna_sw_rx_done) :
			      sizeof(struct cdna_sw_tx_done);

	q->slots = kvcalloc(cdna_sw_q_slots(count), sizeof(*q->slots),
			    GFP_KERNEL);
	q->runs = kvcalloc(nshadow, sizeof(*q->runs), GFP_KERNEL);
	q->copy = kvcalloc(count, CDNA_DESC_SIZE, GFP_KERNEL);
	q->done = kvcalloc(count, done, GFP_KERNEL);
	q->shadow_bytes = (size_t)nshadow * CDNA_DESC_SIZE;
	q->shadow = dma_alloc_coherent(dev, q->shadow_bytes, &q->shadow_dma,
				       GFP_KERNEL);
	if (!q->slots || !q->runs || !q->copy || !q->done || !q->shadow)
		return -ENOMEM;
	if (q->rx) {
		q->bounce = kvcalloc(count, sizeof(*q->bounce), GFP_KERNEL);
		q->bounce_dma = kvcalloc(count, sizeof(*q->bounce_dma),
					 GFP_KERNEL);
		if (!q->bounce || !q->bounce_dma)
			return -ENOMEM;
	} else {
		q->head_wb = dma_alloc_coherent(dev, sizeof(*q->head_wb),
						&q->head_wb_dma, GFP_KERNEL);
		q->hdr_bytes = (size_t)count * CDNA_SW_TX_HDR_BUF;
		q->hdr = dma_alloc_coherent(dev, q->hdr_bytes, &q->hdr_dma,
					    GFP_KERNEL);
		if (!q->head_wb || !q->hdr)
			return -ENOMEM;
	}
	return 0;
}

/**
 * guard_swq_enable - the VM enabled a queue: shadow its ring on the NIC
 * @sw: the context
 * @q: the queue
 *
 * Return: 0, or -EINVAL (logged) for a geometry the guard refuses,
 * -ENOMEM; the queue then stays off and the VM sees it disabled.
 */
int guard_swq_enable(struct guard_sw *sw, struct guard_swq *q)
{
	enum cdna_sw_kind kind = q->rx ? CDNA_SW_RX : CDNA_SW_TX;
	u64 ring = (u64)q->vr.bah << 32 | q->vr.bal;
	u32 bufsz = 0, hdrsz = 0, count;
	int ret;

	lockdep_assert_held(&sw->lock);
	if (q->rx) {
		ret = cdna_sw_rx_split(q->vr.srrctl, &bufsz, &hdrsz);
		if (ret)
			goto refused;
	}
	ret = cdna_sw_geom_check(kind, ring, q->vr.len, bufsz);
	if (ret)
		goto refused;
	count = q->vr.len / CDNA_DESC_SIZE;
	ret = guard_swq_alloc(sw, q, count);
	if (ret)
		goto err_free;
	ret = cdna_sw_q_init_split(&q->eng, kind, ring, q->vr.len, bufsz,
				   hdrsz, 0, q->slots, q->runs);
	if (ret)
		goto err_free;
	q->told_spoof = 0;
	q->told_vlan = 0;

	if (q->rx) {
		/* The VM's buffer sizes, descriptor type and DROP_EN only. */
		guard_sw_wr(sw, CDNA_VF_SRRCTL(0),
			    cdna_sw_rx_srrctl(q->vr.srrctl));
	} else {
		/* In-order head write-backs: the completion logic needs them. */
		guard_sw_wr(sw, CDNA_VF_TXCTL(0),
			    guard_sw_rd(sw, CDNA_VF_TXCTL(0)) &
			    ~CDNA_VF_TXCTL_WB_RO_EN);
		*q->head_wb = 0;
		guard_sw_wr(sw, CDNA_VF_TDWBAH(0), upper_32_bits(q->head_wb_dma));
		guard_sw_wr(sw, CDNA_VF_TDWBAL(0), lower_32_bits(q->head_wb_dma) |
						  CDNA_VF_TDWBAL_ENABLE);
	}
	guard_sw_wr(sw, guard_swq_reg(q, CDNA_VF_RDBAL(0), CDNA_VF_TDBAL(0)),
		    lower_32_bits(q->shadow_dma));
	guard_sw_wr(sw, guard_swq_reg(q, CDNA_VF_RDBAH(0), CDNA_VF_TDBAH(0)),
		    upper_32_bits(q->shadow_dma));
	guard_sw_wr(sw, guard_swq_reg(q, CDNA_VF_RDLEN(0), CDNA_VF_TDLEN(0)),
		    q->shadow_bytes);
	guard_sw_wr(sw, guard_swq_reg(q, CDNA_VF_RDH(0), CDNA_VF_TDH(0)), 0);
	guard_sw_wr(sw, guard_swq_reg(q, CDNA_VF_RDT(0), CDNA_VF_TDT(0)), 0);
	/* The thresholds are the VM's; the enable bit is the same for both. */
	guard_sw_wr(sw, guard_swq_reg(q, CDNA_VF_RXDCTL(0), CDNA_VF_TXDCTL(0)),
		    q->vr.dctl | CDNA_VF_RXDCTL_ENABLE);
	q->live = true;

	/* A tail the VM wrote before enabling the queue. */
	if (q->vr.tail)
		guard_swq_tail(sw, q, q->vr.tail);
	return 0;

refused:
	dev_warn_ratelimited(&sw->pdev->dev,
			     "context %d: %s ring refused: base %#llx, %u bytes, SRRCTL %#x\n",
			     sw->led.vf_index, q->rx ? "RX" : "TX", ring,
			     q->vr.len, q->vr.srrctl);
err_free:
	guard_swq_free(sw, q);
	return ret;
}

static void guard_swq_stats_add(struct guard_sw_stats *st,
				const struct cdna_sw_stats *es)
{
	st->validated += es->validated;
	st->refused += es->refused;
	st->pinned += es->pinned;
	st->bounced += es->bounced;
	st->split += es->split;
	st->spoof += es->why[CDNA_SW_SPOOF];
	st->vlan += es->why[CDNA_SW_VLAN];
}

/**
 * guard_swq_disable - stop a queue on the NIC and let go of everything
 * @sw: the context
 * @q: the queue
 *
 * The NIC stops DMAing for the queue before anything is unmapped or
 * unpinned; what was in flight is dropped, not completed.
 */
void guard_swq_disable(struct guard_sw *sw, struct guard_swq *q)
{
	u32 dctl = guard_swq_reg(q, CDNA_VF_RXDCTL(0), CDNA_VF_TXDCTL(0));
	u32 val;

	lockdep_assert_held(&sw->lock);
	if (!q->live)
		return;
	guard_sw_wr(sw, dctl, q->vr.dctl & ~CDNA_VF_RXDCTL_ENABLE);
	if (readl_poll_timeout(sw->hw + dctl, val,
			       !(val & CDNA_VF_RXDCTL_ENABLE), 10,
			       GUARD_SWQ_STOP_US)) {
		/*
		 * Nothing may be unpinned or freed while the NIC may still
		 * use it: cut the VF off the bus and reset it.
		 */
		dev_warn_ratelimited(&sw->pdev->dev,
				     "context %d: %s queue did not stop: resetting the VF\n",
				     sw->led.vf_index, q->rx ? "RX" : "TX");
		guard_sw_hw_kill(sw);
	}
	if (!q->rx)
		guard_sw_wr(sw, CDNA_VF_TDWBAL(0), 0);
	cdna_sw_q_drop_all(&q->eng, &guard_swq_mem_ops, sw);
	guard_swq_stats_add(&sw->total, &q->eng.stats);
	guard_swq_free(sw, q);
	memset(&q->eng, 0, sizeof(q->eng));
	q->live = false;
}

/* The VM's ring cannot be read or written: stop the queue. */
static void guard_swq_fault(struct guard_sw *sw, struct guard_swq *q,
			    u64 iova, int err)
{
	dev_warn_ratelimited(&sw->pdev->dev,
			     "context %d: %s ring at %#llx not accessible (%d): queue stopped\n",
			     sw->led.vf_index, q->rx ? "RX" : "TX", iova, err);
	guard_swq_disable(sw, q);
	q->stopped = true;
}

/* Copy @n guest descriptors from slot @first on, wrapping, once. */
static int guard_swq_copy_in(struct guard_sw *sw, struct guard_swq *q,
			     u32 first, u32 n)
{
	u32 part = min(n, q->eng.count - first);
	u64 ring = q->eng.ring;
	int ret;

	ret = vfio_dma_rw(sw->vdev, ring + (u64)first * CDNA_DESC_SIZE,
			  q->copy, (size_t)part * CDNA_DESC_SIZE, false);
	if (!ret && n > part)
		ret = vfio_dma_rw(sw->vdev, ring,
				  q->copy + (size_t)part * CDNA_DESC_SIZE,
				  (size_t)(n - part) * CDNA_DESC_SIZE, false);
	return ret;
}

/*
 * The context's TX policy as cdna_pf has it now: the VM may change its
 * MAC or VLANs through the mailbox at any time.  If it cannot be had,
 * nothing passes (no address is the context's).
 */
static void guard_swq_tx_policy(struct guard_sw *sw)
{
	if (sw->led.pf_ops->tx_policy(sw->pdev, &sw->policy)) {
		memset(&sw->policy, 0, sizeof(sw->policy));
		sw->policy.check_mac = true;
	}
}

/* Count the policy's drops with the context's statistics on the PF. */
static void guard_swq_tx_dropped(struct guard_sw *sw, struct guard_swq *q)
{
	u64 spoof = q->eng.stats.why[CDNA_SW_SPOOF];
	u64 vlan = q->eng.stats.why[CDNA_SW_VLAN];

	if (spoof == q->told_spoof && vlan == q->told_vlan)
		return;
	sw->led.pf_ops->tx_dropped(sw->pdev, spoof - q->told_spoof,
				   vlan - q->told_vlan);
	if (spoof != q->told_spoof)
		dev_warn_ratelimited(&sw->pdev->dev,
				     "context %d: TX frames with a source MAC not the context's dropped (%llu)\n",
				     sw->led.vf_index, spoof);
	if (vlan != q->told_vlan)
		dev_warn_ratelimited(&sw->pdev->dev,
				     "context %d: TX frames with a VLAN tag the context may not use dropped (%llu)\n",
				     sw->led.vf_index, vlan);
	q->told_spoof = spoof;
	q->told_vlan = vlan;
}

/* Post (or retry posting) and move the NIC's tail. */
static void guard_swq_post(struct guard_sw *sw, struct guard_swq *q, u32 n)
{
	u32 ntu = q->eng.ntu;
	int ret;

	if (q->rx) {
		ret = cdna_sw_rx_post(&q->eng, q->copy, n, q->shadow,
				      &guard_swq_mem_ops, sw);
	} else {
		/* Only when there is something to post: it takes the PF's lock. */
		if (n || q->eng.g_next != q->eng.g_copy)
			guard_swq_tx_policy(sw);
		ret = cdna_sw_tx_post(&q->eng, q->copy, n, q->shadow,
				      &guard_swq_mem_ops, sw);
		guard_swq_tx_dropped(sw, q);
	}
	if (ret && ret != -ENOMEM)
		dev_warn_ratelimited(&sw->pdev->dev, "context %d: %s post failed (%d)\n",
				     sw->led.vf_index, q->rx ? "RX" : "TX",
				     ret);
	/* writel() orders the shadow descriptors before the doorbell. */
	if (q->eng.ntu != ntu)
		guard_sw_wr(sw, guard_swq_reg(q, CDNA_VF_RDT(0), CDNA_VF_TDT(0)),
			    q->eng.ntu);
}

/**
 * guard_swq_tail - the VM wrote RDT or TDT
 * @sw: the context
 * @q: the queue
 * @tail: the value written
 *
 * Return: true if descriptors were completed back (refused ones): the
 * caller raises the queue's interrupt.
 */
bool guard_swq_tail(struct guard_sw *sw, struct guard_swq *q, u32 tail)
{
	u32 first, n;
	int ret;

	lockdep_assert_held(&sw->lock);
	q->vr.tail = tail;
	if (!q->live)
		return false;
	ret = cdna_sw_tail(&q->eng, tail, &first, &n);
	if (ret) {
		dev_warn_ratelimited(&sw->pdev->dev,
				     "context %d: %s tail %u refused (head %u, tail %u, %u descriptors): %d\n",
				     sw->led.vf_index, q->rx ? "RX" : "TX",
				     tail, q->eng.g_head, q->eng.g_tail,
				     q->eng.count, ret);
		return false;
	}
	if (!n)
		return false;
	ret = guard_swq_copy_in(sw, q, first, n);
	if (ret) {
		guard_swq_fault(sw, q, q->eng.ring, ret);
		return false;
	}
	guard_swq_post(sw, q, n);
	return guard_swq_complete(sw, q);
}

static int guard_swq_rx_done(struct guard_sw *sw, struct guard_swq *q,
			     struct cdna_sw_rx_done *d)
{
	u64 slot = q->eng.ring + (u64)d->slot * CDNA_DESC_SIZE;
	union cdna_rx_desc wb = d->wb;
	__le32 status = wb.wb.status_error;
	int ret;

	if (d->bounce || d->hdr_bounce) {
		u32 hlen = cdna_sw_rx_hdr_len(&wb);

		ret = 0;
		if (d->bounce)
			ret = vfio_dma_rw(sw->vdev, d->iova, q->bounce[d->slot],
					  le16_to_cpu(wb.wb.length), true);
		/* The header part of the slot's bounce buffer is at bufsz. */
		if (!ret && d->hdr_bounce && hlen)
			ret = vfio_dma_rw(sw->vdev, d->hdr_iova,
					  q->bounce[d->slot] + q->eng.bufsz,
					  hlen, true);
		guard_swq_bounce_put(q, d->slot);
		if (ret)
			return ret;
	}
	/*
	 * The VM may read the descriptor as soon as DD shows: the write-back
	 * goes in without DD, then its status word with it.
	 */
	wb.wb.status_error &= ~cpu_to_le32(CDNA_RXD_STAT_DD);
	ret = vfio_dma_rw(sw->vdev, slot, &wb, sizeof(wb), true);
	if (!ret)
		ret = vfio_dma_rw(sw->vdev,
				  slot + offsetof(union cdna_rx_desc,
						  wb.status_error),
				  &status, sizeof(status), true);
	return ret;
}

static int guard_swq_tx_done(struct guard_sw *sw, struct guard_swq *q,
			     struct cdna_sw_tx_done *d)
{
	u64 slot = q->eng.ring + (u64)d->slot * CDNA_DESC_SIZE;
	__le32 status = cpu_to_le32(CDNA_TXD_STAT_DD);

	if (!d->dd)
		return 0;
	return vfio_dma_rw(sw->vdev,
			   slot + offsetof(union cdna_tx_desc, wb.status),
			   &status, sizeof(status), true);
}

/**
 * guard_swq_complete - hand back what the NIC finished, post what waited
 * @sw: the context
 * @q: the queue
 *
 * Return: true if anything was completed: the VM gets the interrupt.
 */
bool guard_swq_complete(struct guard_sw *sw, struct guard_swq *q)
{
	int n, i, ret = 0;
	u64 wb;

	lockdep_assert_held(&sw->lock);
	if (!q->live)
		return false;
	/* Read the write-backs only after seeing what they say is done. */
	dma_rmb();
	if (q->rx) {
		struct cdna_sw_rx_done *done = q->done;

		n = cdna_sw_rx_complete(&q->eng, q->shadow, done,
					q->eng.count, &guard_swq_mem_ops, sw);
		for (i = 0; i < n && !ret; i++)
			ret = guard_swq_rx_done(sw, q, &done[i]);
	} else {
		struct cdna_sw_tx_done *done = q->done;
		u32 head = le32_to_cpu(READ_ONCE(*q->head_wb));

		n = cdna_sw_tx_complete(&q->eng, head, done, q->eng.count,
					&guard_swq_mem_ops, sw);
		if (n < 0) {
			dev_warn_ratelimited(&sw->pdev->dev, "context %d: TX head %u out of the shadow ring\n",
					     sw->led.vf_index, head);
			n = 0;
		}
		for (i = 0; i < n && !ret; i++)
			ret = guard_swq_tx_done(sw, q, &done[i]);
		if (!ret && n && (q->vr.wbal & CDNA_VF_TDWBAL_ENABLE)) {
			__le32 h = cpu_to_le32(q->eng.g_head);

			wb = (u64)q->vr.wbah << 32 |
			     (q->vr.wbal & ~(u32)(sizeof(h) - 1));
			ret = vfio_dma_rw(sw->vdev, wb, &h, sizeof(h), true);
		}
	}
	if (ret) {
		guard_swq_fault(sw, q, q->eng.ring, ret);
		return n > 0;
	}
	/* Room freed on the shadow ring: post what waited for it. */
	if (n)
		guard_swq_post(sw, q, 0);
	return n > 0;
}

/* RDH/TDH as the VM sees them: the next descriptor it gets back. */
u32 guard_swq_head(struct guard_swq *q)
{
	return q->live ? q->eng.g_head : 0;
}

bool guard_swq_pins_range(struct guard_swq *q, u64 iova, u64 len)
{
	return q->live && cdna_sw_q_pins_range(&q->eng, iova, len);
}

void guard_swq_stats(struct guard_swq *q, struct guard_sw_stats *st)
{
	if (q->live)
		guard_swq_stats_add(st, &q->eng.stats);
}
