// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the software mode's shadow ring engine
 * (kmod/include/cdna_swring.h, cdna_swring.c), which vmm_guard uses to
 * turn the descriptors a VM writes into descriptors the NIC may use.
 *
 * The page operations are a fake: guest pages G_BASE.. G_BASE + G_PAGES
 * pages are mapped to the pfns of fake.pfn[] (0: not mapped), pins are
 * counted per page, a mapping's bus address is BUS_BASE + pfn * 4096 +
 * offset, a bounce buffer's is BOUNCE_BASE + slot * 64 KiB.  The expected
 * descriptor words are worked out by hand from the 82576 datasheet's
 * field positions:
 *
 *   data cmd_type_len   DTALEN 15:0, DTYP 23:20 (context 2, data 3),
 *                       EOP 24, IFCS 25, RS 27, DEXT 29, VLE 30, TSE 31
 *   data olinfo_status  IDX 6:4
 *   context             IDX 6:4 of mss_l4len_idx, DTYP/DEXT as in data
 *   RX write-back       DD 0, EOP 1 of status_error, RXE 31
 *
 * so a data descriptor's cmd is 0x20300000 | len (DEXT | DTYP 3), with
 * EOP 0x01000000 and RS 0x08000000; a context descriptor's 0x20200000.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "cdna_swring.h"

#define G_BASE		0x100000ULL
#define G_PAGES		64
#define BUS_BASE	0x8000000000ULL
#define BOUNCE_BASE	0xb000000000ULL
#define HDR_BASE	0xc000000000ULL
#define PG		CDNA_SW_PAGE

#define TXD_DATA	0x20300000u
#define TXD_CTX		0x20200000u
#define TXD_EOP		0x01000000u
#define TXD_IFCS	0x02000000u
#define TXD_RS		0x08000000u
#define TXD_VLE		0x40000000u
#define TXD_TSE		0x80000000u

#define RXD_DD		0x1u
#define RXD_EOP		0x2u
#define RXD_RXE		0x80000000u

#define MAXQ		256

static struct fake {
	u64 pfn[G_PAGES];
	int pins[G_PAGES];
	int maps;		/* live mappings */
	int map_calls;
	int map_ok;		/* maps that succeed before one fails; -1 */
	int map_err;		/* what the failing one says: -ENOMEM if 0 */
	int bounce_fail;
	u32 last_bounce_len;
	u64 last_map_pfn;
	u32 last_map_off;
	u32 last_map_len;
	bool last_map_to_dev;
} fake;

static int fake_pin(void *priv, u64 iova, u64 *pfn)
{
	u64 i;

	(void)priv;
	assert_int_equal(iova % PG, 0);
	if (iova < G_BASE || iova >= G_BASE + G_PAGES * PG)
		return -EFAULT;
	i = (iova - G_BASE) / PG;
	if (!fake.pfn[i])
		return -EFAULT;
	fake.pins[i]++;
	*pfn = fake.pfn[i];
	return 0;
}

static void fake_unpin(void *priv, u64 iova)
{
	u64 i = (iova - G_BASE) / PG;

	(void)priv;
	assert_true(iova >= G_BASE && i < G_PAGES);
	if (fake.pins[i] <= 0)
		fail_msg("unpin of unpinned page %#llx",
			 (unsigned long long)iova);
	fake.pins[i]--;
}

static int fake_map(void *priv, u64 pfn, u32 off, u32 len, bool to_dev,
		    u64 *bus)
{
	(void)priv;
	fake.map_calls++;
	if (fake.map_ok >= 0 && !fake.map_ok--)
		return fake.map_err ? fake.map_err : -ENOMEM;
	assert_true(off < PG);
	fake.maps++;
	fake.last_map_pfn = pfn;
	fake.last_map_off = off;
	fake.last_map_len = len;
	fake.last_map_to_dev = to_dev;
	*bus = BUS_BASE + pfn * PG + off;
	return 0;
}

static void fake_unmap(void *priv, u64 bus, u32 len, bool to_dev)
{
	(void)priv;
	(void)bus;
	(void)len;
	(void)to_dev;
	if (fake.maps <= 0)
		fail_msg("unmap without a mapping");
	fake.maps--;
}

static int fake_bounce(void *priv, u32 slot, u32 len, u64 *bus)
{
	(void)priv;
	fake.last_bounce_len = len;
	if (fake.bounce_fail) {
		fake.bounce_fail--;
		return -ENOMEM;
	}
	*bus = BOUNCE_BASE + (u64)slot * 0x10000;
	return 0;
}

static const struct cdna_sw_mem_ops ops = {
	.pin = fake_pin,
	.unpin = fake_unpin,
	.map = fake_map,
	.unmap = fake_unmap,
	.bounce = fake_bounce,
};

/*
 * TX header freeze: guest memory behind the fake pages, the caller's
 * header buffers (bus HDR_BASE + slot * CDNA_SW_TX_HDR_BUF) and the
 * context's policy.
 */
static u8 gmem[G_PAGES * PG];
static u8 hbuf[256][CDNA_SW_TX_HDR_BUF];
static struct cdna_sw_policy pol;
static int hdr_calls;

static enum cdna_sw_reason fake_tx_hdr(void *priv, u32 slot,
				       const struct cdna_sw_tx_hdr *h, u64 *bus)
{
	u32 i, got = 0;

	(void)priv;
	hdr_calls++;
	assert_true(slot < 256);
	assert_true(h->len <= CDNA_SW_TX_HDR_BUF);
	for (i = 0; i < h->nseg; i++) {
		u64 a = h->seg[i].iova;

		if (a < G_BASE || a + h->seg[i].len > G_BASE + G_PAGES * PG ||
		    !fake.pfn[(a - G_BASE) / PG] ||
		    !fake.pfn[(a + h->seg[i].len - 1 - G_BASE) / PG])
			return CDNA_SW_ADDR;
		memcpy(hbuf[slot] + got, gmem + (a - G_BASE), h->seg[i].len);
		got += h->seg[i].len;
	}
	assert_int_equal(got, h->len);
	*bus = HDR_BASE + (u64)slot * CDNA_SW_TX_HDR_BUF;
	return cdna_sw_tx_policy(&pol, hbuf[slot], h->len, h->vle,
				 h->vle_tci);
}

static const struct cdna_sw_mem_ops hops = {
	.pin = fake_pin,
	.unpin = fake_unpin,
	.map = fake_map,
	.unmap = fake_unmap,
	.tx_hdr = fake_tx_hdr,
};

static int fake_pins(void)
{
	int i, n = 0;

	for (i = 0; i < G_PAGES; i++)
		n += fake.pins[i];
	return n;
}

/* One queue under test with its arrays and a guest ring to copy from. */
static struct cdna_sw_q q;
static struct cdna_sw_slot slots[MAXQ];
static struct cdna_sw_run runs[2 * MAXQ];
static union cdna_rx_desc grx[MAXQ], srx[MAXQ];
static union cdna_tx_desc gtx[MAXQ], stx[2 * MAXQ];

static int setup(void **state)
{
	int i;

	(void)state;
	memset(&fake, 0, sizeof(fake));
	fake.map_ok = -1;
	for (i = 0; i < G_PAGES; i++)
		fake.pfn[i] = 0x1000 + i;
	memset(grx, 0, sizeof(grx));
	memset(srx, 0, sizeof(srx));
	memset(gtx, 0, sizeof(gtx));
	memset(stx, 0, sizeof(stx));
	memset(gmem, 0, sizeof(gmem));
	memset(hbuf, 0, sizeof(hbuf));
	memset(&pol, 0, sizeof(pol));
	hdr_calls = 0;
	return 0;
}

/* Every test ends with the books balanced once the queue is dropped. */
static int teardown(void **state)
{
	(void)state;
	if (q.count)
		cdna_sw_q_drop_all(&q, &ops, NULL);
	if (q.stats.pinned || fake_pins() || fake.maps)
		fail_msg("after drop_all: pinned %llu, fake pins %d, maps %d",
			 (unsigned long long)q.stats.pinned, fake_pins(),
			 fake.maps);
	memset(&q, 0, sizeof(q));
	return 0;
}

static u64 gpa(u32 page, u32 off)
{
	return G_BASE + (u64)page * PG + off;
}

static void rx_init(u32 count, u32 bufsz)
{
	assert_int_equal(cdna_sw_q_init(&q, CDNA_SW_RX, 0x10000,
					count * CDNA_DESC_SIZE, bufsz, 0,
					slots, runs), 0);
}

static void tx_init(u32 count)
{
	assert_int_equal(cdna_sw_q_init(&q, CDNA_SW_TX, 0x20000,
					count * CDNA_DESC_SIZE, 0, 0,
					slots, runs), 0);
}

static void rx_init_split(u32 count, u32 bufsz, u32 hdrsz)
{
	assert_int_equal(cdna_sw_q_init_split(&q, CDNA_SW_RX, 0x10000,
					      count * CDNA_DESC_SIZE, bufsz,
					      hdrsz, 0, slots, runs), 0);
	assert_int_equal(q.hdrsz, hdrsz);
}

static void rx_set_split(u32 slot, u64 addr, u64 hdr)
{
	grx[slot].read.pkt_addr = cpu_to_le64(addr);
	grx[slot].read.hdr_addr = cpu_to_le64(hdr);
}

static void rx_set(u32 slot, u64 addr)
{
	grx[slot].read.pkt_addr = cpu_to_le64(addr);
	grx[slot].read.hdr_addr = cpu_to_le64(0xdead0000);
}

static void tx_data(u32 slot, u64 addr, u32 len, u32 cmd, u32 olinfo)
{
	gtx[slot].read.buffer_addr = cpu_to_le64(addr);
	gtx[slot].read.cmd_type_len = cpu_to_le32(TXD_DATA | cmd | len);
	gtx[slot].read.olinfo_status = cpu_to_le32(olinfo);
}

static void tx_ctx(u32 slot, u32 idx, u32 extra)
{
	gtx[slot].ctx.vlan_macip_lens = cpu_to_le32(0x0064020e);
	gtx[slot].ctx.seqnum_seed = cpu_to_le32(0x12345678);
	gtx[slot].ctx.type_tucmd_mlhl = cpu_to_le32(TXD_CTX | 0xc00 | extra);
	gtx[slot].ctx.mss_l4len_idx = cpu_to_le32(0x05b4140f | idx << 4);
}

/*
 * A TSO context: vlan_macip_lens IPLEN 8:0, MACLEN 15:9; mss_l4len_idx
 * IDX 6:4, L4LEN 15:8, MSS 31:16; type IPv4 (bit 10), TCP (L4T 1, bit 11).
 */
static void tx_tso_ctx(u32 slot, u32 idx, u32 maclen, u32 iplen, u32 l4len,
		       u32 mss)
{
	gtx[slot].ctx.vlan_macip_lens = cpu_to_le32(maclen << 9 | iplen);
	gtx[slot].ctx.seqnum_seed = 0;
	gtx[slot].ctx.type_tucmd_mlhl = cpu_to_le32(TXD_CTX | 0xc00);
	gtx[slot].ctx.mss_l4len_idx = cpu_to_le32(mss << 16 | l4len << 8 |
						  idx << 4);
}

/* olinfo of a TSO data descriptor: PAYLEN 31:14, IDX 6:4, TXSM, IXSM. */
static u32 tso_olinfo(u32 paylen, u32 idx)
{
	return paylen << 14 | idx << 4 | 0x300;
}

/* The guest writes its tail: copy what the engine asks for, post it. */
static int rx_tail(u32 tail)
{
	union cdna_rx_desc buf[MAXQ];
	u32 first, n, i;
	int ret;

	ret = cdna_sw_tail(&q, tail, &first, &n);
	if (ret)
		return ret;
	for (i = 0; i < n; i++)
		buf[i] = grx[(first + i) % q.count];
	return cdna_sw_rx_post(&q, buf, n, srx, &ops, NULL);
}

static int tx_tail_ops(u32 tail, const struct cdna_sw_mem_ops *o)
{
	union cdna_tx_desc buf[MAXQ];
	u32 first, n, i;
	int ret;

	ret = cdna_sw_tail(&q, tail, &first, &n);
	if (ret)
		return ret;
	for (i = 0; i < n; i++)
		buf[i] = gtx[(first + i) % q.count];
	return cdna_sw_tx_post(&q, buf, n, stx, o, NULL);
}

static int tx_tail(u32 tail)
{
	return tx_tail_ops(tail, &ops);
}

