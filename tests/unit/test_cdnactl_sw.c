// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of what cdnactl shows of a context in the guard's software
 * mode (userspace/cdnactl/sw.c): the ledger files of vmm_guard_sw read
 * from a fake ledger directory (files as sysfs shows them, a newline
 * after each value), the line list prints under the context's row and
 * the "sw" object of list -j; a file missing or unreadable shows nothing
 * rather than a wrong number.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cdnactl.h"
#include "json.h"
#include "sw.h"

/* sysfs.c reports through these (main.c in the tool). */
int cdna_err(int code, const char *fmt, ...)
{
	(void)fmt;
	return code;
}

void cdna_warn(const char *fmt, ...)
{
	(void)fmt;
}

static char dir[64];

static const char * const files[] = {
	CDNA_LEDGER_DESC_VALIDATED, CDNA_LEDGER_DESC_REFUSED,
	CDNA_LEDGER_PINNED_PAGES, CDNA_LEDGER_RX_BOUNCED, CDNA_LEDGER_TX_SPLIT,
	CDNA_LEDGER_SPOOF_DROPPED, CDNA_LEDGER_VLAN_DROPPED,
	CDNA_LEDGER_STRATEGY, CDNA_LEDGER_MDEV,
};

static void put(const char *file, const char *val)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s\n", val);
	fclose(f);
}

static void drop(const char *file)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	unlink(path);
}

/* A ledger as vmm_guard_sw shows it for a context a VM uses. */
static int make_ledger(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/cdna-ledger-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	put(CDNA_LEDGER_DESC_VALIDATED, "18446744073709551615");
	put(CDNA_LEDGER_DESC_REFUSED, "3");
	put(CDNA_LEDGER_PINNED_PAGES, "257");
	put(CDNA_LEDGER_RX_BOUNCED, "12");
	put(CDNA_LEDGER_TX_SPLIT, "0");
	put(CDNA_LEDGER_SPOOF_DROPPED, "5");
	put(CDNA_LEDGER_VLAN_DROPPED, "1");
	put(CDNA_LEDGER_STRATEGY, CDNA_STRATEGY_PER_DESC);
	put(CDNA_LEDGER_MDEV, "cd0a0000-0000-8001-8000-000000000002");
	/* Files of both modes, which sw.c does not read. */
	put(CDNA_LEDGER_STATE, CDNA_GUARD_STATE_ASSIGNED);
	put(CDNA_LEDGER_MODE, CDNA_LEDGER_MODE_SW);
	return 0;
}

static int remove_ledger(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(files); i++)
		drop(files[i]);
	drop(CDNA_LEDGER_STATE);
	drop(CDNA_LEDGER_MODE);
	return rmdir(dir);
}

struct out {
	char *buf;
	size_t len;
	FILE *f;
};

static void out_open(struct out *o)
{
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
	assert_non_null(o->f);
}

static void out_check(struct out *o, const char *want)
{
	fclose(o->f);
	assert_string_equal(o->buf, want);
	free(o->buf);
}

/* The "sw" member inside an object, as list -j writes it. */
static void json_of(const struct cdna_sw_info *sw, const char *want)
{
	struct cdna_json j;
	struct out o;

	out_open(&o);
	cdna_json_init(&j, o.f);
	cdna_json_begin_object(&j);
	cdna_json_kv_str(&j, "mode", CDNA_LEDGER_MODE_SW);
	cdna_sw_json(&j, sw);
	cdna_json_end_object(&j);
	out_check(&o, want);
}

static void line_of(const struct cdna_sw_info *sw, const char *want)
{
	struct out o;

	out_open(&o);
	cdna_sw_line(o.f, sw);
	out_check(&o, want);
}

static void test_read_show(void **state)
{
	struct cdna_sw_info sw;

	(void)state;
	assert_int_equal(cdna_sw_info_read(dir, &sw), 0);
	assert_true(sw.valid);
	assert_true(sw.validated == UINT64_MAX);
	assert_int_equal(sw.refused, 3);
	assert_int_equal(sw.pinned, 257);
	assert_int_equal(sw.bounced, 12);
	assert_int_equal(sw.split, 0);
	assert_int_equal(sw.spoof, 5);
	assert_int_equal(sw.vlan, 1);
	assert_string_equal(sw.strategy, CDNA_STRATEGY_PER_DESC);
	assert_string_equal(sw.mdev, "cd0a0000-0000-8001-8000-000000000002");
	line_of(&sw, "    sw: mdev cd0a0000-0000-8001-8000-000000000002 strategy per-desc validated 18446744073709551615 refused 3 pinned_pages 257 rx_bounced 12 tx_split 0 spoof_dropped 5 vlan_dropped 1\n");
	json_of(&sw, "{\"mode\":\"sw\",\"sw\":{\"mdev\":\"cd0a0000-0000-8001-8000-000000000002\",\"strategy\":\"per-desc\",\"descriptors_validated\":18446744073709551615,\"descriptors_refused\":3,\"pinned_pages\":257,\"rx_bounced\":12,\"tx_split\":0,\"spoof_dropped\":5,\"vlan_dropped\":1}}");
}

