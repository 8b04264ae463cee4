// SPDX-License-Identifier: GPL-2.0
/*
 * vmm_guard fault injection knobs (see guard.h), on the shared mechanism
 * of cdna_fault.c, built into this module.
 */
#include "cdna_fault.c"
#include "guard.h"

static const char * const guard_fault_names[GUARD_FAULT_NUM] = {
	[GUARD_FAULT_FLR]	= "fail_flr",
};

static atomic_t guard_fault_left[GUARD_FAULT_NUM];

static struct cdna_faults guard_faults = {
	.module	= "vmm_guard",
	.names	= guard_fault_names,
	.left	= guard_fault_left,
	.num	= GUARD_FAULT_NUM,
};

/**
 * guard_fault - whether the next try of @point must fail
 * @point: the operation
 *
 * Return: true when a knob asks for a failure now (and counts it down).
 */
bool guard_fault(enum guard_fault_point point)
{
	return cdna_faults_hit(&guard_faults, point);
}

/**
 * guard_fault_init - create the knobs (module load)
 */
void guard_fault_init(void)
{
	cdna_faults_init(&guard_faults);
}

/**
 * guard_fault_exit - remove the knobs (module unload)
 */
void guard_fault_exit(void)
{
	cdna_faults_exit(&guard_faults);
}
