// SPDX-License-Identifier: GPL-2.0
/*
 * Queue 0 of the VF: descriptor rings, transmit, receive and NAPI.
 *
 * TX uses advanced data descriptors, with an advanced context descriptor
 * in front for checksum offload, TSO and VLAN insertion, built by the
 * shared cdna_tx_offload_skb() (cdna_desc.c, cdna_desc_skb.c; QEMU's model
 * half-implements legacy TX descriptors; the chip takes both).  RX uses
 * advanced one-buffer descriptors with one skb per frame; the buffer is
 * sized for the MTU, a frame that spans buffers is dropped and counted.
 */
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <net/netdev_queues.h>

#include "vf.h"

#define RX_REFILL_BATCH		16

static inline u16 ring_next(const struct cdna_vf_ring *ring, u16 i)
{
	return cdna_ring_next(i, ring->count);
}

static inline unsigned int ring_unused(const struct cdna_vf_ring *ring)
{
	return cdna_ring_unused(ring->next_to_clean, ring->next_to_use,
				ring->count);
}

/**
 * cdna_vf_rx_buf_len - receive buffer size for an MTU
 * @mtu: the MTU
 *
 * Return: bytes for one whole frame with a VLAN tag and FCS, in the
 * 1 KiB units of SRRCTL.BSIZEPACKET.
 */
unsigned int cdna_vf_rx_buf_len(unsigned int mtu)
{
	return ALIGN(cdna_mbx_max_frame(mtu), SZ_1K);
}

static int ring_alloc(struct cdna_vf_priv *vf, struct cdna_vf_ring *ring,
		      u16 count, size_t buf_size)
{
	struct device *dev = &vf->pdev->dev;
	void *bufs;

	bufs = kcalloc(count, buf_size, GFP_KERNEL);
	if (!bufs)
		return -ENOMEM;
	ring->size = ALIGN(count * CDNA_DESC_SIZE, CDNA_VF_RING_ALIGN);
	ring->desc = dma_alloc_coherent(dev, ring->size, &ring->dma,
					GFP_KERNEL);
	if (!ring->desc) {
		kfree(bufs);
		return -ENOMEM;
	}
	ring->vf = vf;
	ring->count = count;
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
	ring->skip_to_eop = false;
	ring->tx_buf = bufs;
	return 0;
}

static void ring_free(struct cdna_vf_priv *vf, struct cdna_vf_ring *ring)
{
	if (!ring->desc)
		return;
	dma_free_coherent(&vf->pdev->dev, ring->size, ring->desc, ring->dma);
	ring->desc = NULL;
	kfree(ring->tx_buf);
	ring->tx_buf = NULL;
}

/**
 * cdna_vf_alloc_rings - allocate descriptor memory for queue 0
 * @vf: the VF
 *
 * Context: process (ndo_open or a reconfiguration), RTNL held.
 * Return: 0 or -ENOMEM.
 */
int cdna_vf_alloc_rings(struct cdna_vf_priv *vf)
{
	int err;

	err = ring_alloc(vf, &vf->tx_ring, vf->tx_count,
			 sizeof(struct cdna_vf_tx_buf));
	if (err)
		return err;
	vf->tx_ring.tail = CDNA_VF_TDT(0);

	err = ring_alloc(vf, &vf->rx_ring, vf->rx_count,
			 sizeof(struct cdna_vf_rx_buf));
	if (err)
		goto err_free_tx;
	vf->rx_ring.tail = CDNA_VF_RDT(0);
	vf->rx_ring.buf_len = cdna_vf_rx_buf_len(vf->netdev->mtu);
	return 0;

err_free_tx:
	ring_free(vf, &vf->tx_ring);
	return err;
}

/**
 * cdna_vf_free_rings - free what cdna_vf_alloc_rings() allocated
 * @vf: the VF; its rings must be stopped and cleaned
 */
void cdna_vf_free_rings(struct cdna_vf_priv *vf)
{
	ring_free(vf, &vf->rx_ring);
	ring_free(vf, &vf->tx_ring);
}