/* The NIC fills shadow RX slot @sh with a frame of @len bytes. */
static void nic_rx(u32 sh, u32 len)
{
	srx[sh].wb.info = cpu_to_le32(0x10);
	srx[sh].wb.rss = cpu_to_le32(0xabcd);
	srx[sh].wb.length = cpu_to_le16(len);
	srx[sh].wb.vlan = 0;
	srx[sh].wb.status_error = cpu_to_le32(RXD_DD | RXD_EOP);
}

/* Header split: @hlen header bytes (HDR_LEN 30:21, SPH 31), @len after. */
static void nic_rx_split(u32 sh, u32 len, u32 hlen)
{
	nic_rx(sh, len);
	srx[sh].wb.info = cpu_to_le32(0x80000000u | hlen << 21 | 0x50);
}

static u32 stx_cmd(u32 sh)
{
	return le32_to_cpu(stx[sh].read.cmd_type_len);
}

static u64 stx_addr(u32 sh)
{
	return le64_to_cpu(stx[sh].read.buffer_addr);
}

/* TX policy and header freeze */

static const u8 mac_a[6] = { 0x02, 0xcd, 0, 0, 0, 0x0a };
static const u8 mac_b[6] = { 0x02, 0xcd, 0, 0, 0, 0x0b };

/* A frame header: broadcast to, from @src, @tpid/@tci if @tpid, IPv4. */
static u32 frame_hdr(u8 *f, const u8 *src, u16 tpid, u16 tci)
{
	u32 n = 12;

	memset(f, 0xff, 6);
	memcpy(f + 6, src, 6);
	if (tpid) {
		f[n++] = tpid >> 8;
		f[n++] = tpid & 0xff;
		f[n++] = tci >> 8;
		f[n++] = tci & 0xff;
	}
	f[n++] = 0x08;
	f[n++] = 0x00;
	return n;
}

static void pol_set(bool check, u16 pvid)
{
	memset(&pol, 0, sizeof(pol));
	memcpy(pol.mac[0], mac_a, 6);
	pol.nmacs = 1;
	pol.check_mac = check;
	pol.pvid = pvid;
	pol.vlans[100 / 64] |= 1ULL << (100 % 64);
}

static void test_tx_policy(void **state)
{
	u8 f[32];
	u32 n;

	(void)state;
	pol_set(true, 0);
	n = frame_hdr(f, mac_a, 0, 0);
	assert_int_equal(cdna_sw_tx_policy(&pol, f, n, false, 0), CDNA_SW_OK);
	n = frame_hdr(f, mac_b, 0, 0);
	assert_int_equal(cdna_sw_tx_policy(&pol, f, n, false, 0),
			 CDNA_SW_SPOOF);
	/* a second address of the context (a filter) */
	memcpy(pol.mac[1], mac_b, 6);
	pol.nmacs = 2;
	assert_int_equal(cdna_sw_tx_policy(&pol, f, n, false, 0), CDNA_SW_OK);
	/* anti-spoofing off, or trusted: any source */
	pol_set(false, 0);
	assert_int_equal(cdna_sw_tx_policy(&pol, f, n, false, 0), CDNA_SW_OK);
	/* shorter than an Ethernet header; a tag cut short */
	assert_int_equal(cdna_sw_tx_policy(&pol, f, 13, false, 0), CDNA_SW_LEN);
	n = frame_hdr(f, mac_a, 0x8100, 100);
	assert_int_equal(cdna_sw_tx_policy(&pol, f, 15, false, 0), CDNA_SW_LEN);

	/* no port VLAN: joined VLANs and priority tags only, 802.1Q only */
	pol_set(true, 0);
	assert_int_equal(cdna_sw_tx_policy(&pol, f, n, false, 0), CDNA_SW_OK);
	n = frame_hdr(f, mac_a, 0x8100, 0x6000 | 100);	/* PCP 3 */
	assert_int_equal(cdna_sw_tx_policy(&pol, f, n, false, 0), CDNA_SW_OK);
	n = frame_hdr(f, mac_a, 0x8100, 0x6000);	/* priority only */
	assert_int_equal(cdna_sw_tx_policy(&pol, f, n, false, 0), CDNA_SW_OK);
	n = frame_hdr(f, mac_a, 0x8100, 101);
	assert_int_equal(cdna_sw_tx_policy(&pol, f, n, false, 0),
			 CDNA_SW_VLAN);
	n = frame_hdr(f, mac_a, 0x88a8, 100);
	assert_int_equal(cdna_sw_tx_policy(&pol, f, n, false, 0),
			 CDNA_SW_VLAN);
	n = frame_hdr(f, mac_a, 0x9100, 100);
	assert_int_equal(cdna_sw_tx_policy(&pol, f, n, false, 0),
			 CDNA_SW_VLAN);
	/* the tag the NIC inserts (VLE) */
	n = frame_hdr(f, mac_a, 0, 0);
	assert_int_equal(cdna_sw_tx_policy(&pol, f, n, true, 100), CDNA_SW_OK);
	assert_int_equal(cdna_sw_tx_policy(&pol, f, n, true, 0xe000 | 4095),
			 CDNA_SW_VLAN);
	/* a second tag behind a priority (or any) tag; a tag cut short */
	n = frame_hdr(f, mac_a, 0x8100, 0);
	f[16] = 0x81;
	f[17] = 0x00;
	f[18] = 0;
	f[19] = 101;
	assert_int_equal(cdna_sw_tx_policy(&pol, f, 22, false, 0),
			 CDNA_SW_VLAN);
	f[16] = 0x88;
	f[17] = 0xa8;
	assert_int_equal(cdna_sw_tx_policy(&pol, f, 22, false, 0),
			 CDNA_SW_VLAN);
	n = frame_hdr(f, mac_a, 0x8100, 100);
	assert_int_equal(cdna_sw_tx_policy(&pol, f, 17, false, 0), CDNA_SW_LEN);
	assert_int_equal(cdna_sw_tx_policy(&pol, f, n, false, 0), CDNA_SW_OK);
	/* spoofing is found first */
	n = frame_hdr(f, mac_b, 0x8100, 101);
	assert_int_equal(cdna_sw_tx_policy(&pol, f, n, false, 0),
			 CDNA_SW_SPOOF);

	/* port VLAN: no tag of its own, even a joined one; VLE is replaced */
	pol_set(true, 10);
	n = frame_hdr(f, mac_a, 0x8100, 100);
	assert_int_equal(cdna_sw_tx_policy(&pol, f, n, false, 0),
			 CDNA_SW_VLAN);
	n = frame_hdr(f, mac_a, 0x8100, 0);
	assert_int_equal(cdna_sw_tx_policy(&pol, f, n, false, 0),
			 CDNA_SW_VLAN);
	n = frame_hdr(f, mac_a, 0, 0);
	assert_int_equal(cdna_sw_tx_policy(&pol, f, n, true, 4000), CDNA_SW_OK);
	assert_int_equal(cdna_sw_tx_policy(&pol, f, n, false, 0), CDNA_SW_OK);
}

/* Put a frame of @len bytes (header from @src) at guest address @a. */
static void gframe(u64 a, u32 len, const u8 *src, u16 tpid, u16 tci)
{
	u32 i, n = frame_hdr(gmem + (a - G_BASE), src, tpid, tci);

	for (i = n; i < len; i++)
		gmem[a - G_BASE + i] = (u8)i;
}

static void test_tx_freeze(void **state)
{
	struct cdna_sw_tx_done done[4];
	u8 want[CDNA_SW_TX_HDR_MIN];

	(void)state;
	pol_set(true, 0);
	tx_init(8);
	gframe(gpa(0, 100), 100, mac_a, 0, 0);
	memcpy(want, gmem + 100, sizeof(want));
	tx_data(0, gpa(0, 100), 100, TXD_EOP | TXD_RS | TXD_IFCS, 0x10);
	assert_int_equal(tx_tail_ops(1, &hops), 0);
	assert_int_equal(hdr_calls, 1);
	/* the header copy of slot 0, then the rest of the guest buffer */
	assert_int_equal(q.ntu, 2);
	assert_int_equal(stx_addr(0), HDR_BASE);
	assert_int_equal(stx_cmd(0), TXD_DATA | TXD_IFCS | 22);
	assert_int_equal(le32_to_cpu(stx[0].read.olinfo_status), 0x10);
	assert_int_equal(stx_addr(1), BUS_BASE + 0x1000 * PG + 100 + 22);
	assert_int_equal(stx_cmd(1), TXD_DATA | TXD_IFCS | TXD_EOP | TXD_RS |
			 78);
	assert_memory_equal(hbuf[0], want, sizeof(want));
	assert_int_equal(q.stats.split, 0);
	assert_int_equal(q.stats.validated, 1);
	assert_int_equal(q.stats.pinned, 1);
	assert_int_equal(fake.maps, 1);
	/* The guest rewrites its header: the NIC still reads the copy. */
	gframe(gpa(0, 100), 100, mac_b, 0, 0);
	assert_memory_equal(hbuf[0], want, sizeof(want));
	assert_int_equal(cdna_sw_tx_complete(&q, 2, done, 4, &hops, NULL), 1);
	assert_true(done[0].dd);
	assert_int_equal(q.stats.pinned, 0);
	assert_int_equal(fake.maps, 0);
}

static void test_tx_freeze_drops(void **state)
{
	struct cdna_sw_tx_done done[8];

	(void)state;
	pol_set(true, 0);
	tx_init(8);
	/* spoofed source; foreign VLAN; a good one */
	gframe(gpa(0, 0), 60, mac_b, 0, 0);
	gframe(gpa(1, 0), 64, mac_a, 0x8100, 101);
	gframe(gpa(2, 0), 60, mac_a, 0, 0);
	tx_data(0, gpa(0, 0), 60, TXD_EOP | TXD_RS, 0);
	tx_data(1, gpa(1, 0), 64, TXD_EOP | TXD_RS, 0);
	tx_data(2, gpa(2, 0), 60, TXD_EOP | TXD_RS, 0);
	assert_int_equal(tx_tail_ops(3, &hops), 0);
	assert_int_equal(q.stats.why[CDNA_SW_SPOOF], 1);
	assert_int_equal(q.stats.why[CDNA_SW_VLAN], 1);
	/* policy drops are not refusals of bad descriptors */
	assert_int_equal(q.stats.refused, 0);
	assert_int_equal(q.stats.validated, 1);
	/* only the good one reached the shadow ring, from page 2 */
	assert_int_equal(q.ntu, 2);
	assert_int_equal(stx_addr(0), HDR_BASE + 2 * CDNA_SW_TX_HDR_BUF);
	assert_int_equal(stx_addr(1), BUS_BASE + 0x1002 * PG + 22);
	assert_int_equal(q.stats.pinned, 1);
	/* the dropped ones complete as sent, in ring order */
	assert_int_equal(cdna_sw_tx_complete(&q, 0, done, 8, &hops, NULL), 2);
	assert_true(done[0].dd && done[1].dd);
	assert_int_equal(cdna_sw_tx_complete(&q, 2, done, 8, &hops, NULL), 1);
	assert_int_equal(done[0].slot, 2);

	/* The same under a port VLAN: the tagged frame of VLAN 100 too. */
	pol_set(true, 10);
	gframe(gpa(3, 0), 64, mac_a, 0x8100, 100);
	tx_data(3, gpa(3, 0), 64, TXD_EOP | TXD_RS, 0);
	assert_int_equal(tx_tail_ops(4, &hops), 0);
	assert_int_equal(q.stats.why[CDNA_SW_VLAN], 2);
	/* a header the VM has not mapped: refused, and counted as such */
	fake.pfn[5] = 0;
	tx_data(4, gpa(5, 0), 60, TXD_EOP | TXD_RS, 0);
	assert_int_equal(tx_tail_ops(5, &hops), 0);
	assert_int_equal(q.stats.refused, 1);
	assert_int_equal(q.stats.why[CDNA_SW_ADDR], 1);
	assert_int_equal(q.ntu, 2);
	/*
	 * A spoofed header the VM can read, its buffer running on into a
	 * page it has not mapped: refused for the buffer (it counts towards
	 * quarantine), not dropped for the header.
	 */
	gframe(gpa(4, 4000), 200, mac_b, 0, 0);
	tx_data(5, gpa(4, 4000), 200, TXD_EOP | TXD_RS, 0);
	assert_int_equal(tx_tail_ops(6, &hops), 0);
	assert_int_equal(q.stats.refused, 2);
	assert_int_equal(q.stats.why[CDNA_SW_ADDR], 2);
	assert_int_equal(q.stats.why[CDNA_SW_SPOOF], 1);
	assert_int_equal(q.stats.pinned, 0);	/* the buffer's first page let go */
	assert_int_equal(q.ntu, 2);
}

