// SPDX-License-Identifier: GPL-2.0
/*
 * cdna_pf data path: the PF's TX/RX queue pair with advanced descriptors
 * and NAPI.
 *
 * RX uses one buffer per frame, sized for the MTU (SRRCTL.BSIZEPKT), so a
 * frame never spans descriptors; a frame that does anyway is dropped.
 * QEMU always writes back 16-byte advanced RX descriptors.  A VLAN tag the
 * NIC stripped (VP) comes from the descriptor.
 *
 * TX uses advanced data descriptors (QEMU only half emulates legacy ones),
 * with a context descriptor in front for checksum offload, TSO and VLAN
 * insertion, built by the shared cdna_tx_offload_skb() (cdna_desc.c,
 * cdna_desc_skb.c).  For TSO the driver gives the chip MSS, header lengths
 * and PAYLEN, and seeds the TCP checksum with the pseudo header without
 * length; QEMU re-parses the headers instead and ignores those fields,
 * and counts one TSO packet in TSCTC and GPTC, however many segments it
 * sends.  Byte queue limits and the TX counters see the segments on the
 * wire.  A buffer is split over descriptors of at most CDNA_TXD_MAX_DATA.
 *
 * QEMU does not pad short frames, so the driver pads them, after resolving
 * a partial checksum in software (QEMU 10.0 would otherwise recompute
 * lengths from the padded frame).
 */
#include <linux/skbuff.h>

#include "pf.h"
#include "pf_fault.h"

static u16 ring_unused(const struct cdna_ring *ring)
{
	return cdna_ring_unused(ring->next_to_clean, ring->next_to_use,
				ring->count);
}

static int ring_alloc(struct cdna_pf *pf, struct cdna_ring *ring, u16 count,
		      size_t buf_size)
{
	ring->pf = pf;
	ring->dev = &pf->pdev->dev;
	ring->count = count;
	ring->size = ALIGN(count * sizeof(union cdna_tx_desc), PAGE_SIZE);
	ring->desc = cdna_fault(CDNA_FAULT_RING) ? NULL :
		     dma_alloc_coherent(ring->dev, ring->size, &ring->dma,
					GFP_KERNEL);
	if (!ring->desc)
		return -ENOMEM;
	ring->tx_buf = kvcalloc(count, buf_size, GFP_KERNEL);
	if (!ring->tx_buf) {
		dma_free_coherent(ring->dev, ring->size, ring->desc, ring->dma);
		ring->desc = NULL;
		return -ENOMEM;
	}
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
	return 0;
}

static void ring_free(struct cdna_ring *ring)
{
	kvfree(ring->tx_buf);
	ring->tx_buf = NULL;
	if (ring->desc)
		dma_free_coherent(ring->dev, ring->size, ring->desc, ring->dma);
	ring->desc = NULL;
}

/**
 * cdna_rings_alloc - allocate the PF's TX and RX rings
 * @pf: the PF
 *
 * Return: 0 or -ENOMEM.
 */
int cdna_rings_alloc(struct cdna_pf *pf)
{
	int err;

	err = ring_alloc(pf, &pf->tx, pf->tx_count, sizeof(struct cdna_tx_buf));
	if (err)
		return err;
	err = ring_alloc(pf, &pf->rx, pf->rx_count, sizeof(struct cdna_rx_buf));
	if (err) {
		ring_free(&pf->tx);
		return err;
	}
	pf->rx.buf_len = max_t(u32, CDNA_RX_BUF_MIN,
			       ALIGN(cdna_mbx_max_frame(pf->netdev->mtu),
				     SZ_1K));
	return 0;
}

/**
 * cdna_rings_free - free the rings (after cdna_rings_clean)
 * @pf: the PF
 */
void cdna_rings_free(struct cdna_pf *pf)
{
	ring_free(&pf->rx);
	ring_free(&pf->tx);
}

static void tx_unmap(struct cdna_ring *ring, struct cdna_tx_buf *buf)
{
	if (!dma_unmap_len(buf, len))
		return;
	if (buf->is_page)
		dma_unmap_page(ring->dev, dma_unmap_addr(buf, dma),
			       dma_unmap_len(buf, len), DMA_TO_DEVICE);
	else
		dma_unmap_single(ring->dev, dma_unmap_addr(buf, dma),
				 dma_unmap_len(buf, len), DMA_TO_DEVICE);
	dma_unmap_len_set(buf, len, 0);
}

