/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault injection for cdna_pf's failure paths, in the manner of
 * netdevsim: debugfs knobs under /sys/kernel/debug/cdna_pf/ make a chosen
 * operation fail.  Each knob holds a count: N > 0 fails the next N tries,
 * -1 fails every try, 0 (the default) never.  The knobs exist only with
 * CONFIG_DEBUG_FS; they are for tests, and reading them shows what is left.
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
