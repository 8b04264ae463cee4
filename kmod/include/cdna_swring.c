// SPDX-License-Identifier: GPL-2.0
/*
 * The software mode's shadow rings (cdna_swring.h): what a guest may put
 * in its RX and TX descriptors, and how each accepted descriptor becomes
 * shadow descriptors over pinned, mapped guest pages.  Plain C with no
 * kernel calls and no allocation: the same file builds into vmm_guard and
 * into tests/unit (test_swring.c, fuzz_swring.c).
 *
 * Every guest descriptor is copied once by the caller and kept in its
 * struct cdna_sw_slot: a deferred descriptor is posted later from that
 * copy, never read again from guest memory.  Pins are counted per page in
 * stats.pinned, and every pin is held by exactly one in-flight slot
 * (pin_iova, npages), so drop-all and .dma_unmap can find them all.
 */
#include "cdna_swring.h"
#include "cdna_vf_regs.h"

#ifdef __KERNEL__
#include <asm/barrier.h>
#include <linux/compiler.h>
#else
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define dma_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#endif

#define PAGE_MASK_SW		((u64)CDNA_SW_PAGE - 1)

/* struct cdna_sw_slot.state */
enum {
	CDNA_SW_SLOT_FREE,	/* not between head and the copies */
	CDNA_SW_SLOT_PENDING,	/* copied, not yet posted nor refused */
	CDNA_SW_SLOT_HW,	/* on the shadow ring */
	CDNA_SW_SLOT_REFUSED,	/* waiting to complete with an error */
};

/* struct cdna_sw_slot.flags */
#define CDNA_SW_SLOTF_BOUNCE	BIT(0)	/* RX: posted the bounce buffer */
#define CDNA_SW_SLOTF_PKT_END	BIT(1)	/* TX: last descriptor of a packet */
#define CDNA_SW_SLOTF_HDR_MAPPED BIT(2)	/* RX: hdr_bus is a mapping */
#define CDNA_SW_SLOTF_HDR_BOUNCE BIT(3)	/* RX: header in the bounce buffer */

/* struct cdna_sw_run.flags */
#define CDNA_SW_RUNF_MAPPED	BIT(0)	/* addr is a bus address to unmap */
#define CDNA_SW_RUNF_CTX	BIT(1)	/* TX: a context descriptor */
#define CDNA_SW_RUNF_HDR	BIT(2)	/* TX: the caller's header copy */

/* The command bits a guest data descriptor may carry. */
#define CDNA_SW_TXD_CMD_OK	(CDNA_TXD_DTALEN | CDNA_TXD_DTYP |	\
				 CDNA_TXD_CMD_EOP | CDNA_TXD_CMD_IFCS |	\
				 CDNA_TXD_CMD_RS | CDNA_TXD_CMD_DEXT |	\
				 CDNA_TXD_CMD_VLE | CDNA_TXD_CMD_TSE)

/* The fields of a context descriptor that reach the NIC. */
#define CDNA_SW_TXC_TYPE_OK	(CDNA_TXC_TUCMD_IPV4 | CDNA_TXC_TUCMD_L4T | \
				 CDNA_TXD_DTYP | CDNA_TXD_CMD_DEXT)
#define CDNA_SW_TXC_MSS_OK	(CDNA_TXC_IDX | CDNA_TXC_L4LEN | CDNA_TXC_MSS)

static const char * const reason_names[CDNA_SW_NR_REASONS] = {
	[CDNA_SW_OK] = "ok",
	[CDNA_SW_ADDR] = "addr",
	[CDNA_SW_WRAP] = "wrap",
	[CDNA_SW_LEN] = "len",
	[CDNA_SW_TYPE] = "type",
	[CDNA_SW_CMD] = "cmd",
	[CDNA_SW_IDX] = "idx",
	[CDNA_SW_PKT] = "pkt",
	[CDNA_SW_TSO] = "tso",
	[CDNA_SW_SPOOF] = "spoof",
	[CDNA_SW_VLAN] = "vlan",
};

const char *cdna_sw_reason_name(enum cdna_sw_reason why)
{
	if ((unsigned int)why >= CDNA_SW_NR_REASONS)
		return "?";
	return reason_names[why];
}

/* Ring index arithmetic for idx, from, to < count and n <= count. */
static u32 ring_add(u32 idx, u32 n, u32 count)
{
	idx += n;
	return idx >= count ? idx - count : idx;
}

static u32 ring_dist(u32 from, u32 to, u32 count)
{
	return to >= from ? to - from : to + count - from;
}

/* Whether [addr, addr + len) is not addressable in 64 bits. */
static bool wraps(u64 addr, u64 len)
{
	return addr + len < addr;
}

/* The word at byte 8 of a TX descriptor: cmd_type_len, or type_tucmd_mlhl. */
static u32 tx_cmd(const union cdna_tx_desc *d)
{
	return le32_to_cpu(d->read.cmd_type_len);
}

static bool tx_is_ctx(u32 cmd)
{
	return FIELD_GET(CDNA_TXD_DTYP, cmd) == CDNA_TXD_DTYP_CTXT;
}

/* A packet ends at a descriptor with EOP that is not a context one. */
static bool tx_is_eop(const union cdna_tx_desc *d)
{
	u32 cmd = tx_cmd(d);

	return (cmd & CDNA_TXD_CMD_EOP) && !tx_is_ctx(cmd);
}

static bool srrctl_split(u32 srrctl)
{
	u32 type = FIELD_GET(CDNA_VF_SRRCTL_DESCTYPE, srrctl);

	return type == CDNA_SW_DESCTYPE_HDR_SPLIT ||
	       type == CDNA_SW_DESCTYPE_SPLIT_ALWAYS;
}

int cdna_sw_rx_split(u32 srrctl, u32 *bufsz, u32 *hdrsz)
{
	u32 units = FIELD_GET(CDNA_VF_SRRCTL_BSIZEPKT, srrctl);
	u32 hunits = FIELD_GET(CDNA_VF_SRRCTL_BSIZEHDR, srrctl);

	if (units < CDNA_SW_BUF_MIN / CDNA_SW_BUF_UNIT ||
	    units > CDNA_SW_BUF_MAX / CDNA_SW_BUF_UNIT)
		return -EINVAL;
	if (FIELD_GET(CDNA_VF_SRRCTL_DESCTYPE, srrctl) ==
	    CDNA_VF_SRRCTL_DESCTYPE_ONEBUF)
		hunits = 0;
	else if (!srrctl_split(srrctl) ||
		 hunits < CDNA_SW_HDR_MIN / CDNA_SW_HDR_UNIT ||
		 hunits > CDNA_SW_HDR_MAX / CDNA_SW_HDR_UNIT)
		return -EINVAL;
	*bufsz = units * CDNA_SW_BUF_UNIT;
	*hdrsz = hunits * CDNA_SW_HDR_UNIT;
	return 0;
}