static void test_tx_freeze_spans(void **state)
{
	struct cdna_sw_tx_done done[8];
	u8 f[64];
	u32 i;

	(void)state;
	pol_set(true, 0);
	tx_init(16);
	/* 10 + 4 + 200 bytes: the copy takes 10, 4 and 8 of the third */
	memset(f, 0x45, sizeof(f));
	frame_hdr(f, mac_a, 0, 0);
	memcpy(gmem + gpa(0, 0) - G_BASE, f, 10);
	memcpy(gmem + gpa(1, 0) - G_BASE, f + 10, 4);
	memcpy(gmem + gpa(2, 0) - G_BASE, f + 14, 8);
	tx_data(0, gpa(0, 0), 10, 0, 0x10);
	tx_data(1, gpa(1, 0), 4, TXD_RS, 0x10);
	tx_data(2, gpa(2, 0), 200, TXD_EOP, 0x10);
	assert_int_equal(tx_tail_ops(3, &hops), 0);
	assert_int_equal(q.ntu, 2);
	assert_int_equal(stx_addr(0), HDR_BASE);
	assert_int_equal(stx_cmd(0), TXD_DATA | 22);
	assert_int_equal(le32_to_cpu(stx[0].read.olinfo_status), 0x10);
	assert_int_equal(stx_addr(1), BUS_BASE + 0x1002 * PG + 8);
	assert_int_equal(stx_cmd(1), TXD_DATA | TXD_EOP | TXD_RS | 192);
	assert_memory_equal(hbuf[0], f, 22);
	/* the first two buffers are wholly in the copy: never pinned */
	assert_int_equal(q.stats.pinned, 1);
	assert_int_equal(fake.pins[0] + fake.pins[1], 0);
	assert_int_equal(cdna_sw_tx_complete(&q, 1, done, 8, &hops, NULL), 0);
	assert_int_equal(cdna_sw_tx_complete(&q, 2, done, 8, &hops, NULL), 3);
	assert_false(done[0].dd);
	assert_true(done[1].dd);
	assert_false(done[2].dd);

	/* A packet shorter than the copy: it is all copy, EOP on it. */
	memcpy(gmem + gpa(3, 0) - G_BASE, f, 16);
	tx_data(3, gpa(3, 0), 10, 0, 0);
	tx_data(4, gpa(3, 10), 6, TXD_EOP, 0);
	assert_int_equal(tx_tail_ops(5, &hops), 0);
	assert_int_equal(q.ntu, 3);
	assert_int_equal(stx_addr(2), HDR_BASE + 3 * CDNA_SW_TX_HDR_BUF);
	assert_int_equal(stx_cmd(2), TXD_DATA | TXD_EOP | TXD_RS | 16);
	assert_int_equal(q.stats.pinned, 0);
	assert_int_equal(cdna_sw_tx_complete(&q, 3, done, 8, &hops, NULL), 2);

	/* A header over more than CDNA_SW_TX_HDR_SEGS buffers is refused. */
	for (i = 0; i < CDNA_SW_TX_HDR_SEGS + 1; i++)
		tx_data(5 + i, gpa(4, i * 2), 2, 0, 0);
	tx_data(5 + i, gpa(4, 100), 100, TXD_EOP, 0);
	assert_int_equal(tx_tail_ops(6 + i, &hops), 0);
	assert_int_equal(q.stats.why[CDNA_SW_LEN], CDNA_SW_TX_HDR_SEGS + 2);
	assert_int_equal(q.ntu, 3);
}

/*
 * What the NIC takes from a packet's first data descriptor (VLE, the
 * context slot) may not differ on its others; VLE needs a context slot
 * the queue set.
 */
static void test_tx_vle_rules(void **state)
{
	(void)state;
	pol_set(true, 0);
	tx_init(16);
	gframe(gpa(0, 0), 60, mac_a, 0, 0);
	gframe(gpa(1, 0), 60, mac_a, 0, 0);
	/* VLE on the last descriptor only, VLAN 101 in the context */
	tx_ctx(0, 0, 0);
	gtx[0].ctx.vlan_macip_lens = cpu_to_le32(101 << 16 | 14 << 9 | 20);
	tx_data(1, gpa(0, 0), 30, 0, 0);
	tx_data(2, gpa(0, 30), 30, TXD_VLE | TXD_EOP | TXD_RS, 0);
	assert_int_equal(tx_tail_ops(3, &hops), 0);
	assert_int_equal(q.stats.why[CDNA_SW_PKT], 3);
	/* the context slot differing */
	tx_data(3, gpa(0, 0), 30, 0, 0x10);
	tx_data(4, gpa(0, 30), 30, TXD_EOP | TXD_RS, 0);
	assert_int_equal(tx_tail_ops(5, &hops), 0);
	assert_int_equal(q.stats.why[CDNA_SW_PKT], 5);
	/* VLE from slot 1, which no context descriptor set: dropped */
	tx_data(5, gpa(1, 0), 60, TXD_VLE | TXD_EOP | TXD_RS, 0x10);
	assert_int_equal(tx_tail_ops(6, &hops), 0);
	assert_int_equal(q.stats.why[CDNA_SW_VLAN], 1);
	/*
	 * VLE from slot 0, whose context came with a refused packet (it set
	 * nothing): dropped; once a context of VLAN 100 is posted, it passes.
	 */
	tx_data(6, gpa(1, 0), 60, TXD_VLE | TXD_EOP | TXD_RS, 0);
	assert_int_equal(tx_tail_ops(7, &hops), 0);
	assert_int_equal(q.stats.why[CDNA_SW_VLAN], 2);
	tx_ctx(7, 0, 0);
	gtx[7].ctx.vlan_macip_lens = cpu_to_le32(100 << 16 | 14 << 9 | 20);
	tx_data(8, gpa(1, 0), 60, TXD_VLE | TXD_EOP | TXD_RS, 0);
	assert_int_equal(tx_tail_ops(9, &hops), 0);
	assert_int_equal(q.stats.why[CDNA_SW_VLAN], 2);
	assert_int_equal(q.stats.refused, 5);
	assert_int_equal(q.ntu, 3);	/* the context of slot 0, the copy, the rest */
}

static void test_tx_freeze_tso(void **state)
{
	struct cdna_sw_tx_done done[8];

	(void)state;
	pol_set(true, 0);
	tx_init(8);
	/* headers 14 + 20 + 20 = 54, 3000 bytes of payload */
	gframe(gpa(0, 0), 3054, mac_a, 0, 0);
	tx_tso_ctx(0, 0, 14, 20, 20, 1448);
	tx_data(1, gpa(0, 0), 3054, TXD_TSE | TXD_EOP | TXD_RS,
		tso_olinfo(3000, 0));
	assert_int_equal(tx_tail_ops(2, &hops), 0);
	assert_int_equal(q.ntu, 3);
	/* context, the whole 54-byte header copy (TSE, PAYLEN), the rest */
	assert_int_equal(stx_addr(1), HDR_BASE + 1 * CDNA_SW_TX_HDR_BUF);
	assert_int_equal(stx_cmd(1), TXD_DATA | TXD_TSE | 54);
	assert_int_equal(le32_to_cpu(stx[1].read.olinfo_status),
			 tso_olinfo(3000, 0));
	assert_int_equal(stx_addr(2), BUS_BASE + 0x1000 * PG + 54);
	assert_int_equal(stx_cmd(2), TXD_DATA | TXD_TSE | TXD_EOP | TXD_RS |
			 3000);
	assert_memory_equal(hbuf[1], gmem, 54);
	assert_int_equal(cdna_sw_tx_complete(&q, 3, done, 8, &hops, NULL), 2);
}

/* Geometry */

static void test_geom(void **state)
{
	u32 bufsz = 0;

	(void)state;
	assert_int_equal(cdna_sw_geom_check(CDNA_SW_RX, 0x1000, 4096, 2048), 0);
	assert_int_equal(cdna_sw_geom_check(CDNA_SW_TX, 0x80, 128, 0), 0);
	assert_int_equal(cdna_sw_geom_check(CDNA_SW_TX, 0x80, 65536, 0), 0);
	/* base 0, base not 128-aligned */
	assert_int_equal(cdna_sw_geom_check(CDNA_SW_TX, 0, 128, 0), -EINVAL);
	assert_int_equal(cdna_sw_geom_check(CDNA_SW_TX, 0x1040, 128, 0),
			 -EINVAL);
	/* length 0, not a multiple of 128, more than 4096 descriptors */
	assert_int_equal(cdna_sw_geom_check(CDNA_SW_TX, 0x1000, 0, 0), -EINVAL);
	assert_int_equal(cdna_sw_geom_check(CDNA_SW_TX, 0x1000, 192, 0),
			 -EINVAL);
	assert_int_equal(cdna_sw_geom_check(CDNA_SW_TX, 0x1000, 65536 + 128, 0),
			 -EINVAL);
	/* ring end past 2^64 */
	assert_int_equal(cdna_sw_geom_check(CDNA_SW_TX, 0xffffffffffffff80ULL,
					    256, 0), -EINVAL);
	/* RX buffer: 1..16 KiB in 1 KiB steps */
	assert_int_equal(cdna_sw_geom_check(CDNA_SW_RX, 0x1000, 128, 0),
			 -EINVAL);
	assert_int_equal(cdna_sw_geom_check(CDNA_SW_RX, 0x1000, 128, 1536),
			 -EINVAL);
	assert_int_equal(cdna_sw_geom_check(CDNA_SW_RX, 0x1000, 128, 17408),
			 -EINVAL);
	assert_int_equal(cdna_sw_geom_check(CDNA_SW_RX, 0x1000, 128, 16384), 0);
	/* init refuses a head out of the ring, takes a head inside */
	assert_int_equal(cdna_sw_q_init(&q, CDNA_SW_RX, 0x1000, 128, 2048, 8,
					slots, runs), -EINVAL);
	assert_int_equal(cdna_sw_q_init(&q, CDNA_SW_RX, 0x1000, 128, 2048, 5,
					slots, runs), 0);
	assert_int_equal(q.count, 8);
	assert_int_equal(q.shadow_count, 8);
	assert_int_equal(q.g_head, 5);
	assert_int_equal(q.g_tail, 5);
	assert_int_equal(cdna_sw_txq_shadow_count(8), 16);

	/* SRRCTL: DESCTYPE 1 (bits 27:25) and BSIZEPKT 2 = 2 KiB */
	assert_int_equal(cdna_sw_rx_bufsz(0x02000002, &bufsz), 0);
	assert_int_equal(bufsz, 2048);
	assert_int_equal(cdna_sw_rx_bufsz(0x02000010, &bufsz), 0);
	assert_int_equal(bufsz, 16384);
	/* header split (DESCTYPE 2), legacy (0), sizes 0 and 17 KiB */
	assert_int_equal(cdna_sw_rx_bufsz(0x04000202, &bufsz), -EINVAL);
	assert_int_equal(cdna_sw_rx_bufsz(0x00000002, &bufsz), -EINVAL);
	assert_int_equal(cdna_sw_rx_bufsz(0x02000000, &bufsz), -EINVAL);
	assert_int_equal(cdna_sw_rx_bufsz(0x02000011, &bufsz), -EINVAL);
}

/* Validators: one hand-made vector per reason */

struct tx_vector {
	const char *what;
	u64 addr;
	u32 cmd;
	u32 olinfo;
	enum cdna_sw_reason why;
};

static void test_rx_check(void **state)
{
	union cdna_rx_desc d = { 0 };

	(void)state;
	d.read.pkt_addr = cpu_to_le64(0x12345678);
	d.read.hdr_addr = cpu_to_le64(0xffffffffffffffffULL);
	assert_int_equal(cdna_sw_rx_check(&d, 2048), CDNA_SW_OK);
	d.read.pkt_addr = 0;
	assert_int_equal(cdna_sw_rx_check(&d, 2048), CDNA_SW_ADDR);
	/* 0xfffffffffffff800 + 2048 = 2^64 exactly: past the top */
	d.read.pkt_addr = cpu_to_le64(0xfffffffffffff800ULL);
	assert_int_equal(cdna_sw_rx_check(&d, 2048), CDNA_SW_WRAP);
	d.read.pkt_addr = cpu_to_le64(0xfffffffffffff000ULL);
	assert_int_equal(cdna_sw_rx_check(&d, 2048), CDNA_SW_OK);
	assert_string_equal(cdna_sw_reason_name(CDNA_SW_WRAP), "wrap");
	assert_string_equal(cdna_sw_reason_name(CDNA_SW_NR_REASONS), "?");
}

