/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What must hold for any decoded message, whatever the input: shared by
 * the cmocka random test and the libFuzzer target.
 */
#ifndef _MBX_INVARIANTS_H_
#define _MBX_INVARIANTS_H_

#include "cdna_mbx.h"

/* Return: NULL when @req (decoded from @msg with result @ret) is sound,
 * else what is wrong.
 */
static inline const char *mbx_check_invariants(const u32 *msg, int ret,
					       const struct cdna_mbx_req *req)
{
	u32 again[CDNA_MBX_WORDS];
	struct cdna_mbx_req req2;

	if (ret) {
		static const struct cdna_mbx_req zero;

		if (ret != -EPROTO && ret != -EOPNOTSUPP && ret != -EMSGSIZE &&
		    ret != -E2BIG && ret != -EINVAL && ret != -EADDRNOTAVAIL)
			return "unexpected error code";
		/* A refused message leaves nothing half-decoded behind. */
		if (memcmp(req, &zero, sizeof(zero)))
			return "refused message left state";
		return NULL;
	}
	if (msg[0] & (CDNA_MSG_ACK | CDNA_MSG_NACK))
		return "accepted a reply as a request";
	if (req->mc_count > CDNA_MBX_MC_MAX)
		return "multicast count over the limit";
	if (req->vid > CDNA_MBX_VLAN_MAX)
		return "VLAN id out of range";
	if (req->type == CDNA_MSG_SET_LPE &&
	    (req->max_frame < CDNA_MBX_MIN_FRAME ||
	     req->max_frame > CDNA_MBX_MAX_FRAME))
		return "frame size out of range";
	if (req->type == CDNA_MSG_SET_MAC &&
	    req->info != CDNA_MAC_INFO_FILTER_CLR &&
	    !cdna_mbx_mac_valid(req->mac))
		return "accepted an invalid MAC";
	/* Whatever was accepted encodes back to something equal. */
	cdna_mbx_encode(req, again);
	if (cdna_mbx_decode(again, CDNA_MBX_WORDS, &req2))
		return "re-encoded request does not decode";
	if (memcmp(req, &req2, sizeof(req2)))
		return "re-encoded request decodes differently";
	return NULL;
}

#endif /* _MBX_INVARIANTS_H_ */
