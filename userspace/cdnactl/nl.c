// SPDX-License-Identifier: GPL-2.0
/*
 * rtnetlink through libnl-route-3.  One RTM_GETLINK of the PF (libnl asks
 * for RTEXT_FILTER_VF) gives every context's policy and counters; each
 * setting goes in its own RTM_NEWLINK carrying one IFLA_VF_INFO, so that
 * the kernel's answer belongs to one setting (it stops at the first
 * refusal of a message).
 */
#include <errno.h>
#include <linux/if_ether.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/sriov.h>

#include "cdnactl.h"
#include "nl.h"

struct cdna_nl {
	struct nl_sock *sk;
};

/**
 * cdna_nl_open - a route netlink socket
 *
 * Return: the handle, or NULL (said on stderr).
 */
struct cdna_nl *cdna_nl_open(void)
{
	struct cdna_nl *nl = calloc(1, sizeof(*nl));
	int err;

	if (!nl)
		return NULL;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		free(nl);
		return NULL;
	}
	err = nl_connect(nl->sk, NETLINK_ROUTE);
	if (err < 0) {
		cdna_warn("rtnetlink: %s", nl_geterror(err));
		nl_socket_free(nl->sk);
		free(nl);
		return NULL;
	}
	return nl;
}

/**
 * cdna_nl_close - close the socket
 * @nl: the handle, or NULL
 */