static void test_tx_check(void **state)
{
	static const struct tx_vector v[] = {
		{ "data, every allowed bit", 0x1000, 0xeb3005ea, 0x00010010,
		  CDNA_SW_OK },
		{ "data EOP|RS|IFCS", 0x1000, 0x2b30003c, 0, CDNA_SW_OK },
		{ "DEXT clear", 0x1000, 0x0b30003c, 0, CDNA_SW_TYPE },
		{ "DTYP 0", 0x1000, 0x2b00003c, 0, CDNA_SW_TYPE },
		{ "DTYP 1", 0x1000, 0x2b10003c, 0, CDNA_SW_TYPE },
		{ "DTYP 4", 0x1000, 0x2b40003c, 0, CDNA_SW_TYPE },
		{ "legacy, all-ones", 0x1000, 0xdfffffff, 0, CDNA_SW_TYPE },
		{ "reserved bit 26", 0x1000, 0x2f30003c, 0, CDNA_SW_CMD },
		{ "reserved bit 28", 0x1000, 0x3b30003c, 0, CDNA_SW_CMD },
		{ "reserved bit 16", 0x1000, 0x2b31003c, 0, CDNA_SW_CMD },
		{ "DTALEN 0", 0x1000, 0x2b300000, 0, CDNA_SW_LEN },
		{ "DTALEN 65535", 0x1000, 0x2b30ffff, 0, CDNA_SW_OK },
		{ "olinfo IDX 2", 0x1000, 0x2b30003c, 0x20, CDNA_SW_IDX },
		{ "olinfo IDX 7", 0x1000, 0x2b30003c, 0x70, CDNA_SW_IDX },
		{ "olinfo IDX 1", 0x1000, 0x2b30003c, 0x10, CDNA_SW_OK },
		{ "addr + len past 2^64", 0xffffffffffffffc4ULL, 0x2b30003c, 0,
		  CDNA_SW_WRAP },
		{ "addr + len at the top", 0xffffffffffffffc3ULL, 0x2b30003c, 0,
		  CDNA_SW_OK },
	};
	union cdna_tx_desc d;
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		enum cdna_sw_reason why;

		d.read.buffer_addr = cpu_to_le64(v[i].addr);
		d.read.cmd_type_len = cpu_to_le32(v[i].cmd);
		d.read.olinfo_status = cpu_to_le32(v[i].olinfo);
		why = cdna_sw_tx_check(&d);
		if (why != v[i].why)
			fail_msg("%s: %s, expected %s", v[i].what,
				 cdna_sw_reason_name(why),
				 cdna_sw_reason_name(v[i].why));
	}

	/* Context: IDX 1 fine, IDX 2 refused, other fields not judged. */
	memset(&d, 0, sizeof(d));
	d.ctx.type_tucmd_mlhl = cpu_to_le32(TXD_CTX | 0x1f000c00);
	d.ctx.seqnum_seed = cpu_to_le32(0xffffffff);
	d.ctx.mss_l4len_idx = cpu_to_le32(0x05b41410);
	assert_int_equal(cdna_sw_tx_check(&d), CDNA_SW_OK);
	d.ctx.mss_l4len_idx = cpu_to_le32(0x05b41420);
	assert_int_equal(cdna_sw_tx_check(&d), CDNA_SW_IDX);
	d.ctx.type_tucmd_mlhl = cpu_to_le32(0x00200c00);	/* no DEXT */
	d.ctx.mss_l4len_idx = 0;
	assert_int_equal(cdna_sw_tx_check(&d), CDNA_SW_TYPE);
}

/* Tail writes */

static void test_tail_refused(void **state)
{
	struct cdna_sw_q before;
	u32 first = 77, n = 77;
	int i;

	(void)state;
	rx_init(8, 2048);
	for (i = 0; i < 8; i++)
		rx_set(i, gpa(i, 0));
	assert_int_equal(rx_tail(5), 0);
	assert_int_equal(q.ntu, 5);

	before = q;
	/* tail at or past count */
	assert_int_equal(cdna_sw_tail(&q, 8, &first, &n), -EINVAL);
	assert_int_equal(cdna_sw_tail(&q, 0xffffffff, &first, &n), -EINVAL);
	/* backwards over posted descriptors: 5 -> 3 would mean 5 + 6 */
	assert_int_equal(cdna_sw_tail(&q, 3, &first, &n), -ENOSPC);
	/* forwards onto the head: 8 outstanding in a ring of 8 */
	assert_int_equal(cdna_sw_tail(&q, 0, &first, &n), -ENOSPC);
	assert_int_equal(first, 77);
	assert_int_equal(n, 77);
	assert_memory_equal(&q, &before, sizeof(q));

	/* 7 = count - 1 outstanding is fine; the same tail again is a no-op */
	assert_int_equal(cdna_sw_tail(&q, 7, &first, &n), 0);
	assert_int_equal(first, 5);
	assert_int_equal(n, 2);
	/* a second tail before the post: the range covers both */
	assert_int_equal(cdna_sw_tail(&q, 7, &first, &n), 0);
	assert_int_equal(first, 5);
	assert_int_equal(n, 2);
	/* a post with the wrong count takes nothing */
	assert_int_equal(cdna_sw_rx_post(&q, grx, 1, srx, &ops, NULL), -EINVAL);
	assert_int_equal(q.g_copy, 5);
	assert_int_equal(cdna_sw_rx_post(&q, &grx[5], 2, srx, &ops, NULL), 0);
	assert_int_equal(q.ntu, 7);
	assert_int_equal(cdna_sw_q_outstanding(&q), 7);
	/* a TX post on an RX queue */
	assert_int_equal(cdna_sw_tx_post(&q, NULL, 0, stx, &ops, NULL),
			 -EINVAL);
}

/* RX */

static void test_rx_refused_in_order(void **state)
{
	struct cdna_sw_rx_done done[8];
	int n;

	(void)state;
	rx_init(8, 2048);
	rx_set(0, gpa(0, 0));
	rx_set(1, 0);			/* refused: ADDR */
	rx_set(2, gpa(2, 2048));
	rx_set(3, gpa(G_PAGES + 5, 0));	/* refused: not mapped */
	assert_int_equal(rx_tail(4), 0);

	/* Refused descriptors take no shadow slot; hdr_addr becomes 0. */
	assert_int_equal(q.ntu, 2);
	assert_int_equal(le64_to_cpu(srx[0].read.pkt_addr),
			 BUS_BASE + 0x1000 * PG);
	assert_int_equal(srx[0].read.hdr_addr, 0);
	assert_int_equal(le64_to_cpu(srx[1].read.pkt_addr),
			 BUS_BASE + 0x1002 * PG + 2048);
	assert_false(fake.last_map_to_dev);
	assert_int_equal(fake.last_map_len, 2048);
	assert_int_equal(q.stats.validated, 2);
	assert_int_equal(q.stats.refused, 2);
	assert_int_equal(q.stats.why[CDNA_SW_ADDR], 2);
	assert_int_equal(q.stats.pinned, 2);
	assert_int_equal(fake.maps, 2);

	/* Slot 1 is refused but slot 0 waits for a packet: nothing yet. */
	assert_int_equal(cdna_sw_rx_complete(&q, srx, done, 8, &ops, NULL), 0);
	assert_int_equal(q.g_head, 0);

	nic_rx(0, 60);
	n = cdna_sw_rx_complete(&q, srx, done, 8, &ops, NULL);
	assert_int_equal(n, 2);
	assert_int_equal(done[0].slot, 0);
	assert_int_equal(le16_to_cpu(done[0].wb.wb.length), 60);
	assert_int_equal(le32_to_cpu(done[0].wb.wb.status_error),
			 RXD_DD | RXD_EOP);
	assert_int_equal(le32_to_cpu(done[0].wb.wb.rss), 0xabcd);
	assert_false(done[0].bounce);
	assert_int_equal(done[1].slot, 1);
	assert_int_equal(le32_to_cpu(done[1].wb.wb.status_error),
			 RXD_DD | RXD_EOP | RXD_RXE);
	assert_int_equal(done[1].wb.wb.length, 0);
	assert_int_equal(q.g_head, 2);
	assert_int_equal(q.stats.pinned, 1);

	/* The NIC writes a length longer than the buffer: clamped. */
	nic_rx(1, 9000);
	n = cdna_sw_rx_complete(&q, srx, done, 1, &ops, NULL);
	assert_int_equal(n, 1);
	assert_int_equal(done[0].slot, 2);
	assert_int_equal(le16_to_cpu(done[0].wb.wb.length), 2048);
	assert_int_equal(done[0].iova, gpa(2, 2048));
	n = cdna_sw_rx_complete(&q, srx, done, 8, &ops, NULL);
	assert_int_equal(n, 1);
	assert_int_equal(done[0].slot, 3);
	assert_int_equal(q.g_head, 4);
	assert_int_equal(q.stats.pinned, 0);
	assert_int_equal(fake.maps, 0);
	assert_int_equal(fake_pins(), 0);
}

static void test_rx_straddle_bounce(void **state)
{
	struct cdna_sw_rx_done done[4];

	(void)state;
	rx_init(8, 2048);
	fake.pfn[4] = 0x5000;		/* page 3 -> 0x1003, page 4 elsewhere */
	rx_set(0, gpa(3, 3000));
	assert_int_equal(rx_tail(1), 0);
	assert_int_equal(q.stats.bounced, 1);
	assert_int_equal(q.stats.validated, 1);
	assert_int_equal(q.stats.pinned, 0);
	assert_int_equal(fake_pins(), 0);
	assert_int_equal(fake.map_calls, 0);
	assert_int_equal(le64_to_cpu(srx[0].read.pkt_addr), BOUNCE_BASE);
	assert_false(cdna_sw_q_pins_range(&q, gpa(3, 0), 2 * PG));

	nic_rx(0, 1514);
	assert_int_equal(cdna_sw_rx_complete(&q, srx, done, 4, &ops, NULL), 1);
	assert_true(done[0].bounce);
	assert_int_equal(done[0].iova, gpa(3, 3000));
	assert_int_equal(le16_to_cpu(done[0].wb.wb.length), 1514);

	/* A bounce failure leaves the descriptor pending, then it posts. */
	rx_set(1, gpa(3, 3000));
	fake.bounce_fail = 1;
	assert_int_equal(rx_tail(2), -ENOMEM);
	assert_int_equal(q.g_next, 1);
	assert_int_equal(q.stats.pinned, 0);
	assert_int_equal(cdna_sw_rx_post(&q, NULL, 0, srx, &ops, NULL), 0);
	assert_int_equal(q.g_next, 2);
	assert_int_equal(le64_to_cpu(srx[1].read.pkt_addr),
			 BOUNCE_BASE + 0x10000);
}

static void test_rx_straddle_contig(void **state)
{
	(void)state;
	rx_init(8, 2048);
	rx_set(0, gpa(3, 3000));	/* pages 3, 4: pfns 0x1003, 0x1004 */
	assert_int_equal(rx_tail(1), 0);
	assert_int_equal(q.stats.bounced, 0);
	assert_int_equal(fake.map_calls, 1);
	assert_int_equal(fake.last_map_pfn, 0x1003);
	assert_int_equal(fake.last_map_off, 3000);
	assert_int_equal(fake.last_map_len, 2048);
	assert_int_equal(q.stats.pinned, 2);
	assert_int_equal(fake.pins[3], 1);
	assert_int_equal(fake.pins[4], 1);
	assert_int_equal(le64_to_cpu(srx[0].read.pkt_addr),
			 BUS_BASE + 0x1003 * PG + 3000);

	/* The second page not mapped: refused, the first page unpinned. */
	fake.pfn[8] = 0;
	rx_set(1, gpa(7, 3000));
	assert_int_equal(rx_tail(2), 0);
	assert_int_equal(q.stats.why[CDNA_SW_ADDR], 1);
	assert_int_equal(fake.pins[7], 0);
	assert_int_equal(q.stats.pinned, 2);
	assert_int_equal(q.ntu, 1);
}

