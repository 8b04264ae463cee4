/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 82576's advanced descriptors as they lie in host memory: one
 * definition for the PF (cdna-pf), the VF (cdna-vf) and the guard, which
 * reads the descriptors a VM writes.  Register offsets are elsewhere
 * (cdna-pf/pf_regs.h, cdna_vf_regs.h): PF queues and VF queues differ in
 * where they are, not in what they hold.
 *
 * Every descriptor is 16 bytes, little endian.  The fields of each 32-bit
 * word are listed under the word, for FIELD_PREP()/FIELD_GET() on the
 * value in CPU order.  Layouts: the advanced receive and transmit
 * descriptors of the 82576 datasheet, as upstream igb uses them.
 *
 * cdna_desc.c builds the transmit descriptors of a packet's offloads
 * (checksum, TSO, VLAN insertion) from lengths and flags: plain C, built
 * into the modules and into the unit tests.
 */
#ifndef _CDNA_DESC_H_
#define _CDNA_DESC_H_

#include "cdna_compat.h"

#define CDNA_DESC_SIZE			16

/*
 * Advanced receive descriptor, one buffer (SRRCTL.DESCTYPE 1).  The driver
 * writes the read format; the NIC overwrites it with the write-back
 * format when the buffer is filled.
 */
union cdna_rx_desc {
	struct {
		__le64 pkt_addr;	/* packet buffer */
		__le64 hdr_addr;	/* header buffer; bit 0 is DD on write-back */
	} read;
	struct {
		__le32 info;		/* packet type, header length */
		__le32 rss;		/* RSS hash, or IP id and checksum */
		__le32 status_error;
		__le16 length;		/* bytes written to the buffer */
		__le16 vlan;		/* the tag the NIC stripped (STAT_VP) */
	} wb;
};

/* wb.status_error: status in the low bits, errors in the top byte */
#define CDNA_RXD_STAT_DD		BIT(0)	/* descriptor done */
#define CDNA_RXD_STAT_EOP		BIT(1)	/* last buffer of the frame */
#define CDNA_RXD_STAT_IXSM		BIT(2)	/* ignore the checksum bits */
#define CDNA_RXD_STAT_VP		BIT(3)	/* VLAN tag stripped into wb.vlan */
#define CDNA_RXD_STAT_UDPCS		BIT(4)	/* UDP checksum checked */
#define CDNA_RXD_STAT_TCPCS		BIT(5)	/* TCP checksum checked */
#define CDNA_RXD_STAT_IPCS		BIT(6)	/* IPv4 header checksum checked */
#define CDNA_RXD_STAT_LB		BIT(18)	/* looped back VM to VM */
#define CDNA_RXD_ERR_CE			BIT(24)	/* CRC or alignment error */
#define CDNA_RXD_ERR_SE			BIT(25)	/* symbol error */
#define CDNA_RXD_ERR_SEQ		BIT(26)	/* sequence error */
#define CDNA_RXD_ERR_CXE		BIT(28)	/* carrier extension error */
#define CDNA_RXD_ERR_TCPE		BIT(29)	/* TCP/UDP checksum error */
#define CDNA_RXD_ERR_IPE		BIT(30)	/* IPv4 header checksum error */
#define CDNA_RXD_ERR_RXE		BIT(31)	/* RX data error */
/* The errors that make the frame itself bad, not just a checksum. */
#define CDNA_RXD_ERR_FRAME		(CDNA_RXD_ERR_CE | CDNA_RXD_ERR_SE | \
					 CDNA_RXD_ERR_SEQ | CDNA_RXD_ERR_CXE | \
					 CDNA_RXD_ERR_RXE)

/* wb.vlan */
#define CDNA_RXD_VLAN_VID		GENMASK(11, 0)

/*
 * Advanced transmit context descriptor: the offload parameters that the
 * data descriptors of the next packets refer to by index (olinfo IDX).
 */
struct cdna_tx_ctx_desc {
	__le32 vlan_macip_lens;
	__le32 seqnum_seed;		/* not used by these drivers: 0 */
	__le32 type_tucmd_mlhl;
	__le32 mss_l4len_idx;
};

/* vlan_macip_lens */
#define CDNA_TXC_IPLEN			GENMASK(8, 0)	/* IP header, options */
#define CDNA_TXC_MACLEN			GENMASK(15, 9)	/* L2 header in the frame */
#define CDNA_TXC_VLAN			GENMASK(31, 16)	/* tag the NIC inserts */

/* type_tucmd_mlhl: DTYP and DEXT sit where a data descriptor has them */
#define CDNA_TXC_TUCMD_IPV4		BIT(10)	/* IPv4 (else IPv6) */
#define CDNA_TXC_TUCMD_L4T		GENMASK(12, 11)
#define  CDNA_TXC_L4T_UDP		0
#define  CDNA_TXC_L4T_TCP		1
#define  CDNA_TXC_L4T_SCTP		2