int cdna_sw_rx_bufsz(u32 srrctl, u32 *bufsz)
{
	u32 b, h;

	if (cdna_sw_rx_split(srrctl, &b, &h) || h)
		return -EINVAL;
	*bufsz = b;
	return 0;
}

u32 cdna_sw_rx_srrctl(u32 srrctl)
{
	u32 keep = CDNA_VF_SRRCTL_BSIZEPKT | CDNA_VF_SRRCTL_DESCTYPE |
		   CDNA_VF_SRRCTL_DROP_EN;

	if (srrctl_split(srrctl))
		keep |= CDNA_VF_SRRCTL_BSIZEHDR;
	return srrctl & keep;
}

int cdna_sw_geom_check(enum cdna_sw_kind kind, u64 ring, u32 len, u32 bufsz)
{
	if (kind != CDNA_SW_RX && kind != CDNA_SW_TX)
		return -EINVAL;
	if (!ring || ring % CDNA_SW_RING_ALIGN)
		return -EINVAL;
	if (!len || len % CDNA_SW_RING_ALIGN ||
	    len / CDNA_DESC_SIZE > CDNA_SW_RING_MAX || wraps(ring, len))
		return -EINVAL;
	if (kind == CDNA_SW_RX &&
	    (bufsz % CDNA_SW_BUF_UNIT || bufsz < CDNA_SW_BUF_MIN ||
	     bufsz > CDNA_SW_BUF_MAX))
		return -EINVAL;
	return 0;
}

int cdna_sw_q_init_split(struct cdna_sw_q *q, enum cdna_sw_kind kind,
			 u64 ring, u32 len, u32 bufsz, u32 hdrsz, u32 head,
			 struct cdna_sw_slot *slot, struct cdna_sw_run *run)
{
	u32 count = len / CDNA_DESC_SIZE;
	u32 i;

	if (cdna_sw_geom_check(kind, ring, len, bufsz) || head >= count ||
	    !slot || !run)
		return -EINVAL;
	if (hdrsz && (kind != CDNA_SW_RX || hdrsz % CDNA_SW_HDR_UNIT ||
		      hdrsz < CDNA_SW_HDR_MIN || hdrsz > CDNA_SW_HDR_MAX))
		return -EINVAL;

	memset(q, 0, sizeof(*q));
	q->kind = kind;
	q->ring = ring;
	q->count = count;
	q->bufsz = kind == CDNA_SW_RX ? bufsz : 0;
	q->hdrsz = hdrsz;
	q->shadow_count = cdna_sw_shadow_count(kind, count);
	q->slot = slot;
	q->run = run;
	q->g_tail = head;
	q->g_copy = head;
	q->g_next = head;
	q->g_head = head;
	memset(slot, 0, sizeof(*slot) * count);
	for (i = 0; i < q->shadow_count; i++)
		memset(&run[i], 0, sizeof(run[i]));
	return 0;
}

int cdna_sw_q_init(struct cdna_sw_q *q, enum cdna_sw_kind kind, u64 ring,
		   u32 len, u32 bufsz, u32 head, struct cdna_sw_slot *slot,
		   struct cdna_sw_run *run)
{
	return cdna_sw_q_init_split(q, kind, ring, len, bufsz, 0, head, slot,
				    run);
}

int cdna_sw_tail(struct cdna_sw_q *q, u32 new_tail, u32 *first, u32 *n)
{
	u32 add;

	if (new_tail >= q->count)
		return -EINVAL;
	add = ring_dist(q->g_tail, new_tail, q->count);
	if (cdna_sw_q_outstanding(q) + add > q->count - 1)
		return -ENOSPC;
	q->g_tail = new_tail;
	*first = q->g_copy;
	*n = ring_dist(q->g_copy, q->g_tail, q->count);
	return 0;
}

enum cdna_sw_reason cdna_sw_rx_check_split(const union cdna_rx_desc *d,
					   u32 bufsz, u32 hdrsz)
{
	u64 addr = le64_to_cpu(d->read.pkt_addr);
	u64 hdr = le64_to_cpu(d->read.hdr_addr);

	if (!bufsz)
		return CDNA_SW_LEN;
	if (!addr)
		return CDNA_SW_ADDR;
	if (wraps(addr, bufsz))
		return CDNA_SW_WRAP;
	if (!hdrsz)
		return CDNA_SW_OK;
	/* An odd one would read as DD in the shadow ring before any DMA. */
	if (!hdr || hdr & 1)
		return CDNA_SW_ADDR;
	if (wraps(hdr, hdrsz))
		return CDNA_SW_WRAP;
	return CDNA_SW_OK;
}

enum cdna_sw_reason cdna_sw_rx_check(const union cdna_rx_desc *d, u32 bufsz)
{
	return cdna_sw_rx_check_split(d, bufsz, 0);
}

enum cdna_sw_reason cdna_sw_tx_check(const union cdna_tx_desc *d)
{
	u32 cmd = tx_cmd(d);
	u32 len;

	if (!(cmd & CDNA_TXD_CMD_DEXT))
		return CDNA_SW_TYPE;
	if (tx_is_ctx(cmd)) {
		if (FIELD_GET(CDNA_TXC_IDX, le32_to_cpu(d->ctx.mss_l4len_idx)) >=
		    CDNA_TXC_SLOTS)
			return CDNA_SW_IDX;
		return CDNA_SW_OK;
	}
	if (FIELD_GET(CDNA_TXD_DTYP, cmd) != CDNA_TXD_DTYP_DATA)
		return CDNA_SW_TYPE;
	if (cmd & ~CDNA_SW_TXD_CMD_OK)
		return CDNA_SW_CMD;
	len = FIELD_GET(CDNA_TXD_DTALEN, cmd);
	if (!len)
		return CDNA_SW_LEN;
	if (FIELD_GET(CDNA_TXD_IDX, le32_to_cpu(d->read.olinfo_status)) >=
	    CDNA_TXC_SLOTS)
		return CDNA_SW_IDX;
	if (wraps(le64_to_cpu(d->read.buffer_addr), len))
		return CDNA_SW_WRAP;
	return CDNA_SW_OK;
}

#define ETH_TPID_8021Q		0x8100
#define ETH_TPID_8021AD		0x88a8
#define ETH_TPID_QINQ		0x9100
#define ETH_VID_MASK		0x0fff