static void test_rx_map_failure(void **state)
{
	(void)state;
	rx_init(8, 4096);
	rx_set(0, gpa(0, 0));
	rx_set(1, gpa(1, 100));
	fake.map_ok = 0;
	assert_int_equal(rx_tail(2), -ENOMEM);
	assert_int_equal(q.stats.pinned, 0);
	assert_int_equal(fake_pins(), 0);
	assert_int_equal(q.ntu, 0);
	assert_int_equal(q.g_next, 0);
	assert_int_equal(q.stats.validated, 0);
	assert_int_equal(q.stats.refused, 0);
	/* The retry works from the copies: the guest ring is not read. */
	memset(grx, 0xff, sizeof(grx));
	assert_int_equal(cdna_sw_rx_post(&q, NULL, 0, srx, &ops, NULL), 0);
	assert_int_equal(q.ntu, 2);
	assert_int_equal(q.stats.pinned, 3);
	assert_int_equal(le64_to_cpu(srx[1].read.pkt_addr),
			 BUS_BASE + 0x1001 * PG + 100);

	/* Whatever the map error says, the descriptor waits, not refused. */
	rx_set(2, gpa(2, 0));
	fake.map_ok = 0;
	fake.map_err = -EFAULT;
	assert_int_equal(rx_tail(3), -EFAULT);
	assert_int_equal(q.g_next, 2);
	assert_int_equal(q.stats.refused, 0);
	assert_int_equal(cdna_sw_rx_post(&q, NULL, 0, srx, &ops, NULL), 0);
	assert_int_equal(q.g_next, 3);
}

/* TX */

static void test_tx_split_runs(void **state)
{
	struct cdna_sw_tx_done done[8];

	(void)state;
	tx_init(8);
	/* 6000 bytes from page 2 offset 3000: pages 2, 3, 4; 4 elsewhere */
	fake.pfn[4] = 0x7000;
	tx_ctx(0, 1, 0);
	tx_data(1, gpa(2, 3000), 6000, TXD_EOP | TXD_RS | TXD_IFCS, 0x10);
	assert_int_equal(tx_tail(2), 0);

	/* context, run 1 (pages 2-3: 1096 + 4096), run 2 (page 4: 808) */
	assert_int_equal(q.ntu, 3);
	assert_int_equal(q.stats.split, 1);
	assert_int_equal(q.stats.validated, 2);
	assert_int_equal(q.stats.pinned, 3);
	assert_int_equal(fake.maps, 2);
	assert_true(fake.last_map_to_dev);

	assert_int_equal(le32_to_cpu(stx[0].ctx.type_tucmd_mlhl),
			 TXD_CTX | 0xc00);
	assert_int_equal(stx[0].ctx.seqnum_seed, 0);
	assert_int_equal(le32_to_cpu(stx[0].ctx.mss_l4len_idx), 0x05b41410);
	assert_int_equal(le32_to_cpu(stx[0].ctx.vlan_macip_lens), 0x0064020e);

	assert_int_equal(stx_addr(1), BUS_BASE + 0x1002 * PG + 3000);
	assert_int_equal(stx_cmd(1), TXD_DATA | TXD_IFCS | 5192);
	assert_int_equal(le32_to_cpu(stx[1].read.olinfo_status), 0x10);
	assert_int_equal(stx_addr(2), BUS_BASE + 0x7000 * PG);
	assert_int_equal(stx_cmd(2), TXD_DATA | TXD_IFCS | TXD_EOP | TXD_RS |
			 808);
	assert_int_equal(le32_to_cpu(stx[2].read.olinfo_status), 0x10);

	assert_true(cdna_sw_q_pins_range(&q, gpa(4, 4095), 1));
	assert_false(cdna_sw_q_pins_range(&q, gpa(5, 0), 100 * PG));
	assert_false(cdna_sw_q_pins_range(&q, gpa(0, 0), 2 * PG));
	assert_true(cdna_sw_q_pins_range(&q, 0, ~0ULL));
	assert_false(cdna_sw_q_pins_range(&q, gpa(2, 0), 0));

	/* Head in the middle of the packet: nothing completes. */
	assert_int_equal(cdna_sw_tx_complete(&q, 2, done, 8, &ops, NULL), 0);
	assert_int_equal(cdna_sw_tx_complete(&q, 3, done, 8, &ops, NULL), 2);
	assert_int_equal(done[0].slot, 0);
	assert_false(done[0].dd);
	assert_int_equal(done[1].slot, 1);
	assert_true(done[1].dd);
	assert_int_equal(q.g_head, 2);
	assert_int_equal(q.stats.pinned, 0);
	assert_int_equal(fake.maps, 0);
	/* A head past what was posted is refused. */
	assert_int_equal(cdna_sw_tx_complete(&q, 4, done, 8, &ops, NULL),
			 -EINVAL);
	assert_int_equal(cdna_sw_tx_complete(&q, 16, done, 8, &ops, NULL),
			 -EINVAL);
}

static void test_tx_rs_on_packet_end(void **state)
{
	(void)state;
	tx_init(8);
	/* Two descriptors, neither asks for RS: the packet end gets it. */
	tx_data(0, gpa(0, 0), 100, 0, 0);
	tx_data(1, gpa(1, 0), 200, TXD_EOP, 0);
	assert_int_equal(tx_tail(2), 0);
	assert_int_equal(stx_cmd(0), TXD_DATA | 100);
	assert_int_equal(stx_cmd(1), TXD_DATA | TXD_EOP | TXD_RS | 200);
	assert_int_equal(q.stats.split, 0);
}

static void test_tx_ctx_sanitised(void **state)
{
	struct cdna_sw_tx_done done[4];

	(void)state;
	tx_init(8);
	/* RS and reserved bits 24-28, 9, 0-8 in the context's type word */
	tx_ctx(0, 1, TXD_RS | 0x1f0003ff);
	gtx[0].ctx.mss_l4len_idx = cpu_to_le32(0x05b4141f);
	tx_data(1, gpa(0, 0), 60, TXD_EOP, 0x10);
	assert_int_equal(tx_tail(2), 0);
	assert_int_equal(q.ntu, 2);
	assert_int_equal(le32_to_cpu(stx[0].ctx.type_tucmd_mlhl),
			 TXD_CTX | 0xc00);
	assert_int_equal(le32_to_cpu(stx[0].ctx.mss_l4len_idx), 0x05b41410);
	assert_int_equal(stx[0].ctx.seqnum_seed, 0);
	/* The guest asked for DD on the context descriptor: it gets it. */
	assert_int_equal(cdna_sw_tx_complete(&q, 2, done, 4, &ops, NULL), 2);
	assert_true(done[0].dd);
	assert_false(done[1].dd);
}

static void test_zeroed_queue(void **state)
{
	struct cdna_sw_rx_done rxd[2];
	struct cdna_sw_tx_done txd[2];
	u32 first, n;

	(void)state;
	/* A queue object never initialised refuses everything, safely. */
	memset(&q, 0, sizeof(q));
	assert_int_equal(cdna_sw_tail(&q, 0, &first, &n), -EINVAL);
	assert_int_equal(cdna_sw_rx_post(&q, NULL, 0, srx, &ops, NULL), 0);
	assert_int_equal(cdna_sw_rx_post(&q, grx, 1, srx, &ops, NULL),
			 -EINVAL);
	assert_int_equal(cdna_sw_rx_complete(&q, srx, rxd, 2, &ops, NULL), 0);
	assert_int_equal(cdna_sw_tx_complete(&q, 0, txd, 2, &ops, NULL),
			 -EINVAL);
	assert_false(cdna_sw_q_pins_range(&q, 0, ~0ULL));
	cdna_sw_q_drop_all(&q, &ops, NULL);
	assert_int_equal(q.stats.pinned, 0);
}

static void test_tx_packet_refused_whole(void **state)
{
	struct cdna_sw_tx_done done[8];

	(void)state;
	tx_init(8);
	tx_ctx(0, 0, 0);
	tx_data(1, gpa(0, 0), 100, TXD_RS, 0);
	tx_data(2, gpa(1, 0), 100, 0x04000000, 0);	/* reserved bit 26 */
	tx_data(3, gpa(2, 0), 100, TXD_EOP | TXD_RS, 0);
	tx_data(4, gpa(3, 0), 60, TXD_EOP | TXD_RS, 0);	/* next packet */
	assert_int_equal(tx_tail(5), 0);

	assert_int_equal(q.stats.refused, 4);
	assert_int_equal(q.stats.why[CDNA_SW_CMD], 4);
	assert_int_equal(q.stats.validated, 1);
	assert_int_equal(q.ntu, 1);
	assert_int_equal(stx_addr(0), BUS_BASE + 0x1003 * PG);
	assert_int_equal(q.stats.pinned, 1);

	/* The refused packet completes at once: DD where it had RS. */
	assert_int_equal(cdna_sw_tx_complete(&q, 0, done, 8, &ops, NULL), 4);
	assert_false(done[0].dd);
	assert_true(done[1].dd);
	assert_false(done[2].dd);
	assert_true(done[3].dd);
	assert_int_equal(cdna_sw_tx_complete(&q, 1, done, 8, &ops, NULL), 1);
	assert_int_equal(done[0].slot, 4);
	assert_int_equal(q.g_head, 5);

	/* A page that cannot be pinned refuses its packet too (ADDR). */
	tx_data(5, gpa(0, 0), 100, 0, 0);
	tx_data(6, gpa(G_PAGES - 1, 4000), 200, TXD_EOP, 0);
	assert_int_equal(tx_tail(7), 0);
	assert_int_equal(q.stats.why[CDNA_SW_ADDR], 2);
	assert_int_equal(q.stats.pinned, 0);
	assert_int_equal(fake_pins(), 0);
	assert_int_equal(q.ntu, 1);
}

static void test_tx_deferred_mid_packet(void **state)
{
	(void)state;
	tx_init(16);
	tx_ctx(0, 0, 0);
	tx_data(1, gpa(0, 0), 100, 0, 0);
	assert_int_equal(tx_tail(2), 0);
	assert_int_equal(q.ntu, 0);
	assert_int_equal(q.g_next, 0);
	assert_int_equal(q.stats.pinned, 0);

	/* The copies were taken: changing the guest ring changes nothing. */
	memset(gtx, 0, 2 * sizeof(gtx[0]));
	tx_data(2, gpa(1, 0), 100, TXD_EOP, 0);
	assert_int_equal(tx_tail(3), 0);
	assert_int_equal(q.ntu, 3);
	assert_int_equal(q.g_next, 3);
	assert_int_equal(q.stats.validated, 3);
	assert_int_equal(stx_cmd(1), TXD_DATA | 100);
}

static void test_tx_too_long(void **state)
{
	int i;

	(void)state;
	/* 65 descriptors without EOP, then the EOP and another packet */
	tx_init(128);
	for (i = 0; i < 66; i++)
		tx_data(i, gpa(0, 0), 10, i == 65 ? TXD_EOP : 0, 0);
	tx_data(66, gpa(0, 0), 10, TXD_EOP, 0);
	assert_int_equal(tx_tail(67), 0);
	assert_int_equal(q.stats.why[CDNA_SW_PKT], 66);
	assert_int_equal(q.stats.validated, 1);
	assert_int_equal(q.ntu, 1);
	teardown(state);
	setup(state);

	/* exactly 64 descriptors is a packet */
	tx_init(128);
	for (i = 0; i < 64; i++)
		tx_data(i, gpa(0, 0), 10, i == 63 ? TXD_EOP : 0, 0);
	assert_int_equal(tx_tail(64), 0);
	assert_int_equal(q.stats.validated, 64);
	assert_int_equal(q.stats.refused, 0);
	teardown(state);
	setup(state);

	/* no EOP in a ring full of pending descriptors */
	tx_init(8);
	for (i = 0; i < 7; i++)
		tx_data(i, gpa(0, 0), 10, 0, 0);
	assert_int_equal(tx_tail(7), 0);
	assert_int_equal(q.stats.why[CDNA_SW_PKT], 7);
	assert_int_equal(q.g_next, 7);
}