/* No mediated device yet: shown as such, the counters all the same. */
static void test_no_mdev(void **state)
{
	struct cdna_sw_info sw;

	(void)state;
	put(CDNA_LEDGER_MDEV, "");
	put(CDNA_LEDGER_STRATEGY, CDNA_STRATEGY_CACHE);
	put(CDNA_LEDGER_DESC_VALIDATED, "0");
	assert_int_equal(cdna_sw_info_read(dir, &sw), 0);
	assert_true(sw.valid);
	assert_string_equal(sw.mdev, "");
	line_of(&sw, "    sw: mdev - strategy cache validated 0 refused 3 pinned_pages 257 rx_bounced 12 tx_split 0 spoof_dropped 5 vlan_dropped 1\n");
	json_of(&sw, "{\"mode\":\"sw\",\"sw\":{\"mdev\":null,\"strategy\":\"cache\",\"descriptors_validated\":0,\"descriptors_refused\":3,\"pinned_pages\":257,\"rx_bounced\":12,\"tx_split\":0,\"spoof_dropped\":5,\"vlan_dropped\":1}}");
	/* Upper case, as another tool might print it: normalized. */
	put(CDNA_LEDGER_MDEV, "CD0A0000-0000-8001-8000-00000000000A");
	assert_int_equal(cdna_sw_info_read(dir, &sw), 0);
	assert_string_equal(sw.mdev, "cd0a0000-0000-8001-8000-00000000000a");
	put(CDNA_LEDGER_MDEV, "cd0a0000-0000-8001-8000-000000000002");
	put(CDNA_LEDGER_STRATEGY, CDNA_STRATEGY_PER_DESC);
}

/* Nothing shown rather than a wrong number. */
static void test_refused(void **state)
{
	static const struct {
		const char *file;
		const char *val;	/* NULL: the file is missing */
		int ret;
	} cases[] = {
		{ CDNA_LEDGER_DESC_VALIDATED, NULL, -ENOENT },
		{ CDNA_LEDGER_DESC_REFUSED, "many", -EINVAL },
		{ CDNA_LEDGER_PINNED_PAGES, "-1", -EINVAL },
		{ CDNA_LEDGER_RX_BOUNCED, "", -EINVAL },
		{ CDNA_LEDGER_TX_SPLIT, "18446744073709551616", -EINVAL },
		{ CDNA_LEDGER_STRATEGY, NULL, -ENOENT },
		{ CDNA_LEDGER_MDEV, NULL, -ENOENT },
		{ CDNA_LEDGER_MDEV, "not-a-uuid", -EINVAL },
	};
	struct cdna_sw_info sw;
	char keep[64];
	size_t i;
	FILE *f;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char path[128];

		snprintf(path, sizeof(path), "%s/%s", dir, cases[i].file);
		f = fopen(path, "r");
		assert_non_null(f);
		assert_non_null(fgets(keep, sizeof(keep), f));
		fclose(f);
		keep[strcspn(keep, "\n")] = '\0';
		if (cases[i].val)
			put(cases[i].file, cases[i].val);
		else
			drop(cases[i].file);
		memset(&sw, 0x5a, sizeof(sw));
		assert_int_equal(cdna_sw_info_read(dir, &sw), cases[i].ret);
		assert_false(sw.valid);
		assert_int_equal(sw.validated, 0);
		assert_string_equal(sw.mdev, "");
		line_of(&sw, "");
		json_of(&sw, "{\"mode\":\"sw\",\"sw\":null}");
		put(cases[i].file, keep);
	}
	/* Not a ledger at all: the context is not in software mode. */
	assert_int_equal(cdna_sw_info_read("/nonexistent/guard", &sw), -ENOENT);
	assert_false(sw.valid);
	assert_int_equal(cdna_sw_info_read(dir, &sw), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_show),
		cmocka_unit_test(test_no_mdev),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, make_ledger, remove_ledger);
}
