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

/**
 * struct cdna_ctx_uc - what the PF knows of a SET_MAC request's address and
 *	of the context's extra unicast filters, for the decision
 * @count: extra unicast filters (FILTER_ADD) the context holds
 * @max: extra unicast filters it may hold: its share of the free receive
 *	address entries
 * @held: the address already steers to this context (its MAC or one of
 *	its extra filters)
 * @taken: the address steers to another context or to the PF
 */
struct cdna_ctx_uc {
	u8 count;
	u8 max;
	bool held;
	bool taken;
};

int cdna_policy_check(const struct cdna_ctx_policy *pol,
		      const struct cdna_ctx_uc *uc,
		      const struct cdna_mbx_req *req, const char **why);

#endif /* _CDNA_POLICY_H_ */