static void tx_unmap(struct cdna_vf_priv *vf, struct cdna_vf_tx_buf *buf)
{
	struct device *dev = &vf->pdev->dev;

	if (!dma_unmap_len(buf, len))
		return;
	if (buf->is_page)
		dma_unmap_page(dev, dma_unmap_addr(buf, dma),
			       dma_unmap_len(buf, len), DMA_TO_DEVICE);
	else
		dma_unmap_single(dev, dma_unmap_addr(buf, dma),
				 dma_unmap_len(buf, len), DMA_TO_DEVICE);
	dma_unmap_len_set(buf, len, 0);
}

/**
 * cdna_vf_clean_rings - drop every buffer still on the rings
 * @vf: the VF; the queues must be disabled in hardware
 *
 * Unmaps and frees what the NIC did not finish, so that a reset leaks
 * neither memory nor DMA mappings, and rewinds the rings.
 */
void cdna_vf_clean_rings(struct cdna_vf_priv *vf)
{
	struct cdna_vf_ring *tx = &vf->tx_ring, *rx = &vf->rx_ring;
	struct device *dev = &vf->pdev->dev;
	unsigned int i;

	if (tx->desc) {
		for (i = 0; i < tx->count; i++) {
			tx_unmap(vf, &tx->tx_buf[i]);
			dev_kfree_skb_any(tx->tx_buf[i].skb);
			tx->tx_buf[i].skb = NULL;
		}
		memset(tx->desc, 0, tx->size);
		tx->next_to_use = 0;
		tx->next_to_clean = 0;
		netdev_tx_reset_queue(netdev_get_tx_queue(vf->netdev, 0));
	}
	if (rx->desc) {
		for (i = 0; i < rx->count; i++) {
			struct cdna_vf_rx_buf *buf = &rx->rx_buf[i];

			if (!buf->skb)
				continue;
			dma_unmap_single(dev, buf->dma, rx->buf_len,
					 DMA_FROM_DEVICE);
			dev_kfree_skb_any(buf->skb);
			buf->skb = NULL;
		}
		memset(rx->desc, 0, rx->size);
		rx->next_to_use = 0;
		rx->next_to_clean = 0;
		rx->skip_to_eop = false;
	}
}

/* Post receive buffers into every free slot; a failed allocation waits. */
static void rx_refill(struct cdna_vf_priv *vf)
{
	struct cdna_vf_ring *ring = &vf->rx_ring;
	struct device *dev = &vf->pdev->dev;
	unsigned int n = ring_unused(ring);
	u16 i = ring->next_to_use;

	while (n--) {
		struct cdna_vf_rx_buf *buf = &ring->rx_buf[i];
		union cdna_rx_desc *desc = ring->desc;

		if (!buf->skb) {
			struct sk_buff *skb;

			skb = netdev_alloc_skb_ip_align(vf->netdev,
							ring->buf_len);
			if (!skb)
				goto fail;
			buf->dma = dma_map_single(dev, skb->data, ring->buf_len,
						  DMA_FROM_DEVICE);
			if (dma_mapping_error(dev, buf->dma)) {
				dev_kfree_skb_any(skb);
				goto fail;
			}
			buf->skb = skb;
		}
		cdna_rx_desc_post(&desc[i], buf->dma);
		i = ring_next(ring, i);
	}
	goto post;
fail:
	u64_stats_update_begin(&ring->stats.syncp);
	u64_stats_inc(&ring->stats.alloc_failed);
	u64_stats_update_end(&ring->stats.syncp);
post:
	if (i == ring->next_to_use)
		return;
	ring->next_to_use = i;
	/* Descriptors before the tail move. */
	wmb();
	cdna_vf_wr32(&vf->hw, ring->tail, i);
}

/**
 * cdna_vf_configure_rings - program queue 0 and enable it
 * @vf: the VF, after a reset handshake; rings allocated and clean
 */
