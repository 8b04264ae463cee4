// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the mailbox policy decision (kmod/include/cdna_policy.c):
 * the host's administrative settings win over what a VF asks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cdna_policy.h"

static const u8 admin_mac[6] = { 0x52, 0x54, 0x00, 0xcd, 0x00, 0x01 };
static const u8 other_mac[6] = { 0x52, 0x54, 0x00, 0xee, 0x00, 0x02 };

static struct cdna_mbx_req req_of(u16 type, u8 info)
{
	struct cdna_mbx_req r = { .type = type, .info = info };

	return r;
}

static void test_admin_mac_wins(void **state)
{
	struct cdna_ctx_policy pol = { .mac_admin = true };
	struct cdna_mbx_req r = req_of(CDNA_MSG_SET_MAC, CDNA_MAC_INFO_PRIMARY);
	const char *why;

	(void)state;
	memcpy(pol.mac, admin_mac, 6);
	memcpy(r.mac, other_mac, 6);
	assert_int_equal(cdna_policy_check(&pol, NULL, &r, &why), -EPERM);
	assert_string_equal(why, "the MAC is set by the host");
	/* Asking for the address it already has is fine. */
	memcpy(r.mac, admin_mac, 6);
	assert_int_equal(cdna_policy_check(&pol, NULL, &r, &why), 0);
	assert_null(why);
	/* Trust does not override the host's MAC. */
	pol.trusted = true;
	memcpy(r.mac, other_mac, 6);
	assert_int_equal(cdna_policy_check(&pol, NULL, &r, &why), -EPERM);
}

static void test_mac_free_without_admin(void **state)
{
	struct cdna_ctx_policy pol = { 0 };
	struct cdna_ctx_uc uc = { .max = 2 };
	struct cdna_mbx_req r = req_of(CDNA_MSG_SET_MAC, CDNA_MAC_INFO_PRIMARY);
	const char *why;

	(void)state;
	memcpy(r.mac, other_mac, 6);
	assert_int_equal(cdna_policy_check(&pol, NULL, &r, &why), 0);
	assert_int_equal(cdna_policy_check(&pol, &uc, &r, &why), 0);
	r = req_of(CDNA_MSG_SET_MAC, CDNA_MAC_INFO_FILTER_CLR);
	assert_int_equal(cdna_policy_check(&pol, NULL, &r, &why), 0);
	/* Without a share of filters (NULL: none) FILTER_ADD is refused. */
	r = req_of(CDNA_MSG_SET_MAC, CDNA_MAC_INFO_FILTER_ADD);
	memcpy(r.mac, other_mac, 6);
	assert_int_equal(cdna_policy_check(&pol, NULL, &r, &why), -ENOSPC);
	assert_int_equal(cdna_policy_check(&pol, &uc, &r, &why), 0);
	assert_null(why);
}

/* The primary MAC a VF picks cannot be another context's or the PF's. */
static void test_primary_mac_taken(void **state)
{
	struct cdna_ctx_policy pol = { 0 };
	struct cdna_ctx_uc uc = { .max = 2, .hold = CDNA_MAC_HELD_VF };
	struct cdna_mbx_req r = req_of(CDNA_MSG_SET_MAC, CDNA_MAC_INFO_PRIMARY);
	const char *why;

	(void)state;
	memcpy(r.mac, other_mac, 6);
	assert_int_equal(cdna_policy_check(&pol, &uc, &r, &why), -EADDRINUSE);
	assert_string_equal(why, "the address is another context's");
	uc.hold = CDNA_MAC_HELD_ADMIN;
	assert_int_equal(cdna_policy_check(&pol, &uc, &r, &why), -EADDRINUSE);
	uc.hold = CDNA_MAC_HELD_PF;
	assert_int_equal(cdna_policy_check(&pol, &uc, &r, &why), -EADDRINUSE);
	assert_string_equal(why, "the address is the PF's");
	uc.hold = CDNA_MAC_HELD_SELF;
	assert_int_equal(cdna_policy_check(&pol, &uc, &r, &why), 0);
	uc.hold = CDNA_MAC_HELD_VF;
	/* Trust does not let a VF take another's address. */
	pol.trusted = true;
	assert_int_equal(cdna_policy_check(&pol, &uc, &r, &why), -EADDRINUSE);
	/* The host's own choice stands even if it gave the MAC twice. */
	pol.mac_admin = true;
	memcpy(pol.mac, other_mac, 6);
	assert_int_equal(cdna_policy_check(&pol, &uc, &r, &why), 0);
}

