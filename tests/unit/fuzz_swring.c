// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the software mode's shadow ring engine
 * (kmod/include/cdna_swring.c): the input is a script of what a VM and
 * the NIC do to one queue (ring geometry, guest descriptors, tail writes,
 * RX write-backs, TX head moves, resets, .dma_unmap of guest memory) and
 * of how the host's memory behaves (which guest pages are mapped, to which
 * pfns, which pin or map fails).
 *
 * After every step the engine's state is checked against the fake's books:
 * - every bus range in an outstanding shadow descriptor is the translation
 *   of the guest buffer its slot was given, over pages pinned now, which
 *   the VM had mapped when they were pinned; a bounce buffer is the slot's;
 *   with RX header split the same holds of each descriptor's header buffer
 *   (hdr_addr, even; its bounce part at bufsz), and without it hdr_addr is
 *   0;
 * - every TX packet posted is checked as the NIC would take it, against a
 *   model of the NIC's context slots kept from the shadow ring alone: at
 *   most CDNA_SW_PKT_MAX_SHADOW descriptors, and a TSO packet's context
 *   set, sane (MSS, L4LEN, MACLEN, IPLEN) and matching its PAYLEN;
 * - stats.pinned is the fake's live pin count; every unmap matches a live
 *   mapping; pins_range() agrees with the fake's pins;
 * - shadow descriptors outstanding <= shadow count - 1, guest outstanding
 *   <= count - 1, the cursors in order;
 * - completions come in guest ring order with sane write-backs (length
 *   within bufsz, HDR_LEN within hdrsz);
 * - after drop_all nothing is pinned or mapped.
 * A broken invariant aborts with its name.
 *
 * make -C tests/unit fuzz_swring && tests/unit/fuzz_swring -max_total_time=60
 * (FUZZ_SWRING_COVER=1 in the environment prints at exit how often the
 * runs reached TSO, header split and long packets.)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cdna_swring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PG		((u64)CDNA_SW_PAGE)
#define NPG		48		/* guest pages the fake knows */
#define MAXCOUNT	512		/* guest ring descriptors, at most */
#define MAXSHADOW	(2 * MAXCOUNT)
#define MAXMAPS		MAXSHADOW
#define BUS_BASE	0x4000000000000000ULL
#define BOUNCE_BASE	0x2000000000000000ULL
#define BOUNCE_SIZE	0x10000ULL
#define HDR_BASE	0x3000000000000000ULL	/* TX header copies */
/* struct cdna_sw_slot.state of a descriptor on the shadow ring */
#define FZ_SLOT_HW	2
#define MAX_OPS		400

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: invariant broken: %s\n", \
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* The input, read a few bytes at a time; zeros once it runs out. */
struct input {
	const u8 *p;
	size_t left;
};

static u64 get(struct input *in, unsigned int bytes)
{
	u64 v = 0;

	while (bytes--) {
		v <<= 8;
		if (in->left) {
			v |= *in->p++;
			in->left--;
		}
	}
	return v;
}

/* The host: guest pages gbase + i * PG, mapped or not, and their pfns. */
static struct host {
	u64 gbase;
	bool mapped[NPG];
	u64 pfn[NPG];
	int pins[NPG];
	struct { u64 bus; u32 len; bool to_dev; } map[MAXMAPS];
	int nmaps;
	u8 fail_pin, fail_map, fail_bounce;	/* 1 in n fails; 0 never */
	u8 fail_policy;				/* TX header: spoof/vlan */
	u32 fail_seed;
	u32 count, bufsz, hdrsz;		/* of the queue, for bounce */
} host;

static bool fails(u8 rate)
{
	host.fail_seed = host.fail_seed * 1103515245 + 12345;
	return rate && (host.fail_seed >> 16) % rate == 0;
}

static int page_of(u64 iova, u32 *idx)
{
	u64 i = (iova - host.gbase) / PG;

	if (iova < host.gbase || i >= NPG)
		return -1;
	*idx = i;
	return 0;
}

static bool pfn_pinned(u64 pfn)
{
	int i;

	for (i = 0; i < NPG; i++)
		if (host.pins[i] && host.pfn[i] == pfn)
			return true;
	return false;
}

static int h_pin(void *priv, u64 iova, u64 *pfn)
{
	u32 i;

	(void)priv;
	CHECK(iova % PG == 0);
	if (page_of(iova, &i) || !host.mapped[i] || fails(host.fail_pin))
		return -EFAULT;
	host.pins[i]++;
	*pfn = host.pfn[i];
	return 0;
}

static void h_unpin(void *priv, u64 iova)
{
	u32 i;

	(void)priv;
	CHECK(iova % PG == 0);
	CHECK(!page_of(iova, &i));
	CHECK(host.pins[i] > 0);
	host.pins[i]--;
}

static int h_map(void *priv, u64 pfn, u32 off, u32 len, bool to_dev, u64 *bus)
{
	u64 p;

	(void)priv;
	CHECK(off < PG);
	CHECK(len > 0 && len <= CDNA_SW_TX_LEN_MAX);
	/* The run is over pinned pages, all of it. */
	for (p = pfn; p <= pfn + (off + len - 1) / PG; p++)
		CHECK(pfn_pinned(p));
	if (fails(host.fail_map))
		return -ENOMEM;
	CHECK(host.nmaps < MAXMAPS);
	*bus = BUS_BASE + pfn * PG + off;
	host.map[host.nmaps].bus = *bus;
	host.map[host.nmaps].len = len;
	host.map[host.nmaps].to_dev = to_dev;
	host.nmaps++;
	return 0;
}

static void h_unmap(void *priv, u64 bus, u32 len, bool to_dev)
{
	int i;

	(void)priv;
	for (i = 0; i < host.nmaps; i++) {
		if (host.map[i].bus == bus && host.map[i].len == len &&
		    host.map[i].to_dev == to_dev) {
			host.map[i] = host.map[--host.nmaps];
			return;
		}
	}
	CHECK(!"unmap of a mapping that is not live");
}

static int h_bounce(void *priv, u32 slot, u32 len, u64 *bus)
{
	(void)priv;
	CHECK(slot < host.count);
	CHECK(len == host.bufsz + host.hdrsz);
	if (fails(host.fail_bounce))
		return -ENOMEM;
	*bus = BOUNCE_BASE + slot * BOUNCE_SIZE;
	return 0;
}

static struct cdna_sw_q q;
static struct cdna_sw_slot slots[MAXCOUNT];

/*
 * The header copy names the packet's first bytes: the data buffers from
 * guest slot @slot on, in ring order, each from its first byte, all of
 * each but the last; as many bytes as the freeze takes (the first
 * CDNA_SW_TX_HDR_MIN, a TSO packet's headers up to CDNA_SW_TX_HDR_BUF, or
 * the whole of a shorter packet).
 */
