// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel side of the TX descriptor builder: what a socket buffer asks
 * of the NIC, as struct cdna_tx_params for cdna_tx_offload_build().  Built
 * into cdna_pf and cdna_vf next to cdna_desc.c (kernel only: the unit
 * tests exercise the builder itself).
 *
 * For TSO the NIC rewrites the IP length and checksum and the TCP
 * checksum of each segment; it wants the IP length zero and the TCP
 * checksum seeded with the pseudo header without length.  A partial
 * checksum the NIC cannot insert is resolved in software.
 */
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>

#include "cdna_desc.h"

static int tx_tso_prep(struct sk_buff *skb, struct cdna_tx_params *p)
{
	struct tcphdr *th;
	int err;

	err = skb_cow_head(skb, 0);
	if (err < 0)
		return err;
	th = tcp_hdr(skb);
	if (skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = 0;
		iph->check = 0;
		th->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr, 0,
					       IPPROTO_TCP, 0);
		p->l3 = CDNA_TX_L3_IPV4;
	} else {
		ipv6_hdr(skb)->payload_len = 0;
		tcp_v6_gso_csum_prep(skb);
		p->l3 = CDNA_TX_L3_IPV6;
	}
	p->l4 = CDNA_TX_L4_TCP;
	p->l4_len = tcp_hdrlen(skb);
	p->mss = skb_shinfo(skb)->gso_size;
	p->flags |= CDNA_TX_TSO;
	return 0;
}

/* Checksum offload of a partial checksum: false when software must do it. */
static bool tx_csum_prep(const struct sk_buff *skb, struct cdna_tx_params *p)
{
	u8 proto;

	switch (vlan_get_protocol(skb)) {
	case htons(ETH_P_IP):
		p->l3 = CDNA_TX_L3_IPV4;
		proto = ip_hdr(skb)->protocol;
		break;
	case htons(ETH_P_IPV6):
		p->l3 = CDNA_TX_L3_IPV6;
		proto = ipv6_hdr(skb)->nexthdr;
		break;
	default:
		return false;
	}
	if (proto == IPPROTO_TCP &&
	    skb->csum_offset == offsetof(struct tcphdr, check))
		p->l4 = CDNA_TX_L4_TCP;
	else if (proto == IPPROTO_UDP &&
		 skb->csum_offset == offsetof(struct udphdr, check))
		p->l4 = CDNA_TX_L4_UDP;
	else
		return false;
	p->flags |= CDNA_TX_CSUM;
	return true;
}

/**
 * cdna_tx_offload_skb - the TX offload descriptor words of a packet
 * @skb: the packet; for TSO its headers are prepared for the NIC, a
 *	partial checksum the NIC cannot insert is computed
 * @ctx_idx: the context slot to use
 * @off: filled in (see cdna_tx_offload_build())
 *
 * Return: 1 when a context descriptor goes in front of the packet, 0 when
 * none is needed, a negative errno when the packet cannot be sent.
 */
int cdna_tx_offload_skb(struct sk_buff *skb, unsigned int ctx_idx,
			struct cdna_tx_offload *off)
{
	struct cdna_tx_params p = { .ctx_idx = ctx_idx };
	int err;

	if (skb_vlan_tag_present(skb)) {
		p.flags |= CDNA_TX_VLAN;
		p.vlan_tci = skb_vlan_tag_get(skb);
	}
	if (skb_is_gso(skb)) {
		err = tx_tso_prep(skb, &p);
		if (err)
			return err;
	} else if (skb->ip_summed == CHECKSUM_PARTIAL &&
		   !tx_csum_prep(skb, &p) && skb_checksum_help(skb)) {
		return -EINVAL;
	}
	p.len = skb->len;
	p.l2_len = skb_network_offset(skb);
	if (p.flags & (CDNA_TX_CSUM | CDNA_TX_TSO))
		p.l3_len = skb_checksum_start_offset(skb) -
			   skb_network_offset(skb);
	return cdna_tx_offload_build(&p, off);
}

/**
 * cdna_tx_desc_count - the descriptors a packet takes
 * @skb: the packet
 *
 * Its linear part and each fragment in chunks of at most
 * CDNA_TXD_MAX_DATA, and a context descriptor.
 *
 * Return: the count.
 */
unsigned int cdna_tx_desc_count(const struct sk_buff *skb)
{
	const struct skb_shared_info *sh = skb_shinfo(skb);
	unsigned int i, n = DIV_ROUND_UP(skb_headlen(skb), CDNA_TXD_MAX_DATA);

	for (i = 0; i < sh->nr_frags; i++)
		n += DIV_ROUND_UP(skb_frag_size(&sh->frags[i]),
				  CDNA_TXD_MAX_DATA);
	return n + 1;
}
