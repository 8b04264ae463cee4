/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel 82576 PF registers used by cdna_pf: byte offsets into BAR0, each
 * register's fields right under it.  The one source of truth for register
 * layout in this driver; .c files use these names with FIELD_PREP/FIELD_GET.
 *
 * Facts from the 82576 datasheet as reflected by upstream igb (e1000_regs.h,
 * e1000_defines.h, e1000_82575.h); where QEMU's model differs it is noted.
 * The descriptor format the queues use is in kmod/include/cdna_desc.h.
 *
 * Only registers and their fields: tests/tools/gen-regnames.sh takes every
 * unindented "#define CDNA_NAME 0x..." here for a register offset, so the
 * values the driver programs (EITR intervals, thresholds) live in pf.h.
 */
#ifndef _CDNA_PF_REGS_H_
#define _CDNA_PF_REGS_H_

#include <linux/bits.h>
#include <linux/bitfield.h>
#include <linux/types.h>

/* General control and status */
#define CDNA_CTRL			0x00000
#define  CDNA_CTRL_FD			BIT(0)
#define  CDNA_CTRL_GIO_MASTER_DISABLE	BIT(2)
#define  CDNA_CTRL_SLU			BIT(6)	/* no effect in QEMU */
#define  CDNA_CTRL_FRCSPD		BIT(11)
#define  CDNA_CTRL_FRCDPX		BIT(12)
#define  CDNA_CTRL_RST			BIT(26)
#define  CDNA_CTRL_VME			BIT(30)

#define CDNA_STATUS			0x00008
#define  CDNA_STATUS_FD			BIT(0)
#define  CDNA_STATUS_LU			BIT(1)
#define  CDNA_STATUS_SPEED		GENMASK(7, 6)
#define   CDNA_STATUS_SPEED_10		0
#define   CDNA_STATUS_SPEED_100		1
#define  CDNA_STATUS_NUM_VFS		GENMASK(17, 14)
#define  CDNA_STATUS_IOV_MODE		BIT(18)
#define  CDNA_STATUS_GIO_MASTER_ENABLE	BIT(19)

#define CDNA_EECD			0x00010
#define  CDNA_EECD_AUTO_RD		BIT(9)	/* never set by QEMU */

#define CDNA_EERD			0x00014
#define  CDNA_EERD_START		BIT(0)
#define  CDNA_EERD_DONE			BIT(1)
#define  CDNA_EERD_ADDR			GENMASK(15, 2)
#define  CDNA_EERD_DATA			GENMASK(31, 16)

#define CDNA_CTRL_EXT			0x00018
#define  CDNA_CTRL_EXT_PFRSTD		BIT(14)	/* PF reset done: VFs see RSTD */
#define  CDNA_CTRL_EXT_DRV_LOAD		BIT(28)

#define CDNA_MDIC			0x00020
#define  CDNA_MDIC_DATA			GENMASK(15, 0)
#define  CDNA_MDIC_REG			GENMASK(20, 16)
#define  CDNA_MDIC_PHY			GENMASK(25, 21)
#define  CDNA_MDIC_OP			GENMASK(27, 26)
#define   CDNA_MDIC_OP_WRITE		1
#define   CDNA_MDIC_OP_READ		2
#define  CDNA_MDIC_READY		BIT(28)
#define  CDNA_MDIC_ERROR		BIT(30)

/* The 82576's internal PHY: QEMU answers only address 1. */
#define CDNA_PHY_ADDR			1

/* Legacy interrupt cause registers: QEMU has them only here, not at 0x1500. */
#define CDNA_ICR			0x000c0
#define CDNA_ICS			0x000c8
#define CDNA_IMS			0x000d0
#define CDNA_IMC			0x000d8
#define  CDNA_ICR_TXDW			BIT(0)
#define  CDNA_ICR_LSC			BIT(2)
#define  CDNA_ICR_RXO			BIT(6)
#define  CDNA_ICR_VMMB			BIT(8)	/* mailbox or VF reset (VFLRE) */