static void check_hdr_segs(u32 slot, const struct cdna_sw_tx_hdr *h)
{
	u32 i = slot, n = 0, total = 0, want, first;
	bool eop = false;

	first = le32_to_cpu(slots[slot].copy.tx.read.cmd_type_len);
	CHECK(FIELD_GET(CDNA_TXD_DTYP, first) == CDNA_TXD_DTYP_DATA);
	while (!eop) {
		const union cdna_tx_desc *d = &slots[i].copy.tx;
		u32 cmd = le32_to_cpu(d->read.cmd_type_len);
		u32 len = FIELD_GET(CDNA_TXD_DTALEN, cmd);

		i = (i + 1) % host.count;
		CHECK(FIELD_GET(CDNA_TXD_DTYP, cmd) == CDNA_TXD_DTYP_DATA);
		eop = cmd & CDNA_TXD_CMD_EOP;
		if (n < h->nseg) {
			CHECK(h->seg[n].iova == le64_to_cpu(d->read.buffer_addr));
			CHECK(h->seg[n].len <= len);
			CHECK(n + 1 == h->nseg || h->seg[n].len == len);
			n++;
		}
		total += len;
	}
	CHECK(n == h->nseg);
	want = CDNA_SW_TX_HDR_MIN;
	if (first & CDNA_TXD_CMD_TSE) {
		u32 idx = FIELD_GET(CDNA_TXD_IDX,
				    le32_to_cpu(slots[slot].copy.tx.read.olinfo_status));
		u32 ml = q.txc[idx].vlan_macip_lens, mss = q.txc[idx].mss_l4len_idx;

		/* The packet being posted starts at g_next: its own contexts. */
		for (i = q.g_next; i != slot; i = (i + 1) % host.count) {
			const union cdna_tx_desc *c = &slots[i].copy.tx;

			if (FIELD_GET(CDNA_TXC_IDX,
				      le32_to_cpu(c->ctx.mss_l4len_idx)) != idx)
				continue;
			ml = le32_to_cpu(c->ctx.vlan_macip_lens);
			mss = le32_to_cpu(c->ctx.mss_l4len_idx);
		}
		want = FIELD_GET(CDNA_TXC_MACLEN, ml) +
		       FIELD_GET(CDNA_TXC_IPLEN, ml) +
		       FIELD_GET(CDNA_TXC_L4LEN, mss);
		if (want > CDNA_SW_TX_HDR_BUF)
			want = CDNA_SW_TX_HDR_BUF;
	}
	CHECK(h->len == (want < total ? want : total));
}

/* TX header freeze: the bytes named must be the VM's; policy drops. */
static u32 hdr_len[MAXCOUNT];

static enum cdna_sw_reason h_tx_hdr(void *priv, u32 slot,
				    const struct cdna_sw_tx_hdr *h, u64 *bus)
{
	u32 i, sum = 0, idx;
	u64 a, n;

	(void)priv;
	CHECK(slot < host.count);
	CHECK(h->nseg >= 1 && h->nseg <= CDNA_SW_TX_HDR_SEGS);
	CHECK(h->len >= 1 && h->len <= CDNA_SW_TX_HDR_BUF);
	check_hdr_segs(slot, h);
	for (i = 0; i < h->nseg; i++) {
		CHECK(h->seg[i].len >= 1);
		sum += h->seg[i].len;
		a = h->seg[i].iova & ~(PG - 1);
		for (n = (h->seg[i].iova + h->seg[i].len - 1 - a) / PG + 1; n;
		     n--, a += PG)
			if (page_of(a, &idx) || !host.mapped[idx])
				return CDNA_SW_ADDR;
	}
	CHECK(sum == h->len);
	if (fails(host.fail_policy))
		return host.fail_seed & 0x100000 ? CDNA_SW_SPOOF : CDNA_SW_VLAN;
	hdr_len[slot] = h->len;
	*bus = HDR_BASE + (u64)slot * CDNA_SW_TX_HDR_BUF;
	return CDNA_SW_OK;
}

static const struct cdna_sw_mem_ops plain_ops = {
	.pin = h_pin,
	.unpin = h_unpin,
	.map = h_map,
	.unmap = h_unmap,
	.bounce = h_bounce,
};

static const struct cdna_sw_mem_ops freeze_ops = {
	.pin = h_pin,
	.unpin = h_unpin,
	.map = h_map,
	.unmap = h_unmap,
	.bounce = h_bounce,
	.tx_hdr = h_tx_hdr,
};

/* The queue's ops: with the TX header freeze or without, per queue. */
static const struct cdna_sw_mem_ops *cur_ops = &plain_ops;

static int host_pins(void)
{
	int i, n = 0;

	for (i = 0; i < NPG; i++)
		n += host.pins[i];
	return n;
}

/* The guest side: the queue, its arrays, the guest ring as written. */
static struct cdna_sw_q q;
static struct cdna_sw_slot slots[MAXCOUNT];
static struct cdna_sw_run runs[MAXSHADOW];
static union {
	union cdna_rx_desc rx[MAXCOUNT];
	union cdna_tx_desc tx[MAXCOUNT];
} gring, gcopy;
static union {
	union cdna_rx_desc rx[MAXSHADOW];
	union cdna_tx_desc tx[MAXSHADOW];
} shadow;
static bool q_live;
static u32 nic;			/* NIC's position in the shadow ring */
/* What the runs reached, for FUZZ_SWRING_COVER=1 (printed at exit). */
static struct {
	u64 tso_posted;		/* TSO packets that reached the shadow ring */
	u64 tso_refused;	/* descriptors refused for their TSO */
	u64 len_refused;	/* descriptors refused for their length */
	u64 split_queues;	/* header split queues initialised */
	u64 hdr_bounced;	/* header buffers completed from a bounce */
	u64 hdr_mapped;		/* header buffers seen mapped */
	u32 pkt_shadow_max;	/* the longest TX packet on the shadow ring */
} cover;

static void cover_print(void)
{
	fprintf(stderr,
		"fuzz_swring cover: tso posted %llu, tso refused %llu, len refused %llu, split queues %llu, hdr mapped %llu, hdr bounced %llu, longest packet %u\n",
		(unsigned long long)cover.tso_posted,
		(unsigned long long)cover.tso_refused,
		(unsigned long long)cover.len_refused,
		(unsigned long long)cover.split_queues,
		(unsigned long long)cover.hdr_mapped,
		(unsigned long long)cover.hdr_bounced, cover.pkt_shadow_max);
}

static u32 dist(u32 from, u32 to, u32 n)
{
	return (to + n - from) % n;
}

/* The bus address the fake gives guest byte @iova, or 0 if unmapped. */
static u64 translate(u64 iova)
{
	u32 i;

	if (page_of(iova & ~(PG - 1), &i) || !host.mapped[i])
		return 0;
	return BUS_BASE + host.pfn[i] * PG + (iova & (PG - 1));
}

/* A live mapping of exactly [bus, bus + len), the NIC writing. */
static bool map_live(u64 bus, u32 len, bool to_dev)
{
	int i;

	for (i = 0; i < host.nmaps; i++)
		if (host.map[i].bus == bus && host.map[i].len == len &&
		    host.map[i].to_dev == to_dev)
			return true;
	return false;
}

/* [bus, bus + len) lies in pages pinned now. */
static void check_bus_pinned(u64 bus, u64 len)
{
	u64 p;

	CHECK(bus >= BUS_BASE);
	for (p = (bus - BUS_BASE) / PG; p <= (bus - BUS_BASE + len - 1) / PG;
	     p++)
		CHECK(pfn_pinned(p));
}