/* mss_l4len_idx */
#define CDNA_TXC_IDX			GENMASK(6, 4)	/* context slot */
#define CDNA_TXC_L4LEN			GENMASK(15, 8)	/* TSO: TCP header */
#define CDNA_TXC_MSS			GENMASK(31, 16)	/* TSO: segment payload */

/* Context slots per queue: QEMU's model keeps two (it reads IDX bit 4). */
#define CDNA_TXC_SLOTS			2

/*
 * Advanced transmit descriptor: the data format the driver writes, the
 * context format above, and the write-back the NIC makes of either when
 * RS asked for it.
 */
union cdna_tx_desc {
	struct {
		__le64 buffer_addr;
		__le32 cmd_type_len;
		__le32 olinfo_status;
	} read;
	struct cdna_tx_ctx_desc ctx;
	struct {
		__le64 rsvd;
		__le32 nxtseq_seed;
		__le32 status;
	} wb;
};

/* read.cmd_type_len (and DTYP, DEXT of the context's type_tucmd_mlhl) */
#define CDNA_TXD_DTALEN			GENMASK(15, 0)	/* bytes of the buffer */
#define CDNA_TXD_DTYP			GENMASK(23, 20)
#define  CDNA_TXD_DTYP_CTXT		2
#define  CDNA_TXD_DTYP_DATA		3
#define CDNA_TXD_CMD_EOP		BIT(24)	/* last buffer of the packet */
#define CDNA_TXD_CMD_IFCS		BIT(25)	/* append the FCS */
#define CDNA_TXD_CMD_RS			BIT(27)	/* report status (DD) */
#define CDNA_TXD_CMD_DEXT		BIT(29)	/* advanced format */
#define CDNA_TXD_CMD_VLE		BIT(30)	/* insert the context's VLAN */
#define CDNA_TXD_CMD_TSE		BIT(31)	/* TCP segmentation */

/* read.olinfo_status and wb.status */
#define CDNA_TXD_STAT_DD		BIT(0)	/* descriptor done */
#define CDNA_TXD_IDX			GENMASK(6, 4)	/* context slot used */
#define CDNA_TXD_POPTS_IXSM		BIT(8)	/* insert the IPv4 checksum */
#define CDNA_TXD_POPTS_TXSM		BIT(9)	/* insert the L4 checksum */
#define CDNA_TXD_PAYLEN			GENMASK(31, 14)	/* TSO: after headers */

/*
 * Bytes the drivers put in one data descriptor: DTALEN could say 64 KiB
 * less one; a buffer is split in chunks of this (upstream igb's choice).
 */
#define CDNA_TXD_MAX_DATA		32768

static_assert(sizeof(union cdna_rx_desc) == CDNA_DESC_SIZE);
static_assert(sizeof(struct cdna_tx_ctx_desc) == CDNA_DESC_SIZE);
static_assert(sizeof(union cdna_tx_desc) == CDNA_DESC_SIZE);

/* struct cdna_tx_params.l3 */
enum cdna_tx_l3 {
	CDNA_TX_L3_NONE,
	CDNA_TX_L3_IPV4,
	CDNA_TX_L3_IPV6,
};

/* struct cdna_tx_params.l4 */
enum cdna_tx_l4 {
	CDNA_TX_L4_NONE,
	CDNA_TX_L4_TCP,
	CDNA_TX_L4_UDP,
	CDNA_TX_L4_SCTP,
};

/* struct cdna_tx_params.flags */
#define CDNA_TX_CSUM			BIT(0)	/* the NIC fills the L4 checksum */
#define CDNA_TX_TSO			BIT(1)	/* the NIC segments (TCP) */
#define CDNA_TX_VLAN			BIT(2)	/* the NIC inserts @vlan_tci */

/**
 * struct cdna_tx_params - what a packet asks of the NIC's TX offloads
 * @len: bytes of the packet as the driver hands it over (no inserted tag)
 * @l2_len: bytes before the IP header, a VLAN tag in the frame included
 * @l3_len: bytes of the IP header with its options or extension headers
 * @l4_len: TSO: bytes of the TCP header with its options
 * @mss: TSO: TCP payload bytes per segment
 * @vlan_tci: CDNA_TX_VLAN: the tag to insert (VID, DEI, PCP)
 * @l3: CDNA_TX_L3_*; with CDNA_TX_CSUM or CDNA_TX_TSO, IPv4 or IPv6
 * @l4: CDNA_TX_L4_*; with CDNA_TX_CSUM not NONE, with CDNA_TX_TSO TCP
 * @flags: CDNA_TX_CSUM, CDNA_TX_TSO (implies the checksums), CDNA_TX_VLAN
 * @ctx_idx: context slot to use, below CDNA_TXC_SLOTS
 *
 * The lengths other than @len matter only to the offloads that use them.
 */
