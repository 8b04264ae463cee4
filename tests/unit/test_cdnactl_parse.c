// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of cdnactl's value parsers (userspace/cdnactl/parse.c), of
 * the policy words of `cdnactl set` (policy.c) and its mode word, of the
 * stable UUIDs of software-mode contexts' mediated devices, and of the
 * sysfs names it shares with the modules: every bad value is refused with
 * the sentence the user sees, every good one is read exactly.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <linux/if_link.h>

#include "cdnactl.h"
#include "parse.h"
#include "policy.h"


static void test_mac(void **state)
{
	static const uint8_t want[6] = { 0x52, 0x54, 0x00, 0xcd, 0x0a, 0xff };
	static const char * const bad[] = {
		"", "52:54:00:cd:0a", "52:54:00:cd:0a:ff:00", "52-54-00-cd-0a-ff",
		"52:54:00:cd:0a:fg", "5:254:00:cd:0a:ff", " 52:54:00:cd:0a:f",
		"52:54:00:cd:0a:ff ",
	};
	char text[CDNA_MAC_LEN];
	uint8_t mac[6];
	const char *why = NULL;
	size_t i;

	(void)state;
	assert_int_equal(cdna_parse_mac("52:54:00:CD:0a:ff", mac, &why), 0);
	assert_memory_equal(mac, want, 6);
	cdna_format_mac(mac, text);
	assert_string_equal(text, "52:54:00:cd:0a:ff");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		why = NULL;
		assert_int_equal(cdna_parse_mac(bad[i], mac, &why), -EINVAL);
		assert_string_equal(why, "not a MAC address (aa:bb:cc:dd:ee:ff)");
	}
	assert_int_equal(cdna_parse_mac("00:00:00:00:00:00", mac, &why), -EINVAL);
	assert_string_equal(why, "the zero address is not a unicast address");
	assert_int_equal(cdna_parse_mac("01:00:5e:00:00:01", mac, &why), -EINVAL);
	assert_string_equal(why, "a multicast address is not a unicast address");
	assert_int_equal(cdna_parse_mac("ff:ff:ff:ff:ff:ff", mac, &why), -EINVAL);
	assert_string_equal(why, "a multicast address is not a unicast address");
	/* A refused value leaves the output alone. */
	assert_memory_equal(mac, want, 6);
}

static void test_uint(void **state)
{
	unsigned long v;
	const char *why;

	(void)state;
	assert_int_equal(cdna_parse_uint("0", 10, &v, &why), 0);
	assert_int_equal(v, 0);
	assert_int_equal(cdna_parse_uint("10", 10, &v, &why), 0);
	assert_int_equal(v, 10);
	assert_int_equal(cdna_parse_uint("11", 10, &v, &why), -EINVAL);
	assert_string_equal(why, "out of range");
	assert_int_equal(cdna_parse_uint("18446744073709551615", -1UL, &v, &why), 0);
	assert_true(v == -1UL);
	assert_int_equal(cdna_parse_uint("18446744073709551616", -1UL, &v, &why),
			 -EINVAL);
	assert_int_equal(cdna_parse_uint("99999999999999999999999", 100, &v, &why),
			 -EINVAL);
	assert_int_equal(cdna_parse_uint("-1", 10, &v, &why), -EINVAL);
	assert_string_equal(why, "not a decimal number");
	assert_int_equal(cdna_parse_uint("+1", 10, &v, &why), -EINVAL);
	assert_int_equal(cdna_parse_uint(" 1", 10, &v, &why), -EINVAL);
	assert_int_equal(cdna_parse_uint("0x1", 10, &v, &why), -EINVAL);
	assert_int_equal(cdna_parse_uint("", 10, &v, &why), -EINVAL);
}

