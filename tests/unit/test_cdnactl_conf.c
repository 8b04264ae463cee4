// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the contexts configuration file (userspace/cdnactl/conf.c):
 * good files are read exactly and written back the same, every bad file
 * is refused with its line number.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/if_link.h>

#include "cdnactl.h"
#include "conf.h"


static int parse_text(const char *text, struct cdna_conf *conf, char *err,
		      size_t len)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	assert_non_null(f);
	ret = cdna_conf_parse(f, "contexts.conf", conf, err, len);
	fclose(f);
	return ret;
}

static const char good[] =
	"# two PFs\n"
	"\n"
	"pf 0000:01:00.0 contexts 4   # trailing comment\n"
	"ctx 0000:01:00.0/0 mac 52:54:00:cd:00:00 vlan 10 qos 3 spoofchk on trust off state auto rate 0\n"
	"ctx 0000:01:00.0/3\tvlan 0 state disable\n"
	"ctx 0000:01:00.0/2 mode iommu\n"
	"   pf 02:00.0 contexts 0\n"
	"pf 0000:03:00.1 contexts 2\n"
	"ctx 03:00.1/1 mode sw rate 500 trust on\n";

static void test_good(void **state)
{
	struct cdna_conf conf;
	struct cdna_conf_pf *pf;
	char err[256] = "";

	(void)state;
	assert_int_equal(parse_text(good, &conf, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(conf.npf, 3);
	pf = cdna_conf_find(&conf, "0000:01:00.0");
	assert_non_null(pf);
	assert_int_equal(pf->count, 4);
	assert_int_equal(pf->line, 3);
	assert_int_equal(pf->ctx[0].mask, CDNA_POL_ALL);
	assert_int_equal(pf->ctx[0].vlan, 10);
	assert_int_equal(pf->ctx[0].qos, 3);
	assert_true(pf->ctx[0].spoofchk);
	assert_int_equal(pf->ctx[1].mask, 0);
	assert_int_equal(pf->ctx[2].mask, 0);
	assert_int_equal(pf->mode[0], -1);
	assert_int_equal(pf->mode[1], -1);
	assert_int_equal(pf->mode[2], CDNA_MODE_IOMMU);
	assert_int_equal(pf->mode[3], -1);
	assert_int_equal(pf->ctx[3].mask,
			 CDNA_POL(CDNA_POL_VLAN) | CDNA_POL(CDNA_POL_STATE));
	assert_int_equal(pf->ctx[3].state, IFLA_VF_LINK_STATE_DISABLE);
	pf = cdna_conf_find(&conf, "0000:02:00.0");
	assert_non_null(pf);
	assert_int_equal(pf->count, 0);
	pf = cdna_conf_find(&conf, "0000:03:00.1");
	assert_non_null(pf);
	assert_int_equal(pf->ctx[1].rate, 500);
	assert_true(pf->ctx[1].trust);
	assert_int_equal(pf->mode[0], -1);
	assert_int_equal(pf->mode[1], CDNA_MODE_SW);
	assert_null(cdna_conf_find(&conf, "0000:04:00.0"));
	cdna_conf_free(&conf);
	assert_int_equal(conf.npf, 0);
}

/* What save writes, restore reads back to the same file. */
static void test_round_trip(void **state)
{
	struct cdna_conf conf, again;
	char err[256], *out = NULL, *out2 = NULL;
	size_t len = 0, len2 = 0;
	FILE *f;

	(void)state;
	assert_int_equal(parse_text(good, &conf, err, sizeof(err)), 0);
	f = open_memstream(&out, &len);
	assert_int_equal(cdna_conf_write(f, &conf), 0);
	fclose(f);
	assert_non_null(strstr(out, "pf 0000:01:00.0 contexts 4\n"
				    "ctx 0000:01:00.0/0 mac 52:54:00:cd:00:00 vlan 10 qos 3 spoofchk on trust off state auto rate 0\n"
				    "ctx 0000:01:00.0/2 mode iommu\n"
				    "ctx 0000:01:00.0/3 vlan 0 qos 0 state disable\n"
				    "pf 0000:02:00.0 contexts 0\n"
				    "pf 0000:03:00.1 contexts 2\n"
				    "ctx 0000:03:00.1/1 trust on rate 500 mode sw\n"));
	assert_int_equal(parse_text(out, &again, err, sizeof(err)), 0);
	f = open_memstream(&out2, &len2);
	assert_int_equal(cdna_conf_write(f, &again), 0);
	fclose(f);
	assert_string_equal(out, out2);
	cdna_conf_free(&conf);
	cdna_conf_free(&again);
	free(out);
	free(out2);
}

static void test_empty(void **state)
{
	struct cdna_conf conf;
	char err[256];

	(void)state;
	assert_int_equal(parse_text("", &conf, err, sizeof(err)), 0);
	assert_int_equal(conf.npf, 0);
	cdna_conf_free(&conf);
	assert_int_equal(parse_text("# nothing\n\n   \n", &conf, err, sizeof(err)), 0);
	assert_int_equal(conf.npf, 0);
	cdna_conf_free(&conf);
}

static void test_bad(void **state)
{
	static const struct {
		const char *text;
		const char *msg;
	} cases[] = {
		{ "pf 0000:01:00.0 contexts 4\nctx 0000:01:00.0/0 vlan 5000\n",
		  "contexts.conf:2: context '0000:01:00.0/0': invalid vlan '5000': a VLAN id is 0 (none) to 4094" },
		{ "# ok\npf 0000:01:00.0 contexts 4\n\nctx 0000:01:00.0/4 trust on\n",
		  "contexts.conf:4: context '0000:01:00.0/4': PF 0000:01:00.0 has 4 contexts (line 2)" },
		{ "ctx 0000:01:00.0/0 trust on\n",
		  "contexts.conf:1: context '0000:01:00.0/0': no pf line for 0000:01:00.0 before it" },
		{ "pf 0000:01:00.0 contexts 4\npf 01:00.0 contexts 2\n",
		  "contexts.conf:2: PF 0000:01:00.0 already declared on line 1" },
		{ "pf eth0 contexts 4\n",
		  "contexts.conf:1: PF 'eth0': not a PCI address (0000:01:10.0)" },
		{ "pf 0000:01:00.0 contexts 300\n",
		  "contexts.conf:1: contexts '300': out of range (at most 256)" },
		{ "pf 0000:01:00.0 contexts -1\n",
		  "contexts.conf:1: contexts '-1': not a decimal number (at most 256)" },
		{ "pf 0000:01:00.0 4\n",
		  "contexts.conf:1: expected 'pf PCI-ADDRESS contexts N'" },
		{ "pf 0000:01:00.0 contexts 4 extra\n",
		  "contexts.conf:1: expected 'pf PCI-ADDRESS contexts N'" },
		{ "pf 0000:01:00.0 contexts 4\nctx 0000:01:00.0/1\n",
		  "contexts.conf:2: expected 'ctx PCI-ADDRESS/N setting...'" },
		{ "pf 0000:01:00.0 contexts 4\nctx eth0/1 trust on\n",
		  "contexts.conf:2: context 'eth0/1': write it as PF-PCI-ADDRESS/N" },
		{ "pf 0000:01:00.0 contexts 4\nctx 0000:01:10.0 trust on\n",
		  "contexts.conf:2: context '0000:01:10.0': write it as PF-PCI-ADDRESS/N" },
		{ "pf 0000:01:00.0 contexts 4\nctx 0000:01:00.0/1 trust on\nctx 0000:01:00.0/1 rate 5\n",
		  "contexts.conf:3: context '0000:01:00.0/1' given twice" },
		{ "pf 0000:01:00.0 contexts 4\nctx 0000:01:00.0/1 mtu 9000\n",
		  "contexts.conf:2: context '0000:01:00.0/1': unknown setting 'mtu' (mac, vlan [qos], trust, spoofchk, state, rate, mode)" },
		{ "pf 0000:01:00.0 contexts 4\nctx 0000:01:00.0/1 mode vfio\n",
		  "contexts.conf:2: context '0000:01:00.0/1': invalid mode 'vfio': the mode is iommu or sw" },
		{ "pf 0000:01:00.0 contexts 4\nctx 0000:01:00.0/1 mode\n",
		  "contexts.conf:2: context '0000:01:00.0/1': 'mode' needs a value" },
		{ "pf 0000:01:00.0 contexts 4\nctx 0000:01:00.0/1 mode sw mode iommu\n",
		  "contexts.conf:2: context '0000:01:00.0/1': 'mode' given twice" },
		{ "pf 0000:01:00.0 contexts 4\nctx 0000:01:00.0/1 mode sw\nctx 0000:01:00.0/1 trust on\n",
		  "contexts.conf:3: context '0000:01:00.0/1' given twice" },
		{ "pf 0000:01:00.0 contexts 4\nctx 0000:01:00.0/1 mac 01:00:5e:00:00:01\n",
		  "contexts.conf:2: context '0000:01:00.0/1': invalid mac '01:00:5e:00:00:01': a multicast address is not a unicast address" },
		{ "pf 0000:01:00.0 contexts 4\nctx 0000:01:00.0/1 trust on trust off\n",
		  "contexts.conf:2: context '0000:01:00.0/1': 'trust' given twice" },
		{ "vf 0000:01:00.0 contexts 4\n",
		  "contexts.conf:1: unknown keyword 'vf' (pf, ctx)" },
		{ "pf 0000:01:00.0 contexts 4\nctx 0000:01:00.0/1 a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f\n",
		  "contexts.conf:2: more than 32 words" },
	};
	struct cdna_conf conf;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		err[0] = '\0';
		assert_int_equal(parse_text(cases[i].text, &conf, err, sizeof(err)),
				 CDNA_EX_INVALID);
		assert_string_equal(err, cases[i].msg);
		cdna_conf_free(&conf);
	}
}

static void test_long_line_and_nul(void **state)
{
	char text[2100], err[256];
	struct cdna_conf conf;
	FILE *f;

	(void)state;
	memset(text, 'x', sizeof(text));
	memcpy(text, "# ok\n# ", 7);
	text[sizeof(text) - 2] = '\n';
	text[sizeof(text) - 1] = '\0';
	assert_int_equal(parse_text(text, &conf, err, sizeof(err)), CDNA_EX_INVALID);
	assert_string_equal(err, "contexts.conf:2: line longer than 1024 characters");
	cdna_conf_free(&conf);

	f = fmemopen((void *)"pf 0000:01:00.0 contexts 4\n# a\0b\n", 33, "r");
	assert_non_null(f);
	assert_int_equal(cdna_conf_parse(f, "c", &conf, err, sizeof(err)),
			 CDNA_EX_INVALID);
	assert_string_equal(err, "c:2: a NUL byte in the line");
	fclose(f);
	cdna_conf_free(&conf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_long_line_and_nul),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