struct cdna_tx_params {
	u32 len;
	u16 l2_len;
	u16 l3_len;
	u16 l4_len;
	u16 mss;
	u16 vlan_tci;
	u8 l3;
	u8 l4;
	u8 flags;
	u8 ctx_idx;
};

/**
 * struct cdna_tx_offload - a packet's offloads in descriptor words
 * @vlan_macip_lens: context descriptor word 0 (CPU order)
 * @seqnum_seed: context descriptor word 1
 * @type_tucmd_mlhl: context descriptor word 2
 * @mss_l4len_idx: context descriptor word 3
 * @cmd_type: cmd_type_len of each data descriptor, without DTALEN and the
 *	EOP and RS of the last one
 * @olinfo: olinfo_status of each data descriptor
 * @hdr_len: TSO: header bytes the NIC repeats in every segment; else 0
 *
 * The context words are meaningful only when cdna_tx_offload_build()
 * said a context descriptor is needed; they are zero otherwise.
 */
struct cdna_tx_offload {
	u32 vlan_macip_lens;
	u32 seqnum_seed;
	u32 type_tucmd_mlhl;
	u32 mss_l4len_idx;
	u32 cmd_type;
	u32 olinfo;
	u32 hdr_len;
};

int cdna_tx_offload_build(const struct cdna_tx_params *p,
			  struct cdna_tx_offload *off);

/**
 * cdna_tx_ctx_write - fill a context descriptor
 * @desc: the ring slot
 * @off: what cdna_tx_offload_build() made of the packet
 */
static inline void cdna_tx_ctx_write(union cdna_tx_desc *desc,
				     const struct cdna_tx_offload *off)
{
	desc->ctx.vlan_macip_lens = cpu_to_le32(off->vlan_macip_lens);
	desc->ctx.seqnum_seed = cpu_to_le32(off->seqnum_seed);
	desc->ctx.type_tucmd_mlhl = cpu_to_le32(off->type_tucmd_mlhl);
	desc->ctx.mss_l4len_idx = cpu_to_le32(off->mss_l4len_idx);
}

/**
 * cdna_tx_data_write - fill a data descriptor
 * @desc: the ring slot
 * @addr: bus address of the buffer
 * @len: bytes of the buffer, at most CDNA_TXD_MAX_DATA
 * @off: what cdna_tx_offload_build() made of the packet
 */
static inline void cdna_tx_data_write(union cdna_tx_desc *desc, u64 addr,
				      u32 len,
				      const struct cdna_tx_offload *off)
{
	desc->read.buffer_addr = cpu_to_le64(addr);
	desc->read.cmd_type_len =
		cpu_to_le32(off->cmd_type | FIELD_PREP(CDNA_TXD_DTALEN, len));
	desc->read.olinfo_status = cpu_to_le32(off->olinfo);
}

/**
 * cdna_tx_data_end - mark a packet's last data descriptor
 * @desc: the ring slot, filled by cdna_tx_data_write()
 *
 * The NIC reports the whole packet done (DD) in this descriptor.
 */
static inline void cdna_tx_data_end(union cdna_tx_desc *desc)
{
	desc->read.cmd_type_len |= cpu_to_le32(CDNA_TXD_CMD_EOP |
					       CDNA_TXD_CMD_RS);
}

/**
 * cdna_rx_desc_post - hand a receive buffer to the NIC
 * @desc: the ring slot
 * @addr: bus address of the buffer
 */
static inline void cdna_rx_desc_post(union cdna_rx_desc *desc, u64 addr)
{
	desc->read.pkt_addr = cpu_to_le64(addr);
	/* Also clears the slot's write-back status (DD). */
	desc->read.hdr_addr = 0;
}

/**
 * cdna_ring_next - the ring slot after @i
 * @i: a slot
 * @count: the ring's size in descriptors
 *
 * Return: @i + 1, or 0 past the last slot.
 */
static inline u16 cdna_ring_next(u16 i, u16 count)
{
	return ++i == count ? 0 : i;
}

/**
 * cdna_ring_unused - the slots a driver may still fill
 * @ntc: next_to_clean, the oldest slot the NIC has not given back
 * @ntu: next_to_use, the next slot the driver fills
 * @count: the ring's size in descriptors
 *
 * One slot always stays empty, so that a full ring (tail just behind
 * head) is never taken for an empty one (tail at head).
 *
 * Return: 0 .. @count - 1.
 */
static inline u16 cdna_ring_unused(u16 ntc, u16 ntu, u16 count)
{
	return (ntc > ntu ? 0 : count) + ntc - ntu - 1;
}

#ifdef __KERNEL__
struct sk_buff;

int cdna_tx_offload_skb(struct sk_buff *skb, unsigned int ctx_idx,
			struct cdna_tx_offload *off);
unsigned int cdna_tx_desc_count(const struct sk_buff *skb);
#endif

#endif /* _CDNA_DESC_H_ */
