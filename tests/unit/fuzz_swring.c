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
 * - stats.pinned is the fake's live pin count; every unmap matches a live
 *   mapping; pins_range() agrees with the fake's pins;
 * - shadow descriptors outstanding <= shadow count - 1, guest outstanding
 *   <= count - 1, the cursors in order;
 * - completions come in guest ring order with sane write-backs;
 * - after drop_all nothing is pinned or mapped.
 * A broken invariant aborts with its name.
 *
 * make -C tests/unit fuzz_swring && tests/unit/fuzz_swring -max_total_time=60
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
	u32 fail_seed;
	u32 count, bufsz;			/* of the queue, for bounce */
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
	CHECK(len == host.bufsz);
	if (fails(host.fail_bounce))
		return -ENOMEM;
	*bus = BOUNCE_BASE + slot * BOUNCE_SIZE;
	return 0;
}

static const struct cdna_sw_mem_ops ops = {
	.pin = h_pin,
	.unpin = h_unpin,
	.map = h_map,
	.unmap = h_unmap,
	.bounce = h_bounce,
};

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

/* [bus, bus + len) lies in pages pinned now. */
static void check_bus_pinned(u64 bus, u64 len)
{
	u64 p;

	CHECK(bus >= BUS_BASE);
	for (p = (bus - BUS_BASE) / PG; p <= (bus - BUS_BASE + len - 1) / PG;
	     p++)
		CHECK(pfn_pinned(p));
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
		CHECK(sd->read.hdr_addr == 0);
	}
	if (bus >= BOUNCE_BASE && bus < BUS_BASE) {
		CHECK(bus == BOUNCE_BASE + i * BOUNCE_SIZE);
		CHECK(s->npages == 0);
		return;
	}
	/* Mapped: the whole buffer, host-contiguous, pinned by this slot. */
	CHECK(s->npages >= 1);
	CHECK(s->pin_iova == (addr & ~(PG - 1)));
	CHECK(addr + q.bufsz - 1 - s->pin_iova < s->npages * PG);
	for (off = 0; off < q.bufsz; off += PG)
		CHECK(translate(addr + off) == bus + off);
	CHECK(translate(addr + q.bufsz - 1) == bus + q.bufsz - 1);
	check_bus_pinned(bus, q.bufsz);
}

