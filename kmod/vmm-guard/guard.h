/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmm_guard: the CDNA host protection layer.  A context (a VF of an 82576
 * whose PF is driven by cdna_pf) reaches a VM in one of two modes, chosen
 * by the PCI driver it is bound to:
 *   - IOMMU mode (vmm_guard, guard_pci.c): a VFIO PCI variant driver on
 *     vfio-pci-core; the IOMMU confines the context's DMA to the VM;
 *   - software mode (vmm_guard_sw, guard_sw*.c): the guard drives the VF
 *     and offers the VM an emulated one (a VFIO mediated device); every
 *     descriptor the VM posts is validated and translated by the guard.
 */
#ifndef _GUARD_H_
#define _GUARD_H_

#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/time64.h>
#include <linux/vfio_pci_core.h>

#include "cdna_ctx.h"
#include "cdna_sysfs_abi.h"

/* cdna_sysfs_abi.h's owner length and states, by the guard's names */
#define GUARD_OWNER_LEN		CDNA_OWNER_LEN
#define GUARD_FREE		CDNA_GUARD_FREE
#define GUARD_ASSIGNED		CDNA_GUARD_ASSIGNED
#define GUARD_SCRUBBING		CDNA_GUARD_SCRUBBING
#define GUARD_QUARANTINED	CDNA_GUARD_QUARANTINED

/**
 * struct guard_ledger - what the ledger shows of one context, both modes
 * @pdev: the context's function
 * @pf_ops: cdna_pf's context operations, held (symbol_get) while bound
 * @vf_index: the context's number within its PF
 * @lock: protects every field below it
 * @state: enum cdna_guard_state
 * @owner_pid: pid of the process that opened the context
 * @owner_comm: its command name
 * @owner: an owner name tools may set (e.g. the libvirt domain)
 * @since: when the current owner opened it (wall clock, seconds)
 * @scrubs: scrubs done since the context was bound
 * @last_scrub_ns: duration of the last scrub
 * @refused_opens: opens refused by the isolation gate or the state
 * @tainted: opened at least once with allow_unsafe_isolation
 * @iso_reason: why the last isolation check failed, or NULL
 * @quarantine_why: why the context is quarantined (state
 *	GUARD_QUARANTINED), or NULL
 *
 * Lock order: a mode's own lock (guard_sw's lock) before @lock.
 */
struct guard_ledger {
	struct pci_dev *pdev;
	const struct cdna_ctx_ops *pf_ops;
	int vf_index;

	struct mutex lock;	/* protects the ledger fields below */
	enum cdna_guard_state state;
	pid_t owner_pid;
	char owner_comm[TASK_COMM_LEN];
	char owner[GUARD_OWNER_LEN];
	time64_t since;
	u64 scrubs;
	u64 last_scrub_ns;
	u64 refused_opens;
	bool tainted;
	const char *iso_reason;
	const char *quarantine_why;
};

/**
 * struct guard_ctx - one context bound to the guard in IOMMU mode
 * @core: the vfio-pci-core device; first, as vfio_alloc_device() wants
 * @led: its ledger
 */
struct guard_ctx {
	struct vfio_pci_core_device core;
	struct guard_ledger led;
};

/**
 * struct guard_sw_stats - what software mode did, for the ledger
 * @validated: descriptors the VM posted that passed validation
 * @refused: descriptors refused (completed back with an error)
 * @pinned: guest pages pinned now
 * @bounced: receive buffers bounced (they cross non-contiguous pages)
 * @split: transmit buffers split in two or more descriptors
 * @spoof: transmit descriptors dropped: source MAC not the context's
 * @vlan: transmit descriptors dropped: a VLAN tag it may not use
 */
struct guard_sw_stats {
	u64 validated;
	u64 refused;
	u64 pinned;
	u64 bounced;
	u64 split;
	u64 spoof;
	u64 vlan;
};

/* guard_ledger.c */
extern const struct attribute_group *guard_ledger_groups[];
void guard_ledger_init(struct guard_ledger *led, struct pci_dev *pdev,
		       const struct cdna_ctx_ops *ops, int vf_index);
void guard_ledger_destroy(struct guard_ledger *led);
int guard_ledger_hold(struct guard_ledger *led);
void guard_ledger_opened(struct guard_ledger *led);
void guard_ledger_closing(struct guard_ledger *led);
void guard_ledger_closed(struct guard_ledger *led, u64 start_ns, int ret);
void guard_ledger_quarantine(struct guard_ledger *led, const char *why);

/*
 * The guard's fault injection points: knobs under
 * /sys/kernel/debug/vmm_guard/ (the mechanism in cdna_fault.h).
 */
enum guard_fault_point {
	GUARD_FAULT_FLR,	/* a context's function reset after its VM */
	GUARD_FAULT_NUM,
};

bool guard_fault(enum guard_fault_point point);
void guard_fault_init(void);
void guard_fault_exit(void);
int guard_ctx_ops_get(struct pci_dev *pdev, const struct cdna_ctx_ops **ops,
		      int *index);

/* guard_pci.c, guard_sw.c: the ledger of a context bound to either */
struct guard_ledger *guard_ledger_of(struct device *dev);
#ifdef CDNA_GUARD_SW
bool guard_is_sw_dev(struct device *dev);
struct guard_ledger *guard_sw_ledger(struct device *dev);
void guard_sw_stats(struct device *dev, struct guard_sw_stats *st,
		    char *mdev, size_t mdev_len);
const char *guard_sw_strategy(struct device *dev);
int guard_sw_set_strategy(struct device *dev, const char *name);
#else
static inline bool guard_is_sw_dev(struct device *dev) { return false; }
static inline struct guard_ledger *guard_sw_ledger(struct device *dev)
{
	return NULL;
}
#endif

#ifdef CDNA_GUARD_SW
int guard_sw_register(void);
void guard_sw_unregister(void);
#else
static inline int guard_sw_register(void) { return 0; }
static inline void guard_sw_unregister(void) { }
#endif

#endif /* _GUARD_H_ */