/* Free every packet from next_to_clean, done or not; the queue is off. */
static void tx_clean_all(struct cdna_ring *ring)
{
	while (ring->next_to_clean != ring->next_to_use) {
		struct cdna_tx_buf *buf = &ring->tx_buf[ring->next_to_clean];

		tx_unmap(ring, buf);
		if (buf->skb)
			dev_kfree_skb_any(buf->skb);
		buf->skb = NULL;
		buf->eop = NULL;
		ring->next_to_clean = cdna_ring_next(ring->next_to_clean, ring->count);
	}
	ring->next_to_clean = 0;
	ring->next_to_use = 0;
}

static void rx_clean_all(struct cdna_ring *ring)
{
	u16 i;

	for (i = 0; i < ring->count; i++) {
		struct cdna_rx_buf *buf = &ring->rx_buf[i];

		if (!buf->skb)
			continue;
		dma_unmap_single(ring->dev, buf->dma, ring->buf_len,
				 DMA_FROM_DEVICE);
		dev_kfree_skb_any(buf->skb);
		buf->skb = NULL;
	}
	ring->next_to_clean = 0;
	ring->next_to_use = 0;
}

/**
 * cdna_rings_clean - drop every buffer still on the rings
 * @pf: the PF
 */
void cdna_rings_clean(struct cdna_pf *pf)
{
	if (pf->tx.tx_buf)
		tx_clean_all(&pf->tx);
	if (pf->rx.rx_buf)
		rx_clean_all(&pf->rx);
	netdev_reset_queue(pf->netdev);
}

static bool rx_alloc(struct cdna_ring *ring)
{
	struct cdna_pf *pf = ring->pf;
	union cdna_rx_desc *desc;
	bool ok = true;
	u16 n = 0;

	while (ring_unused(ring)) {
		struct cdna_rx_buf *buf = &ring->rx_buf[ring->next_to_use];

		if (!buf->skb) {
			struct sk_buff *skb;
			dma_addr_t dma;

			skb = netdev_alloc_skb_ip_align(pf->netdev,
							ring->buf_len);
			if (!skb) {
				ok = false;
				break;
			}
			dma = cdna_fault(CDNA_FAULT_DMA_MAP) ?
			      DMA_MAPPING_ERROR :
			      dma_map_single(ring->dev, skb->data,
					     ring->buf_len, DMA_FROM_DEVICE);
			if (dma_mapping_error(ring->dev, dma)) {
				dev_kfree_skb_any(skb);
				ok = false;
				break;
			}
			buf->skb = skb;
			buf->dma = dma;
		}
		desc = (union cdna_rx_desc *)ring->desc + ring->next_to_use;
		cdna_rx_desc_post(desc, buf->dma);
		ring->next_to_use = cdna_ring_next(ring->next_to_use, ring->count);
		n++;
	}
	if (!ok) {
		u64_stats_update_begin(&ring->stats.syncp);
		u64_stats_inc(&ring->stats.alloc_failed);
		u64_stats_update_end(&ring->stats.syncp);
	}
	if (n) {
		/* Descriptors must be visible before the tail moves. */
		wmb();
		writel(ring->next_to_use, ring->tail);
	}
	return ok;
}

/**
 * cdna_rings_configure - program the PF's queue pair and start it
 * @pf: the PF
 *
 * The queue index follows the PF's pool (see cdna_pf_queue()).
 */
