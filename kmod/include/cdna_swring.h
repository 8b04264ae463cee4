/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guard's software protection mode, the part that decides: a VM's
 * RX and TX rings live in guest memory; on each trapped tail write the
 * guard copies the new guest descriptors once, validates each copy, pins
 * and maps the guest pages it names and writes a translated descriptor
 * into a shadow ring, the only ring the NIC reads.  On completion the
 * write-backs go back to the guest ring and the pages are unmapped and
 * unpinned.
 *
 * Plain C with no kernel calls and no allocation: the caller gives the
 * queue object and its arrays, and the page operations as callbacks
 * (vfio_pin_pages() and dma_map_page() in the guard, a fake page table in
 * the unit tests and the fuzzer).  The same file builds into vmm_guard and
 * into tests/unit.
 *
 * Locking: none inside.  Every call on one queue must be serialised by
 * the caller (one mutex per queue: the callbacks may sleep).
 *
 * One queue's life:
 *
 *	cdna_sw_q_init_split()			guest enabled the ring
 *	cdna_sw_tail() -> first, n		guest wrote RDT/TDT
 *	copy guest slots first.. (n, wrapping) into a linear buffer
 *	cdna_sw_rx_post() / cdna_sw_tx_post()	validate, pin, map, shadow
 *	write q->ntu to the NIC's RDT/TDT
 *	cdna_sw_rx_complete() / cdna_sw_tx_complete()	on the NIC's interrupt
 *	write the done entries into the guest ring; show q->g_head as RDH/TDH
 *	cdna_sw_q_drop_all()			reset, VMM gone, .dma_unmap
 */
#ifndef _CDNA_SWRING_H_
#define _CDNA_SWRING_H_

#include "cdna_compat.h"
#include "cdna_desc.h"

/* The page size of guest IOVAs and host pfns (x86-64's PAGE_SIZE). */
#define CDNA_SW_PAGE			4096
/* Guest ring base and length: what RDBAL/RDLEN (TDBAL/TDLEN) may say. */
#define CDNA_SW_RING_ALIGN		128
#define CDNA_SW_RING_MAX		4096	/* descriptors */
/* RX buffer size from SRRCTL.BSIZEPKT (1 KiB units). */
#define CDNA_SW_BUF_UNIT		1024
#define CDNA_SW_BUF_MIN			1024
#define CDNA_SW_BUF_MAX			16384
/*
 * Header split (SRRCTL.DESCTYPE 2, or 5 "always"; igbvf takes 5 for
 * buffers of 2 KiB and more): each RX descriptor names a second guest
 * buffer, hdr_addr, of SRRCTL.BSIZEHDR 64-byte units, where the NIC puts
 * the packet's headers.  Bit 0 of hdr_addr is where the write-back's DD
 * lands, so a header buffer's address is even.
 */
#define CDNA_SW_DESCTYPE_HDR_SPLIT	2
#define CDNA_SW_DESCTYPE_SPLIT_ALWAYS	5
#define CDNA_SW_HDR_UNIT		64
#define CDNA_SW_HDR_MIN			64
#define CDNA_SW_HDR_MAX			960
/* RX write-back info (CPU order), header split: header bytes, split done */
#define CDNA_SW_RXD_HDR_LEN		GENMASK(30, 21)
#define CDNA_SW_RXD_SPH			BIT(31)
/* Guest descriptors one TX packet may take, context descriptors included. */
#define CDNA_SW_PKT_MAX_DESCS		64
/*
 * Shadow descriptors one TX packet may become, context descriptors
 * included: a buffer over host pages that are not contiguous takes one per
 * run, and neither the NIC nor QEMU's model takes packets of hundreds of
 * buffers (QEMU's igb gathers at most 64 fragments a packet and drops the
 * rest).  A Linux guest's 64 KiB TSO packet needs 40 at the very most.
 */
#define CDNA_SW_PKT_MAX_SHADOW		64
/*
 * TSO (a TSE data descriptor): what the context the packet uses must say.
 * An Ethernet header at least (MACLEN, 7 bits) and an IP header (IPLEN,
 * 9 bits); a TCP header of 20..60 bytes (L4LEN); the headers the NIC
 * repeats in every segment, MACLEN + IPLEN + L4LEN and 4 more when it
 * inserts a VLAN tag (VLE), below 512 bytes as Intel's manuals for the
 * 82575 and 82598 require; a segment payload (MSS) of at least 64 bytes,
 * and a segment, MSS + those headers, no longer than the largest frame
 * the 82576 sends (9.5 KiB).  An MSS of 0 or a few bytes has the NIC cut
 * thousands of segments, or stall.  Linux goes below 64 only for a peer
 * that asks for an MSS that small (tcp_min_snd_mss is 48): such a
 * connection's TSO packets are refused.
 */
#define CDNA_SW_TSO_MSS_MIN		64
#define CDNA_SW_TSO_MACLEN_MIN		14
#define CDNA_SW_TSO_IPLEN_MIN		20
#define CDNA_SW_TSO_L4LEN_MIN		20
#define CDNA_SW_TSO_L4LEN_MAX		60
#define CDNA_SW_TSO_HDR_MAX		511
#define CDNA_SW_TSO_FRAME_MAX		9728
/*
 * TX header freeze (a queue whose caller gives @tx_hdr): the first bytes
 * of every packet are copied once into a host buffer the VM cannot write,
 * checked there (source MAC, VLAN tags: cdna_sw_tx_policy()), and the NIC
 * reads them from that copy, so that a guest rewriting its buffer after
 * the check changes nothing.  A packet's first CDNA_SW_TX_HDR_MIN bytes
 * (destination, source, two tags and the type after them), a TSO packet's
 * whole MACLEN + IPLEN + L4LEN up to CDNA_SW_TX_HDR_BUF, the size of the
 * caller's buffer per guest slot.  They may come from at most
 * CDNA_SW_TX_HDR_SEGS guest buffers.
 */
