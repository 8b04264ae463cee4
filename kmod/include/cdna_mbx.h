/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 82576 PF/VF mailbox: register bits and message wire format.
 *
 * One definition for the PF (cdna-pf), the VF (cdna-vf) and the guard.
 * The format is the chip's standard one, so a stock VF driver (Linux igbvf
 * or another OS's) talks to cdna-pf unchanged.
 *
 * A message is up to CDNA_MBX_WORDS 32-bit words in the VMBMEM window of a
 * VF.  Word 0 carries the message type in its low 16 bits, an 8-bit info
 * field and the ACK/NACK/CTS flags; the payload follows in words 1..15.
 */
#ifndef _CDNA_MBX_H_
#define _CDNA_MBX_H_

#include "cdna_compat.h"

#define CDNA_MBX_WORDS			16
#define CDNA_MBX_MC_MAX			30	/* hashes in SET_MULTICAST */
/* A SET_MULTICAST hash picks one of 4096 MTA bits (128 registers of 32). */
#define CDNA_MBX_MC_HASH_MAX		0xfff
#define CDNA_MBX_MAX_FRAME		0x3f00	/* largest SET_LPE frame (RLPML) */
#define CDNA_MBX_MIN_FRAME		64	/* 60 bytes + FCS */
#define CDNA_MBX_VLAN_MAX		4095

/* V2PMAILBOX (VF 0x0c40, PF 0x0c40 + 4 * n): the VF's view. */
#define CDNA_V2P_REQ			BIT(0)	/* VF posted a request */
#define CDNA_V2P_ACK			BIT(1)	/* VF acked a PF message */
#define CDNA_V2P_VFU			BIT(2)	/* VF owns the buffer */
#define CDNA_V2P_PFU			BIT(3)	/* PF owns the buffer */
#define CDNA_V2P_PFSTS			BIT(4)	/* PF wrote a message */
#define CDNA_V2P_PFACK			BIT(5)	/* PF acked the VF's message */
#define CDNA_V2P_RSTI			BIT(6)	/* PF is resetting */
#define CDNA_V2P_RSTD			BIT(7)	/* PF reset done */
/* Bits that clear when the VF reads V2PMAILBOX. */
#define CDNA_V2P_R2C_BITS		(CDNA_V2P_PFSTS | CDNA_V2P_PFACK | \
					 CDNA_V2P_RSTD)

/* P2VMAILBOX (PF 0x0c00 + 4 * n): the PF's view. */
#define CDNA_P2V_STS			BIT(0)	/* PF posted a message */
#define CDNA_P2V_ACK			BIT(1)	/* PF acked a VF message */
#define CDNA_P2V_VFU			BIT(2)	/* VF owns the buffer */
#define CDNA_P2V_PFU			BIT(3)	/* PF owns the buffer */
#define CDNA_P2V_RVFU			BIT(4)	/* reset the VF's ownership */

/* Word 0 of every message. */
#define CDNA_MSG_TYPE			GENMASK(15, 0)
#define CDNA_MSG_INFO			GENMASK(23, 16)
#define CDNA_MSG_CTS			BIT(29)	/* VF is clear to send */
#define CDNA_MSG_NACK			BIT(30)
#define CDNA_MSG_ACK			BIT(31)
#define CDNA_MSG_FLAGS			(CDNA_MSG_CTS | CDNA_MSG_NACK | \
					 CDNA_MSG_ACK)

/* Message types. */
#define CDNA_MSG_RESET			0x0001
#define CDNA_MSG_SET_MAC		0x0002
#define CDNA_MSG_SET_MULTICAST		0x0003
#define CDNA_MSG_SET_VLAN		0x0004
#define CDNA_MSG_SET_LPE		0x0005
#define CDNA_MSG_SET_PROMISC		0x0006
#define CDNA_MSG_PF_CONTROL		0x0100	/* PF to VF: state changed */

/* Info field of SET_MAC: 0 sets the primary address. */
#define CDNA_MAC_INFO_PRIMARY		0
#define CDNA_MAC_INFO_FILTER_CLR	1	/* drop extra unicast filters */
#define CDNA_MAC_INFO_FILTER_ADD	2	/* add an extra unicast filter */

/* Info field of SET_VLAN: bit 0 adds (1) or removes (0) the VLAN id. */
#define CDNA_VLAN_INFO_ADD		BIT(0)

/* Info field of SET_PROMISC. */
#define CDNA_PROMISC_INFO_UNICAST	BIT(0)
#define CDNA_PROMISC_INFO_MULTICAST	BIT(1)
#define CDNA_PROMISC_INFO_ALL		(CDNA_PROMISC_INFO_UNICAST | \
					 CDNA_PROMISC_INFO_MULTICAST)

/* RESET reply: word 0 type | ACK (or NACK: no MAC) | CTS, MAC in 1..2. */
#define CDNA_RESET_REPLY_WORDS		3

#define CDNA_ETH_ALEN			6
#define CDNA_ETH_HLEN			14	/* destination, source, type */
#define CDNA_VLAN_HLEN			4	/* one 802.1Q tag */
#define CDNA_ETH_FCS_LEN		4

/**
 * struct cdna_mbx_req - a decoded, validated VF request
 * @type: CDNA_MSG_* message type
 * @info: the info field of word 0
 * @mac: SET_MAC address
 * @mc_count: SET_MULTICAST number of hashes in @mc_hash
 * @mc_hash: SET_MULTICAST 12-bit MTA hash values
 * @vlan_add: SET_VLAN adds (true) or removes @vid
 * @vid: SET_VLAN id
 * @max_frame: SET_LPE largest frame in bytes, FCS included
 * @promisc: SET_PROMISC CDNA_PROMISC_INFO_* bits
 */
struct cdna_mbx_req {
	u16 type;
	u8 info;
	u8 mac[CDNA_ETH_ALEN];
	u8 mc_count;
	u16 mc_hash[CDNA_MBX_MC_MAX];
	bool vlan_add;
	u16 vid;
	u32 max_frame;
	u8 promisc;
};

int cdna_mbx_decode(const u32 *msg, unsigned int nwords,
		    struct cdna_mbx_req *req);
unsigned int cdna_mbx_encode(const struct cdna_mbx_req *req, u32 *msg);
unsigned int cdna_mbx_reset_reply(u32 *msg, const u8 *mac, bool cts);
void cdna_mbx_get_mac(const u32 *words, u8 *mac);
void cdna_mbx_put_mac(u32 *words, const u8 *mac);
bool cdna_mbx_mac_valid(const u8 *mac);
u16 cdna_mbx_mc_hash(const u8 *addr);
u32 cdna_mbx_max_frame(u32 mtu);
const char *cdna_mbx_type_name(u16 type);

#endif /* _CDNA_MBX_H_ */
