/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sysfs ABI of cdna_pf and vmm_guard: directory and file names, the
 * words their files show, the owner name's length.  The kernel side
 * (kmod/cdna-pf/pf_sysfs.c, kmod/vmm-guard/guard_ledger.c) names its files
 * with these and cdnactl reads them with these, so neither spells a name
 * of its own.  What each file holds: docs/abi/sysfs-bus-pci-cdna (the PF
 * side) and docs/abi/sysfs-bus-pci-guard (the ledger).
 *
 * Plain C: builds into the modules and into userspace (cdna_compat.h).
 * Every name here is ABI that tools and scripts rely on: none changes.
 */
#ifndef _CDNA_SYSFS_ABI_H_
#define _CDNA_SYSFS_ABI_H_

#include <linux/if_link.h>

#include "cdna_compat.h"

/*
 * An owner name and its NUL, in the ledger (guard/owner) and on the PF
 * (cdna/ctxN/owner): names of at most CDNA_OWNER_LEN - 1 = 63 bytes, ""
 * for none.
 */
#define CDNA_OWNER_LEN			64

/**
 * cdna_owner_byte_ok - whether a byte may be part of an owner name
 * @c: the byte
 *
 * Printable ASCII only, not isprint(): the kernel's takes 0xa0-0xff as
 * Latin-1, so it would let through the bytes of a UTF-8 character one by
 * one, and the name is shown raw by sysfs, cdnactl list and the logs.
 *
 * Return: true for 0x20 to 0x7e.
 */
static inline bool cdna_owner_byte_ok(unsigned char c)
{
	return c >= 0x20 && c <= 0x7e;
}

/* cdna_pf: /sys/bus/pci/devices/PF/cdna/ */
#define CDNA_SYSFS_DIR			"cdna"
#define CDNA_SYSFS_PF_POOL		"pf_pool"
#define CDNA_SYSFS_NUM_CTX		"num_ctx"

/* cdna_pf: one directory per context N, cdna/ctxN/ (ctx0, ctx1, ...) */
#define CDNA_SYSFS_CTX_DIR		"ctx"
#define CDNA_SYSFS_CTX_POOL		"pool"
#define CDNA_SYSFS_CTX_MAC		"mac"
#define CDNA_SYSFS_CTX_ADMIN_MAC	"admin_mac"
#define CDNA_SYSFS_CTX_VLAN		"vlan"
#define CDNA_SYSFS_CTX_QOS		"qos"
#define CDNA_SYSFS_CTX_VLANS		"vlans"
#define CDNA_SYSFS_CTX_VLANS_MAX	"vlans_max"
#define CDNA_SYSFS_CTX_VLAN_REFUSED	"vlan_refused"
#define CDNA_SYSFS_CTX_UC_FILTERS	"uc_filters"
#define CDNA_SYSFS_CTX_UC_FILTERS_MAX	"uc_filters_max"
#define CDNA_SYSFS_CTX_UC_REFUSED	"uc_refused"
#define CDNA_SYSFS_CTX_SPOOFCHK		"spoofchk"
#define CDNA_SYSFS_CTX_TRUST		"trust"
#define CDNA_SYSFS_CTX_LINK_STATE	"link_state"
#define CDNA_SYSFS_CTX_MAX_TX_RATE	"max_tx_rate"
#define CDNA_SYSFS_CTX_MAX_FRAME	"max_frame"
#define CDNA_SYSFS_CTX_CTS		"cts"
#define CDNA_SYSFS_CTX_RESETS		"resets"
#define CDNA_SYSFS_CTX_MBX_MSGS		"mbx_msgs"
#define CDNA_SYSFS_CTX_MBX_REFUSED	"mbx_refused"
#define CDNA_SYSFS_CTX_MBX_THROTTLED	"mbx_throttled"
#define CDNA_SYSFS_CTX_RESETS_THROTTLED	"resets_throttled"
#define CDNA_SYSFS_CTX_THROTTLED	"throttled"
#define CDNA_SYSFS_CTX_OWNER		"owner"
#define CDNA_SYSFS_CTX_HELD		"held"

/* What cdna/ctxN/link_state shows, and cdnactl takes (IFLA_VF_LINK_STATE_*) */
#define CDNA_LINK_STATE_AUTO		"auto"
#define CDNA_LINK_STATE_ENABLE		"enable"
#define CDNA_LINK_STATE_DISABLE		"disable"

/**
 * cdna_link_state_name - the name of a context's link state
 * @state: IFLA_VF_LINK_STATE_*
 *
 * Return: a static string, or NULL for a value that is none of them.
 */
static inline const char *cdna_link_state_name(int state)
{
	switch (state) {
	case IFLA_VF_LINK_STATE_AUTO:
		return CDNA_LINK_STATE_AUTO;
	case IFLA_VF_LINK_STATE_ENABLE:
		return CDNA_LINK_STATE_ENABLE;
	case IFLA_VF_LINK_STATE_DISABLE:
		return CDNA_LINK_STATE_DISABLE;
	default:
		return NULL;
	}
}

