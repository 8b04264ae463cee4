// SPDX-License-Identifier: GPL-2.0
/*
 * Mailbox message codec: decode and validate what a VF sends, encode what
 * either side sends.  Plain C with no kernel calls: the same file builds
 * into the modules and into the userspace unit tests and fuzz target.
 *
 * Everything a VF writes into its mailbox is untrusted.  The decoder
 * accepts only messages that a correct VF driver can produce and says why
 * it refuses the others; what a valid request may do is the PF's policy,
 * not the decoder's business.
 */
#include "cdna_mbx.h"

/**
 * cdna_mbx_get_mac - read a MAC address out of message words
 * @words: two words
 * @mac: six bytes, written
 *
 * Byte i of the address sits in little-endian order across the words,
 * exactly where a driver that memcpy()s it into the buffer puts it.
 */
void cdna_mbx_get_mac(const u32 *words, u8 *mac)
{
	unsigned int i;

	for (i = 0; i < CDNA_ETH_ALEN; i++)
		mac[i] = (words[i / 4] >> (8 * (i % 4))) & 0xff;
}

/**
 * cdna_mbx_put_mac - write a MAC address into message words
 * @words: two words, overwritten
 * @mac: six bytes
 */
void cdna_mbx_put_mac(u32 *words, const u8 *mac)
{
	unsigned int i;

	words[0] = 0;
	words[1] = 0;
	for (i = 0; i < CDNA_ETH_ALEN; i++)
		words[i / 4] |= (u32)mac[i] << (8 * (i % 4));
}

/**
 * cdna_mbx_mac_valid - whether a MAC may be a station's own address
 * @mac: six bytes
 *
 * Return: true for a unicast, non-zero address.
 */
bool cdna_mbx_mac_valid(const u8 *mac)
{
	static const u8 zero[CDNA_ETH_ALEN];

	return !(mac[0] & 1) && memcmp(mac, zero, CDNA_ETH_ALEN) != 0;
}

/**
 * cdna_mbx_mc_hash - the hash SET_MULTICAST carries for a multicast address
 * @addr: six bytes, in the order they go on the wire
 *
 * The 82576's multicast table hash with RCTL.MO = 0, the filter type the
 * PF programs and the VF drivers assume: bits 47:36 of the address, that
 * is the high nibble of byte 4 and all of byte 5.  Hash h stands for bit
 * h % 32 of MTA register h / 32.
 *
 * Return: the 12-bit hash.
 */
u16 cdna_mbx_mc_hash(const u8 *addr)
{
	return ((addr[4] >> 4) | ((u16)addr[5] << 4)) & CDNA_MBX_MC_HASH_MAX;
}

/**
 * cdna_mbx_max_frame - the largest frame of an MTU, as SET_LPE counts it
 * @mtu: the interface's MTU
 *
 * Return: the MTU plus an Ethernet header, one VLAN tag and the FCS.
 */
u32 cdna_mbx_max_frame(u32 mtu)
{
	return mtu + CDNA_ETH_HLEN + CDNA_VLAN_HLEN + CDNA_ETH_FCS_LEN;
}

static u16 mc_hash_at(const u32 *msg, unsigned int i)
{
	u32 w = msg[1 + i / 2];

	return (i & 1) ? w >> 16 : w & 0xffff;
}

/* Words a request of @type needs, or 0 for an unknown type. */
static unsigned int req_words(u16 type, u8 info)
{
	switch (type) {
	case CDNA_MSG_RESET:
	case CDNA_MSG_SET_PROMISC:
		return 1;
	case CDNA_MSG_SET_MAC:
		return 3;
	case CDNA_MSG_SET_MULTICAST:
		return 1 + (info + 1) / 2;
	case CDNA_MSG_SET_VLAN:
	case CDNA_MSG_SET_LPE:
		return 2;
	default:
		return 0;
	}
}

static int decode(const u32 *msg, unsigned int nwords,
		  struct cdna_mbx_req *req)
{
	unsigned int i, need;
	u32 w0;

	if (!nwords)
		return -EMSGSIZE;
	if (nwords > CDNA_MBX_WORDS)
		nwords = CDNA_MBX_WORDS;

	w0 = msg[0];
	if (w0 & (CDNA_MSG_ACK | CDNA_MSG_NACK))
		return -EPROTO;
	/* Bits 24..28 are reserved; CTS is the PF's to set and is ignored. */
	if (w0 & GENMASK(28, 24))
		return -EINVAL;

	req->type = FIELD_GET(CDNA_MSG_TYPE, w0);
	req->info = FIELD_GET(CDNA_MSG_INFO, w0);

	if (req->type == CDNA_MSG_SET_MULTICAST &&
	    req->info > CDNA_MBX_MC_MAX)
		return -E2BIG;
	need = req_words(req->type, req->info);
	if (!need)
		return -EOPNOTSUPP;
	if (nwords < need)
		return -EMSGSIZE;