void cdna_rings_configure(struct cdna_pf *pf)
{
	struct cdna_hw *hw = &pf->hw;
	u16 q = cdna_pf_queue(pf);
	u32 srrctl;

	pf->tx.reg_idx = q;
	pf->rx.reg_idx = q;
	pf->tx.tail = hw->addr + CDNA_TDT(q);
	pf->rx.tail = hw->addr + CDNA_RDT(q);

	cdna_wr32(hw, CDNA_TXDCTL(q), 0);
	cdna_wr32(hw, CDNA_TDBAL(q), lower_32_bits(pf->tx.dma));
	cdna_wr32(hw, CDNA_TDBAH(q), upper_32_bits(pf->tx.dma));
	cdna_wr32(hw, CDNA_TDLEN(q), pf->tx.count * sizeof(union cdna_tx_desc));
	cdna_wr32(hw, CDNA_TDH(q), 0);
	cdna_wr32(hw, CDNA_TDT(q), 0);
	cdna_wr32(hw, CDNA_TXDCTL(q), CDNA_TXDCTL_ENABLE |
		  FIELD_PREP(CDNA_TXDCTL_PTHRESH, CDNA_TX_PTHRESH) |
		  FIELD_PREP(CDNA_TXDCTL_HTHRESH, CDNA_TX_HTHRESH) |
		  FIELD_PREP(CDNA_TXDCTL_WTHRESH, CDNA_TX_WTHRESH));
	cdna_wr32(hw, CDNA_TCTL, CDNA_TCTL_EN | CDNA_TCTL_PSP | CDNA_TCTL_RTLC |
		  FIELD_PREP(CDNA_TCTL_CT, CDNA_TCTL_CT_DEFAULT) |
		  FIELD_PREP(CDNA_TCTL_COLD, CDNA_TCTL_COLD_FD));

	cdna_wr32(hw, CDNA_RXDCTL(q), 0);
	cdna_wr32(hw, CDNA_RDBAL(q), lower_32_bits(pf->rx.dma));
	cdna_wr32(hw, CDNA_RDBAH(q), upper_32_bits(pf->rx.dma));
	cdna_wr32(hw, CDNA_RDLEN(q), pf->rx.count * sizeof(union cdna_rx_desc));
	cdna_wr32(hw, CDNA_RDH(q), 0);
	cdna_wr32(hw, CDNA_RDT(q), 0);
	srrctl = FIELD_PREP(CDNA_SRRCTL_BSIZEPKT, pf->rx.buf_len / SZ_1K) |
		 FIELD_PREP(CDNA_SRRCTL_DESCTYPE,
			    CDNA_SRRCTL_DESCTYPE_ADV_ONEBUF);
	if (pf->num_vfs)
		srrctl |= CDNA_SRRCTL_DROP_EN;
	cdna_wr32(hw, CDNA_SRRCTL(q), srrctl);
	cdna_wr32(hw, CDNA_RXCSUM, CDNA_RXCSUM_IPOFL | CDNA_RXCSUM_TUOFL);
	cdna_wr32(hw, CDNA_RXDCTL(q), CDNA_RXDCTL_ENABLE |
		  FIELD_PREP(CDNA_RXDCTL_PTHRESH, CDNA_RX_PTHRESH) |
		  FIELD_PREP(CDNA_RXDCTL_HTHRESH, CDNA_RX_HTHRESH) |
		  FIELD_PREP(CDNA_RXDCTL_WTHRESH, CDNA_RX_WTHRESH));
	rx_alloc(&pf->rx);

	/* RCTL is shared with the rx filters (cdna_hw_pf_rx_filters). */
	mutex_lock(&pf->vf_lock);
	cdna_rmw32(hw, CDNA_RCTL, CDNA_RCTL_LBM | CDNA_RCTL_MO |
		   CDNA_RCTL_BSIZE | CDNA_RCTL_SBP | CDNA_RCTL_RDMTS,
		   CDNA_RCTL_EN | CDNA_RCTL_BAM | CDNA_RCTL_SECRC |
		   CDNA_RCTL_LPE);
	mutex_unlock(&pf->vf_lock);
}

/**
 * cdna_rings_disable - stop the PF's queue pair
 * @pf: the PF
 */
void cdna_rings_disable(struct cdna_pf *pf)
{
	struct cdna_hw *hw = &pf->hw;
	u16 q = pf->rx.reg_idx;

	/* RCTL.EN stays on while VFs exist: their pools still receive. */
	mutex_lock(&pf->vf_lock);
	if (!pf->num_vfs)
		cdna_rmw32(hw, CDNA_RCTL, CDNA_RCTL_EN, 0);
	mutex_unlock(&pf->vf_lock);
	cdna_wr32(hw, CDNA_RXDCTL(q), 0);
	cdna_wr32(hw, CDNA_TXDCTL(q), 0);
	cdna_flush(hw);
	usleep_range(CDNA_QUEUE_STOP_US, 2 * CDNA_QUEUE_STOP_US);
}