void cdna_vf_configure_rings(struct cdna_vf_priv *vf)
{
	struct cdna_vf_ring *tx = &vf->tx_ring, *rx = &vf->rx_ring;
	struct cdna_vf_hw *hw = &vf->hw;

	cdna_vf_wr32(hw, CDNA_VF_TXDCTL(0), 0);
	cdna_vf_wr32(hw, CDNA_VF_TDBAL(0), lower_32_bits(tx->dma));
	cdna_vf_wr32(hw, CDNA_VF_TDBAH(0), upper_32_bits(tx->dma));
	cdna_vf_wr32(hw, CDNA_VF_TDLEN(0), tx->count * CDNA_DESC_SIZE);
	cdna_vf_wr32(hw, CDNA_VF_TDH(0), 0);
	cdna_vf_wr32(hw, CDNA_VF_TDT(0), 0);
	cdna_vf_wr32(hw, CDNA_VF_TXDCTL(0),
		     FIELD_PREP(CDNA_VF_TXDCTL_PTHRESH, CDNA_VF_TX_PTHRESH) |
		     FIELD_PREP(CDNA_VF_TXDCTL_HTHRESH, CDNA_VF_TX_HTHRESH) |
		     FIELD_PREP(CDNA_VF_TXDCTL_WTHRESH, CDNA_VF_TX_WTHRESH) |
		     CDNA_VF_TXDCTL_ENABLE);

	cdna_vf_wr32(hw, CDNA_VF_RXDCTL(0), 0);
	cdna_vf_wr32(hw, CDNA_VF_RDBAL(0), lower_32_bits(rx->dma));
	cdna_vf_wr32(hw, CDNA_VF_RDBAH(0), upper_32_bits(rx->dma));
	cdna_vf_wr32(hw, CDNA_VF_RDLEN(0), rx->count * CDNA_DESC_SIZE);
	cdna_vf_wr32(hw, CDNA_VF_RDH(0), 0);
	cdna_vf_wr32(hw, CDNA_VF_RDT(0), 0);
	cdna_vf_wr32(hw, CDNA_VF_SRRCTL(0),
		     FIELD_PREP(CDNA_VF_SRRCTL_BSIZEPKT, rx->buf_len / SZ_1K) |
		     FIELD_PREP(CDNA_VF_SRRCTL_DESCTYPE,
				CDNA_VF_SRRCTL_DESCTYPE_ONEBUF) |
		     CDNA_VF_SRRCTL_DROP_EN);
	cdna_vf_wr32(hw, CDNA_VF_RXDCTL(0),
		     FIELD_PREP(CDNA_VF_RXDCTL_PTHRESH, CDNA_VF_RX_PTHRESH) |
		     FIELD_PREP(CDNA_VF_RXDCTL_HTHRESH, CDNA_VF_RX_HTHRESH) |
		     FIELD_PREP(CDNA_VF_RXDCTL_WTHRESH, CDNA_VF_RX_WTHRESH) |
		     CDNA_VF_RXDCTL_ENABLE);
	rx_refill(vf);
}

/**
 * cdna_vf_stop_rings - disable queue 0 in hardware
 * @vf: the VF
 *
 * After this the NIC no longer reads descriptors or DMAs buffers, so the
 * rings may be cleaned.
 */
void cdna_vf_stop_rings(struct cdna_vf_priv *vf)
{
	cdna_vf_wr32(&vf->hw, CDNA_VF_RXDCTL(0), 0);
	cdna_vf_wr32(&vf->hw, CDNA_VF_TXDCTL(0), 0);
	/* Flush, then give an in-flight descriptor fetch time to finish. */
	cdna_vf_rd32(&vf->hw, CDNA_VF_STATUS);
	usleep_range(CDNA_VF_QUEUE_STOP_US, 2 * CDNA_VF_QUEUE_STOP_US);
}

/*
 * The context descriptor of a packet, if it needs one (checksum offload,
 * TSO, VLAN insertion), in context slot 0.  Return: 1 when one was
 * written, 0 when none is needed, a negative errno when the packet cannot
 * be sent.
 */
static int tx_context(struct cdna_vf_ring *ring, struct sk_buff *skb,
		      struct cdna_tx_offload *off)
{
	int ret;

	ret = cdna_tx_offload_skb(skb, 0, off);
	if (ret <= 0)
		return ret;
	cdna_tx_ctx_write((union cdna_tx_desc *)ring->desc + ring->next_to_use,
			  off);
	ring->next_to_use = ring_next(ring, ring->next_to_use);
	return 1;
}