/* Header split: the header buffer, as the packet buffer. */
static void check_rx_hdr(u32 i)
{
	const struct cdna_sw_slot *s = &slots[i];
	const union cdna_rx_desc *sd = &shadow.rx[s->shadow];
	u64 hdr = le64_to_cpu(s->copy.rx.read.hdr_addr);
	u64 bus = s->hdr_bus;
	u64 off;

	if (!q.hdrsz) {
		CHECK(s->hdr_npages == 0);
		return;
	}
	CHECK(hdr && !(hdr & 1) && hdr + q.hdrsz > hdr);
	CHECK(!(bus & 1));
	/* Until the NIC writes it back, the shadow slot holds the buffer. */
	if (dist(q.ntc, s->shadow, q.shadow_count) >=
	    dist(q.ntc, nic, q.shadow_count))
		CHECK(le64_to_cpu(sd->read.hdr_addr) == bus);
	if (bus >= BOUNCE_BASE && bus < BUS_BASE) {
		CHECK(bus == BOUNCE_BASE + i * BOUNCE_SIZE + q.bufsz);
		CHECK(s->hdr_npages == 0);
		return;
	}
	CHECK(s->hdr_npages >= 1 && s->hdr_npages <= 2);
	cover.hdr_mapped++;
	CHECK(s->hdr_iova == (hdr & ~(PG - 1)));
	CHECK(hdr + q.hdrsz - 1 - s->hdr_iova < s->hdr_npages * PG);
	for (off = 0; off < q.hdrsz; off += PG)
		CHECK(translate(hdr + off) == bus + off);
	CHECK(translate(hdr + q.hdrsz - 1) == bus + q.hdrsz - 1);
	check_bus_pinned(bus, q.hdrsz);
	CHECK(map_live(bus, q.hdrsz, false));
}

static void check_rx_slot(u32 i)
{
	const struct cdna_sw_slot *s = &slots[i];
	const union cdna_rx_desc *sd = &shadow.rx[s->shadow];
	u64 addr = le64_to_cpu(s->copy.rx.read.pkt_addr);
	u64 bus = runs[s->shadow].addr;
	u64 off;

	CHECK(s->nshadow == 1);
	CHECK(dist(q.ntc, s->shadow, q.shadow_count) <
	      cdna_sw_q_shadow_used(&q));
	/* Until the NIC writes it back, the shadow slot holds the buffer. */
	if (dist(q.ntc, s->shadow, q.shadow_count) >=
	    dist(q.ntc, nic, q.shadow_count)) {
		CHECK(le64_to_cpu(sd->read.pkt_addr) == bus);
		if (!q.hdrsz)
			CHECK(sd->read.hdr_addr == 0);
	}
	if (bus >= BOUNCE_BASE && bus < BUS_BASE) {
		CHECK(bus == BOUNCE_BASE + i * BOUNCE_SIZE);
		CHECK(s->npages == 0);
	} else {
		/* Mapped: the whole buffer, host-contiguous, pinned here. */
		CHECK(s->npages >= 1);
		CHECK(s->pin_iova == (addr & ~(PG - 1)));
		CHECK(addr + q.bufsz - 1 - s->pin_iova < s->npages * PG);
		for (off = 0; off < q.bufsz; off += PG)
			CHECK(translate(addr + off) == bus + off);
		CHECK(translate(addr + q.bufsz - 1) == bus + q.bufsz - 1);
		check_bus_pinned(bus, q.bufsz);
		CHECK(map_live(bus, q.bufsz, false));
	}
	check_rx_hdr(i);
}

/* Header bytes of the packet being checked still owed by its next slots. */
static u32 tx_skip;

/*
 * The header copy's bytes in TX slot @i, which has no shadow descriptor
 * of its own (all its bytes are in the copy).
 */
static void check_tx_empty(u32 i)
{
	const union cdna_tx_desc *g = &slots[i].copy.tx;
	u32 glen = FIELD_GET(CDNA_TXD_DTALEN,
			     le32_to_cpu(g->read.cmd_type_len));

	CHECK(cur_ops->tx_hdr);
	CHECK(glen <= tx_skip);
	tx_skip -= glen;
}

static void check_tx_slot(u32 i, bool pkt_end)
{
	const struct cdna_sw_slot *s = &slots[i];
	const union cdna_tx_desc *g = &s->copy.tx;
	u32 gcmd = le32_to_cpu(g->read.cmd_type_len);
	u64 addr = le64_to_cpu(g->read.buffer_addr);
	u32 glen = FIELD_GET(CDNA_TXD_DTALEN, gcmd);
	u32 j, x = 0, skip = 0;

	CHECK(s->nshadow >= 1);
	CHECK(dist(q.ntc, s->shadow, q.shadow_count) + s->nshadow <=
	      cdna_sw_q_shadow_used(&q));
	CHECK(cdna_sw_tx_check(g) == CDNA_SW_OK);
	for (j = 0; j < s->nshadow; j++) {
		const union cdna_tx_desc *sd =
			&shadow.tx[(s->shadow + j) % q.shadow_count];
		u32 cmd = le32_to_cpu(sd->read.cmd_type_len);
		u32 len = FIELD_GET(CDNA_TXD_DTALEN, cmd);
		u64 bus = le64_to_cpu(sd->read.buffer_addr);
		bool last = j + 1 == s->nshadow;
		u32 y;

		/* What reaches the NIC passes the guest's checks too. */
		CHECK(cdna_sw_tx_check(sd) == CDNA_SW_OK);
		if (FIELD_GET(CDNA_TXD_DTYP, gcmd) == CDNA_TXD_DTYP_CTXT) {
			CHECK(s->nshadow == 1 && s->npages == 0);
			CHECK(FIELD_GET(CDNA_TXD_DTYP, cmd) ==
			      CDNA_TXD_DTYP_CTXT);
			CHECK(sd->ctx.seqnum_seed == 0);
			CHECK(!pkt_end);
			return;
		}
		CHECK(FIELD_GET(CDNA_TXD_DTYP, cmd) == CDNA_TXD_DTYP_DATA);
		CHECK((cmd & ~(CDNA_TXD_DTALEN | CDNA_TXD_CMD_EOP |
			       CDNA_TXD_CMD_RS)) ==
		      (gcmd & ~(CDNA_TXD_DTALEN | CDNA_TXD_CMD_EOP |
				CDNA_TXD_CMD_RS)));
		CHECK(sd->read.olinfo_status == g->read.olinfo_status);
		/*
		 * EOP and RS together, on the packet's last data descriptor
		 * only: the last run of its last slot, or of an earlier one
		 * when the slots after it are all in the header copy.
		 */
		CHECK(!(cmd & CDNA_TXD_CMD_EOP) == !(cmd & CDNA_TXD_CMD_RS));
		if (!last)
			CHECK(!(cmd & CDNA_TXD_CMD_EOP));
		else if (pkt_end)
			CHECK(cmd & CDNA_TXD_CMD_EOP);
		CHECK(len > 0);
		if (bus >= HDR_BASE && bus < BUS_BASE) {
			/* The packet's header copy: its first data slot's. */
			CHECK(cur_ops->tx_hdr && j == 0 && tx_skip == 0);
			CHECK(bus == HDR_BASE + (u64)i * CDNA_SW_TX_HDR_BUF);
			CHECK(len == hdr_len[i]);
			tx_skip = len;
			continue;
		}
		if (!x && tx_skip) {
			skip = tx_skip < glen ? tx_skip : glen;
			tx_skip -= skip;
			x = skip;
		}
		CHECK(tx_skip == 0);
		/* The run is the translation of the next len guest bytes. */
		for (y = 0; y < len; y += PG - ((addr + x + y) & (PG - 1)))
			CHECK(translate(addr + x + y) == bus + y);
		CHECK(translate(addr + x + len - 1) == bus + len - 1);
		check_bus_pinned(bus, len);
		x += len;
	}
	if (!x && tx_skip) {		/* only the header copy in this slot */
		skip = tx_skip < glen ? tx_skip : glen;
		tx_skip -= skip;
		x = skip;
	}
	CHECK(x == glen);
	if (skip == glen) {
		CHECK(s->npages == 0);
		return;
	}
	CHECK(s->pin_iova == ((addr + skip) & ~(PG - 1)));
	CHECK(addr + glen - 1 - s->pin_iova < s->npages * PG);
}