#define CDNA_SW_TX_HDR_MIN		22
#define CDNA_SW_TX_HDR_BUF		256
#define CDNA_SW_TX_HDR_SEGS		8
/* Addresses a TX policy allows as a frame's source: the VF's, its filters */
#define CDNA_SW_POLICY_MACS		16
/* Bytes one TX data descriptor may name (DTALEN). */
#define CDNA_SW_TX_LEN_MAX		65535
/* Pages one guest buffer can touch: 65535 bytes from any page offset. */
#define CDNA_SW_MAX_PAGES		\
	((CDNA_SW_TX_LEN_MAX + CDNA_SW_PAGE - 1) / CDNA_SW_PAGE + 1)

/**
 * enum cdna_sw_reason - why a guest descriptor was refused
 * @CDNA_SW_OK: not refused
 * @CDNA_SW_ADDR: address 0, or a page of the buffer could not be pinned
 *	(not mapped by the VM, not RAM); header split: the same for the
 *	header buffer, or its address odd
 * @CDNA_SW_WRAP: address + length overflows 64 bits (either RX buffer)
 * @CDNA_SW_LEN: length 0, or a TX packet that needs more shadow
 *	descriptors than CDNA_SW_PKT_MAX_SHADOW (or than the shadow ring could
 *	ever hold)
 * @CDNA_SW_TYPE: DEXT clear, or a DTYP other than context or data
 * @CDNA_SW_CMD: reserved command bits set in a data descriptor
 * @CDNA_SW_IDX: context index at or above CDNA_TXC_SLOTS
 * @CDNA_SW_PKT: a packet longer than CDNA_SW_PKT_MAX_DESCS descriptors, or
 *	no EOP in a ring full of pending descriptors (the descriptors of such
 *	a packet up to its EOP are all refused), or with a context descriptor
 *	after one of its data descriptors, or data descriptors that differ in
 *	VLE or in the context slot they name
 * @CDNA_SW_TSO: a TSE packet with TSO parameters that could upset the
 *	NIC (see cdna_sw_tx_post())
 * @CDNA_SW_SPOOF: TX policy: the frame's source MAC is not one of the
 *	context's (anti-spoofing on, context not trusted)
 * @CDNA_SW_VLAN: TX policy: a VLAN tag the context may not use (any tag
 *	of its own under a port VLAN), or VLE naming a context slot the
 *	queue never set (the NIC would insert what it last held)
 * @CDNA_SW_NR_REASONS: number of reasons, CDNA_SW_OK included
 *
 * CDNA_SW_SPOOF and CDNA_SW_VLAN are policy drops, not bad descriptors: the
 * packet completes to the guest as sent (as the NIC's own anti-spoofing
 * would do), and is counted in @why only, not in @refused.
 */
enum cdna_sw_reason {
	CDNA_SW_OK,
	CDNA_SW_ADDR,
	CDNA_SW_WRAP,
	CDNA_SW_LEN,
	CDNA_SW_TYPE,
	CDNA_SW_CMD,
	CDNA_SW_IDX,
	CDNA_SW_PKT,
	CDNA_SW_TSO,
	CDNA_SW_SPOOF,
	CDNA_SW_VLAN,
	CDNA_SW_NR_REASONS
};

/* Which ring a queue object shadows. */
enum cdna_sw_kind {
	CDNA_SW_RX,
	CDNA_SW_TX,
};

/**
 * struct cdna_sw_mem_ops - the page operations, done by the caller
 * @pin: pin the guest page at @iova (page-aligned) and give its host pfn;
 *	0, or -errno if the VM has not mapped it (the descriptor is refused,
 *	CDNA_SW_ADDR).  Each successful pin gets exactly one @unpin.
 * @unpin: unpin one page pinned by @pin, by the same @iova
 * @map: map @len bytes of host-contiguous pages for the NIC, from byte
 *	@off of page @pfn (@off below CDNA_SW_PAGE; the run may span several
 *	pages that @pin gave as consecutive pfns); @to_dev true for TX (the
 *	NIC reads), false for RX (the NIC writes).  0 with the bus address in
 *	@bus, or -errno: posting stops there and is retried by the next post.
 * @unmap: undo one @map, with its @bus, @len and @to_dev
 * @bounce: RX only: the bus address of the caller's bounce buffer, at
 *	least @len bytes, for guest slot @slot; 0 or -errno (as @map).  The
 *	buffer of a slot is in use from its post until the caller has copied
 *	its done entry's data into the guest.  @len is
 *	cdna_sw_rx_bounce_size(): bufsz, and on a header split queue hdrsz
 *	more: the packet part is at offset 0, the header part at offset bufsz
 *	(either or both used, as the done entry says).
 *
 * @tx_hdr: TX, optional (NULL: no header freeze): copy the guest bytes
 *	@h names, @h->len in all, into the caller's header buffer of guest
 *	slot @slot (CDNA_SW_TX_HDR_BUF bytes, the NIC reads it), check the
 *	copy (cdna_sw_tx_policy()) and give the buffer's bus address in
 *	@bus.  CDNA_SW_OK; CDNA_SW_ADDR if the bytes cannot be read (not
 *	mapped by the VM); the policy's reason.  The buffer of a slot is in
 *	use from its packet's post to its completion.
 *
 * @pin, @unpin and @tx_hdr may sleep; the engine never calls them with a
 * lock of its own held (it has none).
 */