static void test_tx_shadow_full_defers(void **state)
{
	struct cdna_sw_tx_done done[16];
	int i;

	(void)state;
	/* Ring of 8: shadow of 16, 15 usable.  Each packet takes 4 runs. */
	tx_init(8);
	for (i = 0; i < G_PAGES; i++)
		fake.pfn[i] = 0x1000 + 2 * i;	/* nothing contiguous */
	for (i = 0; i < 5; i++)
		tx_data(i, gpa(4 * i, 0), 4 * PG, TXD_EOP, 0);
	assert_int_equal(tx_tail(5), 0);
	assert_int_equal(q.ntu, 12);
	assert_int_equal(q.g_next, 3);
	assert_int_equal(q.stats.refused, 0);
	assert_int_equal(q.stats.split, 3);
	assert_int_equal(q.stats.pinned, 12);
	assert_true(cdna_sw_q_shadow_used(&q) <= q.shadow_count - 1);

	/* The NIC sends the first packet: the fourth fits now. */
	assert_int_equal(cdna_sw_tx_complete(&q, 4, done, 16, &ops, NULL), 1);
	assert_int_equal(cdna_sw_tx_post(&q, NULL, 0, stx, &ops, NULL), 0);
	assert_int_equal(q.g_next, 4);
	assert_int_equal(q.ntu, 0);
	assert_int_equal(cdna_sw_q_shadow_used(&q), 12);

	/* A buffer of more runs than the shadow ring holds: LEN. */
	teardown(state);
	setup(state);
	tx_init(8);
	for (i = 0; i < G_PAGES; i++)
		fake.pfn[i] = 0x1000 + 2 * i;
	tx_data(0, gpa(0, 1), 65535, TXD_EOP, 0);	/* 17 pages */
	assert_int_equal(tx_tail(1), 0);
	assert_int_equal(q.stats.why[CDNA_SW_LEN], 1);
	assert_int_equal(q.stats.pinned, 0);
	assert_int_equal(fake_pins(), 0);
}

/*
 * A packet may become at most CDNA_SW_PKT_MAX_SHADOW (64) shadow
 * descriptors, context descriptors included, however big the shadow ring.
 */
static void test_tx_pkt_max_shadow(void **state)
{
	struct cdna_sw_tx_done done[64];
	int i;

	(void)state;
	tx_init(256);			/* shadow ring of 512 */
	for (i = 0; i < G_PAGES; i++)
		fake.pfn[i] = 0x1000 + 2 * i;	/* nothing contiguous */
	/* 3 x 17 runs (65535 bytes from offset 4095), 12 one-run, 1 ctx */
	tx_ctx(0, 0, 0);
	for (i = 1; i <= 3; i++)
		tx_data(i, gpa(0, 4095), 65535, 0, 0);
	for (i = 4; i <= 15; i++)
		tx_data(i, gpa(i, 0), 100, i == 15 ? TXD_EOP : 0, 0);
	assert_int_equal(tx_tail(16), 0);
	assert_int_equal(q.stats.refused, 0);
	assert_int_equal(q.ntu, 64);
	assert_int_equal(q.stats.pinned, 3 * 17 + 12);
	assert_int_equal(cdna_sw_tx_complete(&q, 64, done, 64, &ops, NULL),
			 16);

	/* One run more: refused whole (LEN), nothing left pinned. */
	tx_ctx(16, 0, 0);
	for (i = 17; i <= 19; i++)
		tx_data(i, gpa(0, 4095), 65535, 0, 0);
	for (i = 20; i <= 32; i++)
		tx_data(i, gpa(i, 0), 100, i == 32 ? TXD_EOP : 0, 0);
	assert_int_equal(tx_tail(33), 0);
	assert_int_equal(q.stats.why[CDNA_SW_LEN], 17);
	assert_int_equal(q.stats.refused, 17);
	assert_int_equal(q.stats.pinned, 0);
	assert_int_equal(fake_pins(), 0);
	assert_int_equal(fake.maps, 0);
	assert_int_equal(q.ntu, 64);

	/* The next packet goes through. */
	tx_data(33, gpa(1, 0), 60, TXD_EOP, 0);
	assert_int_equal(tx_tail(34), 0);
	assert_int_equal(q.ntu, 65);
	assert_int_equal(q.stats.validated, 17);
}

static void test_tx_map_failure(void **state)
{
	int ok;

	(void)state;
	/* A packet of three runs: descriptor 0 over pages 0 and 1, apart. */
	for (ok = 0; ok < 3; ok++) {
		setup(state);
		tx_init(8);
		fake.pfn[1] = 0x9000;
		tx_data(0, gpa(0, 0), 2 * PG, 0, 0);
		tx_data(1, gpa(2, 0), 100, TXD_EOP, 0);
		/* Map number ok + 1 of the packet fails: all of it undone. */
		fake.map_ok = ok;
		assert_int_equal(tx_tail(2), -ENOMEM);
		assert_int_equal(fake.map_calls, ok + 1);
		assert_int_equal(q.stats.pinned, 0);
		assert_int_equal(fake_pins(), 0);
		assert_int_equal(fake.maps, 0);
		assert_int_equal(q.ntu, 0);
		assert_int_equal(q.g_next, 0);
		assert_int_equal(q.stats.validated, 0);
		assert_int_equal(q.stats.refused, 0);
		assert_false(cdna_sw_q_pins_range(&q, 0, ~0ULL));

		/* Retried from the copies by the next post. */
		memset(gtx, 0, sizeof(gtx));
		assert_int_equal(cdna_sw_tx_post(&q, NULL, 0, stx, &ops, NULL),
				 0);
		assert_int_equal(q.ntu, 3);
		assert_int_equal(q.stats.split, 1);
		assert_int_equal(q.stats.pinned, 3);
		assert_int_equal(fake.maps, 3);
		assert_int_equal(stx_addr(1), BUS_BASE + 0x9000 * PG);
		teardown(state);
	}
}

/* RX header split */

static void test_rx_split_srrctl(void **state)
{
	u32 bufsz = 0, hdrsz = 7;

	(void)state;
	/* igbvf at MTU 9000: DROP_EN, DESCTYPE 5, BSIZEHDR 2, BSIZEPKT 2 */
	assert_int_equal(cdna_sw_rx_split(0x8a000202, &bufsz, &hdrsz), 0);
	assert_int_equal(bufsz, 2048);
	assert_int_equal(hdrsz, 128);
	assert_int_equal(cdna_sw_rx_srrctl(0x8a000202), 0x8a000202);
	/* DESCTYPE 2 (split when it can), BSIZEHDR 15 = 960 bytes */
	assert_int_equal(cdna_sw_rx_split(0x04000f04, &bufsz, &hdrsz), 0);
	assert_int_equal(bufsz, 4096);
	assert_int_equal(hdrsz, 960);
	/* one buffer: BSIZEHDR is not looked at, nor passed on */
	assert_int_equal(cdna_sw_rx_split(0x02000302, &bufsz, &hdrsz), 0);
	assert_int_equal(bufsz, 2048);
	assert_int_equal(hdrsz, 0);
	assert_int_equal(cdna_sw_rx_srrctl(0x02000302), 0x02000002);
	/* the other bits (RDMTS 24:20, reserved) are not passed on */
	assert_int_equal(cdna_sw_rx_split(0x7bf0f282, &bufsz, &hdrsz), 0);
	assert_int_equal(cdna_sw_rx_srrctl(0x7bf0f282), 0x0a000202);
	/* split with BSIZEHDR 0; legacy (0), replication (3, 4), 6, 7 */
	bufsz = 1;
	hdrsz = 1;
	assert_int_equal(cdna_sw_rx_split(0x0a000002, &bufsz, &hdrsz),
			 -EINVAL);
	assert_int_equal(cdna_sw_rx_split(0x00000202, &bufsz, &hdrsz),
			 -EINVAL);
	assert_int_equal(cdna_sw_rx_split(0x06000202, &bufsz, &hdrsz),
			 -EINVAL);
	assert_int_equal(cdna_sw_rx_split(0x08000202, &bufsz, &hdrsz),
			 -EINVAL);
	assert_int_equal(cdna_sw_rx_split(0x0c000202, &bufsz, &hdrsz),
			 -EINVAL);
	assert_int_equal(cdna_sw_rx_split(0x0e000202, &bufsz, &hdrsz),
			 -EINVAL);
	/* split, BSIZEPKT 0 or 17 KiB */
	assert_int_equal(cdna_sw_rx_split(0x0a000200, &bufsz, &hdrsz),
			 -EINVAL);
	assert_int_equal(cdna_sw_rx_split(0x0a000211, &bufsz, &hdrsz),
			 -EINVAL);
	assert_int_equal(bufsz, 1);
	assert_int_equal(hdrsz, 1);
	/* the one-buffer interface still refuses split */
	assert_int_equal(cdna_sw_rx_bufsz(0x0a000202, &bufsz), -EINVAL);

	/* init: header sizes 64..960 in 64-byte steps, RX only */
	assert_int_equal(cdna_sw_q_init_split(&q, CDNA_SW_RX, 0x1000, 128,
					      2048, 100, 0, slots, runs),
			 -EINVAL);
	assert_int_equal(cdna_sw_q_init_split(&q, CDNA_SW_RX, 0x1000, 128,
					      2048, 1024, 0, slots, runs),
			 -EINVAL);
	assert_int_equal(cdna_sw_q_init_split(&q, CDNA_SW_TX, 0x1000, 128,
					      0, 128, 0, slots, runs),
			 -EINVAL);
	assert_int_equal(q.count, 0);
	assert_int_equal(cdna_sw_q_init_split(&q, CDNA_SW_RX, 0x1000, 128,
					      2048, 960, 0, slots, runs), 0);
	assert_int_equal(q.hdrsz, 960);
	assert_int_equal(cdna_sw_rx_bounce_size(&q), 2048 + 960);
	assert_int_equal(cdna_sw_q_init(&q, CDNA_SW_RX, 0x1000, 128, 2048, 0,
					slots, runs), 0);
	assert_int_equal(q.hdrsz, 0);
	assert_int_equal(cdna_sw_rx_bounce_size(&q), 2048);
}

static void test_rx_split_check(void **state)
{
	union cdna_rx_desc d = { 0 };

	(void)state;
	d.read.pkt_addr = cpu_to_le64(0x12345000);
	d.read.hdr_addr = cpu_to_le64(0x6789a100);
	assert_int_equal(cdna_sw_rx_check_split(&d, 2048, 128), CDNA_SW_OK);
	d.read.hdr_addr = 0;
	assert_int_equal(cdna_sw_rx_check_split(&d, 2048, 128), CDNA_SW_ADDR);
	/* without split, hdr_addr is nobody's business */
	assert_int_equal(cdna_sw_rx_check_split(&d, 2048, 0), CDNA_SW_OK);
	/* bit 0 is where DD is written back */
	d.read.hdr_addr = cpu_to_le64(0x6789a101);
	assert_int_equal(cdna_sw_rx_check_split(&d, 2048, 128), CDNA_SW_ADDR);
	assert_int_equal(cdna_sw_rx_check(&d, 2048), CDNA_SW_OK);
	d.read.hdr_addr = cpu_to_le64(0x6789a102);
	assert_int_equal(cdna_sw_rx_check_split(&d, 2048, 128), CDNA_SW_OK);
	/* 0xffffffffffffff80 + 128 = 2^64: past the top */
	d.read.hdr_addr = cpu_to_le64(0xffffffffffffff80ULL);
	assert_int_equal(cdna_sw_rx_check_split(&d, 2048, 128), CDNA_SW_WRAP);
	d.read.hdr_addr = cpu_to_le64(0xffffffffffffff7eULL);
	assert_int_equal(cdna_sw_rx_check_split(&d, 2048, 128), CDNA_SW_OK);
	/* the packet buffer's reason first */
	d.read.pkt_addr = 0;
	d.read.hdr_addr = cpu_to_le64(0xffffffffffffff80ULL);
	assert_int_equal(cdna_sw_rx_check_split(&d, 2048, 128), CDNA_SW_ADDR);
}