/*
 * The guest's own idea of its context slots, from the contexts it wrote,
 * to give its TSO packets the PAYLEN their context asks for.
 */
static struct {
	u32 hdr;
} guest_ctx[CDNA_TXC_SLOTS];

/*
 * Make the TSO packets that end in [from, to) of the guest ring mostly
 * consistent: PAYLEN the packet's bytes less the headers of the context
 * its first data descriptor names as it stands there, IDX and TSE the
 * same on all its data descriptors.  (Contexts after that descriptor are
 * left where they are: the engine must refuse those packets.)
 */
static void fix_tso(struct input *in, u32 from, u32 to)
{
	u32 start = from, first = 0, idx = 0, hdr = 0, total = 0, i, j;
	bool seen = false;

	for (i = from; i != to; i = (i + 1) % q.count) {
		union cdna_tx_desc *d = &gring.tx[i];
		u32 cmd = le32_to_cpu(d->read.cmd_type_len);

		if (FIELD_GET(CDNA_TXD_DTYP, cmd) == CDNA_TXD_DTYP_CTXT) {
			u32 m = le32_to_cpu(d->ctx.mss_l4len_idx);
			u32 ml = le32_to_cpu(d->ctx.vlan_macip_lens);

			guest_ctx[FIELD_GET(CDNA_TXC_IDX, m) & 1].hdr =
				FIELD_GET(CDNA_TXC_L4LEN, m) +
				FIELD_GET(CDNA_TXC_MACLEN, ml) +
				FIELD_GET(CDNA_TXC_IPLEN, ml);
			continue;
		}
		total += FIELD_GET(CDNA_TXD_DTALEN, cmd);
		if (!seen) {
			seen = true;
			first = cmd;
			idx = FIELD_GET(CDNA_TXD_IDX,
					le32_to_cpu(d->read.olinfo_status)) & 1;
			hdr = guest_ctx[idx].hdr;
		}
		if (!(cmd & CDNA_TXD_CMD_EOP))
			continue;
		if ((first & CDNA_TXD_CMD_TSE) && get(in, 1) < 200) {
			for (j = start; ; j = (j + 1) % q.count) {
				union cdna_tx_desc *e = &gring.tx[j];
				u32 c = le32_to_cpu(e->read.cmd_type_len);
				u32 o = le32_to_cpu(e->read.olinfo_status);

				if (FIELD_GET(CDNA_TXD_DTYP, c) !=
				    CDNA_TXD_DTYP_CTXT) {
					o &= ~(CDNA_TXD_PAYLEN | CDNA_TXD_IDX);
					o |= FIELD_PREP(CDNA_TXD_PAYLEN,
							total - hdr) |
					     FIELD_PREP(CDNA_TXD_IDX, idx);
					e->read.olinfo_status = cpu_to_le32(o);
					e->read.cmd_type_len =
						cpu_to_le32(c | CDNA_TXD_CMD_TSE);
				}
				if (j == i)
					break;
			}
		}
		start = (i + 1) % q.count;
		seen = false;
		total = 0;
	}
}

/*
 * Make [from, to) one clean packet, to reach the long ones: EOP on its
 * last data descriptor only, every descriptor of a valid type with valid
 * bits, IDX in range, TSE as on its first data descriptor, every buffer
 * inside the guest pages the fake knows.
 */
static void one_packet(u32 from, u32 to)
{
	const u32 ok = CDNA_TXD_DTALEN | CDNA_TXD_CMD_IFCS | CDNA_TXD_CMD_RS |
		       CDNA_TXD_CMD_VLE;
	u32 i, last = to, tse = 0;
	bool seen = false;

	for (i = from; i != to; i = (i + 1) % q.count) {
		union cdna_tx_desc *d = &gring.tx[i];
		u32 cmd = le32_to_cpu(d->read.cmd_type_len);

		if (FIELD_GET(CDNA_TXD_DTYP, cmd) == CDNA_TXD_DTYP_CTXT &&
		    cmd & CDNA_TXD_CMD_DEXT) {
			d->ctx.mss_l4len_idx &= ~cpu_to_le32(0x60);
			continue;
		}
		if (!seen)
			tse = cmd & CDNA_TXD_CMD_TSE;
		seen = true;
		cmd = (cmd & ok) | tse | CDNA_TXD_CMD_DEXT |
		      FIELD_PREP(CDNA_TXD_DTYP, CDNA_TXD_DTYP_DATA);
		if (!FIELD_GET(CDNA_TXD_DTALEN, cmd))
			cmd |= 1;
		d->read.cmd_type_len = cpu_to_le32(cmd);
		d->read.buffer_addr =
			cpu_to_le64(host.gbase +
				    (le64_to_cpu(d->read.buffer_addr) -
				     host.gbase) %
				    (NPG * PG - FIELD_GET(CDNA_TXD_DTALEN, cmd)));
		d->read.olinfo_status &= ~cpu_to_le32(0x60);
		last = i;
	}
	if (last != to)
		gring.tx[last].read.cmd_type_len |=
			cpu_to_le32(CDNA_TXD_CMD_EOP);
}

/* What the caller gave the engine for each guest slot. */
static union cdna_tx_desc given[MAXCOUNT];

static bool tx_data_eop(const union cdna_tx_desc *d)
{
	u32 cmd = le32_to_cpu(d->read.cmd_type_len);

	return (cmd & CDNA_TXD_CMD_EOP) &&
	       FIELD_GET(CDNA_TXD_DTYP, cmd) != CDNA_TXD_DTYP_CTXT;
}

/* pins_range() against the fake's pins, over guest pages [a, a + k). */
static void check_pins_range(u64 iova, u64 len)
{
	bool truth = false;
	u64 end = iova + len - 1;
	int i;

	if (len && end < iova)
		end = ~0ULL;
	for (i = 0; len && i < NPG; i++) {
		u64 pa = host.gbase + i * PG;

		if (host.pins[i] && pa <= end && iova <= pa + PG - 1)
			truth = true;
	}
	CHECK(cdna_sw_q_pins_range(&q, iova, len) == truth);
}

