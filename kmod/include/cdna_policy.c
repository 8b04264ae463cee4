// SPDX-License-Identifier: GPL-2.0
/*
 * May a context's VF do what it asked?  The host administrator's policy
 * (ip link set PF vf N ...) always wins over the VF: a VF is untrusted
 * input.  The decoder (cdna_mbx.c) already refused malformed messages;
 * this decides on well-formed ones.
 */
#include "cdna_policy.h"

static int set_mac_check(const struct cdna_ctx_policy *pol,
			 const struct cdna_ctx_uc *uc,
			 const struct cdna_mbx_req *req, const char **why)
{
	static const struct cdna_ctx_uc none;

	if (!uc)
		uc = &none;
	switch (req->info) {
	case CDNA_MAC_INFO_FILTER_CLR:
		/* Dropping its own filters is always harmless. */
		return 0;
	case CDNA_MAC_INFO_PRIMARY:
		if (pol->mac_admin) {
			if (memcmp(pol->mac, req->mac, sizeof(pol->mac))) {
				*why = "the MAC is set by the host";
				return -EPERM;
			}
			return 0;
		}
		if (uc->taken) {
			*why = "the address is another context's or the PF's";
			return -EADDRINUSE;
		}
		return 0;
	case CDNA_MAC_INFO_FILTER_ADD:
		/*
		 * A host that pinned the context's address decides whether
		 * it may receive for others: trust says yes.
		 */
		if (pol->mac_admin && !pol->trusted) {
			*why = "extra unicast filters need trust when the host set the MAC";
			return -EPERM;
		}
		if (uc->taken) {
			*why = "the address is another context's or the PF's";
			return -EADDRINUSE;
		}
		if (uc->held)
			return 0;
		if (uc->count >= uc->max) {
			*why = "the context's share of unicast filters is used up";
			return -ENOSPC;
		}
		return 0;
	default:
		*why = "unknown SET_MAC sub-request";
		return -EOPNOTSUPP;
	}
}

/**
 * cdna_policy_check - decide a decoded VF request against the policy
 * @pol: the context's administrative policy
 * @uc: for SET_MAC: the request's address and the context's extra unicast
 *	filters as the PF sees them; NULL counts as "no filter to spare"
 * @req: a request cdna_mbx_decode() accepted
 * @why: set to the reason of a refusal, NULL when allowed
 *
 * Extra unicast filters (SET_MAC FILTER_ADD) follow the rule of the 82576's
 * reference PF driver: a context whose MAC the host set needs trust for
 * them.  On top of that an address never steers to two places (another
 * context's or the PF's address is refused, for the primary MAC as well),
 * and a context holds at most its share of the free entries.  Asking
 * again for an address the context already has is allowed: requests are
 * idempotent, a VF may repeat one whose answer it lost.
 *
 * A context whose MAC the host left to the VF may claim extra addresses
 * as freely as its own MAC; one that belongs outside the NIC (a router's)
 * then draws the other pools' frames to that address through the NIC's
 * switch, exactly as the VF could by picking it as its MAC.  Contexts for
 * untrusted tenants get a host-set MAC and no trust.
 *
 * Return: 0 when allowed, -EPERM when the policy forbids it, -EADDRINUSE
 * for another's address, -ENOSPC when the context's share of filters is
 * used up, -EOPNOTSUPP for what the PF does not offer any VF.
 */
int cdna_policy_check(const struct cdna_ctx_policy *pol,
		      const struct cdna_ctx_uc *uc,
		      const struct cdna_mbx_req *req, const char **why)
{
	*why = NULL;
	switch (req->type) {
	case CDNA_MSG_RESET:
	case CDNA_MSG_SET_MULTICAST:
	case CDNA_MSG_SET_LPE:
		return 0;
	case CDNA_MSG_SET_MAC:
		return set_mac_check(pol, uc, req, why);
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