static void test_vlan_qos_rate(void **state)
{
	unsigned int v;
	const char *why;

	(void)state;
	assert_int_equal(cdna_parse_vlan("0", &v, &why), 0);
	assert_int_equal(v, 0);
	assert_int_equal(cdna_parse_vlan("4094", &v, &why), 0);
	assert_int_equal(v, 4094);
	assert_int_equal(cdna_parse_vlan("4095", &v, &why), -EINVAL);
	assert_string_equal(why, "a VLAN id is 0 (none) to 4094");
	assert_int_equal(cdna_parse_vlan("5000", &v, &why), -EINVAL);
	assert_int_equal(cdna_parse_vlan("ten", &v, &why), -EINVAL);
	assert_int_equal(cdna_parse_qos("7", &v, &why), 0);
	assert_int_equal(v, 7);
	assert_int_equal(cdna_parse_qos("8", &v, &why), -EINVAL);
	assert_string_equal(why, "an 802.1p priority (qos) is 0 to 7");
	assert_int_equal(cdna_parse_rate("0", &v, &why), 0);
	assert_int_equal(cdna_parse_rate("100000", &v, &why), 0);
	assert_int_equal(v, 100000);
	assert_int_equal(cdna_parse_rate("100001", &v, &why), -EINVAL);
	assert_string_equal(why, "a rate is 0 (unlimited) to 100000 Mbit/s, in Mbit/s");
	assert_int_equal(cdna_parse_rate("-5", &v, &why), -EINVAL);
	assert_int_equal(cdna_parse_rate("1.5", &v, &why), -EINVAL);
	assert_int_equal(cdna_parse_rate("100M", &v, &why), -EINVAL);
}

static void test_state_onoff(void **state)
{
	const char *why;
	bool on = false;
	int s;

	(void)state;
	assert_int_equal(cdna_parse_state("auto", &s, &why), 0);
	assert_int_equal(s, IFLA_VF_LINK_STATE_AUTO);
	assert_int_equal(cdna_parse_state("enable", &s, &why), 0);
	assert_int_equal(s, IFLA_VF_LINK_STATE_ENABLE);
	assert_int_equal(cdna_parse_state("disable", &s, &why), 0);
	assert_int_equal(s, IFLA_VF_LINK_STATE_DISABLE);
	assert_int_equal(cdna_parse_state("Auto", &s, &why), -EINVAL);
	assert_string_equal(why, "a link state is auto, enable or disable");
	assert_int_equal(cdna_parse_state("up", &s, &why), -EINVAL);
	assert_string_equal(cdna_state_name(IFLA_VF_LINK_STATE_DISABLE), "disable");
	assert_string_equal(cdna_state_name(7), "?");
	assert_string_equal(cdna_state_name(-1), "?");
	assert_int_equal(cdna_parse_onoff("on", &on, &why), 0);
	assert_true(on);
	assert_int_equal(cdna_parse_onoff("off", &on, &why), 0);
	assert_false(on);
	assert_int_equal(cdna_parse_onoff("yes", &on, &why), -EINVAL);
	assert_string_equal(why, "the value is on or off");
}

static void test_pci(void **state)
{
	static const char * const bad[] = {
		"", "0000:01:10", "0000:01:10.", "0000:01:10.0.0", "00:01:10.0",
		"0000-01:10.0", "0000:1:10.0", "g000:01:10.0", "01:10.0 ",
		"0000:01:20.0", "0000:01:10.8", "10.0",
	};
	char pci[CDNA_PCI_LEN];
	const char *why;
	size_t i;

	(void)state;
	assert_int_equal(cdna_parse_pci("0000:01:10.0", pci, &why), 0);
	assert_string_equal(pci, "0000:01:10.0");
	assert_int_equal(cdna_parse_pci("01:1F.7", pci, &why), 0);
	assert_string_equal(pci, "0000:01:1f.7");
	assert_int_equal(cdna_parse_pci("ABCD:ff:00.1", pci, &why), 0);
	assert_string_equal(pci, "abcd:ff:00.1");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		why = NULL;
		assert_int_equal(cdna_parse_pci(bad[i], pci, &why), -EINVAL);
		assert_non_null(why);
	}
	assert_int_equal(cdna_parse_pci("0000:01:20.0", pci, &why), -EINVAL);
	assert_string_equal(why, "PCI slot above 0x1f");
	assert_int_equal(cdna_format_pci(0x10000, 0, 0, 0, pci, &why), -EINVAL);
	assert_string_equal(why, "PCI domain above 0xffff");
	assert_int_equal(cdna_format_pci(0, 0x100, 0, 0, pci, &why), -EINVAL);
	assert_string_equal(why, "PCI bus above 0xff");
	assert_int_equal(cdna_format_pci(0, 0, 0, 8, pci, &why), -EINVAL);
	assert_string_equal(why, "PCI function above 7");
	assert_int_equal(cdna_format_pci(1, 2, 3, 4, pci, &why), 0);
	assert_string_equal(pci, "0001:02:03.4");
}