struct cdna_sw_tx_hdr;

struct cdna_sw_mem_ops {
	int (*pin)(void *priv, u64 iova, u64 *pfn);
	void (*unpin)(void *priv, u64 iova);
	int (*map)(void *priv, u64 pfn, u32 off, u32 len, bool to_dev,
		   u64 *bus);
	void (*unmap)(void *priv, u64 bus, u32 len, bool to_dev);
	int (*bounce)(void *priv, u32 slot, u32 len, u64 *bus);
	enum cdna_sw_reason (*tx_hdr)(void *priv, u32 slot,
				      const struct cdna_sw_tx_hdr *h,
				      u64 *bus);
};

/**
 * struct cdna_sw_tx_hdr - the first bytes of a TX packet, for @tx_hdr
 * @len: bytes to copy, the sum of @seg's lengths
 * @nseg: entries in @seg
 * @vle: the NIC inserts a VLAN tag (the first data descriptor has VLE)
 * @vle_tci: that tag (the context slot's VLAN field), when @vle
 * @seg: guest buffers, in packet order: their IOVA and byte count
 */
struct cdna_sw_tx_hdr {
	u32 len;
	u32 nseg;
	bool vle;
	u16 vle_tci;
	struct {
		u64 iova;
		u32 len;
	} seg[CDNA_SW_TX_HDR_SEGS];
};

/**
 * struct cdna_sw_policy - what a context's frames may carry (TX)
 * @mac: the source MACs it may use: its own, its extra filters
 * @nmacs: entries in @mac
 * @check_mac: anti-spoofing on and the context not trusted
 * @pvid: its port VLAN, 0 for none (the NIC then inserts the tag)
 * @vlans: bitmap of the VLAN IDs it joined (used without a port VLAN)
 */
struct cdna_sw_policy {
	u8 mac[CDNA_SW_POLICY_MACS][6];
	u32 nmacs;
	bool check_mac;
	u16 pvid;
	u64 vlans[4096 / 64];
};

/**
 * cdna_sw_tx_policy - check a frame's first bytes against a TX policy
 * @p: the context's policy
 * @hdr: the frame's first bytes, as copied once (struct cdna_sw_tx_hdr)
 * @len: how many (a packet's first CDNA_SW_TX_HDR_MIN at most, or all of
 *	a shorter one)
 * @vle: the NIC inserts a tag, @vle_tci
 * @vle_tci: that tag
 *
 * - With @p->check_mac, the source address must be one of @p->mac.
 * - A tag in the frame is one of TPID 0x8100, 0x88a8 or 0x9100 at offset
 *   12.  Under a port VLAN no tag of the frame's own is allowed (the NIC
 *   inserts the port VLAN, replacing any VLE tag).  Without one, a frame
 *   tag must be an 802.1Q (0x8100) tag, and both it and a VLE tag must
 *   carry VLAN ID 0 (priority only) or one the context joined; a second
 *   tag after the first is refused (a receiver that strips a priority tag
 *   would deliver the frame by the inner one).
 * Pure: no side effects.
 *
 * Return: CDNA_SW_OK; CDNA_SW_LEN for a frame shorter than an Ethernet
 * header (or than its tag and the type after it); CDNA_SW_SPOOF;
 * CDNA_SW_VLAN.
 */
enum cdna_sw_reason cdna_sw_tx_policy(const struct cdna_sw_policy *p,
				      const u8 *hdr, u32 len, bool vle,
				      u16 vle_tci);

/**
 * struct cdna_sw_slot - one guest descriptor's state (engine-private)
 * @copy: the guest descriptor as copied once by the caller
 * @pin_iova: first page pinned for this descriptor (RX: its packet buffer)
 * @hdr_iova: RX header split: first page pinned for the header buffer
 * @hdr_bus: RX header split: the header buffer's mapping, while mapped
 * @npages: pages pinned from @pin_iova (0: none)
 * @hdr_npages: pages pinned from @hdr_iova (0: none)
 * @shadow: first shadow slot the descriptor took
 * @nshadow: shadow slots it took (0: refused or not posted)
 * @state: CDNA_SW_SLOT_* (engine-private)
 * @flags: CDNA_SW_SLOTF_* (engine-private)
 *
 * The caller allocates one per guest descriptor (the ring's count) and
 * never touches them.
 */
struct cdna_sw_slot {
	union {
		union cdna_rx_desc rx;
		union cdna_tx_desc tx;
	} copy;
	u64 pin_iova;
	u64 hdr_iova;
	u64 hdr_bus;
	u16 npages;
	u16 hdr_npages;
	u16 shadow;
	u16 nshadow;
	u8 state;
	u8 flags;
};

/**
 * struct cdna_sw_run - one shadow descriptor's mapping (engine-private)
 * @addr: the bus address the shadow descriptor holds (a pfn while a TX
 *	packet is being staged)
 * @len: bytes mapped (0: nothing to unmap: context descriptor, bounce)
 * @off: offset in the first page, while staged
 * @flags: CDNA_SW_RUNF_* (engine-private)
 *
 * The caller allocates one per shadow ring slot and never touches them.
 */
struct cdna_sw_run {
	u64 addr;
	u32 len;
	u16 off;
	u16 flags;
};

