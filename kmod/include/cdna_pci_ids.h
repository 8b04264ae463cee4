/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PCI functions this project drives, named once: cdna_pf's, the
 * guard's and cdna_vf's device tables are written with these names, and
 * cdnactl claim checks a PF against the same names before it gives it to
 * cdna_pf.  All are vendor CDNA_PCI_VENDOR.
 */
#ifndef _CDNA_PCI_IDS_H_
#define _CDNA_PCI_IDS_H_

#define CDNA_PCI_VENDOR			0x8086	/* Intel */

/* The 82576 physical functions (igb's IDs for the 82576 family). */
#define CDNA_82576_COPPER		0x10c9
#define CDNA_82576_FIBER		0x10e6
#define CDNA_82576_SERDES		0x10e7
#define CDNA_82576_QUAD_COPPER		0x10e8
#define CDNA_82576_NS			0x150a
#define CDNA_82576_NS_SERDES		0x1518
#define CDNA_82576_SERDES_QUAD		0x150d

/* The 82576's virtual functions: the contexts (cdna_vf takes the first). */
#define CDNA_82576_VF			0x10ca
#define CDNA_82576_VF_HV		0x152d

#endif /* _CDNA_PCI_IDS_H_ */
