// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the mailbox codec (kmod/include/cdna_mbx.c), the code that
 * turns untrusted words from a VF's mailbox into requests for the PF.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "mbx_invariants.h"

static const u8 mac_a[CDNA_ETH_ALEN] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0x01 };

static int decode(const u32 *msg, unsigned int n, struct cdna_mbx_req *req)
{
	return cdna_mbx_decode(msg, n, req);
}

static void test_reset_request(void **state)
{
	u32 msg[CDNA_MBX_WORDS] = { CDNA_MSG_RESET };
	struct cdna_mbx_req req;

	(void)state;
	assert_int_equal(decode(msg, 1, &req), 0);
	assert_int_equal(req.type, CDNA_MSG_RESET);
	msg[0] |= FIELD_PREP(CDNA_MSG_INFO, 3);
	assert_int_equal(decode(msg, 1, &req), -EINVAL);
}

static void test_reply_refused_as_request(void **state)
{
	u32 msg[CDNA_MBX_WORDS] = { CDNA_MSG_RESET | CDNA_MSG_ACK };
	struct cdna_mbx_req req;

	(void)state;
	assert_int_equal(decode(msg, 1, &req), -EPROTO);
	msg[0] = CDNA_MSG_SET_LPE | CDNA_MSG_NACK;
	assert_int_equal(decode(msg, 2, &req), -EPROTO);
}

static void test_cts_ignored_reserved_refused(void **state)
{
	u32 msg[CDNA_MBX_WORDS] = { CDNA_MSG_RESET | CDNA_MSG_CTS };
	struct cdna_mbx_req req;

	(void)state;
	assert_int_equal(decode(msg, 1, &req), 0);
	msg[0] = CDNA_MSG_RESET | BIT(26);
	assert_int_equal(decode(msg, 1, &req), -EINVAL);
}

static void test_unknown_type(void **state)
{
	u32 msg[CDNA_MBX_WORDS] = { 0x0007 };
	struct cdna_mbx_req req;

	(void)state;
	assert_int_equal(decode(msg, CDNA_MBX_WORDS, &req), -EOPNOTSUPP);
	msg[0] = CDNA_MSG_PF_CONTROL;	/* the PF's message, not a request */
	assert_int_equal(decode(msg, CDNA_MBX_WORDS, &req), -EOPNOTSUPP);
	msg[0] = 0;
	assert_int_equal(decode(msg, CDNA_MBX_WORDS, &req), -EOPNOTSUPP);
}

static void test_set_mac_roundtrip(void **state)
{
	struct cdna_mbx_req in = { .type = CDNA_MSG_SET_MAC }, out;
	u32 msg[CDNA_MBX_WORDS];
	unsigned int n;

	(void)state;
	memcpy(in.mac, mac_a, sizeof(mac_a));
	n = cdna_mbx_encode(&in, msg);
	assert_int_equal(n, 3);
	/* The layout a driver gets by memcpy() on a little-endian CPU. */
	assert_int_equal(msg[1], 0xab005452);
	assert_int_equal(msg[2], 0x01cd);
	assert_int_equal(decode(msg, n, &out), 0);
	assert_memory_equal(out.mac, mac_a, sizeof(mac_a));
	assert_int_equal(out.info, CDNA_MAC_INFO_PRIMARY);
}

static void test_set_mac_invalid(void **state)
{
	static const u8 mcast[CDNA_ETH_ALEN] = { 0x01, 0x00, 0x5e, 0, 0, 1 };
	static const u8 zero[CDNA_ETH_ALEN];
	struct cdna_mbx_req in = { .type = CDNA_MSG_SET_MAC }, out;
	u32 msg[CDNA_MBX_WORDS];

	(void)state;
	memcpy(in.mac, mcast, sizeof(mcast));
	cdna_mbx_encode(&in, msg);
	assert_int_equal(decode(msg, 3, &out), -EADDRNOTAVAIL);
	memcpy(in.mac, zero, sizeof(zero));
	cdna_mbx_encode(&in, msg);
	assert_int_equal(decode(msg, 3, &out), -EADDRNOTAVAIL);
	/* Too short to hold the address. */
	memcpy(in.mac, mac_a, sizeof(mac_a));
	cdna_mbx_encode(&in, msg);
	assert_int_equal(decode(msg, 2, &out), -EMSGSIZE);
	/* Unknown filter operation. */
	msg[0] |= FIELD_PREP(CDNA_MSG_INFO, 9);
	assert_int_equal(decode(msg, 3, &out), -EOPNOTSUPP);
}