static void test_ctx_spec(void **state)
{
	struct cdna_ctx_spec s;
	const char *why;

	(void)state;
	assert_int_equal(cdna_parse_ctx_spec("0000:01:10.2", &s, &why), 0);
	assert_false(s.by_pf);
	assert_string_equal(s.vf, "0000:01:10.2");
	assert_int_equal(cdna_parse_ctx_spec("01:10.2", &s, &why), 0);
	assert_string_equal(s.vf, "0000:01:10.2");
	assert_int_equal(cdna_parse_ctx_spec("eth0/3", &s, &why), 0);
	assert_true(s.by_pf);
	assert_string_equal(s.pf, "eth0");
	assert_int_equal(s.index, 3);
	assert_int_equal(cdna_parse_ctx_spec("0000:01:00.0/6", &s, &why), 0);
	assert_true(s.by_pf);
	assert_string_equal(s.pf, "0000:01:00.0");
	assert_int_equal(s.index, 6);
	assert_int_equal(cdna_parse_ctx_spec("enp1s0f0np0/0", &s, &why), 0);
	assert_string_equal(s.pf, "enp1s0f0np0");

	assert_int_equal(cdna_parse_ctx_spec("eth0", &s, &why), -EINVAL);
	assert_string_equal(why, "a context is a VF's PCI address (0000:01:10.0) or PF/N");
	assert_int_equal(cdna_parse_ctx_spec("eth0/", &s, &why), -EINVAL);
	assert_string_equal(why, "the context number after '/' is a decimal number");
	assert_int_equal(cdna_parse_ctx_spec("eth0/-1", &s, &why), -EINVAL);
	assert_int_equal(cdna_parse_ctx_spec("eth0/x", &s, &why), -EINVAL);
	assert_int_equal(cdna_parse_ctx_spec("/1", &s, &why), -EINVAL);
	assert_string_equal(why, "not a netdev name or PCI address");
	assert_int_equal(cdna_parse_ctx_spec("a-very-long-netdev-name/1", &s, &why),
			 -EINVAL);
	assert_int_equal(cdna_parse_ctx_spec("00:01:00.0:1/1", &s, &why), -EINVAL);
	assert_int_equal(cdna_parse_ctx_spec("eth 0/1", &s, &why), -EINVAL);
}

