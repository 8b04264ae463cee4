// SPDX-License-Identifier: GPL-2.0
/*
 * cdna_pf fault injection knobs (see pf_fault.h).
 */
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/printk.h>

#include "pf_fault.h"

static const char * const fault_names[CDNA_FAULT_NUM] = {
	[CDNA_FAULT_MSIX]	= "fail_msix",
	[CDNA_FAULT_SRIOV]	= "fail_sriov_enable",
	[CDNA_FAULT_QUIESCE]	= "fail_quiesce",
	[CDNA_FAULT_SCRUB]	= "fail_scrub",
	[CDNA_FAULT_MBX_REPLY]	= "fail_mbx_reply",
	[CDNA_FAULT_RESET]	= "fail_reset",
	[CDNA_FAULT_RING]	= "fail_ring_alloc",
	[CDNA_FAULT_DMA_MAP]	= "fail_dma_map",
};

/* Tries left to fail, per point: N, -1 for always, 0 for never. */
static atomic_t fault_left[CDNA_FAULT_NUM];
static struct dentry *fault_dir;

/**
 * cdna_fault - whether the next try of @point must fail
 * @point: the operation
 *
 * Return: true when a knob asks for a failure now (and counts it down).
 */
bool cdna_fault(enum cdna_fault_point point)
{
	atomic_t *left = &fault_left[point];
	int n;

	do {
		n = atomic_read(left);
		if (n == 0)
			return false;
		if (n < 0)
			break;
	} while (atomic_cmpxchg(left, n, n - 1) != n);
	pr_info_ratelimited("cdna_pf: injected failure: %s\n",
			    fault_names[point]);
	return true;
}

static int fault_get(void *data, u64 *val)
{
	*val = (u64)(s64)atomic_read(data);
	return 0;
}

static int fault_set(void *data, u64 val)
{
	s64 n = (s64)val;

	if (n < -1 || n > INT_MAX)
		return -EINVAL;
	atomic_set(data, n);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE_SIGNED(fault_fops, fault_get, fault_set, "%lld\n");

/**
 * cdna_fault_init - create the knobs (module load)
 */
void cdna_fault_init(void)
{
	int i;

	fault_dir = debugfs_create_dir("cdna_pf", NULL);
	for (i = 0; i < CDNA_FAULT_NUM; i++)
		debugfs_create_file_unsafe(fault_names[i], 0600, fault_dir,
					   &fault_left[i], &fault_fops);
}

/**
 * cdna_fault_exit - remove the knobs (module unload)
 */
void cdna_fault_exit(void)
{
	debugfs_remove_recursive(fault_dir);
}
