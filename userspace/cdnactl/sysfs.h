/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What cdnactl learns and changes through sysfs: the PCI topology (PFs
 * bound to cdna_pf, their VFs), which driver holds each context, the
 * guard's ledger, binding a context to one of the guard's two drivers
 * (vmm_guard: IOMMU mode, vmm_guard_sw: software mode), a software-mode
 * context's mediated device, sriov_numvfs.  The files of cdna_pf and of
 * the ledger are named in cdna_sysfs_abi.h.
 */
#ifndef CDNA_SYSFS_H
#define CDNA_SYSFS_H

#include <stdbool.h>
#include <stddef.h>

#include "cdna_sysfs_abi.h"
#include "parse.h"
#include "sw.h"

#define CDNA_PF_DRIVER		"cdna_pf"
#define CDNA_DRIVER_LEN		64
#define CDNA_TOPO_MAX_CTX	256	/* contexts per PF this tool handles */

/**
 * struct cdna_topo_pf - a PF driven by cdna_pf, as cdnactl sees it
 * @pci: its PCI address
 * @netdev: its netdev, "" when it has none
 * @numvfs: contexts that exist (sriov_numvfs)
 * @totalvfs: sriov_totalvfs
 */
struct cdna_topo_pf {
	char pci[CDNA_PCI_LEN];
	char netdev[CDNA_NAME_LEN];
	unsigned int numvfs;
	unsigned int totalvfs;
};

/**
 * struct cdna_topo_ctx - a context (a VF of such a PF), as cdnactl sees it
 * @pf: index of its PF in the topology
 * @index: its number on the PF (virtfnN)
 * @vf: the VF's PCI address
 * @driver: the driver bound to it, "" when none
 * @gstate: ledger state (CDNA_GUARD_STATE_*) when bound to the guard
 *	    (either of its drivers), else ""; tested with cdna_ctx_in_state()
 * @mode: ledger mode (CDNA_LEDGER_MODE_*) when bound to the guard, else ""
 * @owner: ledger owner name (the domain), "" when none
 * @opener: "command[pid]" of the process that has it open, "" when none
 * @sw: the software-mode counters and mediated device (valid when bound
 *	to vmm_guard_sw)
 */
struct cdna_topo_ctx {
	unsigned int pf;
	unsigned int index;
	char vf[CDNA_PCI_LEN];
	char driver[CDNA_DRIVER_LEN];
	char gstate[16];
	char mode[16];
	char owner[CDNA_OWNER_LEN];
	char opener[32];
	struct cdna_sw_info sw;
};

/**
 * struct cdna_topo - every PF driven by cdna_pf and its contexts
 * @pf: the PFs, sorted by PCI address
 * @npf: how many
 * @ctx: the contexts, by PF then index
 * @nctx: how many
 */
struct cdna_topo {
	struct cdna_topo_pf *pf;
	unsigned int npf;
	struct cdna_topo_ctx *ctx;
	unsigned int nctx;
};

int cdna_topo_load(struct cdna_topo *t);
void cdna_topo_free(struct cdna_topo *t);
int cdna_find_pf(const struct cdna_topo *t, const char *arg,
		 const struct cdna_topo_pf **pf);
int cdna_find_ctx(const struct cdna_topo *t, const char *arg,
		  struct cdna_topo_ctx **ctx);
struct cdna_topo_ctx *cdna_ctx_at(const struct cdna_topo *t, const char *pci,
				  unsigned int index);
struct cdna_topo_ctx *cdna_ctx_by_vf(const struct cdna_topo *t, const char *vf);
void cdna_ctx_refresh(struct cdna_topo_ctx *c);
bool cdna_topo_has_vf(const char *pci, void *topo);
const char *cdna_ctx_state(const struct cdna_topo_ctx *c, char *buf,
			   size_t len);
bool cdna_ctx_is_free(const struct cdna_topo_ctx *c);
const char *cdna_ctx_holder(const struct cdna_topo_ctx *c);
bool cdna_ctx_on_guard(const struct cdna_topo_ctx *c);
bool cdna_ctx_on_mode(const struct cdna_topo_ctx *c, enum cdna_mode mode);
bool cdna_ctx_in_state(const struct cdna_topo_ctx *c,
		       enum cdna_guard_state state);
int cdna_ctx_admin_mac(const struct cdna_topo *t,
		       const struct cdna_topo_ctx *c);

int cdna_sysfs_read(const char *path, char *buf, size_t len);
int cdna_sysfs_write(const char *path, const char *val);

int cdna_pf_set_numvfs(const struct cdna_topo_pf *pf, unsigned int n);
int cdna_pf_set_autoprobe(const struct cdna_topo_pf *pf, bool on);
int cdna_pf_link_speed(const struct cdna_topo_pf *pf);

bool cdna_guard_loaded(enum cdna_mode mode);
int cdna_vf_bind(const char *vf, const char *driver);
int cdna_vf_unbind(const char *vf);
bool cdna_vf_has_mdev_type(const char *vf);
int cdna_mdev_create(const char *vf, const char *uuid);
int cdna_mdev_remove(const char *uuid);
int cdna_mdev_parent(const char *uuid, char vf[CDNA_PCI_LEN]);
bool cdna_topo_mdev_vf(const char *uuid, char pci[CDNA_PCI_LEN], void *topo);
int cdna_ledger_read(const char *vf, const char *file, char *buf,
		     size_t len);
int cdna_ledger_set_owner(const char *vf, const char *owner);
void cdna_isolation_reason(const char *vf, char *buf, size_t len);
bool cdna_isolation_precheck(const char *vf, char *buf, size_t len);
bool cdna_vf_has_iommu_group(const char *vf);
void cdna_pci_driver(const char *pci, char *buf, size_t len);
int cdna_pci_ids(const char *pci, unsigned int *vendor, unsigned int *device);
int cdna_pci_set_override(const char *pci, const char *driver);
int cdna_pci_get_override(const char *pci, char *buf, size_t len);
int cdna_pci_bind(const char *pci, const char *driver);
int cdna_pci_unbind(const char *pci);
int cdna_pci_reprobe(const char *pci);
bool cdna_driver_loaded(const char *driver);

#endif /* CDNA_SYSFS_H */