#define CDNA_RCTL			0x00100
#define  CDNA_RCTL_EN			BIT(1)
#define  CDNA_RCTL_SBP			BIT(2)
#define  CDNA_RCTL_UPE			BIT(3)
#define  CDNA_RCTL_MPE			BIT(4)
#define  CDNA_RCTL_LPE			BIT(5)
#define  CDNA_RCTL_LBM			GENMASK(7, 6)
#define  CDNA_RCTL_RDMTS		GENMASK(9, 8)
#define  CDNA_RCTL_MO			GENMASK(13, 12)
#define  CDNA_RCTL_BAM			BIT(15)
#define  CDNA_RCTL_BSIZE		GENMASK(17, 16)
#define  CDNA_RCTL_VFE			BIT(18)
#define  CDNA_RCTL_SECRC		BIT(26)

#define CDNA_TCTL			0x00400
#define  CDNA_TCTL_EN			BIT(1)
#define  CDNA_TCTL_PSP			BIT(3)
#define  CDNA_TCTL_CT			GENMASK(11, 4)
#define  CDNA_TCTL_COLD			GENMASK(21, 12)
#define  CDNA_TCTL_RTLC			BIT(24)
#define CDNA_TCTL_CT_DEFAULT		15
#define CDNA_TCTL_COLD_FD		63

/* Mailbox and VF control (see also kmod/include/cdna_mbx.h) */
#define CDNA_VMBMEM(vf)			(0x00800 + 0x40 * (vf))
#define CDNA_P2VMAILBOX(vf)		(0x00c00 + 4 * (vf))
#define CDNA_V2PMAILBOX(vf)		(0x00c40 + 4 * (vf))
#define CDNA_MBVFICR			0x00c80	/* W1C */
#define  CDNA_MBVFICR_REQ		GENMASK(7, 0)
#define  CDNA_MBVFICR_ACK		GENMASK(23, 16)
#define CDNA_MBVFIMR			0x00c84	/* stored, never masks in QEMU */
#define CDNA_VFLRE			0x00c88	/* W1C: VF was reset (FLR/CTRL.RST) */
/*
 * PF mirror of VF n's EICS: raises the VF's interrupt causes (bit i is the
 * VF's MSI-X vector i).  Used to make a VF driver look at its mailbox: in
 * QEMU's model a mailbox message alone reaches the wrong VF vector.
 */
#define CDNA_PVTEICS(vf)		(0x10020 + 0x100 * (vf))
#define  CDNA_PVTEICS_ALL		GENMASK(2, 0)
#define CDNA_VFRE			0x00c8c
#define CDNA_VFTE			0x00c90

/* Extended (MSI-X) interrupts */
#define CDNA_GPIE			0x01514
#define  CDNA_GPIE_NSICR		BIT(0)
#define  CDNA_GPIE_MSIX_MODE		BIT(4)
#define  CDNA_GPIE_PBA			BIT(31)
#define CDNA_EICS			0x01520
#define CDNA_EIMS			0x01524
#define CDNA_EIMC			0x01528
#define CDNA_EIAC			0x0152c	/* QEMU: writes only OR bits in */
#define CDNA_EICR			0x01580
#define CDNA_EITR(v)			(0x01680 + 4 * (v))	/* interval: bits 14:2 */
#define CDNA_IVAR0(i)			(0x01700 + 4 * (i))
#define  CDNA_IVAR_RX_LO		GENMASK(7, 0)	/* queue i */
#define  CDNA_IVAR_TX_LO		GENMASK(15, 8)	/* queue i */
#define  CDNA_IVAR_RX_HI		GENMASK(23, 16)	/* queue i + 8 */
#define  CDNA_IVAR_TX_HI		GENMASK(31, 24)	/* queue i + 8 */
#define CDNA_IVAR0_REGS			8	/* IVAR0(i): queues i and i + 8 */
#define CDNA_IVAR_MISC			0x01740
#define  CDNA_IVAR_MISC_OTHER		GENMASK(15, 8)
#define CDNA_IVAR_VALID			BIT(7)
#define CDNA_IVAR_VECTOR		GENMASK(4, 0)

