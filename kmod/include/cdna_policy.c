// SPDX-License-Identifier: GPL-2.0
/*
 * May a context's VF do what it asked?  The host administrator's policy
 * (ip link set PF vf N ...) always wins over the VF: a VF is untrusted
 * input.  The decoder (cdna_mbx.c) already refused malformed messages;
 * this decides on well-formed ones.
 */
#include "cdna_policy.h"

/**
 * cdna_policy_check - decide a decoded VF request against the policy
 * @pol: the context's administrative policy
 * @req: a request cdna_mbx_decode() accepted
 * @why: set to the reason of a refusal, NULL when allowed
 *
 * Return: 0 when allowed, -EPERM when the policy forbids it, -EOPNOTSUPP
 * for what the PF does not offer any VF.
 */
int cdna_policy_check(const struct cdna_ctx_policy *pol,
		      const struct cdna_mbx_req *req, const char **why)
{
	*why = NULL;
	switch (req->type) {
	case CDNA_MSG_RESET:
	case CDNA_MSG_SET_MULTICAST:
	case CDNA_MSG_SET_LPE:
		return 0;
	case CDNA_MSG_SET_MAC:
		if (req->info == CDNA_MAC_INFO_FILTER_CLR)
			return 0;
		if (req->info != CDNA_MAC_INFO_PRIMARY) {
			*why = "extra unicast filters are not offered";
			return -EOPNOTSUPP;
		}
		if (pol->mac_admin &&
		    memcmp(pol->mac, req->mac, sizeof(pol->mac))) {
			*why = "the MAC is set by the host";
			return -EPERM;
		}
		return 0;
	case CDNA_MSG_SET_VLAN:
		if (pol->vlan) {
			*why = "the VLAN is set by the host";
			return -EPERM;
		}
		return 0;
	case CDNA_MSG_SET_PROMISC:
		if (req->promisc & CDNA_PROMISC_INFO_UNICAST) {
			*why = "unicast promiscuous mode is not offered";
			return -EOPNOTSUPP;
		}
		if ((req->promisc & CDNA_PROMISC_INFO_MULTICAST) &&
		    !pol->trusted) {
			*why = "multicast promiscuous mode needs trust";
			return -EPERM;
		}
		return 0;
	default:
		*why = "unknown request";
		return -EOPNOTSUPP;
	}
}