static bool policy_tpid(u16 type)
{
	return type == ETH_TPID_8021Q || type == ETH_TPID_8021AD ||
	       type == ETH_TPID_QINQ;
}

static bool policy_vid_ok(const struct cdna_sw_policy *p, u16 tci)
{
	u16 vid = tci & ETH_VID_MASK;

	return !vid || (p->vlans[vid / 64] >> (vid % 64)) & 1;
}

enum cdna_sw_reason cdna_sw_tx_policy(const struct cdna_sw_policy *p,
				      const u8 *hdr, u32 len, bool vle,
				      u16 vle_tci)
{
	u16 tpid;
	u32 i;

	if (len < 14)
		return CDNA_SW_LEN;
	if (p->check_mac) {
		for (i = 0; i < p->nmacs && i < CDNA_SW_POLICY_MACS; i++)
			if (!memcmp(hdr + 6, p->mac[i], 6))
				break;
		if (i == p->nmacs || i == CDNA_SW_POLICY_MACS)
			return CDNA_SW_SPOOF;
	}
	tpid = (u16)(hdr[12] << 8 | hdr[13]);
	if (policy_tpid(tpid)) {
		if (len < 18)
			return CDNA_SW_LEN;
		if (p->pvid || tpid != ETH_TPID_8021Q ||
		    !policy_vid_ok(p, (u16)(hdr[14] << 8 | hdr[15])) ||
		    policy_tpid((u16)(hdr[16] << 8 | hdr[17])))
			return CDNA_SW_VLAN;
	}
	if (vle && !p->pvid && !policy_vid_ok(p, vle_tci))
		return CDNA_SW_VLAN;
	return CDNA_SW_OK;
}

static void unpin_pages(struct cdna_sw_q *q, u64 iova, u32 npages,
			const struct cdna_sw_mem_ops *ops, void *priv)
{
	u32 i;

	for (i = 0; i < npages; i++)
		ops->unpin(priv, iova + (u64)i * CDNA_SW_PAGE);
	q->stats.pinned -= npages;
}

static void slot_unpin(struct cdna_sw_q *q, struct cdna_sw_slot *s,
		       const struct cdna_sw_mem_ops *ops, void *priv)
{
	unpin_pages(q, s->pin_iova, s->npages, ops, priv);
	s->npages = 0;
}

/* Unmap the shadow runs (and RX header buffer) of a slot, drop its pins. */
static void slot_release(struct cdna_sw_q *q, struct cdna_sw_slot *s,
			 const struct cdna_sw_mem_ops *ops, void *priv)
{
	bool to_dev = q->kind == CDNA_SW_TX;
	u32 i;

	for (i = 0; i < s->nshadow; i++) {
		struct cdna_sw_run *r = &q->run[ring_add(s->shadow, i,
							 q->shadow_count)];

		if (r->flags & CDNA_SW_RUNF_MAPPED)
			ops->unmap(priv, r->addr, r->len, to_dev);
		memset(r, 0, sizeof(*r));
	}
	slot_unpin(q, s, ops, priv);
	s->nshadow = 0;
	if (!q->hdrsz)
		return;
	if (s->flags & CDNA_SW_SLOTF_HDR_MAPPED)
		ops->unmap(priv, s->hdr_bus, q->hdrsz, false);
	unpin_pages(q, s->hdr_iova, s->hdr_npages, ops, priv);
	s->hdr_npages = 0;
	s->hdr_bus = 0;
	s->flags &= ~CDNA_SW_SLOTF_HDR_MAPPED;
}

static void slot_refuse(struct cdna_sw_q *q, struct cdna_sw_slot *s,
			enum cdna_sw_reason why)
{
	s->state = CDNA_SW_SLOT_REFUSED;
	s->npages = 0;
	s->hdr_npages = 0;
	s->nshadow = 0;
	s->flags = 0;
	if (why != CDNA_SW_SPOOF && why != CDNA_SW_VLAN)
		q->stats.refused++;
	q->stats.why[why]++;
}

/*
 * Store the caller's copies of [g_copy, g_tail).  @n 0 with copies owed
 * is a retry: the copies come with a later call.
 */
static int take_copies(struct cdna_sw_q *q, const void *copy, u32 n)
{
	u32 owed = ring_dist(q->g_copy, q->g_tail, q->count);
	const u8 *src = copy;
	u32 i;

	if (!n)
		return 0;
	if (n != owed || !copy)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		struct cdna_sw_slot *s = &q->slot[q->g_copy];

		memset(s, 0, sizeof(*s));
		memcpy(&s->copy, src + (size_t)i * CDNA_DESC_SIZE,
		       CDNA_DESC_SIZE);
		s->state = CDNA_SW_SLOT_PENDING;
		q->g_copy = ring_add(q->g_copy, 1, q->count);
	}
	return 0;
}

/*
 * Pin the pages of [addr, addr + len), which must not wrap; tell whether
 * their pfns are consecutive and give the first.  On a pin failure no
 * page stays pinned.
 */
static int pin_buffer(struct cdna_sw_q *q, u64 addr, u32 len, u32 *npages,
		      u64 *pfn0, bool *contig,
		      const struct cdna_sw_mem_ops *ops, void *priv)
{
	u64 first = addr & ~PAGE_MASK_SW;
	u32 n = (addr + len - 1 - first) / CDNA_SW_PAGE + 1;
	u64 pfn;
	u32 i;

	*contig = true;
	for (i = 0; i < n; i++) {
		if (ops->pin(priv, first + (u64)i * CDNA_SW_PAGE, &pfn)) {
			unpin_pages(q, first, i, ops, priv);
			return -EFAULT;
		}
		q->stats.pinned++;
		if (!i)
			*pfn0 = pfn;
		else if (pfn != *pfn0 + i)
			*contig = false;
	}
	*npages = n;
	return 0;
}

/* One guest buffer of an RX descriptor being posted. */
struct rx_buf {
	u64 addr;	/* guest address */
	u64 bus;	/* what the NIC gets: a mapping or the bounce buffer */
	u32 len;
	u32 npages;	/* pinned */
	bool mapped;	/* bus is a mapping; else it needs the bounce buffer */
};

/* rx_buf_get(): a page of the buffer cannot be pinned (a refusal). */
#define RX_BUF_UNPINNABLE	1

/*
 * Pin the pages of an RX buffer, and map them if they are host-contiguous:
 * 0, RX_BUF_UNPINNABLE (none stays pinned), or the map error (the pins
 * dropped).
 */