/* Queues: 16 RX + 16 TX; these are the 0xc000/0xe000 aliases. */
#define CDNA_NUM_QUEUES			16
#define CDNA_RDBAL(q)			(0x0c000 + 0x40 * (q))
#define CDNA_RDBAH(q)			(0x0c004 + 0x40 * (q))
#define CDNA_RDLEN(q)			(0x0c008 + 0x40 * (q))
#define CDNA_SRRCTL(q)			(0x0c00c + 0x40 * (q))
#define  CDNA_SRRCTL_BSIZEPKT		GENMASK(6, 0)	/* 1 KiB units */
#define  CDNA_SRRCTL_BSIZEHDR		GENMASK(11, 8)	/* 64 B units */
#define  CDNA_SRRCTL_DESCTYPE		GENMASK(27, 25)
#define   CDNA_SRRCTL_DESCTYPE_ADV_ONEBUF 1
#define  CDNA_SRRCTL_DROP_EN		BIT(31)
#define CDNA_RDH(q)			(0x0c010 + 0x40 * (q))
#define CDNA_RDT(q)			(0x0c018 + 0x40 * (q))
#define CDNA_RXDCTL(q)			(0x0c028 + 0x40 * (q))
#define  CDNA_RXDCTL_PTHRESH		GENMASK(4, 0)
#define  CDNA_RXDCTL_HTHRESH		GENMASK(12, 8)
#define  CDNA_RXDCTL_WTHRESH		GENMASK(20, 16)
#define  CDNA_RXDCTL_ENABLE		BIT(25)
#define CDNA_TDBAL(q)			(0x0e000 + 0x40 * (q))
#define CDNA_TDBAH(q)			(0x0e004 + 0x40 * (q))
#define CDNA_TDLEN(q)			(0x0e008 + 0x40 * (q))
#define CDNA_TDH(q)			(0x0e010 + 0x40 * (q))
#define CDNA_TDT(q)			(0x0e018 + 0x40 * (q))
#define CDNA_TXDCTL(q)			(0x0e028 + 0x40 * (q))
#define  CDNA_TXDCTL_PTHRESH		GENMASK(4, 0)
#define  CDNA_TXDCTL_HTHRESH		GENMASK(12, 8)
#define  CDNA_TXDCTL_WTHRESH		GENMASK(20, 16)
#define  CDNA_TXDCTL_ENABLE		BIT(25)

#define CDNA_QDE			0x02408	/* queue drop enable */

/* VM-to-VM switch, VLAN insertion, rate limiter */
#define CDNA_DTXSWC			0x03500
#define  CDNA_DTXSWC_MAC_SPOOF		GENMASK(7, 0)	/* bit per pool */
#define  CDNA_DTXSWC_VLAN_SPOOF		GENMASK(15, 8)	/* bit per pool */
#define  CDNA_DTXSWC_LOOPBACK_EN	BIT(31)
#define CDNA_RTTDQSEL			0x03604	/* not emulated by QEMU */
#define CDNA_RTTBCNRM			0x03690	/* not emulated by QEMU */
#define  CDNA_RTTBCNRM_MMW_JUMBO	0x14	/* MMW_SIZE for 9728-byte frames */
#define CDNA_RTTBCNRC			0x036b0	/* not emulated by QEMU */
#define  CDNA_RTTBCNRC_RF_DEC		GENMASK(13, 0)
#define  CDNA_RTTBCNRC_RF_INT		GENMASK(27, 14)
#define  CDNA_RTTBCNRC_RS_ENA		BIT(31)
#define CDNA_VMVIR(pool)		(0x03700 + 4 * (pool))
#define  CDNA_VMVIR_VID			GENMASK(11, 0)
#define  CDNA_VMVIR_PCP			GENMASK(15, 13)
#define  CDNA_VMVIR_VLANA_DEFAULT	BIT(30)	/* always insert */
#define  CDNA_VMVIR_VLANA_NEVER		BIT(31)

/* Statistics: PF counters clear on read; GORC/GOTC clear on reading the high half */
#define CDNA_CRCERRS			0x04000
#define CDNA_MPC			0x04010
#define CDNA_RLEC			0x04040
#define CDNA_GPRC			0x04074
#define CDNA_BPRC			0x04078
#define CDNA_MPRC			0x0407c
#define CDNA_GPTC			0x04080
#define CDNA_GORCL			0x04088
#define CDNA_GORCH			0x0408c
#define CDNA_GOTCL			0x04090
#define CDNA_GOTCH			0x04094
#define CDNA_RNBC			0x040a0
#define CDNA_RUC			0x040a4
#define CDNA_ROC			0x040ac
#define CDNA_TPR			0x040d0
#define CDNA_TPT			0x040d4
#define CDNA_MPTC			0x040f0
#define CDNA_BPTC			0x040f4
#define CDNA_TSCTC			0x040f8	/* TSO contexts (packets) sent */

