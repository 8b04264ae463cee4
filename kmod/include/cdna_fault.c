// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection knobs (see cdna_fault.h), built into each module that
 * has them.
 */
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/printk.h>

#include "cdna_fault.h"

/**
 * cdna_faults_hit - whether the next try of @point must fail
 * @f: the module's knobs
 * @point: the operation
 *
 * Return: true when a knob asks for a failure now (and counts it down).
 */
bool cdna_faults_hit(struct cdna_faults *f, unsigned int point)
{
	atomic_t *left = &f->left[point];
	int n;

	do {
		n = atomic_read(left);
		if (n == 0)
			return false;
		if (n < 0)
			break;
	} while (atomic_cmpxchg(left, n, n - 1) != n);
	pr_info_ratelimited("%s: injected failure: %s\n", f->module,
			    f->names[point]);
	return true;
}

static int cdna_fault_get(void *data, u64 *val)
{
	*val = (u64)(s64)atomic_read(data);
	return 0;
}

static int cdna_fault_set(void *data, u64 val)
{
	s64 n = (s64)val;

	if (n < -1 || n > INT_MAX)
		return -EINVAL;
	atomic_set(data, n);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE_SIGNED(cdna_fault_fops, cdna_fault_get,
				cdna_fault_set, "%lld\n");

/**
 * cdna_faults_init - create the knobs (module load)
 * @f: the module's knobs
 */
void cdna_faults_init(struct cdna_faults *f)
{
	unsigned int i;

	f->dir = debugfs_create_dir(f->module, NULL);
	for (i = 0; i < f->num; i++)
		debugfs_create_file_unsafe(f->names[i], 0600, f->dir,
					   &f->left[i], &cdna_fault_fops);
}

/**
 * cdna_faults_exit - remove the knobs (module unload)
 * @f: the module's knobs
 */
void cdna_faults_exit(struct cdna_faults *f)
{
	debugfs_remove_recursive(f->dir);
	f->dir = NULL;
}