static void test_set_mac_filter_ops(void **state)
{
	u32 msg[CDNA_MBX_WORDS] = {
		CDNA_MSG_SET_MAC |
		FIELD_PREP(CDNA_MSG_INFO, CDNA_MAC_INFO_FILTER_CLR) };
	struct cdna_mbx_req req;

	(void)state;
	/* Clearing needs no address; the stock driver still sends 3 words. */
	assert_int_equal(decode(msg, 3, &req), 0);
	assert_int_equal(req.info, CDNA_MAC_INFO_FILTER_CLR);
	msg[0] = CDNA_MSG_SET_MAC |
		 FIELD_PREP(CDNA_MSG_INFO, CDNA_MAC_INFO_FILTER_ADD);
	cdna_mbx_put_mac(&msg[1], mac_a);
	assert_int_equal(decode(msg, 3, &req), 0);
	assert_memory_equal(req.mac, mac_a, sizeof(mac_a));
}

static void test_multicast(void **state)
{
	struct cdna_mbx_req in = { .type = CDNA_MSG_SET_MULTICAST }, out;
	u32 msg[CDNA_MBX_WORDS];
	unsigned int i, n;

	(void)state;
	in.mc_count = CDNA_MBX_MC_MAX;
	for (i = 0; i < in.mc_count; i++)
		in.mc_hash[i] = (i * 137) & 0xfff;
	n = cdna_mbx_encode(&in, msg);
	assert_int_equal(n, CDNA_MBX_WORDS);
	assert_int_equal(decode(msg, n, &out), 0);
	assert_int_equal(out.mc_count, CDNA_MBX_MC_MAX);
	assert_memory_equal(out.mc_hash, in.mc_hash, sizeof(in.mc_hash));

	/* 31 hashes do not fit in the 64-byte mailbox. */
	msg[0] = CDNA_MSG_SET_MULTICAST |
		 FIELD_PREP(CDNA_MSG_INFO, CDNA_MBX_MC_MAX + 1);
	assert_int_equal(decode(msg, CDNA_MBX_WORDS, &out), -E2BIG);
	msg[0] = CDNA_MSG_SET_MULTICAST | FIELD_PREP(CDNA_MSG_INFO, 0xff);
	assert_int_equal(decode(msg, CDNA_MBX_WORDS, &out), -E2BIG);

	/* A hash wider than the 4096-bit table. */
	msg[0] = CDNA_MSG_SET_MULTICAST | FIELD_PREP(CDNA_MSG_INFO, 2);
	msg[1] = 0x1000 << 16 | 0x0123;
	assert_int_equal(decode(msg, 2, &out), -EINVAL);

	/* Three hashes need two payload words. */
	msg[0] = CDNA_MSG_SET_MULTICAST | FIELD_PREP(CDNA_MSG_INFO, 3);
	assert_int_equal(decode(msg, 2, &out), -EMSGSIZE);

	/* An empty list clears the VF's multicast filters. */
	msg[0] = CDNA_MSG_SET_MULTICAST;
	assert_int_equal(decode(msg, 1, &out), 0);
	assert_int_equal(out.mc_count, 0);
}

static void test_mc_hash(void **state)
{
	/*
	 * The 82576 MTA hash with RCTL.MO = 0 is address bits 47:36:
	 * (addr[4] >> 4) | (addr[5] << 4), 12 bits.  Vectors by hand.
	 */
	static const struct {
		u8 addr[CDNA_ETH_ALEN];
		u16 hash;
	} v[] = {
		/* 224.0.0.1: byte 4 0x00, byte 5 0x01 -> 0x01 << 4 = 0x010 */
		{ { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 }, 0x010 },
		/* ff02::1: the same two bytes, the same hash */
		{ { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 }, 0x010 },
		/* 224.0.0.251 (mDNS): byte 5 0xfb -> 0xfb0 */
		{ { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb }, 0xfb0 },
		/* LLDP: byte 5 0x0e -> 0x0e0 */
		{ { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e }, 0x0e0 },
		/* 239.255.255.250 (SSDP): 0xff >> 4 = 0xf, 0xfa << 4 = 0xfa0 */
		{ { 0x01, 0x00, 0x5e, 0x7f, 0xff, 0xfa }, 0xfaf },
		/* byte 4 0x12 -> 0x1, byte 5 0x34 -> 0x340 */
		{ { 0x01, 0x00, 0x5e, 0x00, 0x12, 0x34 }, 0x341 },
		/* the low nibble of byte 4 and bytes 0..3 do not count */
		{ { 0xff, 0xff, 0xff, 0xff, 0x1f, 0x34 }, 0x341 },
		/* broadcast: all twelve bits */
		{ { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, 0xfff },
		{ { 0x01, 0x00, 0x00, 0x00, 0x00, 0x00 }, 0x000 },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(v); i++)
		if (cdna_mbx_mc_hash(v[i].addr) != v[i].hash)
			fail_msg("vector %u: hash %#05x, expected %#05x", i,
				 cdna_mbx_mc_hash(v[i].addr), v[i].hash);
}

static void test_mc_hash_roundtrip(void **state)
{
	static const u8 addr[][CDNA_ETH_ALEN] = {
		{ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 },
		{ 0x01, 0x00, 0x5e, 0x7f, 0xff, 0xfa },
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};
	struct cdna_mbx_req in = { .type = CDNA_MSG_SET_MULTICAST }, out;
	u32 msg[CDNA_MBX_WORDS];
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(addr); i++)
		in.mc_hash[in.mc_count++] = cdna_mbx_mc_hash(addr[i]);
	/* Two hashes a word, the first in the low half. */
	assert_int_equal(cdna_mbx_encode(&in, msg), 3);
	assert_int_equal(msg[1], 0xfaf << 16 | 0x010);
	assert_int_equal(msg[2], 0xfff);
	assert_int_equal(decode(msg, 3, &out), 0);
	assert_int_equal(out.mc_count, 3);
	assert_memory_equal(out.mc_hash, in.mc_hash, sizeof(in.mc_hash));
}

