// SPDX-License-Identifier: GPL-2.0
/*
 * cdna_pf fault injection knobs (see pf_fault.h), on the shared
 * mechanism of cdna_fault.c, built into this module.
 */
#include "cdna_fault.c"
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

static atomic_t fault_left[CDNA_FAULT_NUM];

static struct cdna_faults pf_faults = {
	.module	= "cdna_pf",
	.names	= fault_names,
	.left	= fault_left,
	.num	= CDNA_FAULT_NUM,
};

/**
 * cdna_fault - whether the next try of @point must fail
 * @point: the operation
 *
 * Return: true when a knob asks for a failure now (and counts it down).
 */
bool cdna_fault(enum cdna_fault_point point)
{
	return cdna_faults_hit(&pf_faults, point);
}

/**
 * cdna_fault_init - create the knobs (module load)
 */
void cdna_fault_init(void)
{
	cdna_faults_init(&pf_faults);
}

/**
 * cdna_fault_exit - remove the knobs (module unload)
 */
void cdna_fault_exit(void)
{
	cdna_faults_exit(&pf_faults);
}