static void test_filter_add_admin_needs_trust(void **state)
{
	struct cdna_ctx_policy pol = { .mac_admin = true };
	struct cdna_ctx_uc uc = { .max = 2 };
	struct cdna_mbx_req r = req_of(CDNA_MSG_SET_MAC,
				       CDNA_MAC_INFO_FILTER_ADD);
	const char *why;

	(void)state;
	memcpy(pol.mac, admin_mac, 6);
	memcpy(r.mac, other_mac, 6);
	assert_int_equal(cdna_policy_check(&pol, &uc, &r, &why), -EPERM);
	assert_string_equal(why,
			    "extra unicast filters need trust when the host set the MAC");
	pol.trusted = true;
	assert_int_equal(cdna_policy_check(&pol, &uc, &r, &why), 0);
	/* Clearing needs nothing, trusted or not. */
	pol.trusted = false;
	r = req_of(CDNA_MSG_SET_MAC, CDNA_MAC_INFO_FILTER_CLR);
	assert_int_equal(cdna_policy_check(&pol, &uc, &r, &why), 0);
}

static void test_filter_add_share(void **state)
{
	struct cdna_ctx_policy pol = { 0 };
	struct cdna_ctx_uc uc = { .count = 2, .max = 2 };
	struct cdna_mbx_req r = req_of(CDNA_MSG_SET_MAC,
				       CDNA_MAC_INFO_FILTER_ADD);
	const char *why;

	(void)state;
	memcpy(r.mac, other_mac, 6);
	/* The share is used up: the N+1th is refused, trusted or not. */
	assert_int_equal(cdna_policy_check(&pol, &uc, &r, &why), -ENOSPC);
	assert_string_equal(why,
			    "the context's share of unicast filters is used up");
	pol.trusted = true;
	assert_int_equal(cdna_policy_check(&pol, &uc, &r, &why), -ENOSPC);
	/* Asking again for an address it holds is no new filter. */
	uc.hold = CDNA_MAC_HELD_SELF;
	assert_int_equal(cdna_policy_check(&pol, &uc, &r, &why), 0);
	/* A zero share (no free entry) refuses the first one. */
	uc = (struct cdna_ctx_uc){ .max = 0 };
	assert_int_equal(cdna_policy_check(&pol, &uc, &r, &why), -ENOSPC);
}

static void test_filter_add_taken(void **state)
{
	struct cdna_ctx_policy pol = { .trusted = true };
	struct cdna_ctx_uc uc = { .max = 4, .hold = CDNA_MAC_HELD_VF };
	struct cdna_mbx_req r = req_of(CDNA_MSG_SET_MAC,
				       CDNA_MAC_INFO_FILTER_ADD);
	const char *why;

	(void)state;
	memcpy(r.mac, other_mac, 6);
	assert_int_equal(cdna_policy_check(&pol, &uc, &r, &why), -EADDRINUSE);
	uc.hold = CDNA_MAC_HELD_PF;
	assert_int_equal(cdna_policy_check(&pol, &uc, &r, &why), -EADDRINUSE);
	/* Unknown sub-requests are refused even if the decoder let one by. */
	r = req_of(CDNA_MSG_SET_MAC, 7);
	assert_int_equal(cdna_policy_check(&pol, &uc, &r, &why), -EOPNOTSUPP);
}

/*
 * Who may own an address: the host's assignment takes it from a VF that
 * chose it, never from the PF or another host assignment; a VF gets only
 * what is free or its own.
 */
static void test_mac_decide(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(cdna_mac_decide(CDNA_MAC_BY_HOST, CDNA_MAC_FREE, &why),
			 CDNA_MAC_GRANT);
	assert_null(why);
	assert_int_equal(cdna_mac_decide(CDNA_MAC_BY_HOST, CDNA_MAC_HELD_SELF,
					 &why), CDNA_MAC_GRANT);
	assert_int_equal(cdna_mac_decide(CDNA_MAC_BY_HOST, CDNA_MAC_HELD_VF,
					 &why), CDNA_MAC_EVICT);
	assert_null(why);
	assert_int_equal(cdna_mac_decide(CDNA_MAC_BY_HOST, CDNA_MAC_HELD_ADMIN,
					 &why), CDNA_MAC_REFUSE);
	assert_string_equal(why, "the host gave the address to another context");
	assert_int_equal(cdna_mac_decide(CDNA_MAC_BY_HOST, CDNA_MAC_HELD_PF,
					 &why), CDNA_MAC_REFUSE);
	assert_string_equal(why, "the address is the PF's");

	assert_int_equal(cdna_mac_decide(CDNA_MAC_BY_VF, CDNA_MAC_FREE, &why),
			 CDNA_MAC_GRANT);
	assert_int_equal(cdna_mac_decide(CDNA_MAC_BY_VF, CDNA_MAC_HELD_SELF,
					 &why), CDNA_MAC_GRANT);
	assert_int_equal(cdna_mac_decide(CDNA_MAC_BY_VF, CDNA_MAC_HELD_VF, &why),
			 CDNA_MAC_REFUSE);
	assert_string_equal(why, "the address is another context's");
	assert_int_equal(cdna_mac_decide(CDNA_MAC_BY_VF, CDNA_MAC_HELD_ADMIN,
					 &why), CDNA_MAC_REFUSE);
	assert_int_equal(cdna_mac_decide(CDNA_MAC_BY_VF, CDNA_MAC_HELD_PF, &why),
			 CDNA_MAC_REFUSE);
	/* An unknown holder is refused, never granted. */
	assert_int_equal(cdna_mac_decide(CDNA_MAC_BY_HOST, 99, &why),
			 CDNA_MAC_REFUSE);
}