/**
 * struct cdna_sw_txc - a TX context slot as the NIC holds it
 *	(engine-private)
 * @vlan_macip_lens: the last context descriptor for the slot that reached
 *	the shadow ring, its vlan_macip_lens
 * @mss_l4len_idx: and its mss_l4len_idx, as sanitised (CPU order)
 * @valid: such a descriptor reached the shadow ring since the queue was
 *	initialised or last dropped
 */
struct cdna_sw_txc {
	u32 vlan_macip_lens;
	u32 mss_l4len_idx;
	bool valid;
};

/**
 * struct cdna_sw_stats - what a queue did with the guest's descriptors
 * @validated: guest descriptors that passed every check and reached the
 *	shadow ring (bounced RX descriptors included)
 * @refused: guest descriptors completed back without reaching the NIC
 *	(TX: every descriptor of a refused packet)
 * @why: @refused by reason, indexed by enum cdna_sw_reason (@why[0] is
 *	0), and the TX policy drops (CDNA_SW_SPOOF, CDNA_SW_VLAN), which
 *	@refused does not count
 * @pinned: guest pages pinned now (a gauge, not a count of events)
 * @bounced: RX descriptors posted with the caller's bounce buffer because
 *	their buffer straddles host pages that are not contiguous
 * @split: TX data descriptors that became more than one shadow descriptor
 *
 * validated + refused + the policy drops counts each guest descriptor
 * once, when it leaves the pending state; the sum of @why is @refused
 * plus the policy drops.
 */
struct cdna_sw_stats {
	u64 validated;
	u64 refused;
	u64 why[CDNA_SW_NR_REASONS];
	u64 pinned;
	u64 bounced;
	u64 split;
};

/**
 * struct cdna_sw_q - one shadowed guest ring
 * @kind: CDNA_SW_RX or CDNA_SW_TX
 * @ring: guest ring base (IOVA), for the caller's copies and write-backs
 * @count: guest descriptors in the ring
 * @bufsz: RX buffer bytes (SRRCTL), 0 for TX
 * @hdrsz: RX header buffer bytes with header split (SRRCTL), else 0
 * @shadow_count: slots of the shadow ring (cdna_sw_shadow_count())
 * @slot: @count guest slot states, caller-allocated
 * @run: @shadow_count shadow slot mappings, caller-allocated
 * @g_tail: the guest tail last accepted by cdna_sw_tail()
 * @g_copy: next guest slot the engine holds no copy of; the caller owes
 *	the copies of [@g_copy, @g_tail)
 * @g_next: next guest slot to post ([@g_next, @g_copy) are pending:
 *	copied, not yet posted nor refused)
 * @g_head: next guest slot to complete; the RDH/TDH the guest sees
 * @ntu: next shadow slot to use; the tail to give the NIC
 * @ntc: next shadow slot to complete
 * @tx_discard: TX: refusing the rest of an over-long packet, up to its EOP
 * @txc: TX: the NIC's context slots, as the shadow ring has set them
 * @stats: counters
 *
 * Guest slots [@g_head, @g_next) are in flight: on the shadow ring, or
 * refused and waiting for their turn to complete in ring order.  The
 * caller reads the cursors and @stats; only the engine writes them.  An
 * all-zero queue object (never initialised) is safe to pass to every
 * call: it holds nothing and accepts no tail.
 */
struct cdna_sw_q {
	enum cdna_sw_kind kind;
	u64 ring;
	u32 count;
	u32 bufsz;
	u32 hdrsz;
	u32 shadow_count;
	struct cdna_sw_slot *slot;
	struct cdna_sw_run *run;
	u32 g_tail;
	u32 g_copy;
	u32 g_next;
	u32 g_head;
	u32 ntu;
	u32 ntc;
	bool tx_discard;
	struct cdna_sw_txc txc[CDNA_TXC_SLOTS];
	struct cdna_sw_stats stats;
};

/**
 * cdna_sw_shadow_count - slots of a queue's shadow ring
 * @kind: CDNA_SW_RX or CDNA_SW_TX
 * @count: guest descriptors in the ring
 *
 * RX: one shadow slot per guest slot (each guest descriptor takes at most
 * one).  TX: twice the guest ring, since a buffer that straddles
 * non-contiguous host pages takes one shadow descriptor per run.  Both a
 * multiple of 8 when @count is, i.e. a valid RDLEN/TDLEN for the NIC.
 * The caller allocates this many struct cdna_sw_run and shadow
 * descriptors (DMA-coherent, 128-byte aligned).
 *
 * Return: the number of shadow slots.
 */
static inline u32 cdna_sw_shadow_count(enum cdna_sw_kind kind, u32 count)
{
	return kind == CDNA_SW_TX ? 2 * count : count;
}

/**
 * cdna_sw_rxq_shadow_count - slots of an RX shadow ring
 * @count: guest descriptors in the ring
 *
 * Return: cdna_sw_shadow_count(CDNA_SW_RX, @count).
 */
static inline u32 cdna_sw_rxq_shadow_count(u32 count)
{
	return cdna_sw_shadow_count(CDNA_SW_RX, count);
}

/**
 * cdna_sw_txq_shadow_count - slots of a TX shadow ring
 * @count: guest descriptors in the ring
 *
 * Return: cdna_sw_shadow_count(CDNA_SW_TX, @count).
 */
static inline u32 cdna_sw_txq_shadow_count(u32 count)
{
	return cdna_sw_shadow_count(CDNA_SW_TX, count);
}

/**
 * cdna_sw_q_slots - struct cdna_sw_slot entries a queue needs
 * @count: guest descriptors in the ring
 *
 * Return: @count.
 */
