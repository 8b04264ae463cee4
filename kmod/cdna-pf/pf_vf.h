/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cdna_pf's context model (pf_vf.c), as pf_sriov.c and pf_mbx.c use it.
 * All of it under the PF's vf_lock.
 */
#ifndef _CDNA_PF_VF_H_
#define _CDNA_PF_VF_H_

#include "pf.h"

void cdna_vf_init(struct cdna_pf *pf, int vf);
void cdna_vf_rate_program(struct cdna_pf *pf, int vf);
void cdna_vf_notify(struct cdna_pf *pf, int vf);
void cdna_vf_force_reset(struct cdna_pf *pf, int vf);
void cdna_vf_uc_recheck(struct cdna_pf *pf, int vf);
void cdna_vf_fold_stats(struct cdna_pf *pf, int vf);
void cdna_vf_tx_grace_stop(struct cdna_pf *pf, int vf);
void cdna_vf_flood_reset(struct cdna_pf *pf, int vf);
void cdna_vf_evict_pf_uc(struct cdna_pf *pf);
int cdna_vf_port_vlan_set(struct cdna_pf *pf, int vf, u16 vlan, u8 qos);
int cdna_vf_vlan_request(struct cdna_pf *pf, int vf, u16 vid, bool add);

#endif /* _CDNA_PF_VF_H_ */