static void test_rx_split_post_complete(void **state)
{
	struct cdna_sw_rx_done done[4];
	u32 info;

	(void)state;
	rx_init_split(8, 2048, 128);
	/* igbvf: packet buffers are half pages, headers small skbs */
	rx_set_split(0, gpa(0, 0), gpa(10, 256));
	rx_set_split(1, gpa(0, 2048), gpa(10, 384));
	assert_int_equal(rx_tail(2), 0);
	assert_int_equal(q.ntu, 2);
	assert_int_equal(q.stats.validated, 2);
	assert_int_equal(q.stats.bounced, 0);
	assert_int_equal(le64_to_cpu(srx[0].read.pkt_addr),
			 BUS_BASE + 0x1000 * PG);
	assert_int_equal(le64_to_cpu(srx[0].read.hdr_addr),
			 BUS_BASE + 0x100a * PG + 256);
	assert_int_equal(le64_to_cpu(srx[1].read.pkt_addr),
			 BUS_BASE + 0x1000 * PG + 2048);
	assert_int_equal(le64_to_cpu(srx[1].read.hdr_addr),
			 BUS_BASE + 0x100a * PG + 384);
	/* the header buffer is mapped as the packet buffer: device writes */
	assert_int_equal(fake.last_map_len, 128);
	assert_int_equal(fake.last_map_off, 384);
	assert_false(fake.last_map_to_dev);
	assert_int_equal(fake.maps, 4);
	assert_int_equal(q.stats.pinned, 4);
	assert_int_equal(fake.pins[0], 2);
	assert_int_equal(fake.pins[10], 2);
	assert_true(cdna_sw_q_pins_range(&q, gpa(10, 300), 1));
	assert_false(cdna_sw_q_pins_range(&q, gpa(9, 0), PG));
	assert_false(cdna_sw_q_pins_range(&q, gpa(11, 0), PG));

	/* The NIC split 66 header bytes off a 1448-byte payload. */
	nic_rx_split(0, 1448, 66);
	assert_int_equal(cdna_sw_rx_complete(&q, srx, done, 4, &ops, NULL), 1);
	assert_int_equal(done[0].slot, 0);
	assert_int_equal(le16_to_cpu(done[0].wb.wb.length), 1448);
	assert_int_equal(cdna_sw_rx_hdr_len(&done[0].wb), 66);
	info = le32_to_cpu(done[0].wb.wb.info);
	assert_int_equal(info, 0x80000000u | 66 << 21 | 0x50);
	assert_int_equal(done[0].iova, gpa(0, 0));
	assert_int_equal(done[0].hdr_iova, gpa(10, 256));
	assert_false(done[0].bounce);
	assert_false(done[0].hdr_bounce);
	assert_int_equal(q.stats.pinned, 2);
	assert_int_equal(fake.maps, 2);
	/* slot 1's buffers, still in flight, share both pages */
	assert_int_equal(fake.pins[0], 1);
	assert_int_equal(fake.pins[10], 1);

	/* A header length past the header buffer is clamped; SPH stays. */
	nic_rx_split(1, 100, 1000);
	assert_int_equal(cdna_sw_rx_complete(&q, srx, done, 4, &ops, NULL), 1);
	assert_int_equal(cdna_sw_rx_hdr_len(&done[0].wb), 128);
	assert_int_equal(le32_to_cpu(done[0].wb.wb.info),
			 0x80000000u | 128 << 21 | 0x50);
	assert_int_equal(done[0].hdr_iova, gpa(10, 384));
	assert_int_equal(q.stats.pinned, 0);
	assert_int_equal(fake_pins(), 0);
	assert_int_equal(fake.maps, 0);
}

static void test_rx_split_refused(void **state)
{
	struct cdna_sw_rx_done done[8];
	int i;

	(void)state;
	rx_init_split(8, 2048, 128);
	fake.pfn[21] = 0;
	rx_set_split(0, gpa(0, 0), 0);				/* ADDR */
	rx_set_split(1, gpa(0, 0), gpa(10, 257));		/* ADDR */
	rx_set_split(2, gpa(0, 0), 0xffffffffffffffc0ULL);	/* WRAP */
	rx_set_split(3, gpa(0, 0), gpa(G_PAGES + 3, 0));	/* ADDR */
	rx_set_split(4, gpa(1, 0), gpa(20, 4000));		/* ADDR */
	rx_set_split(5, gpa(2, 0), gpa(30, 0));
	assert_int_equal(rx_tail(6), 0);
	assert_int_equal(q.stats.why[CDNA_SW_ADDR], 4);
	assert_int_equal(q.stats.why[CDNA_SW_WRAP], 1);
	assert_int_equal(q.stats.validated, 1);
	assert_int_equal(q.ntu, 1);
	/* the packet buffers of 3 and 4 were pinned, and let go */
	assert_int_equal(q.stats.pinned, 2);
	assert_int_equal(fake.pins[0], 0);
	assert_int_equal(fake.pins[1], 0);
	assert_int_equal(fake.pins[20], 0);
	assert_int_equal(fake.maps, 2);
	assert_int_equal(le64_to_cpu(srx[0].read.hdr_addr),
			 BUS_BASE + 0x101e * PG);

	assert_int_equal(cdna_sw_rx_complete(&q, srx, done, 8, &ops, NULL), 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(le32_to_cpu(done[i].wb.wb.status_error),
				 RXD_DD | RXD_EOP | RXD_RXE);
		assert_int_equal(done[i].wb.wb.info, 0);
		assert_false(done[i].hdr_bounce);
	}
	assert_int_equal(done[1].hdr_iova, gpa(10, 257));
	nic_rx_split(0, 60, 42);
	assert_int_equal(cdna_sw_rx_complete(&q, srx, done, 8, &ops, NULL), 1);
	assert_int_equal(done[0].slot, 5);
	assert_int_equal(cdna_sw_rx_hdr_len(&done[0].wb), 42);
}

static void test_rx_split_bounce(void **state)
{
	struct cdna_sw_rx_done done[4];
	int maps;

	(void)state;
	rx_init_split(8, 2048, 128);
	fake.pfn[11] = 0x5000;		/* page 10 -> 0x100a, 11 elsewhere */
	fake.pfn[4] = 0x6000;		/* page 3 -> 0x1003, 4 elsewhere */

	/* The header buffer straddles pages 10 and 11: it is bounced. */
	rx_set_split(0, gpa(0, 0), gpa(10, 4032));
	assert_int_equal(rx_tail(1), 0);
	assert_int_equal(q.stats.bounced, 1);
	assert_int_equal(q.stats.validated, 1);
	assert_int_equal(fake.last_bounce_len, 2048 + 128);
	assert_int_equal(le64_to_cpu(srx[0].read.pkt_addr),
			 BUS_BASE + 0x1000 * PG);
	assert_int_equal(le64_to_cpu(srx[0].read.hdr_addr),
			 BOUNCE_BASE + 2048);
	assert_int_equal(q.stats.pinned, 1);
	assert_int_equal(fake.pins[10], 0);
	assert_int_equal(fake.pins[11], 0);
	assert_int_equal(fake.maps, 1);
	assert_false(cdna_sw_q_pins_range(&q, gpa(10, 0), 2 * PG));
	nic_rx_split(0, 500, 80);
	assert_int_equal(cdna_sw_rx_complete(&q, srx, done, 4, &ops, NULL), 1);
	assert_false(done[0].bounce);
	assert_true(done[0].hdr_bounce);
	assert_int_equal(done[0].hdr_iova, gpa(10, 4032));
	assert_int_equal(cdna_sw_rx_hdr_len(&done[0].wb), 80);
	assert_int_equal(fake.maps, 0);
	assert_int_equal(q.stats.pinned, 0);

	/* Both straddle: one bounce buffer, the header part at bufsz. */
	rx_set_split(1, gpa(3, 3000), gpa(10, 4032));
	assert_int_equal(rx_tail(2), 0);
	assert_int_equal(le64_to_cpu(srx[1].read.pkt_addr),
			 BOUNCE_BASE + 0x10000);
	assert_int_equal(le64_to_cpu(srx[1].read.hdr_addr),
			 BOUNCE_BASE + 0x10000 + 2048);
	assert_int_equal(q.stats.bounced, 2);
	assert_int_equal(q.stats.pinned, 0);
	assert_int_equal(fake.maps, 0);
	nic_rx_split(1, 1000, 54);
	assert_int_equal(cdna_sw_rx_complete(&q, srx, done, 4, &ops, NULL), 1);
	assert_true(done[0].bounce);
	assert_true(done[0].hdr_bounce);
	assert_int_equal(done[0].iova, gpa(3, 3000));

	/* Only the packet buffer straddles: the header is mapped. */
	rx_set_split(2, gpa(3, 3000), gpa(12, 0));
	assert_int_equal(rx_tail(3), 0);
	assert_int_equal(le64_to_cpu(srx[2].read.pkt_addr),
			 BOUNCE_BASE + 0x20000);
	assert_int_equal(le64_to_cpu(srx[2].read.hdr_addr),
			 BUS_BASE + 0x100c * PG);
	assert_int_equal(q.stats.pinned, 1);
	assert_true(cdna_sw_q_pins_range(&q, gpa(12, 0), 1));
	nic_rx_split(2, 1000, 54);
	assert_int_equal(cdna_sw_rx_complete(&q, srx, done, 4, &ops, NULL), 1);
	assert_true(done[0].bounce);
	assert_false(done[0].hdr_bounce);
	assert_int_equal(q.stats.pinned, 0);
	assert_int_equal(fake.maps, 0);

	/* A bounce failure: pending, nothing pinned or mapped, retried. */
	rx_set_split(3, gpa(0, 0), gpa(10, 4032));
	fake.bounce_fail = 1;
	assert_int_equal(rx_tail(4), -ENOMEM);
	assert_int_equal(q.g_next, 3);
	assert_int_equal(q.stats.pinned, 0);
	assert_int_equal(fake_pins(), 0);
	assert_int_equal(fake.maps, 0);
	assert_int_equal(cdna_sw_rx_post(&q, NULL, 0, srx, &ops, NULL), 0);
	assert_int_equal(q.g_next, 4);
	assert_int_equal(fake.maps, 1);

	/* The header's map fails: the packet buffer's is undone too. */
	maps = fake.maps;
	rx_set_split(4, gpa(5, 0), gpa(13, 64));
	fake.map_ok = 1;
	assert_int_equal(rx_tail(5), -ENOMEM);
	assert_int_equal(fake.maps, maps);
	assert_int_equal(q.stats.pinned, 1);
	assert_int_equal(fake.pins[5], 0);
	assert_int_equal(fake.pins[13], 0);
	assert_int_equal(q.g_next, 4);
	fake.map_ok = -1;
	assert_int_equal(cdna_sw_rx_post(&q, NULL, 0, srx, &ops, NULL), 0);
	assert_int_equal(q.g_next, 5);
	assert_int_equal(fake.maps, maps + 2);
	assert_int_equal(le64_to_cpu(srx[4].read.hdr_addr),
			 BUS_BASE + 0x100d * PG + 64);
}

static void test_rx_split_drop_all(void **state)
{
	int i;

	(void)state;
	rx_init_split(16, 2048, 256);
	fake.pfn[41] = 0x7777;
	for (i = 0; i < 12; i++)
		rx_set_split(i, gpa(i, 2048), gpa(40, 3840 + 64 * (i % 2)));
	assert_int_equal(rx_tail(12), 0);
	assert_int_equal(q.stats.validated, 12);
	/* slot 1's header (4096 - 3904 < 256) straddles 40 and 41: bounced */
	assert_int_equal(q.stats.bounced, 6);
	assert_int_equal(q.stats.pinned, 12 + 6);
	assert_int_equal(fake.maps, 12 + 6);
	assert_true(cdna_sw_q_pins_range(&q, gpa(40, 0), 1));
	assert_false(cdna_sw_q_pins_range(&q, gpa(41, 0), PG));
	nic_rx_split(0, 60, 40);
	cdna_sw_q_drop_all(&q, &ops, NULL);
	assert_int_equal(q.stats.pinned, 0);
	assert_int_equal(fake_pins(), 0);
	assert_int_equal(fake.maps, 0);
	assert_false(cdna_sw_q_pins_range(&q, 0, ~0ULL));
	/* and goes on, still header split */
	rx_set_split(12, gpa(0, 0), gpa(40, 0));
	assert_int_equal(rx_tail(13), 0);
	assert_int_equal(q.stats.pinned, 2);
	assert_int_equal(fake.maps, 2);
}

/* TSO: the context the NIC will use must make sense for the packet. */

struct tso_vector {
	const char *what;
	u32 maclen, iplen, l4len, mss;
	int paylen_off;		/* PAYLEN = DTALENs - headers + this */
	u32 hlen, plen;		/* the two data descriptors' DTALEN */
	bool ok;
};