static int rx_buf_get(struct cdna_sw_q *q, struct rx_buf *b,
		      const struct cdna_sw_mem_ops *ops, void *priv)
{
	bool contig;
	u64 pfn = 0;
	int ret;

	if (pin_buffer(q, b->addr, b->len, &b->npages, &pfn, &contig, ops,
		       priv))
		return RX_BUF_UNPINNABLE;
	b->mapped = false;
	if (!contig)
		return 0;
	ret = ops->map(priv, pfn, b->addr & PAGE_MASK_SW, b->len, false,
		       &b->bus);
	if (ret) {
		unpin_pages(q, b->addr & ~PAGE_MASK_SW, b->npages, ops, priv);
		b->npages = 0;
		return ret;
	}
	b->mapped = true;
	return 0;
}

static void rx_buf_put(struct cdna_sw_q *q, struct rx_buf *b,
		       const struct cdna_sw_mem_ops *ops, void *priv)
{
	if (b->mapped)
		ops->unmap(priv, b->bus, b->len, false);
	unpin_pages(q, b->addr & ~PAGE_MASK_SW, b->npages, ops, priv);
}

/*
 * A buffer the NIC gets a copy of: its pins proved the pages are the
 * VM's, and are dropped.
 */
static void rx_buf_bounced(struct cdna_sw_q *q, struct rx_buf *b, u64 bus,
			   const struct cdna_sw_mem_ops *ops, void *priv)
{
	unpin_pages(q, b->addr & ~PAGE_MASK_SW, b->npages, ops, priv);
	b->npages = 0;
	b->bus = bus;
}

/*
 * Post one pending RX descriptor: 1 if it left the pending state (posted
 * or refused), 0 if the shadow ring is full, or the map/bounce error.
 * Its buffers: @pkt, and @hdr with header split.
 */
static int rx_post_one(struct cdna_sw_q *q, u32 idx, union cdna_rx_desc *shadow,
		       const struct cdna_sw_mem_ops *ops, void *priv)
{
	struct cdna_sw_slot *s = &q->slot[idx];
	struct rx_buf pkt = {
		.addr = le64_to_cpu(s->copy.rx.read.pkt_addr),
		.len = q->bufsz,
	};
	struct rx_buf hdr = { 0 };
	enum cdna_sw_reason why;
	struct cdna_sw_run *r;
	bool bounce;
	u64 bbus = 0;
	int ret;

	why = cdna_sw_rx_check_split(&s->copy.rx, q->bufsz, q->hdrsz);
	if (why) {
		slot_refuse(q, s, why);
		return 1;
	}
	if (cdna_sw_q_shadow_used(q) >= q->shadow_count - 1)
		return 0;
	ret = rx_buf_get(q, &pkt, ops, priv);
	if (ret == RX_BUF_UNPINNABLE)
		goto refuse;
	if (ret)
		return ret;
	if (q->hdrsz) {
		hdr.addr = le64_to_cpu(s->copy.rx.read.hdr_addr);
		hdr.len = q->hdrsz;
		ret = rx_buf_get(q, &hdr, ops, priv);
		if (ret) {
			rx_buf_put(q, &pkt, ops, priv);
			if (ret == RX_BUF_UNPINNABLE)
				goto refuse;
			return ret;
		}
	}
	bounce = !pkt.mapped || (q->hdrsz && !hdr.mapped);
	if (bounce) {
		ret = ops->bounce(priv, idx, cdna_sw_rx_bounce_size(q), &bbus);
		if (ret) {
			rx_buf_put(q, &pkt, ops, priv);
			rx_buf_put(q, &hdr, ops, priv);
			return ret;
		}
		if (!pkt.mapped)
			rx_buf_bounced(q, &pkt, bbus, ops, priv);
		if (q->hdrsz && !hdr.mapped)
			rx_buf_bounced(q, &hdr, bbus + q->bufsz, ops, priv);
		q->stats.bounced++;
	}

	r = &q->run[q->ntu];
	r->addr = pkt.bus;
	r->len = pkt.mapped ? q->bufsz : 0;
	r->off = 0;
	r->flags = pkt.mapped ? CDNA_SW_RUNF_MAPPED : 0;
	s->pin_iova = pkt.addr & ~PAGE_MASK_SW;
	s->npages = pkt.npages;
	s->flags = pkt.mapped ? 0 : CDNA_SW_SLOTF_BOUNCE;
	cdna_rx_desc_post(&shadow[q->ntu], pkt.bus);
	if (q->hdrsz) {
		s->hdr_iova = hdr.addr & ~PAGE_MASK_SW;
		s->hdr_npages = hdr.npages;
		s->hdr_bus = hdr.bus;
		s->flags |= hdr.mapped ? CDNA_SW_SLOTF_HDR_MAPPED :
					 CDNA_SW_SLOTF_HDR_BOUNCE;
		shadow[q->ntu].read.hdr_addr = cpu_to_le64(hdr.bus);
	}
	s->shadow = q->ntu;
	s->nshadow = 1;
	s->state = CDNA_SW_SLOT_HW;
	q->ntu = ring_add(q->ntu, 1, q->shadow_count);
	q->stats.validated++;
	return 1;

refuse:
	slot_refuse(q, s, CDNA_SW_ADDR);
	return 1;
}

int cdna_sw_rx_post(struct cdna_sw_q *q, const union cdna_rx_desc *copy,
		    u32 n, union cdna_rx_desc *shadow,
		    const struct cdna_sw_mem_ops *ops, void *priv)
{
	int ret;

	if (q->kind != CDNA_SW_RX)
		return -EINVAL;
	ret = take_copies(q, copy, n);
	if (ret)
		return ret;
	while (q->g_next != q->g_copy) {
		ret = rx_post_one(q, q->g_next, shadow, ops, priv);
		if (ret <= 0)
			return ret;
		q->g_next = ring_add(q->g_next, 1, q->count);
	}
	return 0;
}

/* Refuse @len pending TX descriptors from @idx, all for @why. */
static void tx_refuse(struct cdna_sw_q *q, u32 idx, u32 len,
		      enum cdna_sw_reason why)
{
	u32 i;

	for (i = 0; i < len; i++)
		slot_refuse(q, &q->slot[ring_add(idx, i, q->count)], why);
}

/* Drop the pins (and mappings) a TX packet being staged holds. */
static void tx_unstage(struct cdna_sw_q *q, u32 idx, u32 len, u32 nruns,
		       const struct cdna_sw_mem_ops *ops, void *priv)
{
	u32 i;

	for (i = 0; i < nruns; i++) {
		struct cdna_sw_run *r = &q->run[ring_add(q->ntu, i,
							 q->shadow_count)];

		if (r->flags & CDNA_SW_RUNF_MAPPED)
			ops->unmap(priv, r->addr, r->len, true);
		memset(r, 0, sizeof(*r));
	}
	for (i = 0; i < len; i++) {
		struct cdna_sw_slot *s = &q->slot[ring_add(idx, i, q->count)];

		slot_unpin(q, s, ops, priv);
		s->nshadow = 0;
	}
}