/* Data descriptors for one mapped buffer, split at CDNA_TXD_MAX_DATA. */
static union cdna_tx_desc *tx_put(struct cdna_vf_ring *ring, dma_addr_t dma,
				  unsigned int len,
				  const struct cdna_tx_offload *off)
{
	union cdna_tx_desc *desc = NULL;

	while (len) {
		unsigned int chunk = min(len, CDNA_TXD_MAX_DATA);

		desc = (union cdna_tx_desc *)ring->desc + ring->next_to_use;
		cdna_tx_data_write(desc, dma, chunk, off);
		dma += chunk;
		len -= chunk;
		ring->next_to_use = ring_next(ring, ring->next_to_use);
	}
	return desc;
}

static void tx_count_busy(struct cdna_vf_ring *ring)
{
	u64_stats_update_begin(&ring->stats.syncp);
	u64_stats_inc(&ring->stats.busy);
	u64_stats_update_end(&ring->stats.syncp);
}

/**
 * cdna_vf_xmit - ndo_start_xmit: queue one packet on TX queue 0
 * @skb: the packet
 * @netdev: the VF's netdev
 *
 * Return: NETDEV_TX_OK, or NETDEV_TX_BUSY when the ring is full.
 */
netdev_tx_t cdna_vf_xmit(struct sk_buff *skb, struct net_device *netdev)
{
	struct cdna_vf_priv *vf = netdev_priv(netdev);
	struct cdna_vf_ring *ring = &vf->tx_ring;
	struct netdev_queue *txq = netdev_get_tx_queue(netdev, 0);
	struct device *dev = &vf->pdev->dev;
	unsigned int i, bytes, segs, first_idx;
	struct cdna_tx_offload off;
	union cdna_tx_desc *last;
	struct cdna_vf_tx_buf *first;
	dma_addr_t dma;
	u16 idx;

	if (!test_bit(CDNA_VF_S_UP, vf->state))
		goto drop;
	if (ring_unused(ring) < cdna_tx_desc_count(skb) + 1) {
		netif_tx_stop_queue(txq);
		tx_count_busy(ring);
		return NETDEV_TX_BUSY;
	}

	first_idx = ring->next_to_use;
	first = &ring->tx_buf[first_idx];
	if (tx_context(ring, skb, &off) < 0)
		goto drop;

	segs = skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1;
	bytes = skb->len + (segs - 1) * off.hdr_len;

	last = NULL;
	if (skb_headlen(skb)) {
		idx = ring->next_to_use;
		dma = dma_map_single(dev, skb->data, skb_headlen(skb),
				     DMA_TO_DEVICE);
		if (dma_mapping_error(dev, dma))
			goto unwind;
		ring->tx_buf[idx].is_page = false;
		dma_unmap_addr_set(&ring->tx_buf[idx], dma, dma);
		dma_unmap_len_set(&ring->tx_buf[idx], len, skb_headlen(skb));
		last = tx_put(ring, dma, skb_headlen(skb), &off);
	}

	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

		idx = ring->next_to_use;
		dma = skb_frag_dma_map(dev, frag, 0, skb_frag_size(frag),
				       DMA_TO_DEVICE);
		if (dma_mapping_error(dev, dma))
			goto unwind;
		ring->tx_buf[idx].is_page = true;
		dma_unmap_addr_set(&ring->tx_buf[idx], dma, dma);
		dma_unmap_len_set(&ring->tx_buf[idx], len, skb_frag_size(frag));
		last = tx_put(ring, dma, skb_frag_size(frag), &off);
	}
	if (!last)	/* a packet with no data at all */
		goto unwind;
	cdna_tx_data_end(last);

	first->bytes = bytes;
	first->segs = segs;
	first->eop = last - (union cdna_tx_desc *)ring->desc;
	skb_tx_timestamp(skb);
	/*
	 * tx_clean() takes a set skb as "this packet is complete": its eop
	 * and counts must be visible first, or a concurrent clean could
	 * follow a stale eop and free buffers the NIC is still reading.
	 */
	smp_store_release(&first->skb, skb);

	/* Descriptors and bookkeeping before the tail moves. */
	wmb();
	netif_txq_maybe_stop(txq, ring_unused(ring), CDNA_VF_TX_DESC_NEEDED,
			     CDNA_VF_TX_WAKE_THRESH);
	if (__netdev_tx_sent_queue(txq, bytes, netdev_xmit_more()))
		cdna_vf_wr32(&vf->hw, ring->tail, ring->next_to_use);
	return NETDEV_TX_OK;

