/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A context's administrative policy and the one decision that applies it
 * to what the context's VF asks over the mailbox.  Plain C: the PF's
 * mailbox server uses it, the software protection mode will, and the unit
 * tests do.
 */
#ifndef _CDNA_POLICY_H_
#define _CDNA_POLICY_H_

#include "cdna_compat.h"
#include "cdna_mbx.h"

/* Administrative link state of a context (IFLA_VF_LINK_STATE_*). */
enum cdna_link_state {
	CDNA_LINK_AUTO = 0,
	CDNA_LINK_ENABLE = 1,
	CDNA_LINK_DISABLE = 2,
};

/**
 * struct cdna_ctx_policy - what the host administrator set for a context
 * @mac: administrative MAC, all zero when none is set
 * @mac_admin: @mac was set by the administrator; the VF may not change it
 * @vlan: administrative VLAN id, 0 for none
 * @qos: 802.1p priority inserted with @vlan
 * @trusted: the VF may ask for multicast promiscuous mode, and for extra
 *	unicast filters although the host set its MAC
 * @spoofchk: source MAC/VLAN anti-spoofing is on
 * @link_state: enum cdna_link_state
 * @max_tx_rate: transmit rate limit in Mbit/s, 0 for none
 */
struct cdna_ctx_policy {
	u8 mac[6];
	bool mac_admin;
	u16 vlan;
	u8 qos;
	bool trusted;
	bool spoofchk;
	u8 link_state;
	u32 max_tx_rate;
};

/*
 * Who may own a unicast address.  An address steers to one place only:
 * the PF or one context.  The host's assignments (a context's MAC set
 * with ip link, the PF's own address) win over what a VF chose for
 * itself; two host assignments of one address, or a VF's claim of any
 * held address, are refused.
 */
enum cdna_mac_who {
	CDNA_MAC_BY_HOST,	/* the host assigns it (a context's MAC, the PF's) */
	CDNA_MAC_BY_VF,		/* a VF claims it (its MAC or an extra filter) */
};

enum cdna_mac_hold {
	CDNA_MAC_FREE,		/* nobody */
	CDNA_MAC_HELD_SELF,	/* the one asking already has it */
	CDNA_MAC_HELD_PF,	/* the PF (its address or unicast list) */
	CDNA_MAC_HELD_ADMIN,	/* another context, assigned by the host */
	CDNA_MAC_HELD_VF,	/* another context, its VF's choice */
};

enum cdna_mac_verdict {
	CDNA_MAC_GRANT,		/* take it */
	CDNA_MAC_EVICT,		/* take it; the holder loses it and is told */
	CDNA_MAC_REFUSE,	/* the holder keeps it */
};

/**
 * struct cdna_ctx_uc - what the PF knows of a SET_MAC request's address and
 *	of the context's extra unicast filters, for the decision
 * @count: extra unicast filters (FILTER_ADD) the context holds
 * @max: extra unicast filters it may hold: its share of the free receive
 *	address entries
 * @hold: who the address steers to now (enum cdna_mac_hold; SELF: this
 *	context's MAC or one of its extra filters)
 */
struct cdna_ctx_uc {
	u8 count;
	u8 max;
	u8 hold;
};

enum cdna_mac_verdict cdna_mac_decide(enum cdna_mac_who who,
				      enum cdna_mac_hold hold,
				      const char **why);

unsigned int cdna_vlan_share(unsigned int entries, unsigned int nctx,
			     unsigned int cap);

int cdna_policy_check(const struct cdna_ctx_policy *pol,
		      const struct cdna_ctx_uc *uc,
		      const struct cdna_mbx_req *req, const char **why);

#endif /* _CDNA_POLICY_H_ */
