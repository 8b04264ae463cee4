// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the isolation decision (kmod/include/cdna_isolation.c):
 * when may vmm_guard hand a context to a VM in IOMMU mode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cdna_isolation.h"

static enum cdna_iso_verdict decide(bool group, unsigned int n, bool dma,
				    bool override, const char **why)
{
	struct cdna_iso_facts f = {
		.has_group = group, .group_devices = n,
		.dma_translated = dma, .msi_isolated = true,
		.override = override,
	};

	return cdna_iso_decide(&f, why);
}

static void test_isolated(void **state)
{
	const char *why = "stale";

	(void)state;
	assert_int_equal(decide(true, 1, true, false, &why), CDNA_ISO_OK);
	assert_null(why);
	/* The override changes nothing for an isolated context. */
	assert_int_equal(decide(true, 1, true, true, &why), CDNA_ISO_OK);
	assert_null(why);
}

static void test_shared_group_refused(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(decide(true, 2, true, false, &why), CDNA_ISO_REFUSED);
	assert_non_null(strstr(why, "group holds other devices"));
	assert_int_equal(decide(true, 8, true, false, &why), CDNA_ISO_REFUSED);
}

static void test_no_translation_refused(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(decide(true, 1, false, false, &why), CDNA_ISO_REFUSED);
	assert_non_null(strstr(why, "DMA remapping is not active"));
}

static void test_no_group_refused(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(decide(false, 0, false, false, &why), CDNA_ISO_REFUSED);
	assert_non_null(strstr(why, "no IOMMU group"));
}

static void test_worst_reason_first(void **state)
{
	const char *why;

	(void)state;
	/* No translation is worse than sharing: it is the one reported. */
	assert_int_equal(decide(true, 3, false, false, &why), CDNA_ISO_REFUSED);
	assert_non_null(strstr(why, "DMA remapping"));
}

static void test_override_taints_and_keeps_reason(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(decide(true, 2, true, true, &why), CDNA_ISO_TAINTED);
	assert_non_null(strstr(why, "group holds other devices"));
	assert_int_equal(decide(false, 0, false, true, &why), CDNA_ISO_TAINTED);
	assert_non_null(why);
}

static void test_msi_not_isolated_refused(void **state)
{
	struct cdna_iso_facts f = {
		.has_group = true, .group_devices = 1, .dma_translated = true,
	};
	const char *why;

	(void)state;
	assert_int_equal(cdna_iso_decide(&f, &why), CDNA_ISO_REFUSED);
	assert_non_null(strstr(why, "MSIs are not isolated"));
	/* A shared group is the worse reason. */
	f.group_devices = 2;
	assert_int_equal(cdna_iso_decide(&f, &why), CDNA_ISO_REFUSED);
	assert_non_null(strstr(why, "group holds other devices"));
	/* The override takes it, tainted, and says why. */
	f.group_devices = 1;
	f.override = true;
	assert_int_equal(cdna_iso_decide(&f, &why), CDNA_ISO_TAINTED);
	assert_non_null(strstr(why, "MSIs are not isolated"));
	f.override = false;
	f.msi_isolated = true;
	assert_int_equal(cdna_iso_decide(&f, &why), CDNA_ISO_OK);
	assert_null(why);
}

/* iommufd attaches the IOAS after the open: refused, with the way out. */
static void test_iommufd_refused(void **state)
{
	struct cdna_iso_facts f = {
		.has_group = true, .group_devices = 1, .dma_translated = true,
		.msi_isolated = true, .iommufd = true,
	};
	const char *why;

	(void)state;
	assert_int_equal(cdna_iso_decide(&f, &why), CDNA_ISO_REFUSED);
	assert_non_null(strstr(why, "iommufd"));
	assert_non_null(strstr(why, "use type1"));
	/* It is reported before the domain it could not judge. */
	f.dma_translated = false;
	assert_int_equal(cdna_iso_decide(&f, &why), CDNA_ISO_REFUSED);
	assert_non_null(strstr(why, "iommufd"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_isolated),
		cmocka_unit_test(test_shared_group_refused),
		cmocka_unit_test(test_no_translation_refused),
		cmocka_unit_test(test_no_group_refused),
		cmocka_unit_test(test_worst_reason_first),
		cmocka_unit_test(test_override_taints_and_keeps_reason),
		cmocka_unit_test(test_msi_not_isolated_refused),
		cmocka_unit_test(test_iommufd_refused),
	};

	return cmocka_run_group_tests_name("isolation decision", tests, NULL, NULL);
}