static int parse_words(const char *line, struct cdna_policy *pol, char *err,
		       size_t len)
{
	static char buf[256];
	char *argv[32];
	int argc = 0;
	char *tok;

	snprintf(buf, sizeof(buf), "%s", line);
	for (tok = strtok(buf, " "); tok && argc < 32; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	return cdna_policy_parse(argc, argv, pol, err, len);
}

static void test_policy_words(void **state)
{
	struct cdna_policy pol;
	char err[200], words[200];

	(void)state;
	assert_int_equal(parse_words("mac 52:54:00:cd:00:01 vlan 10 qos 3 trust on spoofchk off state disable rate 100",
				     &pol, err, sizeof(err)), 0);
	assert_int_equal(pol.mask, CDNA_POL_ALL);
	assert_int_equal(pol.vlan, 10);
	assert_int_equal(pol.qos, 3);
	assert_true(pol.trust);
	assert_false(pol.spoofchk);
	assert_int_equal(pol.state, IFLA_VF_LINK_STATE_DISABLE);
	assert_int_equal(pol.rate, 100);
	assert_int_equal(cdna_policy_format(&pol, words, sizeof(words)), 0);
	assert_string_equal(words, "mac 52:54:00:cd:00:01 vlan 10 qos 3 spoofchk off trust on state disable rate 100");

	assert_int_equal(parse_words("vlan 7", &pol, err, sizeof(err)), 0);
	assert_int_equal(pol.mask, CDNA_POL(CDNA_POL_VLAN));
	assert_int_equal(pol.qos, 0);
	assert_int_equal(parse_words("vlan 0", &pol, err, sizeof(err)), 0);
	assert_int_equal(parse_words("rate 0 trust off", &pol, err, sizeof(err)), 0);
	assert_int_equal(pol.mask, CDNA_POL(CDNA_POL_RATE) | CDNA_POL(CDNA_POL_TRUST));
	assert_int_equal(cdna_policy_format(&pol, words, sizeof(words)), 0);
	assert_string_equal(words, "trust off rate 0");
}

static void test_policy_refused(void **state)
{
	static const struct {
		const char *words;
		int code;
		const char *msg;
	} cases[] = {
		{ "", CDNA_EX_USAGE, "no setting given" },
		{ "mtu 1500", CDNA_EX_USAGE,
		  "unknown setting 'mtu' (mac, vlan [qos], trust, spoofchk, state, rate)" },
		{ "vlan 5 vlan 6", CDNA_EX_USAGE, "'vlan' given twice" },
		{ "trust", CDNA_EX_USAGE, "'trust' needs a value" },
		{ "qos 3 vlan 5", CDNA_EX_USAGE, "qos goes right after a VLAN: vlan V qos Q" },
		{ "vlan 5 trust on qos 3", CDNA_EX_USAGE,
		  "qos goes right after a VLAN: vlan V qos Q" },
		{ "vlan 5 qos", CDNA_EX_USAGE, "'qos' needs a value" },
		{ "vlan 5000", CDNA_EX_INVALID,
		  "invalid vlan '5000': a VLAN id is 0 (none) to 4094" },
		{ "vlan 4095", CDNA_EX_INVALID,
		  "invalid vlan '4095': a VLAN id is 0 (none) to 4094" },
		{ "vlan 5 qos 8", CDNA_EX_INVALID,
		  "invalid qos '8': an 802.1p priority (qos) is 0 to 7" },
		{ "vlan 0 qos 3", CDNA_EX_INVALID,
		  "invalid qos 3: a priority needs a VLAN (vlan 0 is none)" },
		{ "mac 01:00:5e:00:00:01", CDNA_EX_INVALID,
		  "invalid mac '01:00:5e:00:00:01': a multicast address is not a unicast address" },
		{ "mac 00:00:00:00:00:00", CDNA_EX_INVALID,
		  "invalid mac '00:00:00:00:00:00': the zero address is not a unicast address" },
		{ "mac 52:54:00:zz:00:01", CDNA_EX_INVALID,
		  "invalid mac '52:54:00:zz:00:01': not a MAC address (aa:bb:cc:dd:ee:ff)" },
		{ "trust maybe", CDNA_EX_INVALID, "invalid trust 'maybe': the value is on or off" },
		{ "spoofchk 1", CDNA_EX_INVALID, "invalid spoofchk '1': the value is on or off" },
		{ "state sideways", CDNA_EX_INVALID,
		  "invalid state 'sideways': a link state is auto, enable or disable" },
		{ "rate -5", CDNA_EX_INVALID,
		  "invalid rate '-5': a rate is 0 (unlimited) to 100000 Mbit/s, in Mbit/s" },
		{ "rate 99999999", CDNA_EX_INVALID,
		  "invalid rate '99999999': a rate is 0 (unlimited) to 100000 Mbit/s, in Mbit/s" },
		/* A good setting before a bad one does not make it through. */
		{ "mac 52:54:00:cd:00:01 vlan 5000", CDNA_EX_INVALID,
		  "invalid vlan '5000': a VLAN id is 0 (none) to 4094" },
	};
	struct cdna_policy pol;
	char err[200];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		err[0] = '\0';
		assert_int_equal(parse_words(cases[i].words, &pol, err, sizeof(err)),
				 cases[i].code);
		assert_string_equal(err, cases[i].msg);
	}
}