static void check_tx_slot(u32 i, bool pkt_end)
{
	const struct cdna_sw_slot *s = &slots[i];
	const union cdna_tx_desc *g = &s->copy.tx;
	u32 gcmd = le32_to_cpu(g->read.cmd_type_len);
	u64 addr = le64_to_cpu(g->read.buffer_addr);
	u32 glen = FIELD_GET(CDNA_TXD_DTALEN, gcmd);
	u32 j, x = 0;

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
		if (!last)
			CHECK(!(cmd & (CDNA_TXD_CMD_EOP | CDNA_TXD_CMD_RS)));
		else if (pkt_end)
			CHECK((cmd & (CDNA_TXD_CMD_EOP | CDNA_TXD_CMD_RS)) ==
			      (CDNA_TXD_CMD_EOP | CDNA_TXD_CMD_RS));
		else
			CHECK((cmd & (CDNA_TXD_CMD_EOP | CDNA_TXD_CMD_RS)) ==
			      (gcmd & (CDNA_TXD_CMD_EOP | CDNA_TXD_CMD_RS)));
		CHECK(len > 0);
		/* The run is the translation of the next len guest bytes. */
		for (y = 0; y < len; y += PG - ((addr + x + y) & (PG - 1)))
			CHECK(translate(addr + x + y) == bus + y);
		CHECK(translate(addr + x + len - 1) == bus + len - 1);
		check_bus_pinned(bus, len);
		x += len;
	}
	CHECK(x == glen);
	CHECK(s->pin_iova == (addr & ~(PG - 1)));
	CHECK(addr + glen - 1 - s->pin_iova < s->npages * PG);
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
	CHECK(why == q.stats.refused);

	/* In flight: consecutive shadow slots from ntc, each checked. */
	sh = q.ntc;
	for (i = q.g_head; i != q.g_next; i = (i + 1) % q.count) {
		const struct cdna_sw_slot *s = &slots[i];
		u32 p;

		if (!s->nshadow) {
			CHECK(s->npages == 0);
			continue;
		}
		CHECK(s->shadow == sh);
		sh = (sh + s->nshadow) % q.shadow_count;
		if (q.kind == CDNA_SW_RX) {
			check_rx_slot(i);
			if (s->npages)
				want_maps++;
		} else {
			check_tx_slot(i, tx_data_eop(&s->copy.tx));
			if (s->npages)
				want_maps += s->nshadow;
		}
		npages += s->npages;
		for (p = 0; p < s->npages; p++) {
			u32 idx;

			CHECK(!page_of(s->pin_iova + p * PG, &idx));
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

static void drop_all(void)
{
	cdna_sw_q_drop_all(&q, &ops, NULL);
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
	u8 mode = get(in, 1);

	d->read.hdr_addr = cpu_to_le64(get(in, 1) ? get(in, 8) : 0);
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
	} else if (mode < 220) {
		cmd = CDNA_TXD_CMD_DEXT |
		      FIELD_PREP(CDNA_TXD_DTYP, CDNA_TXD_DTYP_CTXT);
		d->ctx.vlan_macip_lens = cpu_to_le32(get(in, 4));
		d->ctx.seqnum_seed = cpu_to_le32(get(in, 4));
		d->ctx.type_tucmd_mlhl = cpu_to_le32(cmd | get(in, 4));
		d->ctx.mss_l4len_idx = cpu_to_le32(get(in, 4) &
						   (mode & 1 ? ~0u : ~0x60u));
	} else {
		d->read.buffer_addr = cpu_to_le64(get(in, 8));
		d->read.cmd_type_len = cpu_to_le32(get(in, 4));
		d->read.olinfo_status = cpu_to_le32(get(in, 4));
	}
}

static int post(const void *copy, u32 n)
{
	u64 before = q.stats.validated + q.stats.refused;
	u32 next = q.g_next;
	int ret;

	if (q.kind == CDNA_SW_RX)
		ret = cdna_sw_rx_post(&q, copy, n, shadow.rx, &ops, NULL);
	else
		ret = cdna_sw_tx_post(&q, copy, n, shadow.tx, &ops, NULL);
	CHECK(ret == 0 || ret == -ENOMEM);
	/* Each descriptor that left the pending state was counted once. */
	CHECK(q.stats.validated + q.stats.refused - before ==
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
				      &ops, NULL);
	else
		ret = cdna_sw_tx_post(&q, &gcopy.tx[0], owed - 1 ? owed - 1 :
				      owed + 1, shadow.tx, &ops, NULL);
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
		n = cdna_sw_rx_complete(&q, shadow.rx, rxd, max, &ops, NULL);
		CHECK(n >= 0 && (u32)n <= max);
		for (i = 0; i < n; i++) {
			u32 st = le32_to_cpu(rxd[i].wb.wb.status_error);

			CHECK(rxd[i].slot == (head + i) % q.count);
			CHECK(st & CDNA_RXD_STAT_DD);
			CHECK(le16_to_cpu(rxd[i].wb.wb.length) <= q.bufsz);
			CHECK(rxd[i].iova ==
			      le64_to_cpu(((union cdna_rx_desc *)
					   &given[rxd[i].slot])->read.pkt_addr));
		}
	} else {
		u32 k = get(in, 1) % 40;

		while (k-- && nic != q.ntu)
			nic = (nic + 1) % q.shadow_count;
		n = cdna_sw_tx_complete(&q, nic, txd, max, &ops, NULL);
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
	n = cdna_sw_tx_complete(&q, h, txd, 4, &ops, NULL);
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

static void op_init(struct input *in)
{
	enum cdna_sw_kind kind = get(in, 1) & 1 ? CDNA_SW_TX : CDNA_SW_RX;
	u8 mode = get(in, 1);
	u64 ring;
	u32 len, bufsz, head;
	int ret;

	if (mode >= 200) {
		/* Any geometry: the check against its definition. */
		ring = get(in, 8);
		len = get(in, 4);
		bufsz = get(in, 2);
		CHECK(!cdna_sw_geom_check(kind, ring, len, bufsz) ==
		      geom_ok(kind, ring, len, bufsz));
		return;
	}
	ring = (get(in, 4) + 1) * 128;
	len = 128 * (get(in, 1) % (MAXCOUNT / 8) + 1);
	bufsz = 1024 * (get(in, 1) % 16 + 1);
	head = get(in, 2) % (len / 16 + 1);
	if (q_live)
		drop_all();
	ret = cdna_sw_q_init(&q, kind, ring, len, bufsz, head, slots, runs);
	CHECK(ret == (head < len / 16 ? 0 : -EINVAL));
	if (ret) {
		q_live = false;
		memset(&q, 0, sizeof(q));
		return;
	}
	q_live = true;
	nic = 0;
	host.count = q.count;
	host.bufsz = q.bufsz;
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
		host.mapped[i] = get(in, 1) < 230;
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
	struct input in = { data, size };
	int ops_left = MAX_OPS;

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