static inline u32 cdna_sw_q_slots(u32 count)
{
	return count;
}

/**
 * cdna_sw_rx_bounce_size - bytes of an RX queue's bounce buffer per slot
 * @q: the queue
 *
 * Return: @q->bufsz + @q->hdrsz (see struct cdna_sw_mem_ops.bounce).
 */
static inline u32 cdna_sw_rx_bounce_size(const struct cdna_sw_q *q)
{
	return q->bufsz + q->hdrsz;
}

/**
 * cdna_sw_rx_hdr_len - header bytes an RX write-back says were written
 * @wb: a write-back (struct cdna_sw_rx_done.wb)
 *
 * Return: HDR_LEN of @wb's info word: on a header split queue, at most
 * its hdrsz in a done entry; meaningless otherwise.
 */
static inline u32 cdna_sw_rx_hdr_len(const union cdna_rx_desc *wb)
{
	return FIELD_GET(CDNA_SW_RXD_HDR_LEN, le32_to_cpu(wb->wb.info));
}

/**
 * cdna_sw_q_outstanding - guest descriptors between head and tail
 * @q: the queue
 *
 * Return: in flight, pending and not yet copied descriptors together.
 */
static inline u32 cdna_sw_q_outstanding(const struct cdna_sw_q *q)
{
	return (q->g_tail + q->count - q->g_head) % q->count;
}

/**
 * cdna_sw_q_shadow_used - shadow descriptors the NIC has not completed
 * @q: the queue
 *
 * Return: descriptors between @q->ntc and @q->ntu, at most
 * @q->shadow_count - 1.
 */
static inline u32 cdna_sw_q_shadow_used(const struct cdna_sw_q *q)
{
	return (q->ntu + q->shadow_count - q->ntc) % q->shadow_count;
}

/**
 * cdna_sw_reason_name - a refusal reason as a word, for logs and ledgers
 * @why: the reason
 *
 * Return: "ok", "addr", "wrap", "len", "type", "cmd", "idx", "pkt",
 * "tso", or "?" for a value out of range.
 */
const char *cdna_sw_reason_name(enum cdna_sw_reason why);

/**
 * cdna_sw_rx_split - the RX buffer sizes a guest's SRRCTL asks for
 * @srrctl: the value the guest wrote (CDNA_VF_SRRCTL_*)
 * @bufsz: set to the packet buffer size in bytes on success
 * @hdrsz: set to the header buffer size in bytes on success: 0 for the
 *	one-buffer descriptor type (DESCTYPE 1), BSIZEHDR * 64 for header
 *	split (DESCTYPE 2 or 5)
 *
 * Return: 0, or -EINVAL for another DESCTYPE (legacy, replication), a
 * BSIZEPKT outside CDNA_SW_BUF_MIN..CDNA_SW_BUF_MAX, or header split with
 * BSIZEHDR 0.  Nothing is written on error.
 */
int cdna_sw_rx_split(u32 srrctl, u32 *bufsz, u32 *hdrsz);

/**
 * cdna_sw_rx_bufsz - the RX buffer size of a one-buffer SRRCTL
 * @srrctl: the value the guest wrote (CDNA_VF_SRRCTL_*)
 * @bufsz: set to the buffer size in bytes on success
 *
 * For callers that only shadow one-buffer queues: cdna_sw_rx_split() that
 * also refuses header split.
 *
 * Return: 0, or -EINVAL for header split (any DESCTYPE but one buffer)
 * or a BSIZEPKT outside CDNA_SW_BUF_MIN..CDNA_SW_BUF_MAX.
 */
int cdna_sw_rx_bufsz(u32 srrctl, u32 *bufsz);

/**
 * cdna_sw_rx_srrctl - the SRRCTL to give the NIC for a guest's SRRCTL
 * @srrctl: a value cdna_sw_rx_split() accepts
 *
 * Return: the guest's BSIZEPKT, DESCTYPE and DROP_EN, and BSIZEHDR with
 * header split; every other bit clear.
 */
u32 cdna_sw_rx_srrctl(u32 srrctl);

/**
 * cdna_sw_geom_check - whether a guest ring's geometry can be shadowed
 * @kind: CDNA_SW_RX or CDNA_SW_TX
 * @ring: ring base IOVA (RDBAL/RDBAH)
 * @len: ring length in bytes (RDLEN)
 * @bufsz: RX: buffer bytes (cdna_sw_rx_bufsz()); TX: ignored
 *
 * Return: 0, or -EINVAL if @ring is 0 or not CDNA_SW_RING_ALIGN aligned,
 * @len is 0, not a multiple of CDNA_SW_RING_ALIGN or more than
 * CDNA_SW_RING_MAX descriptors, @ring + @len overflows, or (RX) @bufsz is
 * not a multiple of CDNA_SW_BUF_UNIT in CDNA_SW_BUF_MIN..CDNA_SW_BUF_MAX.
 */
int cdna_sw_geom_check(enum cdna_sw_kind kind, u64 ring, u32 len,
		       u32 bufsz);

/**
 * cdna_sw_q_init - start shadowing a guest ring
 * @q: the queue object, caller-allocated; fully (re)initialised
 * @kind: CDNA_SW_RX or CDNA_SW_TX
 * @ring: ring base IOVA
 * @len: ring length in bytes
 * @bufsz: RX: buffer bytes; TX: ignored (0)
 * @head: the guest's head and tail when it enables the ring (RDH, usually
 *	0), below the ring's count
 * @slot: cdna_sw_q_slots(count) entries, count = @len / 16
 * @run: cdna_sw_shadow_count(@kind, count) entries
 *
 * The shadow ring starts empty at slot 0: the caller programs the NIC's
 * head and tail to 0.  The counters start at 0.  @q must hold no pins
 * (cdna_sw_q_drop_all() first if it was in use).
 *
 * Return: 0, or -EINVAL for a geometry cdna_sw_geom_check() refuses or
 * @head out of the ring (@q untouched).
 */
