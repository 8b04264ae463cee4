/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PCI functions this project drives, named once: cdna_pf's and the
 * guard's device tables are built from these lists, and cdnactl claim
 * checks a PF against the same list before it gives it to cdna_pf.
 *
 * Each list is an X-macro: CDNA_82576_PF_IDS(X) expands X(device) for
 * every device ID (vendor CDNA_PCI_VENDOR).
 */
#ifndef _CDNA_PCI_IDS_H_
#define _CDNA_PCI_IDS_H_

#define CDNA_PCI_VENDOR			0x8086	/* Intel */

/* The 82576 physical functions (igb's IDs for the 82576 family). */
#define CDNA_82576_PF_IDS(X)						\
	X(0x10c9)	/* copper */					\
	X(0x10e6)	/* fiber */					\
	X(0x10e7)	/* serdes */					\
	X(0x10e8)	/* quad copper */				\
	X(0x150a)	/* NS */					\
	X(0x1518)	/* NS serdes */					\
	X(0x150d)	/* serdes quad */

/* The 82576's virtual functions: the contexts (cdna_vf takes the first). */
#define CDNA_82576_VF_ID		0x10ca
#define CDNA_82576_VF_IDS(X)						\
	X(CDNA_82576_VF_ID)						\
	X(0x152d)	/* VF, HV */

#endif /* _CDNA_PCI_IDS_H_ */