static void test_policy_describe(void **state)
{
	struct cdna_policy pol = { .vlan = 100, .qos = 2, .state = 2 };
	char buf[64];

	(void)state;
	cdna_policy_describe(&pol, CDNA_POL_VLAN, buf, sizeof(buf));
	assert_string_equal(buf, "vlan 100 qos 2");
	cdna_policy_describe(&pol, CDNA_POL_STATE, buf, sizeof(buf));
	assert_string_equal(buf, "state disable");
	cdna_policy_describe(&pol, CDNA_POL_MAC, buf, sizeof(buf));
	assert_string_equal(buf, "mac 00:00:00:00:00:00");
	/* A zero MAC (none set by the host) is not written out. */
	pol.mask = CDNA_POL(CDNA_POL_MAC) | CDNA_POL(CDNA_POL_VLAN);
	assert_int_equal(cdna_policy_format(&pol, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "vlan 100 qos 2");
	assert_int_equal(cdna_policy_format(&pol, buf, 8), -1);
	assert_string_equal(cdna_pol_field_name(CDNA_POL_SPOOFCHK), "spoofchk");
}

/*
 * Domain names as the guard's ledger can hold them: 1 to 63 bytes of
 * printable ASCII, taken whole or refused, never cut or folded (two
 * domains must not end up under one owner name).
 */
static void test_owner(void **state)
{
	static const char * const ctl[] = {
		"vm\tx", "vm\nx", "vm\rx", "\033[31mvm", "vm\177", "vm\x85",
		"vm\x9b", "vm\x01",
	};
	static const char * const non_ascii[] = {
		"vm-\xc3\xa9", "vm\xa0x", "vm\xe9", "\xe2\x82\xac",
	};
	char name[256], out[CDNA_OWNER_LEN];
	const char *why;
	size_t i;

	(void)state;
	memset(name, 'a', sizeof(name));
	name[63] = '\0';
	assert_int_equal(cdna_parse_owner(name, out, &why), 0);
	assert_string_equal(out, name);
	assert_int_equal(strlen(out), 63);
	assert_int_equal(cdna_parse_owner("vm1", out, &why), 0);
	assert_string_equal(out, "vm1");
	assert_int_equal(cdna_parse_owner("a b~!@#$%^&*()_+-=[]{}|;':\",./<>?`",
					  out, &why), 0);
	/* 64 and 200 bytes: refused, not cut to 63; @out untouched. */
	strcpy(out, "kept");
	name[63] = 'b';
	name[64] = '\0';
	why = NULL;
	assert_int_equal(cdna_parse_owner(name, out, &why), -EINVAL);
	assert_string_equal(why, "longer than the 63 bytes the guard's ledger holds");
	assert_string_equal(out, "kept");
	name[64] = 'c';
	name[200] = '\0';
	assert_int_equal(cdna_parse_owner(name, out, &why), -EINVAL);
	assert_string_equal(why, "longer than the 63 bytes the guard's ledger holds");
	assert_string_equal(out, "kept");
	assert_int_equal(cdna_parse_owner("", out, &why), -EINVAL);
	assert_string_equal(why, "an empty name");
	for (i = 0; i < ARRAY_SIZE(ctl); i++) {
		why = NULL;
		assert_int_equal(cdna_parse_owner(ctl[i], out, &why), -EINVAL);
		assert_string_equal(why, "holds a control character");
		assert_string_equal(out, "kept");
	}
	/* UTF-8 and Latin-1: refused, the ledger holds printable ASCII only. */
	for (i = 0; i < ARRAY_SIZE(non_ascii); i++) {
		why = NULL;
		assert_int_equal(cdna_parse_owner(non_ascii[i], out, &why), -EINVAL);
		assert_string_equal(why, "holds a byte outside printable ASCII");
		assert_string_equal(out, "kept");
	}
	/* A control character past byte 63: the length is said first. */
	name[100] = '\t';
	assert_int_equal(cdna_parse_owner(name, out, &why), -EINVAL);
	assert_string_equal(why, "longer than the 63 bytes the guard's ledger holds");
}

/*
 * The sysfs ABI (kmod/include/cdna_sysfs_abi.h) as cdna_pf, vmm_guard and
 * cdnactl share it: the words written out here are what scripts and
 * older cdnactl read, so a change to the header fails here first.
 */
static void test_sysfs_abi(void **state)
{
	static const char * const guard_states[] = {
		[CDNA_GUARD_FREE] = "free",
		[CDNA_GUARD_ASSIGNED] = "assigned",
		[CDNA_GUARD_SCRUBBING] = "scrubbing",
		[CDNA_GUARD_QUARANTINED] = "quarantined",
	};
	unsigned int i;

	(void)state;
	assert_int_equal(CDNA_GUARD_NR_STATES, ARRAY_SIZE(guard_states));
	for (i = 0; i < ARRAY_SIZE(guard_states); i++)
		assert_string_equal(cdna_guard_state_name(i), guard_states[i]);
	assert_null(cdna_guard_state_name(CDNA_GUARD_NR_STATES));
	assert_null(cdna_guard_state_name(-1));

	assert_string_equal(cdna_link_state_name(IFLA_VF_LINK_STATE_AUTO), "auto");
	assert_string_equal(cdna_link_state_name(IFLA_VF_LINK_STATE_ENABLE), "enable");
	assert_string_equal(cdna_link_state_name(IFLA_VF_LINK_STATE_DISABLE), "disable");
	assert_null(cdna_link_state_name(__IFLA_VF_LINK_STATE_MAX));
	assert_null(cdna_link_state_name(-1));

	assert_int_equal(CDNA_OWNER_LEN, 64);
	assert_false(cdna_owner_byte_ok(0x1f));
	assert_true(cdna_owner_byte_ok(' '));
	assert_true(cdna_owner_byte_ok('~'));
	assert_false(cdna_owner_byte_ok(0x7f));
	assert_false(cdna_owner_byte_ok(0xa0));
	assert_false(cdna_owner_byte_ok(0xff));

	/* The paths cdnactl builds from the names. */
	assert_string_equal(CDNA_SYSFS_DIR "/" CDNA_SYSFS_CTX_DIR "3/"
			    CDNA_SYSFS_CTX_ADMIN_MAC, "cdna/ctx3/admin_mac");
	assert_string_equal(CDNA_LEDGER_DIR "/" CDNA_LEDGER_OWNER, "guard/owner");
	assert_string_equal(CDNA_LEDGER_STATE " " CDNA_LEDGER_MODE " "
			    CDNA_LEDGER_OWNER_PID " " CDNA_LEDGER_OWNER_COMM " "
			    CDNA_LEDGER_SCRUBS " " CDNA_LEDGER_ISOLATION " "
			    CDNA_LEDGER_ISOLATION_OK " " CDNA_LEDGER_MODE_IOMMU,
			    "state mode owner_pid owner_comm scrubs isolation ok iommu");
	/* Software mode: the ledger's files and the mdev type cdnactl uses. */
	assert_string_equal(CDNA_LEDGER_MODE_SW " " CDNA_GUARD_DRIVER " "
			    CDNA_GUARD_SW_DRIVER " " CDNA_GUARD_SW_MDEV_TYPE,
			    "sw vmm_guard vmm_guard_sw vmm_guard_sw-ctx");
	assert_string_equal(CDNA_LEDGER_DESC_VALIDATED " " CDNA_LEDGER_DESC_REFUSED
			    " " CDNA_LEDGER_PINNED_PAGES " " CDNA_LEDGER_RX_BOUNCED
			    " " CDNA_LEDGER_TX_SPLIT " " CDNA_LEDGER_STRATEGY " "
			    CDNA_LEDGER_MDEV,
			    "descriptors_validated descriptors_refused pinned_pages rx_bounced tx_split strategy mdev");
}

/* Names in messages: bytes a terminal would obey shown as \xNN, cut. */
static void test_quote(void **state)
{
	char buf[16];

	(void)state;
	assert_string_equal(cdna_quote("vm1", buf, sizeof(buf)), "vm1");
	assert_string_equal(cdna_quote("\033[31mvm\t", buf, sizeof(buf)),
			    "\\x1b[31mvm\\x09");
	assert_string_equal(cdna_quote("a\\b\xc3\xa9", buf, sizeof(buf)),
			    "a\\\\b\\xc3\\xa9");
	assert_string_equal(cdna_quote("0123456789abcdefghij", buf, sizeof(buf)),
			    "0123456789ab...");
	assert_string_equal(cdna_quote("0123456789abcde", buf, sizeof(buf)),
			    "0123456789abcde");
	assert_string_equal(cdna_quote("\x01\x02\x03\x04", buf, sizeof(buf)),
			    "\\x01\\x02\\x03...");
}


/* "mode iommu|sw": the words of the ledger's mode file, and their drivers. */
static void test_mode(void **state)
{
	static const char * const bad[] = {
		"", "IOMMU", "Sw", "software", "sw ", "iommu\n", "none",
	};
	enum cdna_mode mode = CDNA_MODE_SW;
	const char *why = NULL;
	size_t i;

	(void)state;
	assert_int_equal(cdna_parse_mode("iommu", &mode, &why), 0);
	assert_int_equal(mode, CDNA_MODE_IOMMU);
	assert_int_equal(cdna_parse_mode("sw", &mode, &why), 0);
	assert_int_equal(mode, CDNA_MODE_SW);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		why = NULL;
		assert_int_equal(cdna_parse_mode(bad[i], &mode, &why), -EINVAL);
		assert_string_equal(why, "the mode is iommu or sw");
	}
	assert_int_equal(mode, CDNA_MODE_SW);
	assert_string_equal(cdna_mode_name(CDNA_MODE_IOMMU), CDNA_LEDGER_MODE_IOMMU);
	assert_string_equal(cdna_mode_name(CDNA_MODE_SW), CDNA_LEDGER_MODE_SW);
	assert_string_equal(cdna_mode_driver(CDNA_MODE_IOMMU), CDNA_GUARD_DRIVER);
	assert_string_equal(cdna_mode_driver(CDNA_MODE_SW), CDNA_GUARD_SW_DRIVER);
}