int cdna_sw_q_init(struct cdna_sw_q *q, enum cdna_sw_kind kind, u64 ring,
		   u32 len, u32 bufsz, u32 head, struct cdna_sw_slot *slot,
		   struct cdna_sw_run *run);

/**
 * cdna_sw_q_init_split - start shadowing a guest ring, maybe header split
 * @q: the queue object, caller-allocated; fully (re)initialised
 * @kind: CDNA_SW_RX or CDNA_SW_TX
 * @ring: ring base IOVA
 * @len: ring length in bytes
 * @bufsz: RX: (packet) buffer bytes; TX: ignored (0)
 * @hdrsz: RX: header buffer bytes (cdna_sw_rx_split()), 0 for one buffer;
 *	TX: 0
 * @head: as cdna_sw_q_init()
 * @slot: as cdna_sw_q_init()
 * @run: as cdna_sw_q_init()
 *
 * cdna_sw_q_init() is this with @hdrsz 0.
 *
 * Return: 0, or -EINVAL as cdna_sw_q_init(), or for an @hdrsz that is not
 * 0 or (RX only) a multiple of CDNA_SW_HDR_UNIT in
 * CDNA_SW_HDR_MIN..CDNA_SW_HDR_MAX (@q untouched).
 */
int cdna_sw_q_init_split(struct cdna_sw_q *q, enum cdna_sw_kind kind,
			 u64 ring, u32 len, u32 bufsz, u32 hdrsz, u32 head,
			 struct cdna_sw_slot *slot, struct cdna_sw_run *run);

/**
 * cdna_sw_tail - accept a guest tail write (RDT/TDT)
 * @q: the queue
 * @new_tail: the value the guest wrote
 * @first: set to the first guest slot the caller must now copy
 * @n: set to the number of guest descriptors to copy from @first; the
 *	range may wrap past the ring's end: copy slots @first, @first + 1, ...
 *	modulo count into a linear buffer, in order, and pass it to
 *	cdna_sw_rx_post() or cdna_sw_tx_post()
 *
 * The range also covers descriptors an earlier call handed out and that
 * no post has taken yet, so a failed copy can simply be retried.  A tail
 * equal to the current one gives @n 0.
 *
 * Return: 0; -EINVAL if @new_tail is not below count; -ENOSPC if the new
 * tail would make more than count - 1 descriptors outstanding (which is
 * what moving the tail backwards over accepted descriptors amounts to).
 * On error nothing changes and @first and @n are not written.
 */
int cdna_sw_tail(struct cdna_sw_q *q, u32 new_tail, u32 *first, u32 *n);

/**
 * cdna_sw_rx_check_split - validate one guest RX descriptor (read format)
 * @d: the copy of the guest descriptor
 * @bufsz: the queue's buffer size: the NIC may write that many bytes
 * @hdrsz: the queue's header buffer size, 0 without header split
 *
 * With @hdrsz 0, hdr_addr is not looked at (the shadow descriptor gets
 * hdr_addr 0).  Pure: no side effects.
 *
 * Return: CDNA_SW_OK, CDNA_SW_ADDR (pkt_addr 0; hdr_addr 0 or odd) or
 * CDNA_SW_WRAP (pkt_addr + @bufsz or hdr_addr + @hdrsz overflows), the
 * packet buffer's reason first.
 */
enum cdna_sw_reason cdna_sw_rx_check_split(const union cdna_rx_desc *d,
					   u32 bufsz, u32 hdrsz);

/**
 * cdna_sw_rx_check - validate one one-buffer guest RX descriptor
 * @d: the copy of the guest descriptor
 * @bufsz: the queue's buffer size: the NIC may write that many bytes
 *
 * cdna_sw_rx_check_split() with hdrsz 0: hdr_addr is not looked at.
 *
 * Return: CDNA_SW_OK, CDNA_SW_ADDR (pkt_addr 0) or CDNA_SW_WRAP (pkt_addr
 * + @bufsz overflows).
 */
enum cdna_sw_reason cdna_sw_rx_check(const union cdna_rx_desc *d, u32 bufsz);

/**
 * cdna_sw_tx_check - validate one guest TX descriptor
 * @d: the copy of the guest descriptor
 *
 * Data descriptors: DTALEN 1..65535, only DTALEN, DTYP, EOP, IFCS, RS,
 * DEXT, VLE and TSE in cmd_type_len, olinfo IDX below CDNA_TXC_SLOTS,
 * buffer_addr + DTALEN not overflowing.  Context descriptors: IDX of
 * mss_l4len_idx below CDNA_TXC_SLOTS (the other fields are sanitised when
 * posted, seqnum_seed becomes 0).  Pure: no side effects.
 *
 * Return: CDNA_SW_OK or the first reason found, in the order TYPE, CMD,
 * LEN, IDX, WRAP.
 */
enum cdna_sw_reason cdna_sw_tx_check(const union cdna_tx_desc *d);