/*
 * Shadow descriptors one TX packet may take: CDNA_SW_PKT_MAX_SHADOW, or
 * less on a shadow ring too small for that many.
 */
static u32 tx_pkt_max_shadow(const struct cdna_sw_q *q)
{
	return q->shadow_count - 1 < CDNA_SW_PKT_MAX_SHADOW ?
	       q->shadow_count - 1 : CDNA_SW_PKT_MAX_SHADOW;
}

/*
 * Pin a data descriptor's pages and stage its runs of host-contiguous
 * pages in the shadow slots from *@k on (only those below @room are
 * written); *@k grows by the number of runs.  Pinning stops as soon as
 * the packet has more runs than it may have (CDNA_SW_LEN).  The first
 * @skip bytes of the buffer are in the header copy (no pin, no run); with
 * @hdr_len, the header copy at @hdr_bus is staged first, as the
 * descriptor's first run.
 */
static enum cdna_sw_reason tx_stage_data(struct cdna_sw_q *q,
					 struct cdna_sw_slot *s, u32 *k,
					 u32 room, u32 skip, u64 hdr_bus,
					 u32 hdr_len,
					 const struct cdna_sw_mem_ops *ops,
					 void *priv)
{
	u64 addr = le64_to_cpu(s->copy.tx.read.buffer_addr) + skip;
	u32 left = FIELD_GET(CDNA_TXD_DTALEN, tx_cmd(&s->copy.tx)) - skip;
	u64 first = addr & ~PAGE_MASK_SW;
	u32 off = addr & PAGE_MASK_SW;
	struct cdna_sw_run *r = NULL;
	u64 pfn, prev = 0;
	u32 runs = 0;
	u32 i;

	s->pin_iova = first;
	s->npages = 0;
	if (hdr_len) {
		if (*k < room) {
			r = &q->run[ring_add(q->ntu, *k, q->shadow_count)];
			r->addr = hdr_bus;
			r->off = 0;
			r->len = hdr_len;
			r->flags = CDNA_SW_RUNF_HDR;
		}
		runs = 1;
	}
	for (i = 0; left; i++) {
		u32 chunk = CDNA_SW_PAGE - off;

		if (chunk > left)
			chunk = left;
		if (ops->pin(priv, first + (u64)i * CDNA_SW_PAGE, &pfn)) {
			/* Its staged runs count: the caller clears them. */
			*k += runs;
			return CDNA_SW_ADDR;
		}
		s->npages++;
		q->stats.pinned++;
		if (!i || pfn != prev + 1) {
			r = NULL;
			if (*k + runs < room) {
				r = &q->run[ring_add(q->ntu, *k + runs,
						     q->shadow_count)];
				r->addr = pfn;
				r->off = off;
				r->len = 0;
				r->flags = 0;
			}
			runs++;
			if (*k + runs > tx_pkt_max_shadow(q)) {
				*k += runs;
				return CDNA_SW_LEN;
			}
		}
		if (r)
			r->len += chunk;
		prev = pfn;
		left -= chunk;
		off = 0;
	}
	s->nshadow = runs;
	*k += runs;
	return CDNA_SW_OK;
}

/* What a guest context descriptor leaves in the NIC's slot it names. */
static struct cdna_sw_txc *tx_ctx_set(struct cdna_sw_txc *txc,
				      const union cdna_tx_desc *g)
{
	u32 mss = le32_to_cpu(g->ctx.mss_l4len_idx) & CDNA_SW_TXC_MSS_OK;
	struct cdna_sw_txc *c = &txc[FIELD_GET(CDNA_TXC_IDX, mss)];

	c->vlan_macip_lens = le32_to_cpu(g->ctx.vlan_macip_lens);
	c->mss_l4len_idx = mss;
	c->valid = true;
	return c;
}

/* Write a context descriptor to the shadow ring; the NIC's slot follows. */
static void tx_write_ctx(struct cdna_sw_q *q, union cdna_tx_desc *sd,
			 const union cdna_tx_desc *g)
{
	const struct cdna_sw_txc *c = tx_ctx_set(q->txc, g);

	sd->ctx.vlan_macip_lens = cpu_to_le32(c->vlan_macip_lens);
	sd->ctx.seqnum_seed = 0;
	sd->ctx.type_tucmd_mlhl =
		cpu_to_le32(le32_to_cpu(g->ctx.type_tucmd_mlhl) &
			    CDNA_SW_TXC_TYPE_OK);
	sd->ctx.mss_l4len_idx = cpu_to_le32(c->mss_l4len_idx);
}

/*
 * Whether a TSO context fits a packet of @total bytes whose first data
 * descriptor has @cmd and @olinfo.
 */
static bool tso_ok(const struct cdna_sw_txc *c, u32 total, u32 cmd,
		   u32 olinfo)
{
	u32 mss = FIELD_GET(CDNA_TXC_MSS, c->mss_l4len_idx);
	u32 l4len = FIELD_GET(CDNA_TXC_L4LEN, c->mss_l4len_idx);
	u32 maclen = FIELD_GET(CDNA_TXC_MACLEN, c->vlan_macip_lens);
	u32 iplen = FIELD_GET(CDNA_TXC_IPLEN, c->vlan_macip_lens);
	u32 hdr = maclen + iplen + l4len;
	u32 wire = hdr + (cmd & CDNA_TXD_CMD_VLE ? 4 : 0);

	if (!c->valid || mss < CDNA_SW_TSO_MSS_MIN ||
	    l4len < CDNA_SW_TSO_L4LEN_MIN || l4len > CDNA_SW_TSO_L4LEN_MAX ||
	    maclen < CDNA_SW_TSO_MACLEN_MIN || iplen < CDNA_SW_TSO_IPLEN_MIN ||
	    wire > CDNA_SW_TSO_HDR_MAX || mss + wire > CDNA_SW_TSO_FRAME_MAX)
		return false;
	return total > hdr &&
	       FIELD_GET(CDNA_TXD_PAYLEN, olinfo) == total - hdr;
}

/*
 * What the header freeze needs to know of a TX packet: its length, the
 * headers TSO repeats (0 without TSO) and the tag the NIC inserts.
 */
struct tx_pkt_info {
	u32 total;
	u32 tso_hdr;
	bool vle;
	u16 vle_tci;
};

