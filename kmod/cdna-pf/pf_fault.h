/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cdna_pf's fault injection points: knobs under /sys/kernel/debug/cdna_pf/
 * (the mechanism, and what a knob's count means, in cdna_fault.h).
 */
#ifndef _CDNA_PF_FAULT_H_
#define _CDNA_PF_FAULT_H_

#include <linux/atomic.h>
#include <linux/types.h>

enum cdna_fault_point {
	CDNA_FAULT_MSIX,	/* MSI-X vectors at probe */
	CDNA_FAULT_SRIOV,	/* pci_enable_sriov */
	CDNA_FAULT_QUIESCE,	/* a context's queues do not stop */
	CDNA_FAULT_SCRUB,	/* a context's scrub (reset after release) */
	CDNA_FAULT_MBX_REPLY,	/* the mailbox server answers nothing */
	CDNA_FAULT_RESET,	/* the device reset at probe times out */
	CDNA_FAULT_RING,	/* a ring allocation of the PF netdev */
	CDNA_FAULT_DMA_MAP,	/* a DMA mapping of a PF netdev buffer */
	CDNA_FAULT_NUM,
};

bool cdna_fault(enum cdna_fault_point point);
void cdna_fault_init(void);
void cdna_fault_exit(void);

#endif /* _CDNA_PF_FAULT_H_ */