static void check_state(void)
{
	int want_pins[NPG] = { 0 };
	u64 why = 0, npages = 0;
	int want_maps = 0;
	u32 i, sh;

	CHECK(q.stats.pinned == (u64)host_pins());
	if (!q_live) {
		CHECK(host_pins() == 0 && host.nmaps == 0);
		return;
	}
	CHECK(cdna_sw_q_shadow_used(&q) <= q.shadow_count - 1);
	CHECK(cdna_sw_q_outstanding(&q) <= q.count - 1);
	CHECK(q.g_tail < q.count && q.ntu < q.shadow_count);
	CHECK(dist(q.g_head, q.g_next, q.count) +
	      dist(q.g_next, q.g_copy, q.count) +
	      dist(q.g_copy, q.g_tail, q.count) ==
	      dist(q.g_head, q.g_tail, q.count));
	CHECK(dist(q.ntc, nic, q.shadow_count) <= cdna_sw_q_shadow_used(&q));
	CHECK(q.stats.why[CDNA_SW_OK] == 0);
	for (i = 0; i < CDNA_SW_NR_REASONS; i++)
		why += q.stats.why[i];
	/* Policy drops are counted apart from refusals. */
	CHECK(why == q.stats.refused + q.stats.why[CDNA_SW_SPOOF] +
	      q.stats.why[CDNA_SW_VLAN]);
	CHECK(cur_ops->tx_hdr || !q.stats.why[CDNA_SW_SPOOF]);
	tx_skip = 0;

	/* In flight: consecutive shadow slots from ntc, each checked. */
	sh = q.ntc;
	for (i = q.g_head; i != q.g_next; i = (i + 1) % q.count) {
		const struct cdna_sw_slot *s = &slots[i];
		u32 p;

		if (!s->nshadow) {
			CHECK(s->npages == 0 && s->hdr_npages == 0);
			if (q.kind == CDNA_SW_TX && s->state == FZ_SLOT_HW)
				check_tx_empty(i);
			continue;
		}
		CHECK(s->shadow == sh);
		sh = (sh + s->nshadow) % q.shadow_count;
		if (q.kind == CDNA_SW_RX) {
			check_rx_slot(i);
			want_maps += !!s->npages + !!s->hdr_npages;
		} else {
			check_tx_slot(i, tx_data_eop(&s->copy.tx));
			if (s->npages)
				want_maps += s->nshadow -
					(le64_to_cpu(shadow.tx[s->shadow].read.buffer_addr) >=
					 HDR_BASE &&
					 le64_to_cpu(shadow.tx[s->shadow].read.buffer_addr) <
					 BUS_BASE);
		}
		npages += s->npages + s->hdr_npages;
		for (p = 0; p < s->npages; p++) {
			u32 idx;

			CHECK(!page_of(s->pin_iova + p * PG, &idx));
			want_pins[idx]++;
		}
		for (p = 0; p < s->hdr_npages; p++) {
			u32 idx;

			CHECK(!page_of(s->hdr_iova + p * PG, &idx));
			want_pins[idx]++;
		}
	}
	CHECK(sh == q.ntu);
	CHECK(npages == q.stats.pinned);
	CHECK(want_maps == host.nmaps);
	for (i = 0; i < NPG; i++) {
		CHECK(want_pins[i] == host.pins[i]);
		/* Pinned pages are the VM's. */
		CHECK(!host.pins[i] || host.mapped[i]);
	}
	/* The shadow ring's last packet ends with EOP and RS. */
	if (q.kind == CDNA_SW_TX && cdna_sw_q_shadow_used(&q)) {
		u32 last = (q.ntu + q.shadow_count - 1) % q.shadow_count;
		u32 cmd = le32_to_cpu(shadow.tx[last].read.cmd_type_len);

		CHECK((cmd & (CDNA_TXD_CMD_EOP | CDNA_TXD_CMD_RS)) ==
		      (CDNA_TXD_CMD_EOP | CDNA_TXD_CMD_RS));
	}
}

/*
 * The NIC's TX context slots, as the shadow ring sets them: what a TSO
 * packet's segmentation would use.  Kept here from the shadow descriptors
 * alone, not from the engine's state; forgotten when the queue is reset.
 */
static struct {
	u32 macip, mss;
	bool set;
} nic_ctx[CDNA_TXC_SLOTS];

/* One TX packet of the shadow ring, from @sh, as the NIC takes it: its end. */
static u32 nic_tx_packet(u32 sh)
{
	u32 n = 0, total = 0, first = 0, olinfo = 0;
	bool data = false, late_ctx = false, tse_mixed = false;

	for (;;) {
		const union cdna_tx_desc *d = &shadow.tx[sh];
		u32 cmd = le32_to_cpu(d->read.cmd_type_len);

		CHECK(sh != q.ntu);
		n++;
		CHECK(n <= CDNA_SW_PKT_MAX_SHADOW);
		sh = (sh + 1) % q.shadow_count;
		if (FIELD_GET(CDNA_TXD_DTYP, cmd) == CDNA_TXD_DTYP_CTXT) {
			u32 mss = le32_to_cpu(d->ctx.mss_l4len_idx);
			u32 idx = FIELD_GET(CDNA_TXC_IDX, mss);

			CHECK(idx < CDNA_TXC_SLOTS);
			late_ctx |= data;
			nic_ctx[idx].macip = le32_to_cpu(d->ctx.vlan_macip_lens);
			nic_ctx[idx].mss = mss;
			nic_ctx[idx].set = true;
			continue;
		}
		total += FIELD_GET(CDNA_TXD_DTALEN, cmd);
		if (!data) {
			first = cmd;
			olinfo = le32_to_cpu(d->read.olinfo_status);
			data = true;
		} else if ((first ^ cmd) & CDNA_TXD_CMD_TSE) {
			tse_mixed = true;
		}
		if (cmd & CDNA_TXD_CMD_EOP)
			break;
	}
	if (n > cover.pkt_shadow_max)
		cover.pkt_shadow_max = n;
	/* No context descriptor inside a packet. */
	CHECK(!late_ctx);
	if (first & CDNA_TXD_CMD_TSE) {
		u32 idx = FIELD_GET(CDNA_TXD_IDX, olinfo);
		u32 mss, l4, mac, ip;

		CHECK(!tse_mixed);
		CHECK(idx < CDNA_TXC_SLOTS && nic_ctx[idx].set);
		mss = FIELD_GET(CDNA_TXC_MSS, nic_ctx[idx].mss);
		l4 = FIELD_GET(CDNA_TXC_L4LEN, nic_ctx[idx].mss);
		mac = FIELD_GET(CDNA_TXC_MACLEN, nic_ctx[idx].macip);
		ip = FIELD_GET(CDNA_TXC_IPLEN, nic_ctx[idx].macip);
		CHECK(mss >= 64 && l4 >= 20 && l4 <= 60 && mac >= 14 &&
		      ip >= 20);
		/* the headers the NIC repeats, a VLAN tag it inserts too */
		CHECK(mac + ip + l4 + (first & CDNA_TXD_CMD_VLE ? 4 : 0) < 512);
		CHECK(mss + mac + ip + l4 +
		      (first & CDNA_TXD_CMD_VLE ? 4 : 0) <= 9728);
		CHECK(total > mac + ip + l4);
		CHECK(FIELD_GET(CDNA_TXD_PAYLEN, olinfo) == total - mac - ip - l4);
		cover.tso_posted++;
	} else {
		CHECK(!tse_mixed);
	}
	return sh;
}