/*
 * Check the TX packet of @len pending descriptors at @idx as a whole, its
 * descriptors each valid: its TSO against the context slots as the NIC
 * will hold them when it gets there (the queue's, then the packet's own).
 * Fills @info.
 */
static enum cdna_sw_reason tx_pkt_check(const struct cdna_sw_q *q, u32 idx,
					u32 len, struct tx_pkt_info *info)
{
	struct cdna_sw_txc txc[CDNA_TXC_SLOTS];
	u32 first = 0, olinfo = 0, total = 0, i;
	bool data = false, late_ctx = false, mixed = false, odd = false;
	const struct cdna_sw_txc *c;

	memcpy(txc, q->txc, sizeof(txc));
	for (i = 0; i < len; i++) {
		const union cdna_tx_desc *d =
			&q->slot[ring_add(idx, i, q->count)].copy.tx;
		u32 cmd = tx_cmd(d);

		if (tx_is_ctx(cmd)) {
			if (data)
				late_ctx = true;
			else
				tx_ctx_set(txc, d);
			continue;
		}
		total += FIELD_GET(CDNA_TXD_DTALEN, cmd);
		if (!data) {
			first = cmd;
			olinfo = le32_to_cpu(d->read.olinfo_status);
			data = true;
			continue;
		}
		if ((cmd ^ first) & CDNA_TXD_CMD_TSE)
			mixed = true;
		/*
		 * What the NIC takes from the first data descriptor only (VLE,
		 * the context slot) must not differ on the others: hardware
		 * that read them again would insert a tag nobody checked.
		 */
		if ((cmd ^ first) & CDNA_TXD_CMD_VLE ||
		    FIELD_GET(CDNA_TXD_IDX, le32_to_cpu(d->read.olinfo_status) ^
						 olinfo))
			odd = true;
	}
	c = &txc[FIELD_GET(CDNA_TXD_IDX, olinfo)];
	info->total = total;
	info->tso_hdr = 0;
	info->vle = first & CDNA_TXD_CMD_VLE;
	info->vle_tci = FIELD_GET(CDNA_TXC_VLAN, c->vlan_macip_lens);
	/*
	 * A context descriptor between data descriptors of one packet (no
	 * driver writes one, and the header copy would move data across
	 * it), or data descriptors that differ in VLE or context slot.
	 */
	if (late_ctx || odd)
		return CDNA_SW_PKT;
	/*
	 * A tag inserted from a context slot no descriptor of this queue set:
	 * the NIC keeps what an earlier driver of the VF left there.
	 */
	if (info->vle && !c->valid)
		return CDNA_SW_VLAN;
	if (mixed)
		return CDNA_SW_TSO;
	if (!(first & CDNA_TXD_CMD_TSE))
		return CDNA_SW_OK;
	if (!tso_ok(c, total, first, olinfo))
		return CDNA_SW_TSO;
	info->tso_hdr = FIELD_GET(CDNA_TXC_MACLEN, c->vlan_macip_lens) +
			FIELD_GET(CDNA_TXC_IPLEN, c->vlan_macip_lens) +
			FIELD_GET(CDNA_TXC_L4LEN, c->mss_l4len_idx);
	return CDNA_SW_OK;
}

/*
 * Freeze the first bytes of the TX packet of @len descriptors at @idx
 * (see CDNA_SW_TX_HDR_MIN): name them for @ops->tx_hdr, which copies and
 * checks them into the header buffer of the packet's first data slot
 * (*@hslot) at *@bus.  *@hlen: the bytes frozen.
 */
static enum cdna_sw_reason tx_freeze(struct cdna_sw_q *q, u32 idx, u32 len,
				     const struct tx_pkt_info *info,
				     u32 *hslot, u32 *hlen, u64 *bus,
				     const struct cdna_sw_mem_ops *ops,
				     void *priv)
{
	struct cdna_sw_tx_hdr h;
	u32 want, i;

	want = info->tso_hdr ? info->tso_hdr : CDNA_SW_TX_HDR_MIN;
	if (want > CDNA_SW_TX_HDR_BUF)
		want = CDNA_SW_TX_HDR_BUF;
	if (want > info->total)
		want = info->total;
	h.len = 0;
	h.nseg = 0;
	h.vle = info->vle;
	h.vle_tci = info->vle_tci;
	*hslot = q->count;
	for (i = 0; i < len && h.len < want; i++) {
		u32 slot = ring_add(idx, i, q->count);
		const union cdna_tx_desc *d = &q->slot[slot].copy.tx;
		u32 cmd = tx_cmd(d);
		u32 take = FIELD_GET(CDNA_TXD_DTALEN, cmd);

		if (tx_is_ctx(cmd))
			continue;
		if (*hslot == q->count)
			*hslot = slot;
		if (h.nseg == CDNA_SW_TX_HDR_SEGS)
			return CDNA_SW_LEN;
		if (take > want - h.len)
			take = want - h.len;
		h.seg[h.nseg].iova = le64_to_cpu(d->read.buffer_addr);
		h.seg[h.nseg].len = take;
		h.nseg++;
		h.len += take;
	}
	*hlen = h.len;
	return ops->tx_hdr(priv, *hslot, &h, bus);
}

/*
 * Try to post the TX packet of @len pending descriptors at @idx (the last
 * one has EOP): @len when it left the pending state (posted or refused),
 * 0 when it waits for shadow room, or the map error.
 */