static void tx_clean(struct cdna_ring *ring, int budget)
{
	struct cdna_pf *pf = ring->pf;
	struct netdev_queue *txq = netdev_get_tx_queue(pf->netdev, 0);
	unsigned int packets = 0, bytes = 0;

	while (ring->next_to_clean != ring->next_to_use) {
		struct cdna_tx_buf *first = &ring->tx_buf[ring->next_to_clean];
		union cdna_tx_desc *eop = first->eop;

		if (!eop)
			break;
		/* Read the status before anything else of the packet. */
		smp_rmb();
		if (!(le32_to_cpu(READ_ONCE(eop->wb.status)) &
		      CDNA_TXD_STAT_DD))
			break;

		bytes += first->bytes;
		packets += first->segs;
		napi_consume_skb(first->skb, budget);
		first->eop = NULL;
		for (;;) {
			u16 i = ring->next_to_clean;

			tx_unmap(ring, &ring->tx_buf[i]);
			ring->tx_buf[i].skb = NULL;
			ring->next_to_clean = cdna_ring_next(i, ring->count);
			if ((union cdna_tx_desc *)ring->desc + i == eop)
				break;
		}
	}
	if (!packets)
		return;

	u64_stats_update_begin(&ring->stats.syncp);
	u64_stats_add(&ring->stats.packets, packets);
	u64_stats_add(&ring->stats.bytes, bytes);
	u64_stats_update_end(&ring->stats.syncp);
	netdev_tx_completed_queue(txq, packets, bytes);

	if (unlikely(netif_carrier_ok(pf->netdev) &&
		     ring_unused(ring) >= CDNA_TX_WAKE)) {
		/* Pairs with the barrier in cdna_xmit's stop path. */
		smp_mb();
		if (netif_tx_queue_stopped(txq) && pf->up) {
			netif_tx_wake_queue(txq);
			u64_stats_update_begin(&ring->stats.syncp);
			u64_stats_inc(&ring->stats.restarts);
			u64_stats_update_end(&ring->stats.syncp);
		}
	}
}

/*
 * A VLAN tag the NIC stripped is in the descriptor: hand it to the stack.
 * With VFs the chip strips multicast for every pool (RPLOLR), so this is
 * done whether or not the PF asked for stripping; a tag still in the frame
 * (VP set but not stripped) is left for the stack to parse.
 */
static void rx_vlan(struct cdna_ring *ring, struct sk_buff *skb,
		    const union cdna_rx_desc *desc, u32 staterr)
{
	const struct vlan_ethhdr *veth = (const struct vlan_ethhdr *)skb->data;
	u16 tci = le16_to_cpu(desc->wb.vlan);

	if (!(staterr & CDNA_RXD_STAT_VP))
		return;
	if (skb->len >= VLAN_ETH_HLEN &&
	    veth->h_vlan_proto == htons(ETH_P_8021Q) &&
	    ntohs(veth->h_vlan_TCI) == tci)
		return;
	__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), tci);
	u64_stats_update_begin(&ring->stats.syncp);
	u64_stats_inc(&ring->stats.vlan);
	u64_stats_update_end(&ring->stats.syncp);
}

static void rx_csum(struct cdna_ring *ring, struct sk_buff *skb, u32 staterr)
{
	skb_checksum_none_assert(skb);
	if (!(ring->pf->netdev->features & NETIF_F_RXCSUM))
		return;
	if (staterr & (CDNA_RXD_ERR_TCPE | CDNA_RXD_ERR_IPE)) {
		u64_stats_update_begin(&ring->stats.syncp);
		u64_stats_inc(&ring->stats.csum_err);
		u64_stats_update_end(&ring->stats.syncp);
		return;
	}
	if (staterr & (CDNA_RXD_STAT_TCPCS | CDNA_RXD_STAT_UDPCS))
		skb->ip_summed = CHECKSUM_UNNECESSARY;
}

static int rx_clean(struct cdna_ring *ring, struct napi_struct *napi,
		    int budget)
{
	unsigned int packets = 0, bytes = 0, errors = 0;
	struct cdna_pf *pf = ring->pf;

	while (packets + errors < budget) {
		union cdna_rx_desc *desc =
			(union cdna_rx_desc *)ring->desc + ring->next_to_clean;
		struct cdna_rx_buf *buf = &ring->rx_buf[ring->next_to_clean];
		struct sk_buff *skb;
		u32 staterr;
		u16 len;

		staterr = le32_to_cpu(READ_ONCE(desc->wb.status_error));
		if (!(staterr & CDNA_RXD_STAT_DD) || !buf->skb)
			break;
		/* The rest of the descriptor only after DD. */
		dma_rmb();
		len = le16_to_cpu(desc->wb.length);
		skb = buf->skb;
		buf->skb = NULL;
		dma_unmap_single(ring->dev, buf->dma, ring->buf_len,
				 DMA_FROM_DEVICE);
		ring->next_to_clean = cdna_ring_next(ring->next_to_clean, ring->count);

		if (!(staterr & CDNA_RXD_STAT_EOP) ||
		    (staterr & CDNA_RXD_ERR_FRAME) || !len ||
		    len > ring->buf_len) {
			dev_kfree_skb_any(skb);
			errors++;
			continue;
		}
		skb_put(skb, len);
		rx_csum(ring, skb, staterr);
		rx_vlan(ring, skb, desc, staterr);
		skb->protocol = eth_type_trans(skb, pf->netdev);
		bytes += skb->len;
		packets++;
		napi_gro_receive(napi, skb);
	}

	rx_alloc(ring);

	u64_stats_update_begin(&ring->stats.syncp);
	u64_stats_add(&ring->stats.packets, packets);
	u64_stats_add(&ring->stats.bytes, bytes);
	u64_stats_add(&ring->stats.errors, errors);
	u64_stats_update_end(&ring->stats.syncp);
	return packets + errors;
}

