/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtnetlink side of cdnactl, through libnl-route-3: a context's policy and
 * counters (IFLA_VFINFO_LIST of the PF), and changing one setting of one
 * context (the kernel's ndo_set_vf_* behind `ip link set PF vf N ...`).
 */
#ifndef CDNA_NL_H
#define CDNA_NL_H

#include "policy.h"

struct cdna_nl;

struct cdna_nl *cdna_nl_open(void);
void cdna_nl_close(struct cdna_nl *nl);
int cdna_nl_read(struct cdna_nl *nl, const char *netdev, unsigned int nvf,
		 struct cdna_vf_info *info);
int cdna_nl_set(struct cdna_nl *nl, const char *netdev, unsigned int vf,
		const struct cdna_policy *pol, enum cdna_pol_field f);
const char *cdna_nl_strerror(int err);

#endif /* CDNA_NL_H */