static int tx_post_pkt(struct cdna_sw_q *q, u32 idx, u32 len,
		       union cdna_tx_desc *shadow,
		       const struct cdna_sw_mem_ops *ops, void *priv)
{
	u32 room = q->shadow_count - 1 - cdna_sw_q_shadow_used(q);
	enum cdna_sw_reason why = CDNA_SW_OK;
	u32 hslot = q->count, hlen = 0, skip = 0, last = 0, runs;
	enum cdna_sw_reason pol = CDNA_SW_OK;
	struct tx_pkt_info info;
	u32 i, j, k = 0, sh;
	u64 hbus = 0;
	int ret;

	for (i = 0; i < len && !why; i++)
		why = cdna_sw_tx_check(&q->slot[ring_add(idx, i, q->count)].copy.tx);
	if (!why)
		why = tx_pkt_check(q, idx, len, &info);
	if (why) {
		tx_refuse(q, idx, len, why);
		return len;
	}
	/*
	 * Each descriptor takes a shadow slot at least (and the header
	 * copy one): no use pinning what cannot fit yet (len < count, so
	 * it fits once the ring drains).
	 */
	if (len + (ops->tx_hdr ? 1 : 0) > room)
		return 0;
	if (ops->tx_hdr) {
		why = tx_freeze(q, idx, len, &info, &hslot, &hlen, &hbus, ops,
				priv);
		/*
		 * A policy drop waits for the buffers' check: a packet whose
		 * buffers are not the VM's is refused (and counts towards
		 * quarantine) whatever its header says.
		 */
		if (why == CDNA_SW_SPOOF || why == CDNA_SW_VLAN) {
			pol = why;
			why = CDNA_SW_OK;
		}
		if (why) {
			tx_refuse(q, idx, len, why);
			return len;
		}
		skip = hlen;
	}

	for (i = 0; i < len && !why; i++) {
		struct cdna_sw_slot *s = &q->slot[ring_add(idx, i, q->count)];
		u32 dlen = FIELD_GET(CDNA_TXD_DTALEN, tx_cmd(&s->copy.tx));
		u32 sk;

		if (tx_is_ctx(tx_cmd(&s->copy.tx))) {
			if (k < room) {
				struct cdna_sw_run *r =
					&q->run[ring_add(q->ntu, k,
							 q->shadow_count)];

				memset(r, 0, sizeof(*r));
				r->flags = CDNA_SW_RUNF_CTX;
			}
			s->npages = 0;
			s->nshadow = 1;
			k++;
			continue;
		}
		sk = skip < dlen ? skip : dlen;
		why = tx_stage_data(q, s, &k, room, sk, hbus,
				    ring_add(idx, i, q->count) == hslot ?
				    hlen : 0, ops, priv);
		skip -= sk;
	}
	if (!why && k > tx_pkt_max_shadow(q))
		why = CDNA_SW_LEN;
	if (why || k > room) {
		/* i slots hold pins; the staged runs are the first k < room. */
		tx_unstage(q, idx, i, k < room ? k : room, ops, priv);
		if (!why)
			return 0;
		tx_refuse(q, idx, len, why);
		return len;
	}
	if (pol) {
		tx_unstage(q, idx, len, k, ops, priv);
		tx_refuse(q, idx, len, pol);
		return len;
	}

	for (j = 0; j < k; j++) {
		struct cdna_sw_run *r = &q->run[ring_add(q->ntu, j,
							 q->shadow_count)];
		u64 bus;

		if (r->flags & (CDNA_SW_RUNF_CTX | CDNA_SW_RUNF_HDR))
			continue;
		ret = ops->map(priv, r->addr, r->off, r->len, true, &bus);
		if (ret) {
			tx_unstage(q, idx, len, k, ops, priv);
			return ret;
		}
		r->addr = bus;
		r->off = 0;
		r->flags = CDNA_SW_RUNF_MAPPED;
	}

	sh = q->ntu;
	for (i = 0; i < len; i++) {
		struct cdna_sw_slot *s = &q->slot[ring_add(idx, i, q->count)];
		u32 cmd = tx_cmd(&s->copy.tx);
		u32 base = cmd & ~(CDNA_TXD_DTALEN | CDNA_TXD_CMD_EOP |
				   CDNA_TXD_CMD_RS);

		s->shadow = sh;
		s->state = CDNA_SW_SLOT_HW;
		s->flags = i == len - 1 ? CDNA_SW_SLOTF_PKT_END : 0;
		if (tx_is_ctx(cmd)) {
			tx_write_ctx(q, &shadow[sh], &s->copy.tx);
			sh = ring_add(sh, 1, q->shadow_count);
			continue;
		}
		runs = s->nshadow;
		if (runs && (q->run[sh].flags & CDNA_SW_RUNF_HDR))
			runs--;		/* the header copy is no split */
		if (runs > 1)
			q->stats.split++;
		for (j = 0; j < s->nshadow; j++) {
			struct cdna_sw_run *r = &q->run[sh];
			u32 c = base | FIELD_PREP(CDNA_TXD_DTALEN, r->len);

			/* Only the packet's last one: EOP and RS, below. */
			shadow[sh].read.buffer_addr = cpu_to_le64(r->addr);
			shadow[sh].read.cmd_type_len = cpu_to_le32(c);
			shadow[sh].read.olinfo_status =
				s->copy.tx.read.olinfo_status;
			last = sh;
			sh = ring_add(sh, 1, q->shadow_count);
		}
	}
	/*
	 * The NIC reports the packet in its last data descriptor, which may
	 * belong to a guest descriptor before the last one (the last ones
	 * wholly inside the header copy take none).
	 */
	shadow[last].read.cmd_type_len |= cpu_to_le32(CDNA_TXD_CMD_EOP |
						      CDNA_TXD_CMD_RS);
	q->ntu = sh;
	q->stats.validated += len;
	return len;
}

int cdna_sw_tx_post(struct cdna_sw_q *q, const union cdna_tx_desc *copy,
		    u32 n, union cdna_tx_desc *shadow,
		    const struct cdna_sw_mem_ops *ops, void *priv)
{
	int ret;

	if (q->kind != CDNA_SW_TX)
		return -EINVAL;
	ret = take_copies(q, copy, n);
	if (ret)
		return ret;
	while (q->g_next != q->g_copy) {
		u32 avail = ring_dist(q->g_next, q->g_copy, q->count);
		u32 len = 0, i;

		if (q->tx_discard) {
			/* The rest of a refused over-long packet. */
			struct cdna_sw_slot *s = &q->slot[q->g_next];

			if (tx_is_eop(&s->copy.tx))
				q->tx_discard = false;
			slot_refuse(q, s, CDNA_SW_PKT);
			q->g_next = ring_add(q->g_next, 1, q->count);
			continue;
		}
		for (i = 0; i < avail && i < CDNA_SW_PKT_MAX_DESCS; i++) {
			if (tx_is_eop(&q->slot[ring_add(q->g_next, i,
							q->count)].copy.tx)) {
				len = i + 1;
				break;
			}
		}
		if (!len) {
			/*
			 * No EOP yet: wait for it, unless the packet is
			 * already too long or fills the ring (the guest
			 * cannot write its end).
			 */
			if (avail < CDNA_SW_PKT_MAX_DESCS && avail < q->count - 1)
				return 0;
			len = avail < CDNA_SW_PKT_MAX_DESCS ?
			      avail : CDNA_SW_PKT_MAX_DESCS;
			tx_refuse(q, q->g_next, len, CDNA_SW_PKT);
			q->tx_discard = true;
			q->g_next = ring_add(q->g_next, len, q->count);
			continue;
		}
		ret = tx_post_pkt(q, q->g_next, len, shadow, ops, priv);
		if (ret <= 0)
			return ret;
		q->g_next = ring_add(q->g_next, len, q->count);
	}
	return 0;
}