/* The packets a post put on the shadow ring, from @sh to q.ntu. */
static void nic_tx_check(u32 sh)
{
	while (sh != q.ntu)
		sh = nic_tx_packet(sh);
}

static void drop_all(void)
{
	cdna_sw_q_drop_all(&q, cur_ops, NULL);
	memset(nic_ctx, 0, sizeof(nic_ctx));
	CHECK(q.stats.pinned == 0 && host_pins() == 0 && host.nmaps == 0);
	CHECK(q.g_head == q.g_tail && q.g_next == q.g_tail &&
	      q.g_copy == q.g_tail && q.ntu == 0 && q.ntc == 0);
	CHECK(!cdna_sw_q_pins_range(&q, 0, ~0ULL));
	nic = 0;
}

/* An address near the fake's guest pages (some just outside). */
static u64 guest_addr(struct input *in)
{
	u64 page = get(in, 1) % (NPG + 4);

	return host.gbase + (page - 2) * PG + get(in, 2) % PG;
}

static void gen_rx(struct input *in, union cdna_rx_desc *d)
{
	u8 mode = get(in, 1), hmode = get(in, 1);

	/* Header buffers: even ones near the guest pages, mostly. */
	if (hmode < 150)
		d->read.hdr_addr = cpu_to_le64(guest_addr(in) & ~1ULL);
	else if (hmode < 180)
		d->read.hdr_addr = cpu_to_le64(guest_addr(in));
	else if (hmode < 210)
		d->read.hdr_addr = 0;
	else
		d->read.hdr_addr = cpu_to_le64(get(in, 8));
	if (mode < 200)
		d->read.pkt_addr = cpu_to_le64(guest_addr(in));
	else if (mode < 220)
		d->read.pkt_addr = 0;
	else
		d->read.pkt_addr = cpu_to_le64(get(in, 8));
}

static void gen_tx(struct input *in, union cdna_tx_desc *d)
{
	u8 mode = get(in, 1);
	u32 cmd, len;

	if (mode < 170) {
		len = mode & 1 ? get(in, 2) : get(in, 2) % 3000;
		if (!len && mode & 2)
			len = 1;
		cmd = CDNA_TXD_CMD_DEXT |
		      FIELD_PREP(CDNA_TXD_DTYP, CDNA_TXD_DTYP_DATA) |
		      FIELD_PREP(CDNA_TXD_DTALEN, len);
		mode = get(in, 1);
		if (mode & 1)
			cmd |= CDNA_TXD_CMD_EOP;
		if (mode & 2)
			cmd |= CDNA_TXD_CMD_RS;
		if (mode & 4)
			cmd |= CDNA_TXD_CMD_IFCS | CDNA_TXD_CMD_VLE;
		if (mode & 8)
			cmd |= CDNA_TXD_CMD_TSE;
		if ((mode & 0xf0) == 0xf0)
			cmd ^= BIT(get(in, 1) % 32);
		d->read.buffer_addr = cpu_to_le64(guest_addr(in));
		d->read.cmd_type_len = cpu_to_le32(cmd);
		d->read.olinfo_status = cpu_to_le32(get(in, 4) &
						    (mode & 0x10 ? ~0u : ~0x60u));
	} else if (mode < 200) {
		cmd = CDNA_TXD_CMD_DEXT |
		      FIELD_PREP(CDNA_TXD_DTYP, CDNA_TXD_DTYP_CTXT);
		d->ctx.vlan_macip_lens = cpu_to_le32(get(in, 4));
		d->ctx.seqnum_seed = cpu_to_le32(get(in, 4));
		d->ctx.type_tucmd_mlhl = cpu_to_le32(cmd | get(in, 4));
		d->ctx.mss_l4len_idx = cpu_to_le32(get(in, 4) &
						   (mode & 1 ? ~0u : ~0x60u));
	} else if (mode < 220) {
		/* A TSO context, its lengths around the limits. */
		u32 mac = get(in, 1) % 32, ip = get(in, 2);
		u32 l4 = get(in, 1) % 72, mss = get(in, 2);

		mss = mss & 1 ? 9600 + mss % 256 : mss % 1600;
		ip = ip & 1 ? 440 + ip % 72 : ip % 64;

		cmd = CDNA_TXD_CMD_DEXT | CDNA_TXC_TUCMD_IPV4 |
		      FIELD_PREP(CDNA_TXC_TUCMD_L4T, CDNA_TXC_L4T_TCP) |
		      FIELD_PREP(CDNA_TXD_DTYP, CDNA_TXD_DTYP_CTXT);
		d->ctx.vlan_macip_lens =
			cpu_to_le32(FIELD_PREP(CDNA_TXC_MACLEN, mac) |
				    FIELD_PREP(CDNA_TXC_IPLEN, ip));
		d->ctx.seqnum_seed = 0;
		d->ctx.type_tucmd_mlhl = cpu_to_le32(cmd);
		d->ctx.mss_l4len_idx =
			cpu_to_le32(FIELD_PREP(CDNA_TXC_MSS, mss) |
				    FIELD_PREP(CDNA_TXC_L4LEN, l4) |
				    FIELD_PREP(CDNA_TXC_IDX, mode & 1));
	} else {
		d->read.buffer_addr = cpu_to_le64(get(in, 8));
		d->read.cmd_type_len = cpu_to_le32(get(in, 4));
		d->read.olinfo_status = cpu_to_le32(get(in, 4));
	}
}

static int post(const void *copy, u32 n)
{
	u64 tso = q.stats.why[CDNA_SW_TSO], len = q.stats.why[CDNA_SW_LEN];
	u64 before = q.stats.validated + q.stats.refused +
		     q.stats.why[CDNA_SW_SPOOF] + q.stats.why[CDNA_SW_VLAN];
	u32 next = q.g_next, ntu = q.ntu;
	int ret;

	if (q.kind == CDNA_SW_RX) {
		ret = cdna_sw_rx_post(&q, copy, n, shadow.rx, cur_ops, NULL);
	} else {
		ret = cdna_sw_tx_post(&q, copy, n, shadow.tx, cur_ops, NULL);
		nic_tx_check(ntu);
	}
	CHECK(ret == 0 || ret == -ENOMEM);
	cover.tso_refused += q.stats.why[CDNA_SW_TSO] - tso;
	cover.len_refused += q.stats.why[CDNA_SW_LEN] - len;
	/* Each descriptor that left the pending state was counted once. */
	CHECK(q.stats.validated + q.stats.refused +
	      q.stats.why[CDNA_SW_SPOOF] + q.stats.why[CDNA_SW_VLAN] - before ==
	      dist(next, q.g_next, q.count));
	return ret;
}

