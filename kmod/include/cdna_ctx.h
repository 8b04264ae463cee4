/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The narrow interface between cdna_pf and vmm_guard.
 *
 * cdna_pf owns the NIC and every context's hardware state; vmm_guard hands
 * contexts to VMs and needs a few operations on that state.  cdna_pf
 * exports one symbol, cdna_pf_ctx_ops.  vmm_guard takes it with
 * symbol_get() when it binds a context and drops it with symbol_put() when
 * it lets go, so:
 *   - cdna_pf loads and works without the guard, and never calls it;
 *   - the guard loads without cdna_pf, and refuses contexts whose PF is
 *     not driven by it;
 *   - cdna_pf cannot be unloaded while the guard holds a context (the
 *     module reference says "in use"), and the guard can always be
 *     unloaded once its contexts are released.
 *
 * Every operation takes the VF's pci_dev and returns -ENODEV when that
 * function is not a context of a PF that cdna_pf drives.  All may sleep.
 */
#ifndef _CDNA_CTX_H_
#define _CDNA_CTX_H_

#include "cdna_compat.h"

struct pci_dev;
struct cdna_sw_policy;

/**
 * struct cdna_ctx_ops - operations cdna_pf offers on its contexts
 * @index: the context (VF) number of @vf within its PF
 * @quiesce: stop the context's queues (receive and transmit disabled in
 *	the switch, queue enables cleared) and wait until the NIC no longer
 *	DMAs for it; the function's memory mappings are still valid
 * @scrub: return the context's non-administrative state to its reset
 *	values: unicast/multicast/VLAN filters the VF asked for, promiscuity,
 *	frame size, mailbox state (the VF must reset before it is served).
 *	Administrative policy stays.
 * @hold: a VM opens the context: the PF records @owner (shown in its
 *	sysfs) and refuses to remove its contexts until @release; -EBUSY
 *	while the PF is removing them
 * @release: the VM let go of the context (after @quiesce and @scrub)
 * @set_owner: a new owner name for a held context
 * @tx_policy: what the context's frames may carry, for a guard that
 *	checks them in software (cdna_swring.h): its MAC and extra unicast
 *	filters, whether anti-spoofing applies (spoofchk on, not trusted),
 *	its port VLAN and the VLANs it joined.  Does not sleep for long
 *	(the PF's context lock only).
 * @tx_dropped: the guard dropped @spoof frames with a source MAC not the
 *	context's and @vlan with a VLAN tag it may not use: counted with
 *	the context's statistics (ethtool -S)
 */
struct cdna_ctx_ops {
	int (*index)(struct pci_dev *vf);
	int (*quiesce)(struct pci_dev *vf);
	int (*scrub)(struct pci_dev *vf);
	int (*hold)(struct pci_dev *vf, const char *owner);
	void (*release)(struct pci_dev *vf);
	int (*set_owner)(struct pci_dev *vf, const char *owner);
	int (*tx_policy)(struct pci_dev *vf, struct cdna_sw_policy *p);
	void (*tx_dropped)(struct pci_dev *vf, u64 spoof, u64 vlan);
};

extern const struct cdna_ctx_ops cdna_pf_ctx_ops;

#endif /* _CDNA_CTX_H_ */