static void test_max_frame(void **state)
{
	(void)state;
	/* MTU + Ethernet header 14 + one VLAN tag 4 + FCS 4 */
	assert_int_equal(cdna_mbx_max_frame(1500), 1522);
	assert_int_equal(cdna_mbx_max_frame(9000), 9022);
	assert_int_equal(cdna_mbx_max_frame(68), 90);
	/* The largest MTU of cdna_pf and cdna_vf still fits SET_LPE. */
	assert_true(cdna_mbx_max_frame(9216) <= CDNA_MBX_MAX_FRAME);
	assert_true(cdna_mbx_max_frame(68) >= CDNA_MBX_MIN_FRAME);
}

static void test_vlan(void **state)
{
	u32 msg[CDNA_MBX_WORDS] = {
		CDNA_MSG_SET_VLAN | FIELD_PREP(CDNA_MSG_INFO, 1), 10 };
	struct cdna_mbx_req req;

	(void)state;
	assert_int_equal(decode(msg, 2, &req), 0);
	assert_true(req.vlan_add);
	assert_int_equal(req.vid, 10);
	msg[0] = CDNA_MSG_SET_VLAN;
	msg[1] = CDNA_MBX_VLAN_MAX;
	assert_int_equal(decode(msg, 2, &req), 0);
	assert_false(req.vlan_add);
	msg[1] = CDNA_MBX_VLAN_MAX + 1;
	assert_int_equal(decode(msg, 2, &req), -EINVAL);
	msg[1] = 0xffffffff;
	assert_int_equal(decode(msg, 2, &req), -EINVAL);
	msg[0] = CDNA_MSG_SET_VLAN | FIELD_PREP(CDNA_MSG_INFO, 2);
	msg[1] = 5;
	assert_int_equal(decode(msg, 2, &req), -EINVAL);
	assert_int_equal(decode(msg, 1, &req), -EMSGSIZE);
}

static void test_lpe(void **state)
{
	u32 msg[CDNA_MBX_WORDS] = { CDNA_MSG_SET_LPE, 9018 };
	struct cdna_mbx_req req;

	(void)state;
	assert_int_equal(decode(msg, 2, &req), 0);
	assert_int_equal(req.max_frame, 9018);
	msg[1] = CDNA_MBX_MAX_FRAME;
	assert_int_equal(decode(msg, 2, &req), 0);
	msg[1] = CDNA_MBX_MAX_FRAME + 1;
	assert_int_equal(decode(msg, 2, &req), -EINVAL);
	msg[1] = CDNA_MBX_MIN_FRAME - 1;
	assert_int_equal(decode(msg, 2, &req), -EINVAL);
	msg[1] = 1518;
	assert_int_equal(decode(msg, 1, &req), -EMSGSIZE);
}

static void test_promisc(void **state)
{
	u32 msg[CDNA_MBX_WORDS] = {
		CDNA_MSG_SET_PROMISC |
		FIELD_PREP(CDNA_MSG_INFO, CDNA_PROMISC_INFO_MULTICAST) };
	struct cdna_mbx_req req;

	(void)state;
	assert_int_equal(decode(msg, 1, &req), 0);
	assert_int_equal(req.promisc, CDNA_PROMISC_INFO_MULTICAST);
	msg[0] = CDNA_MSG_SET_PROMISC | FIELD_PREP(CDNA_MSG_INFO, 4);
	assert_int_equal(decode(msg, 1, &req), -EINVAL);
}