/**
 * cdna_napi_poll - NAPI poll of the PF's queue pair
 * @napi: the PF's NAPI
 * @budget: RX budget
 *
 * Return: RX work done.
 */
int cdna_napi_poll(struct napi_struct *napi, int budget)
{
	struct cdna_pf *pf = container_of(napi, struct cdna_pf, napi);
	int done = 0;

	tx_clean(&pf->tx, budget);
	if (budget)
		done = rx_clean(&pf->rx, napi, budget);
	if (done >= budget)
		return budget;
	if (napi_complete_done(napi, done) && pf->up)
		cdna_wr32(&pf->hw, CDNA_EIMS, BIT(CDNA_VEC_QUEUE));
	return done;
}

/**
 * cdna_queue_irq - MSI-X handler of the queue vector
 * @irq: Linux IRQ
 * @data: the PF
 *
 * Return: IRQ_HANDLED.
 */
irqreturn_t cdna_queue_irq(int irq, void *data)
{
	struct cdna_pf *pf = data;

	/* Masked until NAPI completes: QEMU has no auto-mask (EIAM). */
	cdna_wr32(&pf->hw, CDNA_EIMC, BIT(CDNA_VEC_QUEUE));
	napi_schedule(&pf->napi);
	return IRQ_HANDLED;
}

static void tx_stat_inc(struct cdna_ring *ring, u64_stats_t *stat, u64 n)
{
	u64_stats_update_begin(&ring->xstats.syncp);
	u64_stats_add(stat, n);
	u64_stats_update_end(&ring->xstats.syncp);
}

/*
 * The context descriptor of a packet, if it needs one (checksum offload,
 * TSO, VLAN insertion), in context slot 0.  Return: 1 when one was
 * written, 0 when none is needed, a negative errno when the packet cannot
 * be sent.
 */
static int tx_context(struct cdna_ring *ring, struct sk_buff *skb,
		      struct cdna_tx_offload *off)
{
	struct cdna_tx_buf *buf = &ring->tx_buf[ring->next_to_use];
	int ret;

	ret = cdna_tx_offload_skb(skb, 0, off);
	if (ret <= 0)
		return ret;
	cdna_tx_ctx_write((union cdna_tx_desc *)ring->desc + ring->next_to_use,
			  off);
	buf->skb = NULL;
	buf->eop = NULL;
	buf->is_page = false;
	dma_unmap_len_set(buf, len, 0);
	ring->next_to_use = cdna_ring_next(ring->next_to_use, ring->count);
	return 1;
}

/*
 * Data descriptors for one mapped buffer, at most CDNA_TXD_MAX_DATA each;
 * the slot of the first keeps the mapping.  Return: the last descriptor.
 */
static union cdna_tx_desc *tx_map_put(struct cdna_ring *ring, dma_addr_t dma,
				      unsigned int len, bool is_page,
				      const struct cdna_tx_offload *off)
{
	struct cdna_tx_buf *buf = &ring->tx_buf[ring->next_to_use];
	union cdna_tx_desc *desc = NULL;

	buf->is_page = is_page;
	dma_unmap_addr_set(buf, dma, dma);
	dma_unmap_len_set(buf, len, len);
	while (len) {
		unsigned int chunk = min_t(unsigned int, len,
					   CDNA_TXD_MAX_DATA);

		buf = &ring->tx_buf[ring->next_to_use];
		buf->skb = NULL;
		buf->eop = NULL;
		desc = (union cdna_tx_desc *)ring->desc + ring->next_to_use;
		cdna_tx_data_write(desc, dma, chunk, off);
		dma += chunk;
		len -= chunk;
		ring->next_to_use = cdna_ring_next(ring->next_to_use, ring->count);
		if (len)
			dma_unmap_len_set(&ring->tx_buf[ring->next_to_use],
					  len, 0);
	}
	return desc;
}

