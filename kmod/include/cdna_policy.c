// SPDX-License-Identifier: GPL-2.0
/*
 * May a context's VF do what it asked?  The host administrator's policy
 * (ip link set PF vf N ...) always wins over the VF: a VF is untrusted
 * input.  The decoder (cdna_mbx.c) already refused malformed messages;
 * this decides on well-formed ones.
 */
#include "cdna_policy.h"

/**
 * cdna_mac_decide - may an address go to the one who asks for it
 * @who: the host (assigning it) or a VF (claiming it)
 * @hold: who holds it now
 * @why: set to the reason of a refusal, NULL otherwise
 *
 * The host's assignment takes an address from a VF that chose it (the VF
 * is then reset and told, as for any host change of its MAC), but never
 * from the PF or from another host assignment: that is a configuration
 * error the administrator must see.  A VF gets only a free address.
 *
 * Return: CDNA_MAC_GRANT, CDNA_MAC_EVICT or CDNA_MAC_REFUSE.
 */
enum cdna_mac_verdict cdna_mac_decide(enum cdna_mac_who who,
				      enum cdna_mac_hold hold,
				      const char **why)
{
	*why = NULL;
	switch (hold) {
	case CDNA_MAC_FREE:
	case CDNA_MAC_HELD_SELF:
		return CDNA_MAC_GRANT;
	case CDNA_MAC_HELD_VF:
		if (who == CDNA_MAC_BY_HOST)
			return CDNA_MAC_EVICT;
		*why = "the address is another context's";
		return CDNA_MAC_REFUSE;
	case CDNA_MAC_HELD_ADMIN:
		*why = who == CDNA_MAC_BY_HOST ?
		       "the host gave the address to another context" :
		       "the address is another context's";
		return CDNA_MAC_REFUSE;
	case CDNA_MAC_HELD_PF:
	default:
		*why = "the address is the PF's";
		return CDNA_MAC_REFUSE;
	}
}

/**
 * cdna_vlan_share - VLANs of its own each context may have
 * @entries: VLAN filter entries of the NIC (VLVF)
 * @nctx: contexts
 * @cap: the most any context may have
 *
 * The entries split evenly after one is kept back per context, so that
 * every context gets its share whatever the others ask for, and the host
 * can still give every context a port VLAN (which replaces the context's
 * own VLANs) when the contexts have used all their shares.
 *
 * Return: the share, 0 without contexts or without room.
 */
unsigned int cdna_vlan_share(unsigned int entries, unsigned int nctx,
			     unsigned int cap)
{
	unsigned int share;

	if (!nctx || entries <= nctx)
		return 0;
	share = (entries - nctx) / nctx;
	return share < cap ? share : cap;
}

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
		if (cdna_mac_decide(CDNA_MAC_BY_VF, uc->hold, why) ==
		    CDNA_MAC_REFUSE)
			return -EADDRINUSE;
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
		if (cdna_mac_decide(CDNA_MAC_BY_VF, uc->hold, why) ==
		    CDNA_MAC_REFUSE)
			return -EADDRINUSE;
		if (uc->hold == CDNA_MAC_HELD_SELF)
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