/* Every context's share fits beside one port VLAN per context. */
static void test_vlan_share(void **state)
{
	unsigned int n;

	(void)state;
	assert_int_equal(cdna_vlan_share(32, 0, 8), 0);
	assert_int_equal(cdna_vlan_share(32, 1, 8), 8);
	assert_int_equal(cdna_vlan_share(32, 2, 8), 8);
	assert_int_equal(cdna_vlan_share(32, 4, 8), 7);
	assert_int_equal(cdna_vlan_share(32, 7, 8), 3);
	assert_int_equal(cdna_vlan_share(32, 32, 8), 0);
	assert_int_equal(cdna_vlan_share(32, 40, 8), 0);
	for (n = 1; n <= 32; n++)
		assert_true(n * cdna_vlan_share(32, n, 8) + n <= 32);
}

static void test_admin_vlan_wins(void **state)
{
	struct cdna_ctx_policy pol = { .vlan = 10, .trusted = true };
	struct cdna_mbx_req r = req_of(CDNA_MSG_SET_VLAN, CDNA_VLAN_INFO_ADD);
	const char *why;

	(void)state;
	r.vid = 20;
	r.vlan_add = true;
	assert_int_equal(cdna_policy_check(&pol, NULL, &r, &why), -EPERM);
	assert_string_equal(why, "the VLAN is set by the host");
	pol.vlan = 0;
	assert_int_equal(cdna_policy_check(&pol, NULL, &r, &why), 0);
}

static void test_promisc_needs_trust(void **state)
{
	struct cdna_ctx_policy pol = { 0 };
	struct cdna_mbx_req r = req_of(CDNA_MSG_SET_PROMISC, 0);
	const char *why;

	(void)state;
	r.promisc = CDNA_PROMISC_INFO_MULTICAST;
	assert_int_equal(cdna_policy_check(&pol, NULL, &r, &why), -EPERM);
	pol.trusted = true;
	assert_int_equal(cdna_policy_check(&pol, NULL, &r, &why), 0);
	r.promisc = CDNA_PROMISC_INFO_UNICAST;
	assert_int_equal(cdna_policy_check(&pol, NULL, &r, &why), -EOPNOTSUPP);
	/* Leaving promiscuous mode is always allowed. */
	pol.trusted = false;
	r.promisc = 0;
	assert_int_equal(cdna_policy_check(&pol, NULL, &r, &why), 0);
}

static void test_harmless_requests(void **state)
{
	struct cdna_ctx_policy pol = { .vlan = 5, .mac_admin = true };
	struct cdna_mbx_req r;
	const char *why;

	(void)state;
	r = req_of(CDNA_MSG_RESET, 0);
	assert_int_equal(cdna_policy_check(&pol, NULL, &r, &why), 0);
	r = req_of(CDNA_MSG_SET_MULTICAST, 3);
	assert_int_equal(cdna_policy_check(&pol, NULL, &r, &why), 0);
	r = req_of(CDNA_MSG_SET_LPE, 0);
	r.max_frame = 9018;
	assert_int_equal(cdna_policy_check(&pol, NULL, &r, &why), 0);
	r = req_of(0x55, 0);
	assert_int_equal(cdna_policy_check(&pol, NULL, &r, &why), -EOPNOTSUPP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_admin_mac_wins),
		cmocka_unit_test(test_mac_free_without_admin),
		cmocka_unit_test(test_primary_mac_taken),
		cmocka_unit_test(test_filter_add_admin_needs_trust),
		cmocka_unit_test(test_filter_add_share),
		cmocka_unit_test(test_filter_add_taken),
		cmocka_unit_test(test_mac_decide),
		cmocka_unit_test(test_vlan_share),
		cmocka_unit_test(test_admin_vlan_wins),
		cmocka_unit_test(test_promisc_needs_trust),
		cmocka_unit_test(test_harmless_requests),
	};

	return cmocka_run_group_tests_name("mailbox policy", tests, NULL, NULL);
}