/* vmm_guard's ledger: /sys/bus/pci/devices/VF/guard/, while bound to it */
#define CDNA_LEDGER_DIR			"guard"
#define CDNA_LEDGER_STATE		"state"
#define CDNA_LEDGER_MODE		"mode"
#define CDNA_LEDGER_CONTEXT		"context"
#define CDNA_LEDGER_OWNER		"owner"
#define CDNA_LEDGER_OWNER_PID		"owner_pid"
#define CDNA_LEDGER_OWNER_COMM		"owner_comm"
#define CDNA_LEDGER_SINCE		"since"
#define CDNA_LEDGER_SCRUBS		"scrubs"
#define CDNA_LEDGER_LAST_SCRUB_US	"last_scrub_us"
#define CDNA_LEDGER_REFUSED_OPENS	"refused_opens"
#define CDNA_LEDGER_TAINTED		"tainted"
#define CDNA_LEDGER_ISOLATION		"isolation"
/* software mode only: what the guard did with the descriptors it read */
#define CDNA_LEDGER_DESC_VALIDATED	"descriptors_validated"
#define CDNA_LEDGER_DESC_REFUSED	"descriptors_refused"
#define CDNA_LEDGER_PINNED_PAGES	"pinned_pages"
#define CDNA_LEDGER_STRATEGY		"strategy"
#define CDNA_LEDGER_RX_BOUNCED		"rx_bounced"
#define CDNA_LEDGER_TX_SPLIT		"tx_split"
#define CDNA_LEDGER_SPOOF_DROPPED	"spoof_dropped"
#define CDNA_LEDGER_VLAN_DROPPED	"vlan_dropped"
#define CDNA_LEDGER_MDEV		"mdev"

/* What guard/mode shows */
#define CDNA_LEDGER_MODE_IOMMU		"iommu"
#define CDNA_LEDGER_MODE_SW		"sw"

/* What guard/strategy shows (software mode): how guest buffers are mapped */
#define CDNA_STRATEGY_PER_DESC		"per-desc"	/* map at post, unmap at completion */
#define CDNA_STRATEGY_CACHE		"cache"		/* pinned and mapped once, reused */

/*
 * The guard's two PCI drivers: binding a context to one chooses its mode.
 * In software mode the context offers one mediated device (VFIO mdev) of
 * type CDNA_GUARD_SW_MDEV_TYPE under the VF:
 * /sys/bus/pci/devices/VF/mdev_supported_types/vmm_guard_sw-ctx/create
 */
#define CDNA_GUARD_DRIVER		"vmm_guard"
#define CDNA_GUARD_SW_DRIVER		"vmm_guard_sw"
#define CDNA_GUARD_SW_MDEV_NAME		"ctx"
#define CDNA_GUARD_SW_MDEV_TYPE		CDNA_GUARD_SW_DRIVER "-" CDNA_GUARD_SW_MDEV_NAME

/* What guard/isolation shows when the context is isolated (else why not) */
#define CDNA_LEDGER_ISOLATION_OK	"ok"

/* What guard/state shows */
#define CDNA_GUARD_STATE_FREE		"free"
#define CDNA_GUARD_STATE_ASSIGNED	"assigned"
#define CDNA_GUARD_STATE_SCRUBBING	"scrubbing"
#define CDNA_GUARD_STATE_QUARANTINED	"quarantined"

/* A context bound to vmm_guard is in one of these */
enum cdna_guard_state {
	CDNA_GUARD_FREE,	/* bound to the guard, no VM holds it */
	CDNA_GUARD_ASSIGNED,	/* a VM (a VFIO user) has it open */
	CDNA_GUARD_SCRUBBING,	/* being quiesced and reset after release */
	CDNA_GUARD_QUARANTINED,	/* a scrub failed: refused until rebound */
};

#define CDNA_GUARD_NR_STATES		(CDNA_GUARD_QUARANTINED + 1)

/**
 * cdna_guard_state_name - the ledger's name of a context's state
 * @state: enum cdna_guard_state
 *
 * Return: a static string, or NULL for a value that is none of them.
 */
static inline const char *cdna_guard_state_name(enum cdna_guard_state state)
{
	switch (state) {
	case CDNA_GUARD_FREE:
		return CDNA_GUARD_STATE_FREE;
	case CDNA_GUARD_ASSIGNED:
		return CDNA_GUARD_STATE_ASSIGNED;
	case CDNA_GUARD_SCRUBBING:
		return CDNA_GUARD_STATE_SCRUBBING;
	case CDNA_GUARD_QUARANTINED:
		return CDNA_GUARD_STATE_QUARANTINED;
	default:
		return NULL;
	}
}

#endif /* _CDNA_SYSFS_ABI_H_ */
