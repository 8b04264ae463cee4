// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of cdnactl's JSON writer (userspace/cdnactl/json.c): commas
 * and nesting in the right places, numbers and booleans unquoted, null,
 * and every character a JSON string may not hold escaped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json.h"

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

static void test_escape(void **state)
{
	struct out o;

	(void)state;
	out_open(&o);
	cdna_json_escape(o.f, "plain");
	out_check(&o, "\"plain\"");
	out_open(&o);
	cdna_json_escape(o.f, "a\"b\\c/d");
	out_check(&o, "\"a\\\"b\\\\c/d\"");
	out_open(&o);
	cdna_json_escape(o.f, "tab\tnl\ncr\rbell\aesc\x1b" "del\x7f");
	out_check(&o, "\"tab\\tnl\\ncr\\rbell\\u0007esc\\u001bdel\\u007f\"");
	out_open(&o);
	cdna_json_escape(o.f, "\x01\x1f");
	out_check(&o, "\"\\u0001\\u001f\"");
	/* UTF-8 goes through as it is. */
	out_open(&o);
	cdna_json_escape(o.f, "dom\xc3\xa9");
	out_check(&o, "\"dom\xc3\xa9\"");
	out_open(&o);
	cdna_json_escape(o.f, "");
	out_check(&o, "\"\"");
}

static void test_list_shape(void **state)
{
	struct cdna_json j;
	struct out o;
	int i;

	(void)state;
	out_open(&o);
	cdna_json_init(&j, o.f);
	cdna_json_begin_array(&j);
	for (i = 0; i < 2; i++) {
		cdna_json_begin_object(&j);
		cdna_json_kv_str(&j, "pf", "eth0");
		cdna_json_kv_u64(&j, "index", (uint64_t)i);
		cdna_json_kv_str(&j, "owner", i ? "vm \"one\"" : NULL);
		cdna_json_kv_bool(&j, "trust", i);
		cdna_json_kv_u64(&j, "rx_bytes", 18446744073709551615ULL);
		cdna_json_end_object(&j);
	}
	cdna_json_end_array(&j);
	out_check(&o, "[{\"pf\":\"eth0\",\"index\":0,\"owner\":null,\"trust\":false,"
		      "\"rx_bytes\":18446744073709551615},"
		      "{\"pf\":\"eth0\",\"index\":1,\"owner\":\"vm \\\"one\\\"\",\"trust\":true,"
		      "\"rx_bytes\":18446744073709551615}]");
}

static void test_empty_and_nested(void **state)
{
	struct cdna_json j;
	struct out o;

	(void)state;
	out_open(&o);
	cdna_json_init(&j, o.f);
	cdna_json_begin_array(&j);
	cdna_json_end_array(&j);
	out_check(&o, "[]");

	out_open(&o);
	cdna_json_init(&j, o.f);
	cdna_json_begin_object(&j);
	cdna_json_key(&j, "a");
	cdna_json_begin_array(&j);
	cdna_json_u64(&j, 1);
	cdna_json_null(&j);
	cdna_json_begin_object(&j);
	cdna_json_end_object(&j);
	cdna_json_str(&j, "x");
	cdna_json_end_array(&j);
	cdna_json_key(&j, "b");
	cdna_json_begin_object(&j);
	cdna_json_kv_bool(&j, "c", true);
	cdna_json_end_object(&j);
	cdna_json_end_object(&j);
	out_check(&o, "{\"a\":[1,null,{},\"x\"],\"b\":{\"c\":true}}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_list_shape),
		cmocka_unit_test(test_empty_and_nested),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