/* The NIC may say more header bytes than the header buffer holds. */
static void rx_clamp_hdr_len(union cdna_rx_desc *wb, u32 hdrsz)
{
	u32 info = le32_to_cpu(wb->wb.info);

	if (FIELD_GET(CDNA_SW_RXD_HDR_LEN, info) <= hdrsz)
		return;
	info &= ~CDNA_SW_RXD_HDR_LEN;
	info |= FIELD_PREP(CDNA_SW_RXD_HDR_LEN, hdrsz);
	wb->wb.info = cpu_to_le32(info);
}

int cdna_sw_rx_complete(struct cdna_sw_q *q, const union cdna_rx_desc *shadow,
			struct cdna_sw_rx_done *done, u32 max,
			const struct cdna_sw_mem_ops *ops, void *priv)
{
	u32 nd = 0;

	if (q->kind != CDNA_SW_RX)
		return -EINVAL;
	while (nd < max && q->g_head != q->g_next) {
		struct cdna_sw_slot *s = &q->slot[q->g_head];
		struct cdna_sw_rx_done *d = &done[nd];

		memset(d, 0, sizeof(*d));
		d->slot = q->g_head;
		d->iova = le64_to_cpu(s->copy.rx.read.pkt_addr);
		if (q->hdrsz)
			d->hdr_iova = le64_to_cpu(s->copy.rx.read.hdr_addr);
		if (s->state == CDNA_SW_SLOT_REFUSED) {
			d->wb.wb.status_error =
				cpu_to_le32(CDNA_RXD_STAT_DD |
					    CDNA_RXD_STAT_EOP |
					    CDNA_RXD_ERR_RXE);
		} else {
			const union cdna_rx_desc *sd = &shadow[s->shadow];
			u32 len;

			if (!(le32_to_cpu(READ_ONCE(sd->wb.status_error)) &
			      CDNA_RXD_STAT_DD))
				break;
			/* The rest of the write-back only after DD. */
			dma_rmb();
			memcpy(&d->wb, sd, sizeof(d->wb));
			d->wb.wb.status_error |= cpu_to_le32(CDNA_RXD_STAT_DD);
			len = le16_to_cpu(d->wb.wb.length);
			if (len > q->bufsz)
				d->wb.wb.length = cpu_to_le16(q->bufsz);
			if (q->hdrsz)
				rx_clamp_hdr_len(&d->wb, q->hdrsz);
			d->bounce = s->flags & CDNA_SW_SLOTF_BOUNCE;
			d->hdr_bounce = s->flags & CDNA_SW_SLOTF_HDR_BOUNCE;
			slot_release(q, s, ops, priv);
			q->ntc = ring_add(q->ntc, 1, q->shadow_count);
		}
		s->state = CDNA_SW_SLOT_FREE;
		s->flags = 0;
		q->g_head = ring_add(q->g_head, 1, q->count);
		nd++;
	}
	return nd;
}

int cdna_sw_tx_complete(struct cdna_sw_q *q, u32 hw_head,
			struct cdna_sw_tx_done *done, u32 max,
			const struct cdna_sw_mem_ops *ops, void *priv)
{
	u32 sent, nd = 0;

	if (q->kind != CDNA_SW_TX || hw_head >= q->shadow_count)
		return -EINVAL;
	sent = ring_dist(q->ntc, hw_head, q->shadow_count);
	if (sent > cdna_sw_q_shadow_used(q))
		return -EINVAL;

	while (q->g_head != q->g_next) {
		struct cdna_sw_slot *s = &q->slot[q->g_head];
		u32 i, m = 0, need = 0;

		if (s->state == CDNA_SW_SLOT_REFUSED) {
			if (nd >= max)
				break;
			m = 1;
		} else {
			/* A packet completes whole: find its end. */
			do {
				s = &q->slot[ring_add(q->g_head, m, q->count)];
				need += s->nshadow;
				m++;
			} while (!(s->flags & CDNA_SW_SLOTF_PKT_END));
			if (need > sent || nd + m > max)
				break;
			sent -= need;
		}
		for (i = 0; i < m; i++) {
			s = &q->slot[q->g_head];
			done[nd].slot = q->g_head;
			done[nd].dd = tx_cmd(&s->copy.tx) & CDNA_TXD_CMD_RS;
			nd++;
			if (s->state == CDNA_SW_SLOT_HW) {
				q->ntc = ring_add(q->ntc, s->nshadow,
						  q->shadow_count);
				slot_release(q, s, ops, priv);
			}
			s->state = CDNA_SW_SLOT_FREE;
			s->flags = 0;
			q->g_head = ring_add(q->g_head, 1, q->count);
		}
	}
	return nd;
}

void cdna_sw_q_drop_all(struct cdna_sw_q *q, const struct cdna_sw_mem_ops *ops,
			void *priv)
{
	u32 i;

	for (i = q->g_head; i != q->g_copy; i = ring_add(i, 1, q->count)) {
		struct cdna_sw_slot *s = &q->slot[i];

		if (s->state == CDNA_SW_SLOT_HW)
			slot_release(q, s, ops, priv);
		s->state = CDNA_SW_SLOT_FREE;
		s->flags = 0;
	}
	for (i = 0; i < q->shadow_count; i++)
		memset(&q->run[i], 0, sizeof(q->run[i]));
	q->g_copy = q->g_tail;
	q->g_next = q->g_tail;
	q->g_head = q->g_tail;
	q->ntu = 0;
	q->ntc = 0;
	q->tx_discard = false;
	/* The NIC's queue was stopped: its context slots are not trusted. */
	memset(q->txc, 0, sizeof(q->txc));
}

/* Whether @npages pages from @first meet [iova, end]. */
static bool pins_meet(u64 first, u32 npages, u64 iova, u64 end)
{
	return npages && first <= end &&
	       iova <= first + (u64)npages * CDNA_SW_PAGE - 1;
}

bool cdna_sw_q_pins_range(const struct cdna_sw_q *q, u64 iova, u64 len)
{
	u64 end = iova + len - 1;
	u32 i;

	if (!len)
		return false;
	if (end < iova)
		end = ~0ULL;
	for (i = q->g_head; i != q->g_next; i = ring_add(i, 1, q->count)) {
		const struct cdna_sw_slot *s = &q->slot[i];

		if (s->state != CDNA_SW_SLOT_HW)
			continue;
		if (pins_meet(s->pin_iova, s->npages, iova, end) ||
		    pins_meet(s->hdr_iova, s->hdr_npages, iova, end))
			return true;
	}
	return false;
}
