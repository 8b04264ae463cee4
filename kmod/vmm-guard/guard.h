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
#include "cdna_sysfs_abi.h"

/* cdna_sysfs_abi.h's owner length and states, by the guard's names */
#define GUARD_OWNER_LEN		CDNA_OWNER_LEN
#define GUARD_FREE		CDNA_GUARD_FREE
#define GUARD_ASSIGNED		CDNA_GUARD_ASSIGNED
#define GUARD_SCRUBBING		CDNA_GUARD_SCRUBBING
#define GUARD_QUARANTINED	CDNA_GUARD_QUARANTINED

/**
 * struct guard_ctx - one context bound to the guard
 * @core: the vfio-pci-core device; first, as vfio_alloc_device() wants
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
 */
struct guard_ctx {
	struct vfio_pci_core_device core;
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
};

extern const struct attribute_group *guard_ledger_groups[];

#endif /* _GUARD_H_ */
