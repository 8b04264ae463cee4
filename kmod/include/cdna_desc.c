// SPDX-License-Identifier: GPL-2.0
/*
 * A packet's TX offloads in 82576 descriptor words: the context descriptor
 * in front of the packet (checksum offload, TSO, VLAN insertion) and the
 * offload bits of its data descriptors, from lengths and flags.  Plain C
 * with no kernel calls: the same file builds into cdna_pf, cdna_vf and
 * the unit tests (tests/unit/test_desc.c).
 *
 * Every length is checked against its field: the NIC would use a value
 * cut to the field's width, and checksum or segment the wrong bytes.
 */
#include "cdna_desc.h"

#define CDNA_TX_FLAGS		(CDNA_TX_CSUM | CDNA_TX_TSO | CDNA_TX_VLAN)

/* TUCMD.L4T of each CDNA_TX_L4_* (CDNA_TX_L4_NONE has none). */
static const u8 tx_l4t[] = {
	[CDNA_TX_L4_TCP] = CDNA_TXC_L4T_TCP,
	[CDNA_TX_L4_UDP] = CDNA_TXC_L4T_UDP,
	[CDNA_TX_L4_SCTP] = CDNA_TXC_L4T_SCTP,
};

static bool fits(u32 val, u32 field)
{
	return val <= FIELD_MAX(field);
}

static bool tx_params_valid(const struct cdna_tx_params *p, u32 hdr_len)
{
	if (p->flags & ~CDNA_TX_FLAGS || p->ctx_idx >= CDNA_TXC_SLOTS ||
	    p->l3 > CDNA_TX_L3_IPV6 || p->l4 > CDNA_TX_L4_SCTP)
		return false;
	if (p->flags & CDNA_TX_TSO) {
		/* The NIC segments TCP only, and needs a payload to cut. */
		if (p->l4 != CDNA_TX_L4_TCP || !p->mss || !p->l4_len ||
		    !fits(p->l4_len, CDNA_TXC_L4LEN) || p->len <= hdr_len)
			return false;
	}
	if (!fits(p->len - hdr_len, CDNA_TXD_PAYLEN))
		return false;
	if (p->flags && !fits(p->l2_len, CDNA_TXC_MACLEN))
		return false;
	if (!(p->flags & (CDNA_TX_CSUM | CDNA_TX_TSO)))
		return true;
	return p->l3 != CDNA_TX_L3_NONE && p->l4 != CDNA_TX_L4_NONE &&
	       p->l3_len && fits(p->l3_len, CDNA_TXC_IPLEN);
}

/**
 * cdna_tx_offload_build - the descriptor words of a packet's TX offloads
 * @p: the packet's lengths and the offloads it asks for
 * @off: filled in; all zero when @p is refused
 *
 * A context descriptor is needed for any offload (CDNA_TX_CSUM,
 * CDNA_TX_TSO, CDNA_TX_VLAN); without one the data descriptors carry only
 * DTYP, DEXT, IFCS and PAYLEN.  With CDNA_TX_TSO the NIC also inserts the
 * IPv4 header checksum (IXSM) and PAYLEN counts the payload after
 * @p->l2_len + @p->l3_len + @p->l4_len header bytes; otherwise it counts
 * the whole packet.  The IPv4 checksum of a packet sent whole is the
 * stack's.
 *
 * Return: 1 when a context descriptor goes in front of the packet, 0 when
 * none is needed, -EINVAL when @p asks for something the NIC cannot do or
 * a length does not fit its field.
 */
int cdna_tx_offload_build(const struct cdna_tx_params *p,
			  struct cdna_tx_offload *off)
{
	bool tso = p->flags & CDNA_TX_TSO;
	bool l4 = p->flags & (CDNA_TX_CSUM | CDNA_TX_TSO);
	u32 hdr_len = 0;

	memset(off, 0, sizeof(*off));
	if (tso)
		hdr_len = (u32)p->l2_len + p->l3_len + p->l4_len;
	if (!tx_params_valid(p, hdr_len))
		return -EINVAL;

	off->cmd_type = FIELD_PREP(CDNA_TXD_DTYP, CDNA_TXD_DTYP_DATA) |
			CDNA_TXD_CMD_DEXT | CDNA_TXD_CMD_IFCS;
	off->olinfo = FIELD_PREP(CDNA_TXD_PAYLEN, p->len - hdr_len);
	if (!p->flags)
		return 0;

	off->hdr_len = hdr_len;
	off->olinfo |= FIELD_PREP(CDNA_TXD_IDX, p->ctx_idx);
	/* MACLEN counts a tag in the frame, not the one the NIC inserts. */
	off->vlan_macip_lens = FIELD_PREP(CDNA_TXC_MACLEN, p->l2_len);
	off->type_tucmd_mlhl = FIELD_PREP(CDNA_TXD_DTYP, CDNA_TXD_DTYP_CTXT) |
			       CDNA_TXD_CMD_DEXT;
	off->mss_l4len_idx = FIELD_PREP(CDNA_TXC_IDX, p->ctx_idx);

	if (p->flags & CDNA_TX_VLAN) {
		off->cmd_type |= CDNA_TXD_CMD_VLE;
		off->vlan_macip_lens |= FIELD_PREP(CDNA_TXC_VLAN, p->vlan_tci);
	}
	if (l4) {
		off->olinfo |= CDNA_TXD_POPTS_TXSM;
		off->vlan_macip_lens |= FIELD_PREP(CDNA_TXC_IPLEN, p->l3_len);
		off->type_tucmd_mlhl |= FIELD_PREP(CDNA_TXC_TUCMD_L4T,
						   tx_l4t[p->l4]);
		if (p->l3 == CDNA_TX_L3_IPV4)
			off->type_tucmd_mlhl |= CDNA_TXC_TUCMD_IPV4;
	}
	if (tso) {
		off->cmd_type |= CDNA_TXD_CMD_TSE;
		if (p->l3 == CDNA_TX_L3_IPV4)
			off->olinfo |= CDNA_TXD_POPTS_IXSM;
		off->mss_l4len_idx |= FIELD_PREP(CDNA_TXC_MSS, p->mss) |
				      FIELD_PREP(CDNA_TXC_L4LEN, p->l4_len);
	}
	return 1;
}