static void tx_drop(struct cdna_ring *ring, struct sk_buff *skb)
{
	dev_kfree_skb_any(skb);
	tx_stat_inc(ring, &ring->xstats.dropped, 1);
}

/**
 * cdna_xmit - ndo_start_xmit of the PF netdev
 * @skb: packet
 * @netdev: the PF netdev
 *
 * Return: NETDEV_TX_OK, or NETDEV_TX_BUSY when the ring is full.
 */
netdev_tx_t cdna_xmit(struct sk_buff *skb, struct net_device *netdev)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	struct netdev_queue *txq = netdev_get_tx_queue(netdev, 0);
	struct cdna_ring *ring = &pf->tx;
	struct cdna_tx_offload off;
	union cdna_tx_desc *desc;
	struct cdna_tx_buf *first;
	unsigned int bytes, len, i;
	u16 first_idx, segs;
	dma_addr_t dma;

	if (skb->len < ETH_ZLEN) {
		if (skb->ip_summed == CHECKSUM_PARTIAL &&
		    skb_checksum_help(skb)) {
			tx_drop(ring, skb);
			return NETDEV_TX_OK;
		}
		if (skb_put_padto(skb, ETH_ZLEN)) {
			tx_drop(ring, NULL);
			return NETDEV_TX_OK;
		}
	}

	if (ring_unused(ring) < cdna_tx_desc_count(skb) + 1) {
		netif_tx_stop_queue(txq);
		/* Pairs with the barrier in tx_clean. */
		smp_mb();
		if (ring_unused(ring) < cdna_tx_desc_count(skb) + 1)
			return NETDEV_TX_BUSY;
		netif_tx_start_queue(txq);
	}

	first_idx = ring->next_to_use;
	first = &ring->tx_buf[first_idx];
	if (tx_context(ring, skb, &off) < 0) {
		ring->next_to_use = first_idx;
		tx_drop(ring, skb);
		return NETDEV_TX_OK;
	}
	segs = skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1;
	bytes = skb->len + (segs - 1) * off.hdr_len;

	len = skb_headlen(skb);
	desc = NULL;
	if (len) {
		dma = cdna_fault(CDNA_FAULT_DMA_MAP) ? DMA_MAPPING_ERROR :
		      dma_map_single(ring->dev, skb->data, len, DMA_TO_DEVICE);
		if (dma_mapping_error(ring->dev, dma))
			goto err_unmap;
		desc = tx_map_put(ring, dma, len, false, &off);
	}
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

		len = skb_frag_size(frag);
		dma = skb_frag_dma_map(ring->dev, frag, 0, len, DMA_TO_DEVICE);
		if (dma_mapping_error(ring->dev, dma))
			goto err_unmap;
		desc = tx_map_put(ring, dma, len, true, &off);
	}
	if (!desc)		/* nothing to send at all */
		goto err_unmap;
	cdna_tx_data_end(desc);

	first->skb = skb;
	first->bytes = bytes;
	first->segs = segs;
	if (off.cmd_type & (CDNA_TXD_CMD_TSE | CDNA_TXD_CMD_VLE)) {
		u64_stats_update_begin(&ring->xstats.syncp);
		if (off.cmd_type & CDNA_TXD_CMD_TSE) {
			u64_stats_inc(&ring->xstats.tso);
			u64_stats_add(&ring->xstats.tso_segs, segs);
		}
		if (off.cmd_type & CDNA_TXD_CMD_VLE)
			u64_stats_inc(&ring->xstats.vlan);
		u64_stats_update_end(&ring->xstats.syncp);
	}
	netdev_tx_sent_queue(txq, bytes);
	skb_tx_timestamp(skb);
	/* Descriptors before eop is published and before the tail write. */
	wmb();
	first->eop = desc;

	if (ring_unused(ring) < CDNA_TX_STOP)
		netif_tx_stop_queue(txq);
	if (netif_xmit_stopped(txq) || !netdev_xmit_more())
		writel(ring->next_to_use, ring->tail);
	return NETDEV_TX_OK;

err_unmap:
	while (ring->next_to_use != first_idx) {
		ring->next_to_use = (ring->next_to_use + ring->count - 1) %
				    ring->count;
		tx_unmap(ring, &ring->tx_buf[ring->next_to_use]);
	}
	tx_drop(ring, skb);
	return NETDEV_TX_OK;
}
