/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmm_guard: the CDNA host protection layer.  IOMMU mode: a VFIO PCI
 * variant driver (on vfio-pci-core) for contexts, i.e. VFs of an 82576
 * whose PF is driven by cdna_pf.
 */
#ifndef _GUARD_H_
#define _GUARD_H_

#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/time64.h>
#include <linux/vfio_pci_core.h>

#include "cdna_ctx.h"

#define GUARD_OWNER_LEN		64

enum guard_state {
	GUARD_FREE,		/* bound to the guard, no VM holds it */
	GUARD_ASSIGNED,		/* a VM (a VFIO user) has it open */
	GUARD_SCRUBBING,	/* being quiesced and reset after release */
	GUARD_QUARANTINED,	/* a scrub failed: refused until rebound */
};

/**
 * struct guard_ctx - one context bound to the guard
 * @core: the vfio-pci-core device; first, as vfio_alloc_device() wants
 * @pf_ops: cdna_pf's context operations, held (symbol_get) while bound
 * @vf_index: the context's number within its PF
 * @lock: protects every field below it
 * @state: enum guard_state
 * @owner_pid: pid of the process that opened the context
 * @owner_comm: its command name
 * @owner: an owner name tools may set (e.g. the libvirt domain)
 * @since: when the current owner opened it (wall clock, seconds)
 * @scrubs: scrubs done since the context was bound
 * @last_scrub_ns: duration of the last scrub
 * @refused_opens: opens refused by the isolation gate or the state
 * @tainted: opened at least once with allow_unsafe_isolation
 * @iso_reason: why the last isolation check failed, or NULL
 */
struct guard_ctx {
	struct vfio_pci_core_device core;
	const struct cdna_ctx_ops *pf_ops;
	int vf_index;

	struct mutex lock;	/* protects the ledger fields below */
	enum guard_state state;
	pid_t owner_pid;
	char owner_comm[TASK_COMM_LEN];
	char owner[GUARD_OWNER_LEN];
	time64_t since;
	u64 scrubs;
	u64 last_scrub_ns;
	u64 refused_opens;
	bool tainted;
	const char *iso_reason;
};

extern const struct attribute_group *guard_ledger_groups[];
const char *guard_state_name(enum guard_state state);

#endif /* _GUARD_H_ */