void cdna_nl_close(struct cdna_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

/**
 * cdna_nl_strerror - a libnl error as a sentence
 * @err: a negative libnl error
 *
 * Return: a static string.
 */
const char *cdna_nl_strerror(int err)
{
	return nl_geterror(err);
}

static uint64_t vf_stat(struct rtnl_link_vf *vf, rtnl_link_vf_stats_t s)
{
	uint64_t v = 0;

	rtnl_link_vf_get_stat(vf, s, &v);
	return v;
}

/* Fields libnl leaves out when they are 0 (it does not report "unset"). */
static void vf_policy(struct rtnl_link_vf *vf, struct cdna_policy *pol)
{
	struct nl_vf_rate rate;
	struct nl_addr *addr;
	nl_vf_vlans_t *vlans;
	uint32_t v;

	memset(pol, 0, sizeof(*pol));
	pol->mask = CDNA_POL_ALL;
	if (!rtnl_link_vf_get_addr(vf, &addr) && nl_addr_get_len(addr) >= 6)
		memcpy(pol->mac, nl_addr_get_binary_addr(addr), 6);
	if (!rtnl_link_vf_get_vlans(vf, &vlans)) {
		if (vlans->size > 0) {
			pol->vlan = vlans->vlans[0].vf_vlan;
			pol->qos = vlans->vlans[0].vf_vlan_qos;
		}
		rtnl_link_vf_vlan_put(vlans);
	}
	if (!rtnl_link_vf_get_spoofchk(vf, &v))
		pol->spoofchk = v;
	if (!rtnl_link_vf_get_trust(vf, &v))
		pol->trust = v;
	if (!rtnl_link_vf_get_linkstate(vf, &v))
		pol->state = (int)v;
	if (!rtnl_link_vf_get_rate(vf, &rate))
		pol->rate = rate.api == RTNL_LINK_VF_RATE_API_OLD ? rate.rate :
			    rate.max_tx_rate;
}

/**
 * cdna_nl_read - policy and counters of a PF's contexts
 * @nl: the handle
 * @netdev: the PF's netdev
 * @nvf: its number of contexts
 * @info: @nvf entries, by context number
 *
 * Return: 0 or a negative libnl error (a context missing from the
 * answer is -NLE_OBJ_NOTFOUND).
 */
int cdna_nl_read(struct cdna_nl *nl, const char *netdev, unsigned int nvf,
		 struct cdna_vf_info *info)
{
	struct rtnl_link *link = NULL;
	struct rtnl_link_vf *vf;
	unsigned int i;
	int err;

	err = rtnl_link_get_kernel(nl->sk, 0, netdev, &link);
	if (err < 0)
		return err;
	/* rtnl_link_vf_get() needs the list to exist. */
	if (nvf && !rtnl_link_has_vf_list(link))
		err = -NLE_OBJ_NOTFOUND;
	for (i = 0; !err && i < nvf; i++) {
		vf = rtnl_link_vf_get(link, i);
		if (!vf) {
			err = -NLE_OBJ_NOTFOUND;
			break;
		}
		vf_policy(vf, &info[i].pol);
		info[i].rx_packets = vf_stat(vf, RTNL_LINK_VF_STATS_RX_PACKETS);
		info[i].tx_packets = vf_stat(vf, RTNL_LINK_VF_STATS_TX_PACKETS);
		info[i].rx_bytes = vf_stat(vf, RTNL_LINK_VF_STATS_RX_BYTES);
		info[i].tx_bytes = vf_stat(vf, RTNL_LINK_VF_STATS_TX_BYTES);
		rtnl_link_vf_put(vf);
	}
	rtnl_link_put(link);
	return err;
}

static int vf_set_mac(struct rtnl_link_vf *vf, const struct cdna_policy *pol)
{
	struct nl_addr *addr = nl_addr_build(AF_LLC, pol->mac, 6);

	if (!addr)
		return -NLE_NOMEM;
	rtnl_link_vf_set_addr(vf, addr);
	nl_addr_put(addr);
	return 0;
}

static int vf_set_vlan(struct rtnl_link_vf *vf, const struct cdna_policy *pol)
{
	nl_vf_vlans_t *vlans;
	int err;

	err = rtnl_link_vf_vlan_alloc(&vlans, 1);
	if (err < 0)
		return err;
	vlans->vlans[0].vf_vlan = pol->vlan;
	vlans->vlans[0].vf_vlan_qos = pol->qos;
	vlans->vlans[0].vf_vlan_proto = ETH_P_8021Q;
	rtnl_link_vf_set_vlans(vf, vlans);
	rtnl_link_vf_vlan_put(vlans);
	return 0;
}

static int vf_set_field(struct rtnl_link_vf *vf, const struct cdna_policy *pol,
			enum cdna_pol_field f)
{
	struct nl_vf_rate rate = {
		.api = RTNL_LINK_VF_RATE_API_NEW, .max_tx_rate = pol->rate,
	};

	switch (f) {
	case CDNA_POL_MAC:
		return vf_set_mac(vf, pol);
	case CDNA_POL_VLAN:
		return vf_set_vlan(vf, pol);
	case CDNA_POL_SPOOFCHK:
		rtnl_link_vf_set_spoofchk(vf, pol->spoofchk);
		return 0;
	case CDNA_POL_TRUST:
		rtnl_link_vf_set_trust(vf, pol->trust);
		return 0;
	case CDNA_POL_STATE:
		rtnl_link_vf_set_linkstate(vf, (uint32_t)pol->state);
		return 0;
	default:
		/* IFLA_VF_RATE: the 82576 has no minimum rate, it stays 0. */
		rtnl_link_vf_set_rate(vf, &rate);
		return 0;
	}
}

/**
 * cdna_nl_set - change one setting of one context
 * @nl: the handle
 * @netdev: the PF's netdev
 * @vf: the context's number
 * @pol: the values
 * @f: the field of @pol to apply
 *
 * Return: 0 or a negative libnl error (the kernel's refusal).
 */
int cdna_nl_set(struct cdna_nl *nl, const char *netdev, unsigned int vf,
		const struct cdna_policy *pol, enum cdna_pol_field f)
{
	struct rtnl_link *orig = NULL, *change;
	struct rtnl_link_vf *v;
	int err;

	err = rtnl_link_get_kernel(nl->sk, 0, netdev, &orig);
	if (err < 0)
		return err;
	change = rtnl_link_alloc();
	v = rtnl_link_vf_alloc();
	err = change && v ? 0 : -NLE_NOMEM;
	if (!err) {
		rtnl_link_vf_set_index(v, vf);
		err = vf_set_field(v, pol, f);
	}
	if (!err)
		err = rtnl_link_vf_add(change, v);
	if (!err)
		err = rtnl_link_change(nl->sk, orig, change, 0);
	rtnl_link_vf_put(v);
	rtnl_link_put(change);
	rtnl_link_put(orig);
	return err;
}