/* Receive filtering */
#define CDNA_RXCSUM			0x05000
#define  CDNA_RXCSUM_IPOFL		BIT(8)
#define  CDNA_RXCSUM_TUOFL		BIT(9)
#define  CDNA_RXCSUM_PCSD		BIT(13)
#define CDNA_RLPML			0x05004
#define CDNA_MTA(i)			(0x05200 + 4 * (i))
#define CDNA_MTA_REGS			128
#define CDNA_RAR_LO_BASE		0x05400	/* RAR 0..15 */
#define CDNA_RAR_HI_BASE		0x054e0	/* RAR 16..23 */
#define CDNA_RAR_LO_ENTRIES		16

static inline u32 cdna_ral(unsigned int i)
{
	return i < CDNA_RAR_LO_ENTRIES ? CDNA_RAR_LO_BASE + 8 * i :
	       CDNA_RAR_HI_BASE + 8 * (i - CDNA_RAR_LO_ENTRIES);
}

static inline u32 cdna_rah(unsigned int i)
{
	return cdna_ral(i) + 4;
}

#define  CDNA_RAH_ADDR			GENMASK(15, 0)
#define  CDNA_RAH_POOL			GENMASK(25, 18)
#define  CDNA_RAH_AV			BIT(31)
#define CDNA_RAR_ENTRIES		24
#define CDNA_VFTA(i)			(0x05600 + 4 * (i))
#define CDNA_VFTA_REGS			128
#define CDNA_MRQC			0x05818
#define  CDNA_MRQC_MODE			GENMASK(2, 0)
#define   CDNA_MRQC_MODE_NONE		0
#define   CDNA_MRQC_MODE_VMDQ		3
#define CDNA_VT_CTL			0x0581c
#define  CDNA_VT_CTL_DEF_POOL		GENMASK(9, 7)
#define  CDNA_VT_CTL_DIS_DEF_POOL	BIT(29)
#define  CDNA_VT_CTL_REPL_EN		BIT(30)
#define CDNA_VMOLR(pool)		(0x05ad0 + 4 * (pool))
#define  CDNA_VMOLR_RLPML		GENMASK(13, 0)
#define  CDNA_VMOLR_LPE			BIT(16)
#define  CDNA_VMOLR_AUPE		BIT(24)	/* accept untagged */
#define  CDNA_VMOLR_ROMPE		BIT(25)	/* accept MTA hits */
#define  CDNA_VMOLR_ROPE		BIT(26)	/* not emulated by QEMU */
#define  CDNA_VMOLR_BAM			BIT(27)
#define  CDNA_VMOLR_MPME		BIT(28)	/* not emulated by QEMU */
#define  CDNA_VMOLR_STRVLAN		BIT(30)
#define  CDNA_VMOLR_STRCRC		BIT(31)
#define CDNA_RPLOLR			0x05af0	/* replicated (multicast) frames */
#define  CDNA_RPLOLR_STRVLAN		BIT(30)
#define CDNA_VLVF(i)			(0x05d00 + 4 * (i))
#define  CDNA_VLVF_VID			GENMASK(11, 0)
#define  CDNA_VLVF_POOLSEL		GENMASK(19, 12)
#define  CDNA_VLVF_EN			BIT(31)
#define CDNA_VLVF_ENTRIES		32

/* Per-pool statistics: plain 32-bit wrapping counters (VMDq only) */
#define CDNA_PVFGPRC(vf)		(0x10010 + 0x100 * (vf))
#define CDNA_PVFGPTC(vf)		(0x10014 + 0x100 * (vf))
#define CDNA_PVFGORC(vf)		(0x10018 + 0x100 * (vf))
#define CDNA_PVFGOTC(vf)		(0x10034 + 0x100 * (vf))
#define CDNA_PVFMPRC(vf)		(0x1003c + 0x100 * (vf))

#define CDNA_POOLS			8
/* Pool n owns queues n and n + CDNA_POOLS (a VF's queue 0 and 1). */
#define cdna_pool_queue(pool, i)	((pool) + (i) * CDNA_POOLS)
#define CDNA_POOL_QUEUES		(CDNA_NUM_QUEUES / CDNA_POOLS)

#endif /* _CDNA_PF_REGS_H_ */