unwind:
	for (idx = first_idx; idx != ring->next_to_use;
	     idx = ring_next(ring, idx))
		tx_unmap(vf, &ring->tx_buf[idx]);
	ring->next_to_use = first_idx;
drop:
	dev_kfree_skb_any(skb);
	netdev->stats.tx_dropped++;
	return NETDEV_TX_OK;
}

static void tx_clean(struct cdna_vf_priv *vf, int budget)
{
	struct cdna_vf_ring *ring = &vf->tx_ring;
	struct netdev_queue *txq = netdev_get_tx_queue(vf->netdev, 0);
	unsigned int pkts = 0, bytes = 0;
	u16 i = ring->next_to_clean;

	while (i != ring->next_to_use) {
		struct cdna_vf_tx_buf *first = &ring->tx_buf[i];
		union cdna_tx_desc *eop;
		u16 end;

		/* Pairs with the release in the xmit path. */
		if (!smp_load_acquire(&first->skb))
			break;
		eop = (union cdna_tx_desc *)ring->desc + first->eop;
		if (!(le32_to_cpu(READ_ONCE(eop->wb.status)) &
		      CDNA_TXD_STAT_DD))
			break;
		/* Nothing of the packet is read before DD is seen. */
		dma_rmb();
		end = ring_next(ring, first->eop);
		pkts += first->segs;
		bytes += first->bytes;
		napi_consume_skb(first->skb, budget);
		first->skb = NULL;
		for (; i != end; i = ring_next(ring, i))
			tx_unmap(vf, &ring->tx_buf[i]);
	}
	ring->next_to_clean = i;
	if (!pkts)
		return;

	u64_stats_update_begin(&ring->stats.syncp);
	u64_stats_add(&ring->stats.packets, pkts);
	u64_stats_add(&ring->stats.bytes, bytes);
	u64_stats_update_end(&ring->stats.syncp);

	if (!netif_txq_completed_wake(txq, pkts, bytes, ring_unused(ring),
				      CDNA_VF_TX_WAKE_THRESH)) {
		u64_stats_update_begin(&ring->stats.syncp);
		u64_stats_inc(&ring->stats.restarts);
		u64_stats_update_end(&ring->stats.syncp);
	}
}

static void rx_count(struct cdna_vf_ring *ring, u64_stats_t *field)
{
	u64_stats_update_begin(&ring->stats.syncp);
	u64_stats_inc(field);
	u64_stats_update_end(&ring->stats.syncp);
}

/*
 * The hardware strips the tag of every VLAN of the pool, the port VLAN the
 * host set included, and reports it.  Only the VLANs this driver asked for
 * are the stack's; a frame of the port VLAN is plain traffic to it.
 */
static void rx_vlan(struct cdna_vf_priv *vf, struct sk_buff *skb, u16 tci)
{
	u16 vid = tci & CDNA_RXD_VLAN_VID;

	if (test_bit(vid, vf->active_vlans))
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), vid);
}

static void rx_checksum(struct cdna_vf_ring *ring, struct sk_buff *skb,
			u32 staterr)
{
	skb_checksum_none_assert(skb);
	if (!(ring->vf->netdev->features & NETIF_F_RXCSUM) ||
	    staterr & CDNA_RXD_STAT_IXSM)
		return;
	if (staterr & (CDNA_RXD_ERR_TCPE | CDNA_RXD_ERR_IPE)) {
		rx_count(ring, &ring->stats.csum_err);
		return;
	}
	if (staterr & (CDNA_RXD_STAT_TCPCS | CDNA_RXD_STAT_UDPCS))
		skb->ip_summed = CHECKSUM_UNNECESSARY;
}

