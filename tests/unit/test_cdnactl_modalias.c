// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of libvirt's choice of a VFIO variant driver from
 * modules.alias (userspace/cdnactl/modalias.c), which the hook checks
 * before it lets libvirt manage a context (managed='yes').
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "modalias.h"

#define VF_MODALIAS	"pci:v00008086d000010CAsv00008086sd00000000bc02sc00i00"

static int best(const char *aliases, const char *modalias, char *module,
		size_t len)
{
	FILE *f = fmemopen((void *)aliases, strlen(aliases), "r");
	int ret;

	assert_non_null(f);
	ret = cdna_best_vfio_variant(modalias, f, module, len);
	fclose(f);
	return ret;
}

/* modules.alias as depmod writes it with the guard installed. */
static const char installed[] =
	"# Aliases extracted from modules themselves.\n"
	"alias pci:v00008086d000010CAsv*sd*bc*sc*i* igbvf\n"
	"alias pci:v00008086d000010CAsv*sd*bc*sc*i* cdna_vf\n"
	"alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci\n"
	"alias vfio_pci:v00008086d0000152Dsv*sd*bc*sc*i* vmm_guard\n"
	"alias vfio_pci:v00008086d000010CAsv*sd*bc*sc*i* vmm_guard\n"
	"alias vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_vfio_pci\n";

static void test_guard_wins(void **state)
{
	char m[64];

	(void)state;
	assert_int_equal(best(installed, VF_MODALIAS, m, sizeof(m)), 0);
	assert_string_equal(m, "vmm_guard");
}

static void test_fewest_wildcards(void **state)
{
	static const char a[] =
		"# Aliases extracted from modules themselves.\n"
		"alias vfio_pci:v00008086d000010CAsv*sd*bc*sc*i* vmm_guard\n"
		"alias vfio_pci:v00008086d000010CAsv00008086sd*bc*sc*i* other_vfio\n"
		"alias vfio_pci:v00008086d000010CAsv00001234sd*bc*sc*i* wrong_sv\n";
	static const char tie[] =
		"#\n"
		"alias vfio_pci:v00008086d*sv*sd*bc*sc*i* first\n"
		"alias vfio_pci:v*d000010CAsv*sd*bc*sc*i* second\n";
	char m[64];

	(void)state;
	assert_int_equal(best(a, VF_MODALIAS, m, sizeof(m)), 0);
	assert_string_equal(m, "other_vfio");
	/* Equally specific: the first line, as libvirt. */
	assert_int_equal(best(tie, VF_MODALIAS, m, sizeof(m)), 0);
	assert_string_equal(m, "first");
}

static void test_none(void **state)
{
	/* From the build tree only: no alias of the guard's. */
	static const char tree[] =
		"alias pci:v00008086d000010CAsv*sd*bc*sc*i* igbvf\n"
		"alias vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_vfio_pci\n";
	char m[64] = "x";

	(void)state;
	assert_int_equal(best(tree, VF_MODALIAS, m, sizeof(m)), 0);
	assert_string_equal(m, "");
	assert_int_equal(best("", VF_MODALIAS, m, sizeof(m)), 0);
	assert_string_equal(m, "");
}

static void test_generic_vfio_pci(void **state)
{
	/* vfio-pci's own generic alias is a match: libvirt takes vfio_pci. */
	static const char a[] = "#\nalias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci\n";
	char m[64];

	(void)state;
	assert_int_equal(best(a, VF_MODALIAS, m, sizeof(m)), 0);
	assert_string_equal(m, "vfio_pci");
}

static void test_name_to_line_end(void **state)
{
	/* libvirt's name runs from the first space to the end of the line. */
	static const char a[] =
		"#\n"
		"alias vfio_pci:v00008086d000010CAsv*sd*bc*sc*i* vmm_guard vfio_pci\n";
	char m[64];

	(void)state;
	assert_int_equal(best(a, VF_MODALIAS, m, sizeof(m)), 0);
	assert_string_equal(m, "vmm_guard vfio_pci");
}

static void test_malformed(void **state)
{
	static const char a[] =
		"alias vfio_pci:v00008086d000010CAsv*sd*bc*sc*i* first_line\n"
		"alias vfio_pci:v00008086d000010CA vmm_short\n"
		"alias vfio_pci:v00008086d000010CAsv*sd*bc*sc*i*\n"
		"alias vfio_pci:v00008086d000010CAsv*sd*bc*sc*i*x* extra_field\n"
		"alias vfio_pci:v00008086d000010casv*sd*bc*sc*i* lower_case\n"
		"alias vfio_pci:v00008086d000010CAsv*sd*bc*sc*i* "
		"a_module_name_longer_than_the_buffer_the_caller_gave\n"
		"alias vfio_pcix:v00008086d000010CAsv*sd*bc*sc*i* prefix\n"
		"alias  vfio_pci:v00008086d000010CAsv*sd*bc*sc*i* spaces\n"
		"alias vfio_pci:v00008086d000010CAsv*sd*bc*sc*i*\tvmm_guard tab\n"
		"garbage\n";
	char m[16] = "x";

	(void)state;
	assert_int_equal(best(a, VF_MODALIAS, m, sizeof(m)), 0);
	assert_string_equal(m, "");
	assert_int_equal(best(installed, "usb:v1D6Bp0002", m, sizeof(m)), -1);
	assert_int_equal(best(installed, "pci:v00008086d000010CA", m, sizeof(m)), -1);
	assert_int_equal(best(installed, "pci:v00008086d000010CAsv00008086sd00000000bc02sc00i00junk",
			      m, sizeof(m)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guard_wins),
		cmocka_unit_test(test_fewest_wildcards),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_generic_vfio_pci),
		cmocka_unit_test(test_name_to_line_end),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