/* The caller's copy of the range the engine asks for. */
static u32 copy_owed(bool copy_fails)
{
	u32 first = q.g_copy, n = dist(q.g_copy, q.g_tail, q.count), i;

	for (i = 0; i < n; i++) {
		u32 slot = (first + i) % q.count;

		if (copy_fails)
			memset(&gcopy.tx[i], 0, sizeof(gcopy.tx[i]));
		else
			gcopy.tx[i] = gring.tx[slot];
		given[slot] = gcopy.tx[i];
	}
	return n;
}

static void op_tail(struct input *in)
{
	u32 old = q.g_tail, first, n, t, i;
	struct cdna_sw_q before = q;
	u8 mode = get(in, 1);
	int ret;

	if (mode < 200)
		t = (old + get(in, 2) % q.count) % q.count;
	else
		t = get(in, 2);
	ret = cdna_sw_tail(&q, t, &first, &n);
	if (t >= q.count) {
		CHECK(ret == -EINVAL);
	} else if (cdna_sw_q_outstanding(&before) +
		   dist(old, t, q.count) > q.count - 1) {
		CHECK(ret == -ENOSPC);
	} else {
		CHECK(ret == 0);
		CHECK(q.g_tail == t && first == q.g_copy);
		CHECK(n == dist(q.g_copy, t, q.count));
	}
	if (ret) {
		CHECK(!memcmp(&q, &before, sizeof(q)));
		return;
	}
	/* The guest wrote the descriptors before moving its tail. */
	for (i = old; i != t; i = (i + 1) % q.count) {
		if (q.kind == CDNA_SW_RX)
			gen_rx(in, &gring.rx[i]);
		else
			gen_tx(in, &gring.tx[i]);
	}
	if (q.kind == CDNA_SW_TX && (mode & 0xc0) == 0xc0)
		one_packet(old, t);
	if (q.kind == CDNA_SW_TX && mode & 0x20)
		fix_tso(in, old, t);
	if (mode & 1)		/* the caller posts later */
		return;
	n = copy_owed((mode & 0x1e) == 0x1e);
	post(&gcopy, n);
}

static void op_post(struct input *in)
{
	u8 mode = get(in, 1);
	u32 owed = dist(q.g_copy, q.g_tail, q.count);
	struct cdna_sw_q before = q;
	int ret;

	if (mode < 128) {
		post(&gcopy, copy_owed(mode < 8));
		return;
	}
	if (mode < 192 || !owed) {
		post(NULL, 0);		/* a retry */
		return;
	}
	/* A count that is not the one owed changes nothing. */
	if (q.kind == CDNA_SW_RX)
		ret = cdna_sw_rx_post(&q, &gcopy.rx[0], owed + 1, shadow.rx,
				      cur_ops, NULL);
	else
		ret = cdna_sw_tx_post(&q, &gcopy.tx[0], owed - 1 ? owed - 1 :
				      owed + 1, shadow.tx, cur_ops, NULL);
	CHECK(ret == -EINVAL);
	CHECK(!memcmp(&q, &before, sizeof(q)));
}

static void op_nic_rx(struct input *in)
{
	u32 k = get(in, 1) % 16;

	while (k-- && nic != q.ntu) {
		union cdna_rx_desc *d = &shadow.rx[nic];

		d->wb.info = cpu_to_le32(get(in, 4));
		d->wb.rss = cpu_to_le32(get(in, 4));
		d->wb.length = cpu_to_le16(get(in, 2));
		d->wb.vlan = cpu_to_le16(get(in, 2));
		d->wb.status_error = cpu_to_le32(get(in, 4) | CDNA_RXD_STAT_DD);
		nic = (nic + 1) % q.shadow_count;
	}
}

static void op_complete(struct input *in)
{
	static struct cdna_sw_rx_done rxd[MAXCOUNT];
	static struct cdna_sw_tx_done txd[MAXCOUNT];
	u32 max = get(in, 1) % 80, head = q.g_head;
	int n, i;

	if (q.kind == CDNA_SW_RX) {
		n = cdna_sw_rx_complete(&q, shadow.rx, rxd, max, cur_ops, NULL);
		CHECK(n >= 0 && (u32)n <= max);
		for (i = 0; i < n; i++) {
			u32 st = le32_to_cpu(rxd[i].wb.wb.status_error);

			const union cdna_rx_desc *g =
				(const union cdna_rx_desc *)&given[rxd[i].slot];

			CHECK(rxd[i].slot == (head + i) % q.count);
			CHECK(st & CDNA_RXD_STAT_DD);
			CHECK(le16_to_cpu(rxd[i].wb.wb.length) <= q.bufsz);
			CHECK(rxd[i].iova == le64_to_cpu(g->read.pkt_addr));
			if (q.hdrsz) {
				CHECK(cdna_sw_rx_hdr_len(&rxd[i].wb) <= q.hdrsz);
				CHECK(rxd[i].hdr_iova ==
				      le64_to_cpu(g->read.hdr_addr));
			} else {
				CHECK(!rxd[i].hdr_iova && !rxd[i].hdr_bounce);
			}
			cover.hdr_bounced += rxd[i].hdr_bounce;
		}
	} else {
		u32 k = get(in, 1) % 40;

		while (k-- && nic != q.ntu)
			nic = (nic + 1) % q.shadow_count;
		n = cdna_sw_tx_complete(&q, nic, txd, max, cur_ops, NULL);
		CHECK(n >= 0 && (u32)n <= max);
		for (i = 0; i < n; i++) {
			u32 cmd = le32_to_cpu(given[txd[i].slot].read.cmd_type_len);

			CHECK(txd[i].slot == (head + i) % q.count);
			CHECK(txd[i].dd == !!(cmd & CDNA_TXD_CMD_RS));
		}
	}
	CHECK((u32)n == dist(head, q.g_head, q.count));
}

static void op_bad_head(struct input *in)
{
	static struct cdna_sw_tx_done txd[4];
	struct cdna_sw_q before = q;
	u32 h = get(in, 2);
	int n;

	if (q.kind != CDNA_SW_TX)
		return;
	n = cdna_sw_tx_complete(&q, h, txd, 4, cur_ops, NULL);
	if (h >= q.shadow_count ||
	    dist(q.ntc, h, q.shadow_count) > cdna_sw_q_shadow_used(&before)) {
		CHECK(n == -EINVAL);
		CHECK(!memcmp(&q, &before, sizeof(q)));
	} else {
		/* The NIC cannot be behind its own head: keep it in step. */
		CHECK(n >= 0);
		if (dist(before.ntc, h, q.shadow_count) >
		    dist(before.ntc, nic, q.shadow_count))
			nic = h;
	}
}

/* The VMM unmaps guest pages [a, a + k): .dma_unmap drops all first. */
static void op_unmap(struct input *in)
{
	u32 a = get(in, 1) % NPG, k = get(in, 1) % 8 + 1, i;
	u64 iova = host.gbase + a * PG;

	check_pins_range(iova, k * PG);
	if (q_live && cdna_sw_q_pins_range(&q, iova, k * PG))
		drop_all();
	for (i = a; i < a + k && i < NPG; i++) {
		CHECK(host.pins[i] == 0);
		host.mapped[i] = false;
	}
}