/**
 * cdna_sw_rx_post - take the copied guest RX descriptors, post what can be
 * @q: an RX queue
 * @copy: the guest descriptors of the range cdna_sw_tail() gave, in order
 * @n: how many: exactly that range's @n, or 0 to retry deferred posting
 * @shadow: the shadow ring (@q->shadow_count descriptors)
 * @ops: page operations
 * @priv: their first argument
 *
 * Each pending descriptor in ring order is validated with
 * cdna_sw_rx_check_split(), every page of [pkt_addr, pkt_addr + bufsz)
 * and, with header split, of [hdr_addr, hdr_addr + hdrsz) is pinned, and
 * for each of the two buffers:
 * - host-contiguous pages: the run is mapped (device writes) and the
 *   shadow descriptor points at it (pkt_addr; hdr_addr);
 * - a buffer straddling non-contiguous host pages: the pins only prove
 *   the pages are the VM's and are dropped again; the shadow descriptor
 *   points at the caller's bounce buffer for the slot (@ops->bounce,
 *   once per descriptor: the packet part, the header part at offset
 *   bufsz);
 * - refused (invalid, a page of either buffer that cannot be pinned): no
 *   shadow slot; the descriptor completes with an error write-back in
 *   ring order.
 * Without header split the shadow descriptor's hdr_addr is 0.  A map or
 * bounce failure leaves that descriptor and the ones after it pending (no
 * pin or mapping kept) and returns the error; the next post retries.
 *
 * Afterwards the caller writes @q->ntu to the NIC's RDT and runs
 * cdna_sw_rx_complete() (refused descriptors may be ready).
 *
 * Return: 0; -EINVAL if @n is not what the caller owes (nothing taken);
 * the error of @ops->map or @ops->bounce (descriptors before it posted).
 */
int cdna_sw_rx_post(struct cdna_sw_q *q, const union cdna_rx_desc *copy,
		    u32 n, union cdna_rx_desc *shadow,
		    const struct cdna_sw_mem_ops *ops, void *priv);

/**
 * cdna_sw_tx_post - take the copied guest TX descriptors, post what can be
 * @q: a TX queue
 * @copy: the guest descriptors of the range cdna_sw_tail() gave, in order
 * @n: how many: exactly that range's @n, or 0 to retry deferred posting
 * @shadow: the shadow ring (@q->shadow_count descriptors)
 * @ops: page operations
 * @priv: their first argument
 *
 * Works packet by packet: the pending descriptors up to and including the
 * next data descriptor with EOP, context descriptors included.
 * - A packet whose EOP has not been written yet waits (deferred); one
 *   longer than CDNA_SW_PKT_MAX_DESCS, or without EOP in a ring full of
 *   pending descriptors, is refused (CDNA_SW_PKT) up to its EOP.
 * - Every descriptor is validated (cdna_sw_tx_check()), then the packet
 *   as a whole (no context descriptor after a data descriptor, CDNA_SW_PKT;
 *   TSO, below), and every page of every data buffer pinned
 *   before anything of the packet is posted; one refusal refuses the
 *   whole packet: nothing reaches the shadow ring and each descriptor
 *   completes in ring order (DD if it had RS).
 * - A packet whose first data descriptor has TSE is refused (CDNA_SW_TSO)
 *   unless: every data descriptor has TSE; the context slot it names (olinfo IDX) was
 *   set by a context descriptor of this packet or of one posted earlier on
 *   the queue (since the last cdna_sw_q_init() or cdna_sw_q_drop_all():
 *   refused packets set nothing); that context has MSS of at least
 *   CDNA_SW_TSO_MSS_MIN, L4LEN in CDNA_SW_TSO_L4LEN_MIN..MAX, MACLEN and
 *   IPLEN of at least CDNA_SW_TSO_MACLEN_MIN and CDNA_SW_TSO_IPLEN_MIN;
 *   its headers, MACLEN + IPLEN + L4LEN + 4 if the first data descriptor
 *   has VLE, at most CDNA_SW_TSO_HDR_MAX, and with MSS at most
 *   CDNA_SW_TSO_FRAME_MAX; and the first data descriptor's PAYLEN is the
 *   packet's DTALENs summed less MACLEN + IPLEN + L4LEN, at least 1.  A
 *   data descriptor without TSE first sends no TSO: the NIC takes TSE,
 *   VLE, IDX and PAYLEN from a packet's first data descriptor.
 * - Each run of host-contiguous pages of a data buffer becomes one shadow
 *   data descriptor (same cmd and olinfo, EOP and RS only on the last
 *   run); context descriptors are copied field by field, sanitised.  The
 *   packet's last shadow descriptor gets RS.
 * - A packet that does not fit in the free shadow slots now waits; one
 *   that needs more than CDNA_SW_PKT_MAX_SHADOW shadow descriptors (or
 *   more than @q->shadow_count - 1) is refused (CDNA_SW_LEN), its pages
 *   pinned no further than needed to find that out.
 * - With @ops->tx_hdr, the packet's first bytes (see CDNA_SW_TX_HDR_MIN)
 *   are frozen: @ops->tx_hdr copies and checks them, its refusal or
 *   policy drop refuses the packet (CDNA_SW_LEN when they span more than
 *   CDNA_SW_TX_HDR_SEGS buffers); the packet's first shadow data
 *   descriptor points at the copy, and the guest buffers follow from the
 *   first byte after it (a buffer wholly inside the copy takes no shadow
 *   descriptor and no pin).
 * A map failure unmaps and unpins what the packet had, leaves it pending
 * and returns the error; the next post retries.
 *
 * Afterwards the caller writes @q->ntu to the NIC's TDT and runs
 * cdna_sw_tx_complete() (refused packets may be ready).
 *
 * Return: as cdna_sw_rx_post().
 */