static int set_words(const char *line, struct cdna_policy *pol, int *mode,
		     char *err, size_t len)
{
	static char buf[256];
	char *argv[32];
	int argc = 0;
	char *tok;

	snprintf(buf, sizeof(buf), "%s", line);
	for (tok = strtok(buf, " "); tok && argc < 32; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	return cdna_set_parse(argc, argv, pol, mode, err, len);
}

/* set: the mode alone, with policy in any order, refused as policy is. */
static void test_set_mode_words(void **state)
{
	static const struct {
		const char *words;
		int code;
		const char *msg;
	} bad[] = {
		{ "mode", CDNA_EX_USAGE, "'mode' needs a value" },
		{ "mode sw mode iommu", CDNA_EX_USAGE, "'mode' given twice" },
		{ "mode fast", CDNA_EX_INVALID,
		  "invalid mode 'fast': the mode is iommu or sw" },
		{ "mode sw mtu 1500", CDNA_EX_USAGE,
		  "unknown setting 'mtu' (mac, vlan [qos], trust, spoofchk, state, rate, mode)" },
		{ "mode sw vlan 5000", CDNA_EX_INVALID,
		  "invalid vlan '5000': a VLAN id is 0 (none) to 4094" },
		{ "vlan 5 mode sw qos 3", CDNA_EX_USAGE,
		  "qos goes right after a VLAN: vlan V qos Q" },
	};
	struct cdna_policy pol;
	char err[200];
	int mode = 7;
	size_t i;

	(void)state;
	assert_int_equal(set_words("mode sw", &pol, &mode, err, sizeof(err)), 0);
	assert_int_equal(mode, CDNA_MODE_SW);
	assert_int_equal(pol.mask, 0);
	assert_int_equal(set_words("trust on mode iommu vlan 5 qos 2", &pol, &mode,
				   err, sizeof(err)), 0);
	assert_int_equal(mode, CDNA_MODE_IOMMU);
	assert_int_equal(pol.mask, CDNA_POL(CDNA_POL_TRUST) | CDNA_POL(CDNA_POL_VLAN));
	assert_int_equal(pol.qos, 2);
	assert_int_equal(set_words("rate 10", &pol, &mode, err, sizeof(err)), 0);
	assert_int_equal(mode, -1);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err[0] = '\0';
		assert_int_equal(set_words(bad[i].words, &pol, &mode, err, sizeof(err)),
				 bad[i].code);
		assert_string_equal(err, bad[i].msg);
	}
	/* The configuration file's ctx lines take policy only. */
	assert_int_equal(parse_words("mode sw", &pol, err, sizeof(err)), CDNA_EX_USAGE);
	assert_string_equal(err, "unknown setting 'mode' (mac, vlan [qos], trust, spoofchk, state, rate)");
}