static int rx_clean(struct cdna_vf_priv *vf, int budget)
{
	struct cdna_vf_ring *ring = &vf->rx_ring;
	struct device *dev = &vf->pdev->dev;
	unsigned int pkts = 0, bytes = 0;

	while (pkts < budget) {
		union cdna_rx_desc *desc;
		struct cdna_vf_rx_buf *buf;
		struct sk_buff *skb;
		u32 staterr;
		u16 len;

		if (ring->next_to_clean == ring->next_to_use)
			break;
		desc = (union cdna_rx_desc *)ring->desc + ring->next_to_clean;
		staterr = le32_to_cpu(READ_ONCE(desc->wb.status_error));
		if (!(staterr & CDNA_RXD_STAT_DD))
			break;
		/* Length and buffer only after DD. */
		dma_rmb();
		len = le16_to_cpu(desc->wb.length);
		buf = &ring->rx_buf[ring->next_to_clean];
		skb = buf->skb;
		buf->skb = NULL;
		dma_unmap_single(dev, buf->dma, ring->buf_len, DMA_FROM_DEVICE);
		ring->next_to_clean = ring_next(ring, ring->next_to_clean);

		if (!(staterr & CDNA_RXD_STAT_EOP) || ring->skip_to_eop ||
		    staterr & CDNA_RXD_ERR_FRAME || !len ||
		    len > ring->buf_len) {
			/* Count a spanning frame once, at its first part. */
			if (!ring->skip_to_eop)
				rx_count(ring, &ring->stats.errors);
			ring->skip_to_eop = !(staterr & CDNA_RXD_STAT_EOP);
			dev_kfree_skb_any(skb);
			continue;
		}

		skb_put(skb, len);
		rx_checksum(ring, skb, staterr);
		if (staterr & CDNA_RXD_STAT_VP &&
		    vf->netdev->features & NETIF_F_HW_VLAN_CTAG_RX)
			rx_vlan(vf, skb, le16_to_cpu(desc->wb.vlan));
		skb->protocol = eth_type_trans(skb, vf->netdev);
		bytes += skb->len;
		pkts++;
		napi_gro_receive(&vf->napi, skb);

		if (ring_unused(ring) >= RX_REFILL_BATCH)
			rx_refill(vf);
	}
	rx_refill(vf);

	if (pkts) {
		u64_stats_update_begin(&ring->stats.syncp);
		u64_stats_add(&ring->stats.packets, pkts);
		u64_stats_add(&ring->stats.bytes, bytes);
		u64_stats_update_end(&ring->stats.syncp);
	}
	return pkts;
}

static bool rx_pending(struct cdna_vf_ring *ring)
{
	union cdna_rx_desc *desc = ring->desc;

	return ring->next_to_clean != ring->next_to_use &&
	       le32_to_cpu(READ_ONCE(desc[ring->next_to_clean].wb.status_error)) &
	       CDNA_RXD_STAT_DD;
}

static bool tx_pending(struct cdna_vf_ring *ring)
{
	struct cdna_vf_tx_buf *first = &ring->tx_buf[ring->next_to_clean];
	union cdna_tx_desc *desc = ring->desc;

	if (ring->next_to_clean == ring->next_to_use)
		return false;
	/* The skb is published last, after its eop (see the xmit path). */
	if (!smp_load_acquire(&first->skb))
		return false;
	return le32_to_cpu(READ_ONCE(desc[first->eop].wb.status)) &
	       CDNA_TXD_STAT_DD;
}

/**
 * cdna_vf_poll - NAPI poll of queue 0 (TX completions, then RX)
 * @napi: the VF's NAPI context
 * @budget: RX packets allowed
 *
 * Return: RX packets processed.
 */
int cdna_vf_poll(struct napi_struct *napi, int budget)
{
	struct cdna_vf_priv *vf = container_of(napi, struct cdna_vf_priv, napi);
	int done;

	tx_clean(vf, budget);
	done = rx_clean(vf, budget);
	if (done >= budget)
		return budget;
	/*
	 * Work that completed between the last look and now may have
	 * raised no interrupt of its own: look once more before sleeping.
	 */
	if (napi_complete_done(napi, done) &&
	    (rx_pending(&vf->rx_ring) || tx_pending(&vf->tx_ring)))
		napi_schedule(napi);
	return done;
}