int cdna_sw_tx_post(struct cdna_sw_q *q, const union cdna_tx_desc *copy,
		    u32 n, union cdna_tx_desc *shadow,
		    const struct cdna_sw_mem_ops *ops, void *priv);

/**
 * struct cdna_sw_rx_done - one guest RX descriptor to complete
 * @wb: the write-back to copy into guest slot @slot (DD set; length at
 *	most the queue's bufsz; header split: HDR_LEN, cdna_sw_rx_hdr_len(),
 *	at most its hdrsz; a refused descriptor: DD | EOP, error RXE, length
 *	and info 0)
 * @iova: the guest buffer (the descriptor's pkt_addr)
 * @hdr_iova: header split: the guest header buffer (hdr_addr), else 0
 * @slot: the guest slot
 * @bounce: the NIC wrote the packet buffer's part into the caller's
 *	bounce buffer of @slot: copy @wb.length bytes of it to @iova before
 *	writing @wb
 * @hdr_bounce: header split: the NIC wrote the headers into the header
 *	part of the bounce buffer of @slot (from offset bufsz): copy
 *	cdna_sw_rx_hdr_len(@wb) bytes of it to @hdr_iova before writing @wb
 *
 * The bounce buffer of @slot is free again once the entry is written,
 * whichever of @bounce and @hdr_bounce it served.
 */
struct cdna_sw_rx_done {
	union cdna_rx_desc wb;
	u64 iova;
	u64 hdr_iova;
	u32 slot;
	bool bounce;
	bool hdr_bounce;
};

/**
 * struct cdna_sw_tx_done - one guest TX descriptor to complete
 * @slot: the guest slot
 * @dd: the descriptor had RS: write its write-back status DD (refused or
 *	sent alike)
 */
struct cdna_sw_tx_done {
	u32 slot;
	bool dd;
};

/**
 * cdna_sw_rx_complete - harvest RX completions in guest ring order
 * @q: an RX queue
 * @shadow: the shadow ring, as the NIC wrote it back
 * @done: filled with up to @max entries
 * @max: room in @done
 * @ops: page operations
 * @priv: their first argument
 *
 * From @q->g_head: a refused descriptor gives its error write-back; a
 * posted one whose shadow write-back has DD gives that write-back (read
 * once; length clamped to bufsz, header split's HDR_LEN to hdrsz, DD set)
 * and both its buffers are unmapped and unpinned; the
 * walk stops at the first posted descriptor the NIC has not filled.
 * @q->g_head moves past every entry given: the caller writes each @done
 * entry (bounce data first, then the write-back) and then shows
 * @q->g_head as RDH.
 *
 * Return: the number of entries filled.
 */
int cdna_sw_rx_complete(struct cdna_sw_q *q, const union cdna_rx_desc *shadow,
			struct cdna_sw_rx_done *done, u32 max,
			const struct cdna_sw_mem_ops *ops, void *priv);

/**
 * cdna_sw_tx_complete - harvest TX completions in guest ring order
 * @q: a TX queue
 * @hw_head: the NIC's head in the shadow ring (TDH, or its head
 *	write-back): shadow slots before it are done
 * @done: filled with up to @max entries
 * @max: room in @done
 * @ops: page operations
 * @priv: their first argument
 *
 * From @q->g_head, a packet at a time: a posted packet completes when all
 * its shadow descriptors lie before @hw_head (its pages are then
 * unmapped and unpinned); refused descriptors complete when their turn
 * comes.  A packet completes whole or not at all: with @max below
 * CDNA_SW_PKT_MAX_DESCS a long packet could never complete (give room for
 * the ring's count).  Each entry says whether the guest descriptor gets
 * DD (it had RS).  The caller shows @q->g_head as TDH.
 *
 * Return: the number of entries filled, or -EINVAL if @hw_head is not in
 * the shadow ring or lies outside the slots in use (nothing changes).
 */
int cdna_sw_tx_complete(struct cdna_sw_q *q, u32 hw_head,
			struct cdna_sw_tx_done *done, u32 max,
			const struct cdna_sw_mem_ops *ops, void *priv);

/**
 * cdna_sw_q_drop_all - forget everything in flight and pending
 * @q: the queue
 * @ops: page operations
 * @priv: their first argument
 *
 * For a reset, the VMM's exit, or a .dma_unmap of guest memory: the
 * caller has stopped the NIC's queue first.  Every mapping is unmapped
 * and every pin dropped (@q->stats.pinned is 0 afterwards); nothing is
 * completed to the guest.  All guest cursors become @q->g_tail (the guest
 * sees its ring consumed) and the shadow ring restarts empty at slot 0:
 * the caller programs the NIC's head and tail to 0 before re-enabling it.
 */
void cdna_sw_q_drop_all(struct cdna_sw_q *q, const struct cdna_sw_mem_ops *ops,
			void *priv);

/**
 * cdna_sw_q_pins_range - whether the queue holds a pin in an IOVA range
 * @q: the queue
 * @iova: start of the range
 * @len: bytes (the range is clipped at the top of the 64-bit space)
 *
 * For the .dma_unmap callback: if true, the caller must quiesce and
 * cdna_sw_q_drop_all() before returning.
 *
 * Return: true if any in-flight descriptor has a page pinned in
 * [@iova, @iova + @len), of a packet or a header buffer.
 */
bool cdna_sw_q_pins_range(const struct cdna_sw_q *q, u64 iova, u64 len);

#endif /* _CDNA_SWRING_H_ */