/* The VMM maps pages [a, a + k) again, maybe elsewhere in host memory. */
static void op_map(struct input *in)
{
	u32 a = get(in, 1) % NPG, k = get(in, 1) % 8 + 1, i;
	u64 pfn = get(in, 1);

	for (i = a; i < a + k && i < NPG; i++) {
		if (host.pins[i])
			continue;	/* a pinned page stays where it is */
		host.mapped[i] = true;
		host.pfn[i] = pfn + i - a;
	}
}

static bool geom_ok(enum cdna_sw_kind kind, u64 ring, u32 len, u32 bufsz)
{
	if (!ring || ring % 128 || !len || len % 128 || len / 16 > 4096 ||
	    ring + len < ring)
		return false;
	if (kind == CDNA_SW_RX)
		return bufsz >= 1024 && bufsz <= 16384 && bufsz % 1024 == 0;
	return true;
}

static bool hdrsz_ok(enum cdna_sw_kind kind, u32 hdrsz)
{
	return !hdrsz || (kind == CDNA_SW_RX && hdrsz % 64 == 0 &&
			  hdrsz >= 64 && hdrsz <= 960);
}

/* SRRCTL decoding against its definition (datasheet field positions). */
static void check_srrctl(u32 srrctl)
{
	u32 pkt = srrctl & 0x7f, hdr = (srrctl >> 8) & 0xf;
	u32 type = (srrctl >> 25) & 7, bufsz = 0, hdrsz = 0;
	bool ok = pkt >= 1 && pkt <= 16 &&
		  (type == 1 || ((type == 2 || type == 5) && hdr));
	int ret = cdna_sw_rx_split(srrctl, &bufsz, &hdrsz);

	CHECK(!ret == ok);
	if (ok) {
		CHECK(bufsz == pkt * 1024 && hdrsz == (type == 1 ? 0 : hdr * 64));
		CHECK(cdna_sw_rx_srrctl(srrctl) ==
		      (srrctl & (0x8e00007fu | (type == 1 ? 0 : 0xf00))));
	}
	CHECK(!cdna_sw_rx_bufsz(srrctl, &bufsz) == (ok && type == 1));
}

static void op_init(struct input *in)
{
	enum cdna_sw_kind kind = get(in, 1) & 1 ? CDNA_SW_TX : CDNA_SW_RX;
	u8 mode = get(in, 1), hmode;
	u64 ring;
	u32 len, bufsz, hdrsz, head;
	int ret;

	if (mode >= 200) {
		/* Any geometry: the check against its definition. */
		ring = get(in, 8);
		len = get(in, 4);
		bufsz = get(in, 2);
		CHECK(!cdna_sw_geom_check(kind, ring, len, bufsz) ==
		      geom_ok(kind, ring, len, bufsz));
		check_srrctl(get(in, 4));
		return;
	}
	ring = (get(in, 4) + 1) * 128;
	len = 128 * (get(in, 1) % (MAXCOUNT / 8) + 1);
	bufsz = 1024 * (get(in, 1) % 16 + 1);
	head = get(in, 2) % (len / 16 + 1);
	hmode = get(in, 1);
	if (kind == CDNA_SW_RX && hmode < 128)
		hdrsz = 64 * (hmode % 15 + 1);
	else if (hmode < 144)
		hdrsz = get(in, 2);
	else
		hdrsz = 0;
	if (q_live)
		drop_all();
	ret = cdna_sw_q_init_split(&q, kind, ring, len, bufsz, hdrsz, head,
				   slots, runs);
	CHECK(ret == (head < len / 16 && hdrsz_ok(kind, hdrsz) ? 0 : -EINVAL));
	if (ret) {
		q_live = false;
		memset(&q, 0, sizeof(q));
		return;
	}
	q_live = true;
	cur_ops = get(in, 1) & 1 ? &freeze_ops : &plain_ops;
	nic = 0;
	memset(nic_ctx, 0, sizeof(nic_ctx));
	host.count = q.count;
	host.bufsz = q.bufsz;
	host.hdrsz = q.hdrsz;
	cover.split_queues += !!q.hdrsz;
	memset(&shadow, 0, sizeof(shadow));
}

static void host_init(struct input *in)
{
	u8 layout = get(in, 1), where = get(in, 1);
	u64 pfn = get(in, 2) + 1;
	int i;

	memset(&host, 0, sizeof(host));
	if (where < 64)
		host.gbase = 0;
	else if (where < 128)
		host.gbase = 0 - NPG * PG;	/* the top of the IOVA space */
	else
		host.gbase = (u64)where << 24;
	for (i = 0; i < NPG; i++) {
		/* Half the layouts map every page: long buffers pin whole. */
		host.mapped[i] = (layout & 1) || get(in, 1) < 230;
		if (layout < 64)
			host.pfn[i] = pfn + i;		/* all contiguous */
		else if (layout < 128)
			host.pfn[i] = get(in, 1) % 64 + 1;	/* scattered */
		else	/* runs with breaks */
			host.pfn[i] = (i && get(in, 1) < 200) ?
				      host.pfn[i - 1] + 1 : get(in, 2) + 1;
	}
	host.fail_seed = get(in, 4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool cover_on;
	struct input in = { data, size };
	int ops_left = MAX_OPS;

	if (!cover_on && getenv("FUZZ_SWRING_COVER")) {
		cover_on = true;
		atexit(cover_print);
	}

	memset(&q, 0, sizeof(q));
	q_live = false;
	host_init(&in);
	op_init(&in);
	while (in.left && ops_left--) {
		u8 op = get(&in, 1);

		if (!q_live) {
			op_init(&in);
			continue;
		}
		switch (op % 16) {
		case 0: case 1: case 2: case 3: case 4:
			op_tail(&in);
			break;
		case 5:
			op_post(&in);
			break;
		case 6: case 7:
			if (q.kind == CDNA_SW_RX)
				op_nic_rx(&in);
			op_complete(&in);
			break;
		case 8: case 9:
			op_complete(&in);
			break;
		case 10:
			op_bad_head(&in);
			break;
		case 11:
			if (op & 0x10)
				drop_all();
			else
				op_unmap(&in);
			break;
		case 12:
			op_map(&in);
			break;
		case 13:
			host.fail_pin = get(&in, 1) % 8;
			host.fail_map = get(&in, 1) % 8;
			host.fail_bounce = get(&in, 1) % 8;
			host.fail_policy = get(&in, 1) % 8;
			break;
		case 14:
			if (op & 0x10)
				op_init(&in);
			else
				check_pins_range(host.gbase - 2 * PG +
						 get(&in, 2) * 64,
						 get(&in, 2) * 64);
			break;
		default:
			check_pins_range(get(&in, 8), get(&in, 8));
			break;
		}
		check_state();
	}
	if (q_live)
		drop_all();
	CHECK(host_pins() == 0 && host.nmaps == 0 && q.stats.pinned == 0);
	return 0;
}