	switch (req->type) {
	case CDNA_MSG_RESET:
		if (req->info)
			return -EINVAL;
		break;
	case CDNA_MSG_SET_MAC:
		switch (req->info) {
		case CDNA_MAC_INFO_PRIMARY:
		case CDNA_MAC_INFO_FILTER_ADD:
			cdna_mbx_get_mac(&msg[1], req->mac);
			if (!cdna_mbx_mac_valid(req->mac))
				return -EADDRNOTAVAIL;
			break;
		case CDNA_MAC_INFO_FILTER_CLR:
			break;
		default:
			return -EOPNOTSUPP;
		}
		break;
	case CDNA_MSG_SET_MULTICAST:
		req->mc_count = req->info;
		for (i = 0; i < req->mc_count; i++) {
			req->mc_hash[i] = mc_hash_at(msg, i);
			if (req->mc_hash[i] > CDNA_MBX_MC_HASH_MAX)
				return -EINVAL;
		}
		break;
	case CDNA_MSG_SET_VLAN:
		if (req->info & ~CDNA_VLAN_INFO_ADD)
			return -EINVAL;
		if (msg[1] > CDNA_MBX_VLAN_MAX)
			return -EINVAL;
		req->vlan_add = req->info & CDNA_VLAN_INFO_ADD;
		req->vid = msg[1];
		break;
	case CDNA_MSG_SET_LPE:
		if (req->info)
			return -EINVAL;
		if (msg[1] < CDNA_MBX_MIN_FRAME || msg[1] > CDNA_MBX_MAX_FRAME)
			return -EINVAL;
		req->max_frame = msg[1];
		break;
	case CDNA_MSG_SET_PROMISC:
		if (req->info & ~CDNA_PROMISC_INFO_ALL)
			return -EINVAL;
		req->promisc = req->info;
		break;
	}
	return 0;
}

/**
 * cdna_mbx_decode - decode and validate a request read from a VF mailbox
 * @msg: the words read from the VF's mailbox memory
 * @nwords: how many words @msg holds (at most CDNA_MBX_WORDS are looked at)
 * @req: filled in on success, all zero on failure
 *
 * Return: 0, or a negative errno saying why the message is refused:
 * -EPROTO for a reply (ACK/NACK set) sent as a request, -EOPNOTSUPP for an
 * unknown type or info field, -EMSGSIZE when @nwords is too short for the
 * type, -E2BIG for too many multicast hashes, -EINVAL for a field out of
 * range, -EADDRNOTAVAIL for a MAC that cannot be a station's address.
 */
int cdna_mbx_decode(const u32 *msg, unsigned int nwords,
		    struct cdna_mbx_req *req)
{
	int ret;

	memset(req, 0, sizeof(*req));
	ret = decode(msg, nwords, req);
	if (ret)
		memset(req, 0, sizeof(*req));
	return ret;
}

/**
 * cdna_mbx_encode - build the words of a request
 * @req: the request; its fields must be in range
 * @msg: CDNA_MBX_WORDS words, overwritten
 *
 * Return: the number of words to send.
 */
unsigned int cdna_mbx_encode(const struct cdna_mbx_req *req, u32 *msg)
{
	unsigned int i, n;
	u8 info = req->info;

	memset(msg, 0, CDNA_MBX_WORDS * sizeof(*msg));
	switch (req->type) {
	case CDNA_MSG_SET_MAC:
		cdna_mbx_put_mac(&msg[1], req->mac);
		break;
	case CDNA_MSG_SET_MULTICAST:
		info = req->mc_count;
		for (i = 0; i < req->mc_count; i++) {
			u32 hash = req->mc_hash[i] & CDNA_MBX_MC_HASH_MAX;

			msg[1 + i / 2] |= hash << ((i & 1) ? 16 : 0);
		}
		break;
	case CDNA_MSG_SET_VLAN:
		info = req->vlan_add ? CDNA_VLAN_INFO_ADD : 0;
		msg[1] = req->vid;
		break;
	case CDNA_MSG_SET_LPE:
		msg[1] = req->max_frame;
		break;
	case CDNA_MSG_SET_PROMISC:
		info = req->promisc;
		break;
	}
	msg[0] = FIELD_PREP(CDNA_MSG_TYPE, req->type) |
		 FIELD_PREP(CDNA_MSG_INFO, info);
	n = req_words(req->type, info);
	return n ? n : 1;
}

/**
 * cdna_mbx_reset_reply - build the PF's answer to a VF_RESET
 * @msg: CDNA_MBX_WORDS words, overwritten
 * @mac: the VF's address, or NULL when it has none yet (NACK)
 * @cts: whether the VF is now clear to send
 *
 * Return: the number of words to send.
 */
unsigned int cdna_mbx_reset_reply(u32 *msg, const u8 *mac, bool cts)
{
	memset(msg, 0, CDNA_MBX_WORDS * sizeof(*msg));
	msg[0] = CDNA_MSG_RESET | (mac ? CDNA_MSG_ACK : CDNA_MSG_NACK);
	if (cts)
		msg[0] |= CDNA_MSG_CTS;
	if (mac)
		cdna_mbx_put_mac(&msg[1], mac);
	return CDNA_RESET_REPLY_WORDS;
}

/**
 * cdna_mbx_type_name - a message type's name for logs and stats
 * @type: CDNA_MSG_* type
 *
 * Return: a static string, "unknown" for anything else.
 */
const char *cdna_mbx_type_name(u16 type)
{
	switch (type) {
	case CDNA_MSG_RESET:		return "reset";
	case CDNA_MSG_SET_MAC:		return "set_mac";
	case CDNA_MSG_SET_MULTICAST:	return "set_multicast";
	case CDNA_MSG_SET_VLAN:		return "set_vlan";
	case CDNA_MSG_SET_LPE:		return "set_lpe";
	case CDNA_MSG_SET_PROMISC:	return "set_promisc";
	case CDNA_MSG_PF_CONTROL:	return "pf_control";
	default:			return "unknown";
	}
}
