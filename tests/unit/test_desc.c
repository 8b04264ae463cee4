// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the 82576 descriptor layout and the TX offload builder
 * (kmod/include/cdna_desc.h, cdna_desc.c), which cdna_pf and cdna_vf use
 * to build every packet's context descriptor and data descriptor bits.
 *
 * The expected words are worked out by hand from the field positions of
 * the 82576 datasheet's advanced context, data and receive write-back
 * descriptors, not from the header under test:
 *
 *   context vlan_macip_lens  IPLEN 8:0, MACLEN 15:9, VLAN 31:16
 *   context type_tucmd_mlhl  TUCMD.IPV4 10, TUCMD.L4T 12:11 (UDP 0, TCP 1,
 *                            SCTP 2), DTYP 23:20 (context 2), DEXT 29
 *   context mss_l4len_idx    IDX 6:4, L4LEN 15:8, MSS 31:16
 *   data cmd_type_len        DTALEN 15:0, DTYP 23:20 (data 3), EOP 24,
 *                            IFCS 25, RS 27, DEXT 29, VLE 30, TSE 31
 *   data olinfo_status       IDX 6:4, IXSM 8, TXSM 9, PAYLEN 31:14
 *
 * so every context type word starts from 0x20200000 (DEXT | DTYP 2) and
 * every data cmd_type from 0x22300000 (DEXT | IFCS | DTYP 3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "cdna_desc.h"

/* The words a packet's offloads should become, and the return value. */
struct tx_vector {
	const char *what;
	struct cdna_tx_params p;
	int ret;
	struct cdna_tx_offload off;
};

static void check_vector(const struct tx_vector *v)
{
	struct cdna_tx_offload off;
	int ret;

	memset(&off, 0x5a, sizeof(off));
	ret = cdna_tx_offload_build(&v->p, &off);
	if (ret != v->ret)
		fail_msg("%s: returned %d, expected %d", v->what, ret, v->ret);
#define CHECK_WORD(f)							\
	do {								\
		if (off.f != v->off.f)					\
			fail_msg("%s: " #f " %#010x, expected %#010x",	\
				 v->what, off.f, v->off.f);		\
	} while (0)
	CHECK_WORD(vlan_macip_lens);
	CHECK_WORD(seqnum_seed);
	CHECK_WORD(type_tucmd_mlhl);
	CHECK_WORD(mss_l4len_idx);
	CHECK_WORD(cmd_type);
	CHECK_WORD(olinfo);
	CHECK_WORD(hdr_len);
#undef CHECK_WORD
}

static void test_no_offload(void **state)
{
	/*
	 * A 60-byte frame, no checksum, no VLAN: no context descriptor;
	 * PAYLEN 60 << 14 = 0x000f0000.
	 */
	static const struct tx_vector v = {
		.what = "plain",
		.p = { .len = 60, .l2_len = 14 },
		.ret = 0,
		.off = { .cmd_type = 0x22300000, .olinfo = 0x000f0000 },
	};

	(void)state;
	check_vector(&v);
}

static void test_csum_ipv4_tcp(void **state)
{
	/*
	 * 1514 bytes, Ethernet 14 + IPv4 20, TCP checksum.
	 * vlan_macip_lens: MACLEN 14 << 9 = 0x1c00, IPLEN 20 = 0x14.
	 * type_tucmd_mlhl: 0x20200000 | IPV4 0x400 | L4T TCP 1 << 11 0x800.
	 * olinfo: PAYLEN 1514 = 0x5ea << 14 = 0x017a8000, TXSM 0x200.
	 */
	static const struct tx_vector v = {
		.what = "csum ipv4 tcp",
		.p = {
			.len = 1514, .l2_len = 14, .l3_len = 20,
			.l3 = CDNA_TX_L3_IPV4, .l4 = CDNA_TX_L4_TCP,
			.flags = CDNA_TX_CSUM,
		},
		.ret = 1,
		.off = {
			.vlan_macip_lens = 0x00001c14,
			.type_tucmd_mlhl = 0x20200c00,
			.mss_l4len_idx = 0,
			.cmd_type = 0x22300000,
			.olinfo = 0x017a8200,
		},
	};

	(void)state;
	check_vector(&v);
}

static void test_csum_ipv6_udp(void **state)
{
	/*
	 * 1000 bytes, Ethernet 14 + IPv6 40, UDP checksum.
	 * vlan_macip_lens: 0x1c00 | IPLEN 40 = 0x28.
	 * type_tucmd_mlhl: 0x20200000, L4T UDP is 0, no IPV4.
	 * olinfo: PAYLEN 1000 = 0x3e8 << 14 = 0x00fa0000, TXSM 0x200.
	 */
	static const struct tx_vector v = {
		.what = "csum ipv6 udp",
		.p = {
			.len = 1000, .l2_len = 14, .l3_len = 40,
			.l3 = CDNA_TX_L3_IPV6, .l4 = CDNA_TX_L4_UDP,
			.flags = CDNA_TX_CSUM,
		},
		.ret = 1,
		.off = {
			.vlan_macip_lens = 0x00001c28,
			.type_tucmd_mlhl = 0x20200000,
			.cmd_type = 0x22300000,
			.olinfo = 0x00fa0200,
		},
	};

	(void)state;
	check_vector(&v);
}

static void test_csum_sctp_tagged_frame(void **state)
{
	/*
	 * 200 bytes whose VLAN tag is in the frame (L2 18), IPv4 20, SCTP.
	 * vlan_macip_lens: MACLEN 18 << 9 = 0x2400 | IPLEN 0x14.
	 * type_tucmd_mlhl: 0x20200000 | IPV4 0x400 | L4T SCTP 2 << 11 0x1000.
	 * olinfo: PAYLEN 200 = 0xc8 << 14 = 0x00320000, TXSM 0x200.
	 */
	static const struct tx_vector v = {
		.what = "csum ipv4 sctp, tag in frame",
		.p = {
			.len = 200, .l2_len = 18, .l3_len = 20,
			.l3 = CDNA_TX_L3_IPV4, .l4 = CDNA_TX_L4_SCTP,
			.flags = CDNA_TX_CSUM,
		},
		.ret = 1,
		.off = {
			.vlan_macip_lens = 0x00002414,
			.type_tucmd_mlhl = 0x20201400,
			.cmd_type = 0x22300000,
			.olinfo = 0x00320200,
		},
	};

	(void)state;
	check_vector(&v);
}

static void test_tso_ipv4(void **state)
{
	/*
	 * TSO: Ethernet 14 + IPv4 20 + TCP 32 (timestamps) = 66 header
	 * bytes, MSS 1448, two full segments: 66 + 2896 = 2962 bytes.
	 * vlan_macip_lens: 0x1c00 | 0x14.
	 * type_tucmd_mlhl: 0x20200000 | IPV4 0x400 | TCP 0x800.
	 * mss_l4len_idx: MSS 1448 = 0x5a8 << 16 = 0x05a80000,
	 *	L4LEN 32 << 8 = 0x2000.
	 * cmd_type: 0x22300000 | TSE 0x80000000.
	 * olinfo: PAYLEN 2896 = 0xb50 << 14 = 0x02d40000, IXSM 0x100,
	 *	TXSM 0x200.
	 */
	static const struct tx_vector v = {
		.what = "tso ipv4",
		.p = {
			.len = 2962, .l2_len = 14, .l3_len = 20, .l4_len = 32,
			.mss = 1448, .l3 = CDNA_TX_L3_IPV4,
			.l4 = CDNA_TX_L4_TCP, .flags = CDNA_TX_TSO,
		},
		.ret = 1,
		.off = {
			.vlan_macip_lens = 0x00001c14,
			.type_tucmd_mlhl = 0x20200c00,
			.mss_l4len_idx = 0x05a82000,
			.cmd_type = 0xa2300000,
			.olinfo = 0x02d40300,
			.hdr_len = 66,
		},
	};

	(void)state;
	check_vector(&v);
}

static void test_tso_ipv6_vlan_slot1(void **state)
{
	/*
	 * TSO over IPv6 with VLAN insertion in context slot 1: Ethernet 14 +
	 * IPv6 40 + TCP 20 = 74 header bytes, 10000 payload bytes, MSS 1440;
	 * the tag is PCP 3, VID 100: 3 << 13 | 100 = 0x6064.
	 * vlan_macip_lens: VLAN 0x6064 << 16 | MACLEN 0x1c00 | IPLEN 0x28.
	 * type_tucmd_mlhl: 0x20200000 | TCP 0x800, no IPV4.
	 * mss_l4len_idx: MSS 1440 = 0x5a0 << 16, L4LEN 20 << 8 = 0x1400,
	 *	IDX 1 << 4 = 0x10.
	 * cmd_type: 0x22300000 | VLE 0x40000000 | TSE 0x80000000.
	 * olinfo: PAYLEN 10000 = 0x2710 << 14 = 0x09c40000, IDX 0x10,
	 *	TXSM 0x200 (no IXSM: IPv6 has no header checksum).
	 */
	static const struct tx_vector v = {
		.what = "tso ipv6 vlan slot 1",
		.p = {
			.len = 10074, .l2_len = 14, .l3_len = 40, .l4_len = 20,
			.mss = 1440, .vlan_tci = 0x6064,
			.l3 = CDNA_TX_L3_IPV6, .l4 = CDNA_TX_L4_TCP,
			.flags = CDNA_TX_TSO | CDNA_TX_VLAN, .ctx_idx = 1,
		},
		.ret = 1,
		.off = {
			.vlan_macip_lens = 0x60641c28,
			.type_tucmd_mlhl = 0x20200800,
			.mss_l4len_idx = 0x05a01410,
			.cmd_type = 0xe2300000,
			.olinfo = 0x09c40210,
			.hdr_len = 74,
		},
	};

	(void)state;
	check_vector(&v);
}

static void test_vlan_only(void **state)
{
	/*
	 * VLAN insertion alone (VID 0x123), 100 bytes: a context for the
	 * tag, no checksum bits, IPLEN 0.
	 * vlan_macip_lens: 0x0123 << 16 | MACLEN 0x1c00.
	 * cmd_type: 0x22300000 | VLE 0x40000000.
	 * olinfo: PAYLEN 100 = 0x64 << 14 = 0x00190000.
	 */
	static const struct tx_vector v = {
		.what = "vlan only",
		.p = {
			.len = 100, .l2_len = 14, .l3_len = 20,
			.vlan_tci = 0x0123, .l3 = CDNA_TX_L3_IPV4,
			.flags = CDNA_TX_VLAN,
		},
		.ret = 1,
		.off = {
			.vlan_macip_lens = 0x01231c00,
			.type_tucmd_mlhl = 0x20200000,
			.cmd_type = 0x62300000,
			.olinfo = 0x00190000,
		},
	};

	(void)state;
	check_vector(&v);
}

/* A valid TSO packet, to change one field of in the refusal tests. */
static const struct cdna_tx_params tso_ok = {
	.len = 2962, .l2_len = 14, .l3_len = 20, .l4_len = 32, .mss = 1448,
	.l3 = CDNA_TX_L3_IPV4, .l4 = CDNA_TX_L4_TCP, .flags = CDNA_TX_TSO,
};

static const struct cdna_tx_params csum_ok = {
	.len = 1514, .l2_len = 14, .l3_len = 20,
	.l3 = CDNA_TX_L3_IPV4, .l4 = CDNA_TX_L4_TCP, .flags = CDNA_TX_CSUM,
};

static void expect_refused(const char *what, const struct cdna_tx_params *p)
{
	static const struct cdna_tx_offload zero;
	struct cdna_tx_offload off;
	int ret;

	memset(&off, 0x5a, sizeof(off));
	ret = cdna_tx_offload_build(p, &off);
	if (ret != -EINVAL)
		fail_msg("%s: returned %d, expected -EINVAL", what, ret);
	if (memcmp(&off, &zero, sizeof(off)))
		fail_msg("%s: refused, but words left behind", what);
}

static void expect_built(const char *what, const struct cdna_tx_params *p)
{
	struct cdna_tx_offload off;
	int ret = cdna_tx_offload_build(p, &off);

	if (ret != 1)
		fail_msg("%s: returned %d, expected 1", what, ret);
}

static void test_tso_refused(void **state)
{
	struct cdna_tx_params p;

	(void)state;
	p = tso_ok;
	p.l4 = CDNA_TX_L4_UDP;
	expect_refused("tso of udp", &p);
	p = tso_ok;
	p.l3 = CDNA_TX_L3_NONE;
	expect_refused("tso without ip", &p);
	p = tso_ok;
	p.mss = 0;
	expect_refused("tso mss 0", &p);
	p = tso_ok;
	p.l4_len = 0;
	expect_refused("tso without tcp header", &p);
	p = tso_ok;
	p.len = 66;
	expect_refused("tso of headers only", &p);
	p = tso_ok;
	p.len = 10;
	expect_refused("tso shorter than its headers", &p);
}

static void test_csum_refused(void **state)
{
	struct cdna_tx_params p;

	(void)state;
	p = csum_ok;
	p.l3 = CDNA_TX_L3_NONE;
	expect_refused("csum without ip", &p);
	p = csum_ok;
	p.l4 = CDNA_TX_L4_NONE;
	expect_refused("csum without l4", &p);
	p = csum_ok;
	p.l3_len = 0;
	expect_refused("csum without ip header", &p);
	p = csum_ok;
	p.l3 = 3;
	expect_refused("unknown l3", &p);
	p = csum_ok;
	p.l4 = 4;
	expect_refused("unknown l4", &p);
	p = csum_ok;
	p.flags |= BIT(7);
	expect_refused("unknown flag", &p);
	p = csum_ok;
	p.ctx_idx = CDNA_TXC_SLOTS;
	expect_refused("context slot 2", &p);
}

static void test_field_limits(void **state)
{
	struct cdna_tx_params p;

	(void)state;
	/* MACLEN is 7 bits: 127 fits, 128 does not, with or without L4. */
	p = csum_ok;
	p.l2_len = 127;
	expect_built("maclen 127", &p);
	p.l2_len = 128;
	expect_refused("maclen 128", &p);
	p.flags = CDNA_TX_VLAN;
	expect_refused("maclen 128, vlan only", &p);
	/* Without a context MACLEN is not written anywhere. */
	p.flags = 0;
	assert_int_equal(cdna_tx_offload_build(&p, &(struct cdna_tx_offload){}),
			 0);
	/* IPLEN is 9 bits. */
	p = csum_ok;
	p.l3_len = 511;
	expect_built("iplen 511", &p);
	p.l3_len = 512;
	expect_refused("iplen 512", &p);
	/* L4LEN is 8 bits. */
	p = tso_ok;
	p.l4_len = 255;
	p.len = 14 + 20 + 255 + 1;
	expect_built("l4len 255", &p);
	p.l4_len = 256;
	p.len = 14 + 20 + 256 + 1;
	expect_refused("l4len 256", &p);
	/* PAYLEN is 18 bits: 262143 payload bytes after the headers. */
	p = tso_ok;
	p.len = 66 + 262143;
	expect_built("paylen 2^18 - 1", &p);
	p.len = 66 + 262144;
	expect_refused("paylen 2^18", &p);
	p = csum_ok;
	p.len = 262144;
	expect_refused("paylen 2^18, whole packet", &p);
}

/* The bytes of a descriptor as the NIC reads them from memory. */
static void expect_bytes(const void *desc, const u8 *want)
{
	const u8 *b = desc;
	unsigned int i;

	for (i = 0; i < CDNA_DESC_SIZE; i++)
		if (b[i] != want[i])
			fail_msg("byte %u: %#04x, expected %#04x", i, b[i],
				 want[i]);
}

static void test_ctx_write_layout(void **state)
{
	/*
	 * The TSO vector above as the NIC reads it: four little-endian
	 * words, vlan_macip_lens first.
	 */
	static const u8 want[CDNA_DESC_SIZE] = {
		0x14, 0x1c, 0x00, 0x00,		/* vlan_macip_lens */
		0x00, 0x00, 0x00, 0x00,		/* seqnum_seed */
		0x00, 0x0c, 0x20, 0x20,		/* type_tucmd_mlhl */
		0x00, 0x20, 0xa8, 0x05,		/* mss_l4len_idx */
	};
	struct cdna_tx_offload off;
	union cdna_tx_desc desc;

	(void)state;
	assert_int_equal(cdna_tx_offload_build(&tso_ok, &off), 1);
	memset(&desc, 0xff, sizeof(desc));
	cdna_tx_ctx_write(&desc, &off);
	expect_bytes(&desc, want);
}

static void test_data_write_layout(void **state)
{
	/*
	 * The checksum vector's data descriptor for a 1448-byte buffer at
	 * 0x1234567000: the address, then cmd_type_len 0x22300000 | 1448
	 * (0x5a8) and olinfo 0x017a8200; the last buffer gets EOP 0x01000000
	 * and RS 0x08000000: 0x2b3005a8.
	 */
	static const u8 want[CDNA_DESC_SIZE] = {
		0x00, 0x70, 0x56, 0x34, 0x12, 0x00, 0x00, 0x00,
		0xa8, 0x05, 0x30, 0x22,
		0x00, 0x82, 0x7a, 0x01,
	};
	static const u8 want_end[CDNA_DESC_SIZE] = {
		0x00, 0x70, 0x56, 0x34, 0x12, 0x00, 0x00, 0x00,
		0xa8, 0x05, 0x30, 0x2b,
		0x00, 0x82, 0x7a, 0x01,
	};
	struct cdna_tx_offload off;
	union cdna_tx_desc desc;

	(void)state;
	assert_int_equal(cdna_tx_offload_build(&csum_ok, &off), 1);
	memset(&desc, 0xff, sizeof(desc));
	cdna_tx_data_write(&desc, 0x1234567000ULL, 1448, &off);
	expect_bytes(&desc, want);
	cdna_tx_data_end(&desc);
	expect_bytes(&desc, want_end);
	/* The largest chunk the drivers write still fits DTALEN. */
	cdna_tx_data_write(&desc, 0, CDNA_TXD_MAX_DATA, &off);
	assert_int_equal(FIELD_GET(CDNA_TXD_DTALEN,
				   le32_to_cpu(desc.read.cmd_type_len)),
			 CDNA_TXD_MAX_DATA);
}

static void test_rx_post_clears_done(void **state)
{
	/*
	 * A slot the NIC wrote back (DD set in status_error, bytes 8..11)
	 * is posted again: the buffer address in bytes 0..7, and bytes
	 * 8..15 (hdr_addr) zero, so a stale DD cannot be taken for a new
	 * frame.
	 */
	static const u8 want[CDNA_DESC_SIZE] = {
		0x00, 0x08, 0xef, 0xbe, 0xad, 0xde, 0x00, 0x00,
	};
	union cdna_rx_desc desc;

	(void)state;
	memset(&desc, 0xff, sizeof(desc));
	cdna_rx_desc_post(&desc, 0xdeadbeef0800ULL);
	expect_bytes(&desc, want);
	assert_false(le32_to_cpu(desc.wb.status_error) & CDNA_RXD_STAT_DD);
}

static void test_rx_writeback_fields(void **state)
{
	/*
	 * A write-back as the NIC stores it: status_error 0x0000006b
	 * (DD 0, EOP 1, VP 3, TCPCS 5, IPCS 6) in bytes 8..11, length 1514
	 * (0x05ea) in bytes 12..13, VLAN PCP 5 VID 100 (0xa064) in 14..15.
	 */
	static const u8 raw[CDNA_DESC_SIZE] = {
		0, 0, 0, 0, 0, 0, 0, 0,
		0x6b, 0x00, 0x00, 0x00,
		0xea, 0x05,
		0x64, 0xa0,
	};
	union cdna_rx_desc desc;
	u32 staterr;

	(void)state;
	memcpy(&desc, raw, sizeof(desc));
	staterr = le32_to_cpu(desc.wb.status_error);
	assert_true(staterr & CDNA_RXD_STAT_DD);
	assert_true(staterr & CDNA_RXD_STAT_EOP);
	assert_true(staterr & CDNA_RXD_STAT_VP);
	assert_true(staterr & CDNA_RXD_STAT_TCPCS);
	assert_true(staterr & CDNA_RXD_STAT_IPCS);
	assert_false(staterr & CDNA_RXD_STAT_UDPCS);
	assert_false(staterr & CDNA_RXD_STAT_IXSM);
	assert_false(staterr & (CDNA_RXD_ERR_FRAME | CDNA_RXD_ERR_TCPE |
				CDNA_RXD_ERR_IPE));
	assert_int_equal(le16_to_cpu(desc.wb.length), 1514);
	assert_int_equal(FIELD_GET(CDNA_RXD_VLAN_VID,
				   le16_to_cpu(desc.wb.vlan)), 100);
}

/* The ring helpers on hand-counted cases: a 4-slot ring at each corner. */
static void test_ring_arithmetic(void **state)
{
	(void)state;
	assert_int_equal(cdna_ring_next(0, 4), 1);
	assert_int_equal(cdna_ring_next(3, 4), 0);
	assert_int_equal(cdna_ring_next(4095, 4096), 0);
	/* Empty: all but the one slot that stays free. */
	assert_int_equal(cdna_ring_unused(0, 0, 4), 3);
	assert_int_equal(cdna_ring_unused(3, 3, 4), 3);
	/* Full: next_to_use just behind next_to_clean, also across the end. */
	assert_int_equal(cdna_ring_unused(0, 3, 4), 0);
	assert_int_equal(cdna_ring_unused(2, 1, 4), 0);
	/* Two in flight, wrapped (3, 0) and not (1, 3). */
	assert_int_equal(cdna_ring_unused(3, 1, 4), 1);
	assert_int_equal(cdna_ring_unused(1, 3, 4), 1);
	assert_int_equal(cdna_ring_unused(100, 4000, 4096), 195);
	assert_int_equal(cdna_ring_unused(4000, 100, 4096), 3899);
}

static void test_bit_positions(void **state)
{
	/* Each field where the datasheet puts it (see the top of the file). */
	(void)state;
	assert_int_equal(offsetof(union cdna_rx_desc, wb.status_error), 8);
	assert_int_equal(offsetof(union cdna_rx_desc, wb.length), 12);
	assert_int_equal(offsetof(union cdna_rx_desc, wb.vlan), 14);
	assert_int_equal(offsetof(union cdna_tx_desc, read.cmd_type_len), 8);
	assert_int_equal(offsetof(union cdna_tx_desc, read.olinfo_status), 12);
	assert_int_equal(offsetof(union cdna_tx_desc, wb.status), 12);
	assert_int_equal(offsetof(union cdna_tx_desc, ctx.mss_l4len_idx), 12);

	assert_int_equal(CDNA_TXD_CMD_EOP, 0x01000000);
	assert_int_equal(CDNA_TXD_CMD_IFCS, 0x02000000);
	assert_int_equal(CDNA_TXD_CMD_RS, 0x08000000);
	assert_int_equal(CDNA_TXD_CMD_DEXT, 0x20000000);
	assert_int_equal(CDNA_TXD_CMD_VLE, 0x40000000);
	assert_int_equal(CDNA_TXD_CMD_TSE, 0x80000000);
	assert_int_equal(FIELD_PREP(CDNA_TXD_DTYP, CDNA_TXD_DTYP_DATA),
			 0x00300000);
	assert_int_equal(FIELD_PREP(CDNA_TXD_DTYP, CDNA_TXD_DTYP_CTXT),
			 0x00200000);
	assert_int_equal(CDNA_TXD_DTALEN, 0x0000ffff);
	assert_int_equal(CDNA_TXD_IDX, 0x00000070);
	assert_int_equal(CDNA_TXD_POPTS_IXSM, 0x00000100);
	assert_int_equal(CDNA_TXD_POPTS_TXSM, 0x00000200);
	assert_int_equal(CDNA_TXD_PAYLEN, 0xffffc000);
	assert_int_equal(CDNA_TXD_STAT_DD, 0x00000001);

	assert_int_equal(CDNA_TXC_IPLEN, 0x000001ff);
	assert_int_equal(CDNA_TXC_MACLEN, 0x0000fe00);
	assert_int_equal(CDNA_TXC_VLAN, 0xffff0000);
	assert_int_equal(CDNA_TXC_TUCMD_IPV4, 0x00000400);
	assert_int_equal(CDNA_TXC_TUCMD_L4T, 0x00001800);
	assert_int_equal(CDNA_TXC_IDX, 0x00000070);
	assert_int_equal(CDNA_TXC_L4LEN, 0x0000ff00);
	assert_int_equal(CDNA_TXC_MSS, 0xffff0000);

	/* Frame errors: CE 24, SE 25, SEQ 26, CXE 28, RXE 31. */
	assert_int_equal(CDNA_RXD_ERR_FRAME, 0x97000000);
	assert_int_equal(CDNA_RXD_ERR_TCPE, 0x20000000);
	assert_int_equal(CDNA_RXD_ERR_IPE, 0x40000000);
	assert_int_equal(CDNA_RXD_STAT_LB, 0x00040000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_offload),
		cmocka_unit_test(test_csum_ipv4_tcp),
		cmocka_unit_test(test_csum_ipv6_udp),
		cmocka_unit_test(test_csum_sctp_tagged_frame),
		cmocka_unit_test(test_tso_ipv4),
		cmocka_unit_test(test_tso_ipv6_vlan_slot1),
		cmocka_unit_test(test_vlan_only),
		cmocka_unit_test(test_tso_refused),
		cmocka_unit_test(test_csum_refused),
		cmocka_unit_test(test_field_limits),
		cmocka_unit_test(test_ctx_write_layout),
		cmocka_unit_test(test_data_write_layout),
		cmocka_unit_test(test_rx_post_clears_done),
		cmocka_unit_test(test_rx_writeback_fields),
		cmocka_unit_test(test_ring_arithmetic),
		cmocka_unit_test(test_bit_positions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