static void test_tx_tso_params(void **state)
{
	static const struct tso_vector v[] = {
		{ "igbvf's IPv4 TSO", 14, 20, 32, 1448, 0, 66, 8000, true },
		{ "MSS 0", 14, 20, 20, 0, 0, 54, 3000, false },
		{ "MSS 63", 14, 20, 20, 63, 0, 54, 3000, false },
		{ "MSS 64", 14, 20, 20, 64, 0, 54, 3000, true },
		{ "MSS 9674: a 9728-byte segment", 14, 20, 20, 9674, 0, 54,
		  30000, true },
		{ "MSS 9675", 14, 20, 20, 9675, 0, 54, 30000, false },
		{ "MSS 65535", 14, 20, 20, 65535, 0, 54, 3000, false },
		{ "L4LEN 0", 14, 20, 0, 1448, 0, 54, 3000, false },
		{ "L4LEN 19", 14, 20, 19, 1448, 0, 54, 3000, false },
		{ "L4LEN 20", 14, 20, 20, 1448, 0, 54, 3000, true },
		{ "L4LEN 60", 14, 20, 60, 1448, 0, 94, 3000, true },
		{ "L4LEN 61", 14, 20, 61, 1448, 0, 95, 3000, false },
		{ "L4LEN 255", 14, 20, 255, 1448, 0, 289, 3000, false },
		{ "MACLEN 0", 0, 20, 20, 1448, 0, 54, 3000, false },
		{ "MACLEN 13", 13, 20, 20, 1448, 0, 54, 3000, false },
		{ "MACLEN 18 (VLAN tag)", 18, 40, 20, 1428, 0, 78, 3000, true },
		{ "MACLEN 127", 127, 20, 20, 1448, 0, 167, 3000, true },
		{ "IPLEN 0", 14, 0, 20, 1448, 0, 54, 3000, false },
		{ "IPLEN 19", 14, 19, 20, 1448, 0, 54, 3000, false },
		{ "headers 511 (tunnel)", 14, 477, 20, 1448, 0, 511, 3000,
		  true },
		{ "headers 512", 14, 478, 20, 1448, 0, 512, 3000, false },
		{ "IPLEN 511", 14, 511, 20, 1448, 0, 545, 3000, false },
		{ "PAYLEN one more", 14, 20, 20, 1448, 1, 54, 3000, false },
		{ "PAYLEN one less", 14, 20, 20, 1448, -1, 54, 3000, false },
		{ "PAYLEN verbatim total", 14, 20, 20, 1448, 54, 54, 3000,
		  false },
		{ "headers only", 14, 20, 20, 1448, 0, 40, 14, false },
		{ "headers longer than the packet", 14, 20, 60, 1448, 0, 40,
		  10, false },
		{ "one payload byte", 14, 20, 20, 1448, 0, 54, 1, true },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		u32 hdr = v[i].maclen + v[i].iplen + v[i].l4len;
		u32 paylen = v[i].hlen + v[i].plen - hdr + v[i].paylen_off;
		bool posted;

		setup(state);
		tx_init(16);
		tx_tso_ctx(0, 0, v[i].maclen, v[i].iplen, v[i].l4len,
			   v[i].mss);
		tx_data(1, gpa(0, 0), v[i].hlen, TXD_TSE | TXD_IFCS,
			tso_olinfo(paylen & 0x3ffff, 0));
		tx_data(2, gpa(1, 0), v[i].plen, TXD_TSE | TXD_IFCS |
			TXD_EOP | TXD_RS, tso_olinfo(paylen & 0x3ffff, 0));
		assert_int_equal(tx_tail(3), 0);
		posted = q.ntu == 3;
		if (v[i].ok != posted ||
		    q.stats.why[CDNA_SW_TSO] != (v[i].ok ? 0 : 3))
			fail_msg("%s: ntu %u, refused %llu (tso %llu), expected %s",
				 v[i].what, q.ntu,
				 (unsigned long long)q.stats.refused,
				 (unsigned long long)q.stats.why[CDNA_SW_TSO],
				 v[i].ok ? "posted" : "refused (tso)");
		if (!v[i].ok) {
			assert_int_equal(q.stats.pinned, 0);
			assert_int_equal(fake_pins(), 0);
		}
		teardown(state);
	}
	assert_string_equal(cdna_sw_reason_name(CDNA_SW_TSO), "tso");

	/* With VLE the NIC inserts 4 bytes: headers 507 is the most. */
	for (i = 0; i < 2; i++) {
		u32 iplen = 473 + i, hdr = 14 + iplen + 20;

		setup(state);
		tx_init(16);
		tx_tso_ctx(0, 0, 14, iplen, 20, 1448);
		tx_data(1, gpa(0, 0), hdr, TXD_TSE | TXD_VLE, tso_olinfo(3000, 0));
		tx_data(2, gpa(1, 0), 3000, TXD_TSE | TXD_VLE | TXD_EOP,
			tso_olinfo(3000, 0));
		assert_int_equal(tx_tail(3), 0);
		assert_int_equal(q.ntu, i ? 0 : 3);
		assert_int_equal(q.stats.why[CDNA_SW_TSO], i ? 3 : 0);
		teardown(state);
	}
}

/*
 * A TSO packet of 54 + 3000 bytes from slot @first (the guest may have
 * written its context before): posted if @ok, else refused (tso) whole.
 */
static void tso_pkt(u32 first, u32 idx, u32 cmd2, bool ok)
{
	u64 posted = q.stats.validated, tso = q.stats.why[CDNA_SW_TSO];
	u32 n = first + 2 - q.g_tail;

	tx_data(first, gpa(0, 0), 54, TXD_TSE, tso_olinfo(3000, idx));
	tx_data(first + 1, gpa(1, 0), 3000, cmd2 | TXD_EOP | TXD_RS,
		tso_olinfo(3000, idx));
	assert_int_equal(tx_tail(first + 2), 0);
	assert_int_equal(q.stats.validated - posted, ok ? n : 0);
	assert_int_equal(q.stats.why[CDNA_SW_TSO] - tso, ok ? 0 : n);
}

static void test_tx_tso_context_slots(void **state)
{
	struct cdna_sw_tx_done done[64];

	(void)state;
	tx_init(64);
	/* No context was ever written on the queue. */
	tso_pkt(0, 0, TXD_TSE, false);
	tso_pkt(2, 1, TXD_TSE, false);

	/* A checksum packet sets slot 1; a later TSO packet may use it. */
	tx_tso_ctx(4, 1, 14, 20, 20, 1448);
	tx_data(5, gpa(2, 0), 60, TXD_EOP, 0x10);
	assert_int_equal(tx_tail(6), 0);
	assert_int_equal(q.stats.validated, 2);
	tso_pkt(6, 1, TXD_TSE, true);
	/* ... but slot 0 is still unset. */
	tso_pkt(8, 0, TXD_TSE, false);

	/* A refused packet's context never reached the NIC. */
	tx_tso_ctx(10, 0, 14, 20, 20, 1448);
	tx_data(11, gpa(2, 0), 60, TXD_EOP | 0x04000000, 0);
	assert_int_equal(tx_tail(12), 0);
	assert_int_equal(q.stats.why[CDNA_SW_CMD], 2);
	tso_pkt(12, 0, TXD_TSE, false);

	/* A context with MSS 10 for a checksum packet: fine, until TSO. */
	tx_tso_ctx(14, 1, 14, 20, 20, 10);
	tx_data(15, gpa(2, 0), 60, TXD_EOP, 0x10);
	assert_int_equal(tx_tail(16), 0);
	assert_int_equal(q.stats.validated, 6);
	tso_pkt(16, 1, TXD_TSE, false);

	/* The packet's own context counts, and is kept for the next. */
	tx_tso_ctx(18, 0, 14, 20, 20, 1448);
	tso_pkt(19, 0, TXD_TSE, true);
	assert_int_equal(q.stats.validated, 9);
	tso_pkt(21, 0, TXD_TSE, true);

	/* TSE on some data descriptors of a packet and not others. */
	tso_pkt(23, 0, 0, false);
	tx_data(25, gpa(0, 0), 54, 0, tso_olinfo(3000, 0));
	tx_data(26, gpa(1, 0), 3000, TXD_TSE | TXD_EOP, tso_olinfo(3000, 0));
	assert_int_equal(tx_tail(27), 0);
	assert_int_equal(q.stats.why[CDNA_SW_TSO], 14);

	/* A context after the first data descriptor of a TSO packet ... */
	tx_data(27, gpa(0, 0), 54, TXD_TSE, tso_olinfo(3000, 0));
	tx_tso_ctx(28, 0, 14, 20, 20, 1448);
	tx_data(29, gpa(1, 0), 3000, TXD_TSE | TXD_EOP, tso_olinfo(3000, 0));
	assert_int_equal(tx_tail(30), 0);
	assert_int_equal(q.stats.why[CDNA_SW_TSO], 14);
	assert_int_equal(q.stats.why[CDNA_SW_PKT], 3);
	/* ... and in a packet without TSO: no driver writes one. */
	tx_data(30, gpa(0, 0), 54, 0, 0);
	tx_tso_ctx(31, 0, 14, 20, 20, 1448);
	tx_data(32, gpa(1, 0), 3000, TXD_EOP, 0);
	assert_int_equal(tx_tail(33), 0);
	assert_int_equal(q.stats.why[CDNA_SW_PKT], 6);
	assert_int_equal(q.stats.validated, 11);

	/* After a drop_all the NIC's context slots are not trusted. */
	assert_true(cdna_sw_tx_complete(&q, q.ntu, done, 64, &ops, NULL) > 0);
	cdna_sw_q_drop_all(&q, &ops, NULL);
	tso_pkt(33, 0, TXD_TSE, false);
	tso_pkt(35, 1, TXD_TSE, false);
}

/* Drop all, pins_range */

static void test_drop_all(void **state)
{
	int i;

	(void)state;
	rx_init(16, 2048);
	fake.pfn[9] = 0x4444;
	for (i = 0; i < 12; i++)
		rx_set(i, gpa(i, 3000));
	assert_int_equal(rx_tail(12), 0);
	assert_true(q.stats.bounced > 0);
	assert_true(q.stats.pinned > 0);
	assert_true(cdna_sw_q_pins_range(&q, gpa(5, 0), 1));
	assert_false(cdna_sw_q_pins_range(&q, gpa(13, 0), PG));
	/* a range that ends exactly where a pinned page starts */
	assert_false(cdna_sw_q_pins_range(&q, gpa(0, 0) - PG, PG));
	assert_true(cdna_sw_q_pins_range(&q, gpa(0, 0) - PG, PG + 1));
	nic_rx(0, 60);
	cdna_sw_q_drop_all(&q, &ops, NULL);
	assert_int_equal(q.stats.pinned, 0);
	assert_int_equal(fake_pins(), 0);
	assert_int_equal(fake.maps, 0);
	assert_int_equal(q.g_head, 12);
	assert_int_equal(q.g_next, 12);
	assert_int_equal(q.g_copy, 12);
	assert_int_equal(q.g_tail, 12);
	assert_int_equal(q.ntu, 0);
	assert_int_equal(q.ntc, 0);
	assert_false(cdna_sw_q_pins_range(&q, 0, ~0ULL));

	/* The queue goes on from there. */
	rx_set(12, gpa(0, 0));
	assert_int_equal(rx_tail(13), 0);
	assert_int_equal(q.ntu, 1);
	assert_int_equal(q.stats.pinned, 1);
}

static void test_pins_range_edges(void **state)
{
	(void)state;
	rx_init(8, 4096);
	rx_set(0, gpa(10, 0));		/* exactly page 10 */
	assert_int_equal(rx_tail(1), 0);
	assert_true(cdna_sw_q_pins_range(&q, gpa(10, 0), 1));
	assert_true(cdna_sw_q_pins_range(&q, gpa(10, 4095), 1));
	assert_true(cdna_sw_q_pins_range(&q, gpa(9, 4095), 2));
	assert_false(cdna_sw_q_pins_range(&q, gpa(9, 0), PG));
	assert_false(cdna_sw_q_pins_range(&q, gpa(11, 0), PG));
	/* ranges that would run past 2^64 are clipped at the top */
	assert_true(cdna_sw_q_pins_range(&q, gpa(10, 100), ~0ULL));
	assert_false(cdna_sw_q_pins_range(&q, gpa(11, 0), ~0ULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_geom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tail_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rx_refused_in_order, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rx_straddle_bounce, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rx_straddle_contig, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rx_map_failure, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rx_split_srrctl, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rx_split_check, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rx_split_post_complete,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_split_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rx_split_bounce, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rx_split_drop_all, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tx_split_runs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tx_rs_on_packet_end, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tx_ctx_sanitised, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_zeroed_queue, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tx_packet_refused_whole,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_deferred_mid_packet,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_too_long, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tx_shadow_full_defers,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_pkt_max_shadow, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tx_map_failure, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tx_tso_params, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tx_tso_context_slots,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_drop_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_freeze, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_freeze_drops, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tx_freeze_spans, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tx_freeze_tso, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tx_vle_rules, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pins_range_edges, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