static void test_uuid(void **state)
{
	static const char * const bad[] = {
		"", "cd0a0000-0000-8001-8000-00000000000",
		"cd0a0000-0000-8001-8000-0000000000022", "cd0a0000:0000-8001-8000-000000000002",
		"cd0a0000-0000-8001-8000-00000000000g", "{cd0a0000-0000-8001-8000-000000000002}",
		"cd0a00000000-8001-8000-0000000000002-", " cd0a0000-0000-8001-8000-00000000002",
	};
	char out[CDNA_UUID_LEN] = "untouched";
	const char *why;
	size_t i;

	(void)state;
	assert_int_equal(cdna_parse_uuid("6A9C6D1E-0F45-4b4c-8D3F-0123456789AB", out, &why), 0);
	assert_string_equal(out, "6a9c6d1e-0f45-4b4c-8d3f-0123456789ab");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		why = NULL;
		assert_int_equal(cdna_parse_uuid(bad[i], out, &why), -EINVAL);
		assert_string_equal(why, "not a UUID (8-4-4-4-12 hexadecimal digits)");
	}
	assert_string_equal(out, "6a9c6d1e-0f45-4b4c-8d3f-0123456789ab");
}

/* The stable UUID of a context's mediated device, both ways. */
static void test_ctx_uuid(void **state)
{
	static const struct {
		const char *pf;
		unsigned int index;
		const char *uuid;
	} cases[] = {
		{ "0000:01:00.0", 2, "cd0a0000-0000-8001-8000-000000000002" },
		{ "0000:00:00.0", 0, "cd0a0000-0000-8000-8000-000000000000" },
		{ "abcd:ef:1f.7", 65535, "cd0a0000-abcd-80ef-81f7-00000000ffff" },
		{ "0001:3b:02.1", 6, "cd0a0000-0001-803b-8021-000000000006" },
	};
	static const char * const not_ours[] = {
		"6a9c6d1e-0f45-4b4c-8d3f-0123456789ab",	/* random, v4 */
		"cd0a0000-0000-4001-8000-000000000002",	/* version 4 */
		"cd0a0000-0000-8101-8000-000000000002",	/* not 80BB */
		"cd0a0000-0000-8001-9000-000000000002",	/* not 8SSF */
		"cd0a0000-0000-8001-8200-000000000002",	/* slot 0x20 */
		"cd0a0000-0000-8001-8008-000000000002",	/* function 8 */
		"cd0a0000-0000-8001-8000-000000010000",	/* context 65536 */
		"cd0a0001-0000-8001-8000-000000000002",	/* another prefix */
		"cd0a0000-0000-8001-8000-+00000000002",	/* a sign */
	};
	char uuid[CDNA_UUID_LEN], pf[CDNA_PCI_LEN], norm[CDNA_UUID_LEN];
	unsigned int index;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(cdna_ctx_uuid(cases[i].pf, cases[i].index, uuid), 0);
		assert_string_equal(uuid, cases[i].uuid);
		/* A UUID the kernel, libvirt and mdevctl take. */
		assert_int_equal(cdna_parse_uuid(uuid, norm, &why), 0);
		assert_string_equal(norm, uuid);
		index = 99;
		assert_int_equal(cdna_uuid_ctx(uuid, pf, &index), 0);
		assert_string_equal(pf, cases[i].pf);
		assert_int_equal(index, cases[i].index);
	}
	/* Different contexts, different UUIDs; the same one, the same. */
	assert_int_equal(cdna_ctx_uuid("0000:01:00.0", 3, uuid), 0);
	assert_string_not_equal(uuid, cases[0].uuid);
	assert_int_equal(cdna_ctx_uuid("0000:02:00.0", 2, uuid), 0);
	assert_string_not_equal(uuid, cases[0].uuid);
	assert_int_equal(cdna_ctx_uuid("0000:01:00.0", 2, uuid), 0);
	assert_string_equal(uuid, cases[0].uuid);
	/* Only normalized PCI addresses. */
	assert_int_equal(cdna_ctx_uuid("01:00.0", 2, uuid), -EINVAL);
	assert_int_equal(cdna_ctx_uuid("0000:01:00.0 ", 2, uuid), -EINVAL);
	assert_int_equal(cdna_ctx_uuid("eth0", 2, uuid), -EINVAL);
	for (i = 0; i < ARRAY_SIZE(not_ours); i++)
		assert_int_equal(cdna_uuid_ctx(not_ours[i], pf, &index), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_uint),
		cmocka_unit_test(test_vlan_qos_rate),
		cmocka_unit_test(test_state_onoff),
		cmocka_unit_test(test_pci),
		cmocka_unit_test(test_ctx_spec),
		cmocka_unit_test(test_owner),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_sysfs_abi),
		cmocka_unit_test(test_policy_words),
		cmocka_unit_test(test_policy_refused),
		cmocka_unit_test(test_policy_describe),
		cmocka_unit_test(test_mode),
		cmocka_unit_test(test_set_mode_words),
		cmocka_unit_test(test_uuid),
		cmocka_unit_test(test_ctx_uuid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
