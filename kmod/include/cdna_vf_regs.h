/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 82576 virtual function's register map, as the VF sees it in its own
 * BAR0 (16 KiB): offsets and fields only.  The descriptors its queues use
 * are in cdna_desc.h, the mailbox bits of V2PMAILBOX and the message
 * format in cdna_mbx.h.
 *
 * The VF sees its own queue 0 at the classic queue offsets (0x2800 RX,
 * 0x3800 TX); the PF sees the same queue as pool n's queue n.
 */
#ifndef _CDNA_VF_REGS_H_
#define _CDNA_VF_REGS_H_

#include "cdna_compat.h"

#define CDNA_VF_BAR_REGS		0
#define CDNA_VF_BAR_MSIX		3
#define CDNA_VF_NUM_MSIX		3	/* MSI-X vectors of a VF */

/* Device control: only RST acts, and on QEMU's model it reads 0. */
#define CDNA_VF_CTRL			0x0000
#define  CDNA_VF_CTRL_RST		BIT(26)	/* VF queue/interrupt reset */

/* Device status: a mirror of the PF's. */
#define CDNA_VF_STATUS			0x0008
#define  CDNA_VF_STATUS_FD		BIT(0)
#define  CDNA_VF_STATUS_LU		BIT(1)
#define  CDNA_VF_STATUS_SPEED		GENMASK(7, 6)
#define   CDNA_VF_STATUS_SPEED_10	0
#define   CDNA_VF_STATUS_SPEED_100	1
#define   CDNA_VF_STATUS_SPEED_1000	2
#define  CDNA_VF_STATUS_NUM_VFS		GENMASK(17, 14)
#define  CDNA_VF_STATUS_IOV_MODE	BIT(18)

/* Mailbox: 16 words of memory and the VF's V2PMAILBOX (cdna_mbx.h). */
#define CDNA_VF_VMBMEM(i)		(0x0800 + 4 * (i))
#define CDNA_VF_V2PMAILBOX		0x0c40

/* Extended interrupts: bit n of each register is MSI-X vector n. */
#define CDNA_VF_EICS			0x1520
#define CDNA_VF_EIMS			0x1524
#define CDNA_VF_EIMC			0x1528
#define CDNA_VF_EIAC			0x152c
#define CDNA_VF_EIAM			0x1530
#define CDNA_VF_EICR			0x1580
#define CDNA_VF_EITR(n)			(0x1680 + 4 * (n))
#define  CDNA_VF_EITR_INTERVAL		GENMASK(14, 2)

/*
 * Interrupt vector allocation: one byte per cause, the vector number in
 * the low bits and VALID in bit 7.  VTIVAR0 holds RX0, TX0, RX1, TX1.
 */
#define CDNA_VF_IVAR0			0x1700
#define  CDNA_VF_IVAR_RX0		GENMASK(7, 0)
#define  CDNA_VF_IVAR_TX0		GENMASK(15, 8)
#define  CDNA_VF_IVAR_RX1		GENMASK(23, 16)
#define  CDNA_VF_IVAR_TX1		GENMASK(31, 24)
#define CDNA_VF_IVAR_MISC		0x1740
#define  CDNA_VF_IVAR_MISC_MBX		GENMASK(7, 0)
/* Fields of one IVAR byte. */
#define CDNA_VF_IVAR_VECTOR		GENMASK(1, 0)
#define CDNA_VF_IVAR_VALID		BIT(7)

/* Receive queue q (0 or 1). */
#define CDNA_VF_RDBAL(q)		(0x2800 + 0x100 * (q))
#define CDNA_VF_RDBAH(q)		(0x2804 + 0x100 * (q))
#define CDNA_VF_RDLEN(q)		(0x2808 + 0x100 * (q))
#define CDNA_VF_SRRCTL(q)		(0x280c + 0x100 * (q))
#define  CDNA_VF_SRRCTL_BSIZEPKT	GENMASK(6, 0)	/* 1 KiB units */
#define  CDNA_VF_SRRCTL_BSIZEHDR	GENMASK(11, 8)	/* 64 B units */
#define  CDNA_VF_SRRCTL_DESCTYPE	GENMASK(27, 25)
#define   CDNA_VF_SRRCTL_DESCTYPE_ONEBUF 1
#define  CDNA_VF_SRRCTL_DROP_EN		BIT(31)
#define CDNA_VF_RDH(q)			(0x2810 + 0x100 * (q))
#define CDNA_VF_RDT(q)			(0x2818 + 0x100 * (q))
#define CDNA_VF_RXDCTL(q)		(0x2828 + 0x100 * (q))
#define  CDNA_VF_RXDCTL_PTHRESH		GENMASK(4, 0)
#define  CDNA_VF_RXDCTL_HTHRESH		GENMASK(12, 8)
#define  CDNA_VF_RXDCTL_WTHRESH		GENMASK(20, 16)
#define  CDNA_VF_RXDCTL_ENABLE		BIT(25)

/* Transmit queue q (0 or 1). */
#define CDNA_VF_TDBAL(q)		(0x3800 + 0x100 * (q))
#define CDNA_VF_TDBAH(q)		(0x3804 + 0x100 * (q))
#define CDNA_VF_TDLEN(q)		(0x3808 + 0x100 * (q))
#define CDNA_VF_TDH(q)			(0x3810 + 0x100 * (q))
#define CDNA_VF_TDT(q)			(0x3818 + 0x100 * (q))
#define CDNA_VF_TXDCTL(q)		(0x3828 + 0x100 * (q))
#define  CDNA_VF_TXDCTL_PTHRESH		GENMASK(4, 0)
#define  CDNA_VF_TXDCTL_HTHRESH		GENMASK(12, 8)
#define  CDNA_VF_TXDCTL_WTHRESH		GENMASK(20, 16)
#define  CDNA_VF_TXDCTL_ENABLE		BIT(25)
#define CDNA_VF_TXCTL(q)		(0x3814 + 0x100 * (q))
#define  CDNA_VF_TXCTL_WB_RO_EN		BIT(11)	/* relaxed-order write-backs */
/* Head write-back: the NIC writes TDH to this address (BIT(0): enable) */
#define CDNA_VF_TDWBAL(q)		(0x3838 + 0x100 * (q))
#define  CDNA_VF_TDWBAL_ENABLE		BIT(0)
#define CDNA_VF_TDWBAH(q)		(0x383c + 0x100 * (q))

/* Ring geometry: RDLEN/TDLEN are multiples of 128 bytes (8 descriptors). */
#define CDNA_VF_RING_ALIGN		128
#define CDNA_VF_RING_MIN		64
#define CDNA_VF_RING_MAX		4096

/* Per-VF statistics: 32-bit, wrapping, not cleared on read. */
#define CDNA_VF_GPRC			0x0f10	/* good packets received */
#define CDNA_VF_GPTC			0x0f14	/* good packets sent */
#define CDNA_VF_GORC			0x0f18	/* good octets received */
#define CDNA_VF_GOTC			0x0f34	/* good octets sent */
#define CDNA_VF_MPRC			0x0f3c	/* multicast packets received */
#define CDNA_VF_GPRLBC			0x0f40	/* looped-back packets received */
#define CDNA_VF_GPTLBC			0x0f44	/* looped-back packets sent */
#define CDNA_VF_GORLBC			0x0f48	/* looped-back octets received */
#define CDNA_VF_GOTLBC			0x0f50	/* looped-back octets sent */

#endif /* _CDNA_VF_REGS_H_ */