static void test_empty_and_overlong(void **state)
{
	u32 msg[CDNA_MBX_WORDS + 4] = { CDNA_MSG_SET_LPE, 1518 };
	struct cdna_mbx_req req;

	(void)state;
	assert_int_equal(decode(msg, 0, &req), -EMSGSIZE);
	/* More words than the mailbox holds: only 16 are looked at. */
	assert_int_equal(decode(msg, CDNA_MBX_WORDS + 4, &req), 0);
}

static void test_refusal_leaves_nothing(void **state)
{
	u32 msg[CDNA_MBX_WORDS] = {
		CDNA_MSG_SET_MULTICAST | FIELD_PREP(CDNA_MSG_INFO, 4),
		0x0001 | 0x0002 << 16, 0x2000 };
	static const struct cdna_mbx_req zero;
	struct cdna_mbx_req req;

	(void)state;
	memset(&req, 0xa5, sizeof(req));
	assert_int_equal(decode(msg, 3, &req), -EINVAL);
	assert_memory_equal(&req, &zero, sizeof(req));
}

static void test_reset_reply(void **state)
{
	u32 msg[CDNA_MBX_WORDS];
	u8 mac[CDNA_ETH_ALEN];

	(void)state;
	assert_int_equal(cdna_mbx_reset_reply(msg, mac_a, true),
			 CDNA_RESET_REPLY_WORDS);
	assert_int_equal(msg[0], CDNA_MSG_RESET | CDNA_MSG_ACK | CDNA_MSG_CTS);
	cdna_mbx_get_mac(&msg[1], mac);
	assert_memory_equal(mac, mac_a, sizeof(mac));

	cdna_mbx_reset_reply(msg, NULL, false);
	assert_int_equal(msg[0], CDNA_MSG_RESET | CDNA_MSG_NACK);
	assert_int_equal(msg[1], 0);
	assert_int_equal(msg[2], 0);
}

static void test_type_names(void **state)
{
	(void)state;
	assert_string_equal(cdna_mbx_type_name(CDNA_MSG_SET_VLAN), "set_vlan");
	assert_string_equal(cdna_mbx_type_name(0x77), "unknown");
}

/* Random words, biased toward valid types: every outcome obeys the
 * invariants the fuzz target checks.  Seeded, so a failure reproduces.
 */
static void test_random_messages(void **state)
{
	unsigned int seed = 0xcd4a2007, i, j, accepted = 0;
	u32 msg[CDNA_MBX_WORDS];
	struct cdna_mbx_req req;
	const char *bad;
	int ret;

	(void)state;
	for (i = 0; i < 200000; i++) {
		for (j = 0; j < CDNA_MBX_WORDS; j++)
			msg[j] = (u32)rand_r(&seed) << 1 ^ (u32)rand_r(&seed);
		if (i & 1)
			msg[0] &= (i & 4 ? GENMASK(17, 16) : GENMASK(20, 16)) | 0x7;
		if (i & 2)
			msg[1] &= 0xfff0fff;
		ret = decode(msg, 1 + (i % CDNA_MBX_WORDS), &req);
		bad = mbx_check_invariants(msg, ret, &req);
		if (bad)
			fail_msg("message %u (%08x %08x): %s", i, msg[0],
				 msg[1], bad);
		accepted += !ret;
	}
	/* The generator must reach the accepting paths too. */
	assert_true(accepted > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_request),
		cmocka_unit_test(test_reply_refused_as_request),
		cmocka_unit_test(test_cts_ignored_reserved_refused),
		cmocka_unit_test(test_unknown_type),
		cmocka_unit_test(test_set_mac_roundtrip),
		cmocka_unit_test(test_set_mac_invalid),
		cmocka_unit_test(test_set_mac_filter_ops),
		cmocka_unit_test(test_multicast),
		cmocka_unit_test(test_mc_hash),
		cmocka_unit_test(test_mc_hash_roundtrip),
		cmocka_unit_test(test_max_frame),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_lpe),
		cmocka_unit_test(test_promisc),
		cmocka_unit_test(test_empty_and_overlong),
		cmocka_unit_test(test_refusal_leaves_nothing),
		cmocka_unit_test(test_reset_reply),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_random_messages),
	};

	return cmocka_run_group_tests_name("mailbox codec", tests, NULL, NULL);
}
