// SPDX-License-Identifier: GPL-2.0
/*
 * cdna_pf netdev: open/stop, rx mode, MAC, MTU, VLAN filter, offload
 * features, stats, link and the "other" interrupt (link, mailbox, VF
 * reset).
 *
 * Offloads (ethtool -k/-K): scatter-gather, TX checksums, TSO for TCP over
 * IPv4 and IPv6, RX checksums, VLAN tag insertion (TX) and stripping (RX),
 * VLAN filtering.  All but the filter can be switched off.
 */
#include <linux/rtnetlink.h>

#include "pf.h"
#include "pf_vf.h"

#define CDNA_SERVICE_PERIOD	(2 * HZ)

/**
 * cdna_check_link - follow STATUS.LU into the carrier state
 * @pf: the PF
 *
 * Tells the VFs (PF_CONTROL) when the link changes.
 */
void cdna_check_link(struct cdna_pf *pf)
{
	u32 speed = 0;
	bool up;

	/* Autonegotiation restarted (ethtool -r): down until LSC says up. */
	if (atomic_xchg(&pf->an_restart, 0))
		up = false;
	else
		up = cdna_hw_link(pf, &speed);

	if (up == pf->link_up && (!up || speed == pf->link_speed))
		return;
	/* The rates follow the speed: the VFs see both under the VF lock. */
	mutex_lock(&pf->vf_lock);
	pf->link_up = up;
	pf->link_speed = up ? speed : 0;
	cdna_vf_rate_update(pf);
	cdna_mbx_ping_all(pf);
	mutex_unlock(&pf->vf_lock);
	if (up) {
		netdev_info(pf->netdev, "link up, %u Mbps, full duplex\n",
			    speed);
		netif_carrier_on(pf->netdev);
	} else {
		netdev_info(pf->netdev, "link down\n");
		netif_carrier_off(pf->netdev);
	}
}

/**
 * cdna_other_irq - MSI-X handler of the other-cause vector
 * @irq: Linux IRQ
 * @data: the PF
 *
 * Reading ICR clears it (GPIE.NSICR).  The work is done in process context:
 * the mailbox server sleeps and takes the VF lock.
 *
 * Return: IRQ_HANDLED.
 */
irqreturn_t cdna_other_irq(int irq, void *data)
{
	struct cdna_pf *pf = data;
	u32 icr = cdna_rd32(&pf->hw, CDNA_ICR);

	if (pf->hw.gone)
		return IRQ_HANDLED;
	if (icr & CDNA_ICR_VMMB)
		mod_delayed_work(pf->wq, &pf->mbx_work, 0);
	if (icr & CDNA_ICR_LSC)
		mod_delayed_work(pf->wq, &pf->service_work, 0);
	return IRQ_HANDLED;
}

/**
 * cdna_service_work - periodic housekeeping
 * @work: the PF's service_work
 *
 * Link state, the MAC's clear-on-read counters, the pools' wrapping
 * counters (often enough not to miss a 32-bit wrap), a mailbox poll in case
 * an interrupt was lost (QEMU raises none for a second VMMB while the first
 * is pending), and a NAPI kick for a ring that ran out of buffers.
 */
void cdna_service_work(struct work_struct *work)
{
	struct cdna_pf *pf = container_of(to_delayed_work(work),
					  struct cdna_pf, service_work);

	if (pf->hw.gone)
		return;
	cdna_check_link(pf);
	cdna_hw_update_stats(pf);
	mutex_lock(&pf->vf_lock);
	cdna_vf_update_stats(pf);
	cdna_vf_tx_grace_end(pf);
	if (pf->num_vfs)
		mod_delayed_work(pf->wq, &pf->mbx_work, 0);
	mutex_unlock(&pf->vf_lock);
	if (READ_ONCE(pf->up)) {
		local_bh_disable();
		napi_schedule(&pf->napi);
		local_bh_enable();
	}
	queue_delayed_work(pf->wq, &pf->service_work, CDNA_SERVICE_PERIOD);
}

/**
 * cdna_up - start the PF's data path (rings allocated)
 * @pf: the PF
 *
 * Return: 0.
 */
int cdna_up(struct cdna_pf *pf)
{
	ASSERT_RTNL();

	cdna_rings_configure(pf);
	mutex_lock(&pf->vf_lock);
	cdna_hw_pf_rx_filters(pf);
	mutex_unlock(&pf->vf_lock);
	cdna_hw_init_irq(pf);
	WRITE_ONCE(pf->up, true);
	napi_enable(&pf->napi);
	cdna_hw_irq_enable(pf);
	netif_tx_start_all_queues(pf->netdev);
	if (pf->link_up)
		netif_carrier_on(pf->netdev);
	/* Anything that arrived before the vector was unmasked. */
	cdna_wr32(&pf->hw, CDNA_EICS, BIT(CDNA_VEC_QUEUE));
	return 0;
}

/**
 * cdna_down - stop the PF's data path; the VFs keep running
 * @pf: the PF
 */
void cdna_down(struct cdna_pf *pf)
{
	ASSERT_RTNL();

	WRITE_ONCE(pf->up, false);
	netif_tx_disable(pf->netdev);
	cdna_wr32(&pf->hw, CDNA_EIMC, BIT(CDNA_VEC_QUEUE));
	synchronize_irq(pf->irq_queue);
	napi_disable(&pf->napi);
	cdna_rings_disable(pf);
	cdna_rings_clean(pf);
}

static int cdna_open(struct net_device *netdev)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	int err;

	err = cdna_rings_alloc(pf);
	if (err)
		return err;
	return cdna_up(pf);
}

static int cdna_stop(struct net_device *netdev)
{
	struct cdna_pf *pf = netdev_priv(netdev);

	/*
	 * A ring rebuild (ethtool -G, an MTU change) that found no memory
	 * has taken the data path down already and closes the netdev: a
	 * second cdna_down() would wait for ever in napi_disable().
	 */
	if (pf->up)
		cdna_down(pf);
	cdna_rings_free(pf);
	return 0;
}

static void cdna_set_rx_mode(struct net_device *netdev)
{
	struct cdna_pf *pf = netdev_priv(netdev);

	/* Runs under the address lock: the MTA is shared, see the work. */
	queue_work(pf->wq, &pf->rx_mode_work);
}

/**
 * cdna_rx_mode_work - apply the PF netdev's promisc/multicast state
 * @work: the PF's rx_mode_work
 */
void cdna_rx_mode_work(struct work_struct *work)
{
	struct cdna_pf *pf = container_of(work, struct cdna_pf, rx_mode_work);
	struct net_device *netdev = pf->netdev;
	u16 hash[ARRAY_SIZE(pf->mc_hash)];
	unsigned int n = 0, flags;
	struct netdev_hw_addr *ha;

	netif_addr_lock_bh(netdev);
	flags = netdev->flags & (IFF_PROMISC | IFF_ALLMULTI);
	if (netdev_mc_count(netdev) > ARRAY_SIZE(hash))
		flags |= IFF_ALLMULTI;
	else
		netdev_for_each_mc_addr(ha, netdev)
			hash[n++] = cdna_mbx_mc_hash(ha->addr);
	/* No unicast filter slots for the PF: extra addresses need promisc. */
	if (netdev_uc_count(netdev))
		flags |= IFF_PROMISC;
	netif_addr_unlock_bh(netdev);

	mutex_lock(&pf->vf_lock);
	/* The PF's addresses are the host's: a VF that chose one loses it. */
	cdna_vf_evict_pf_uc(pf);
	memcpy(pf->mc_hash, hash, n * sizeof(hash[0]));
	pf->mc_count = n;
	pf->rx_flags = flags;
	cdna_hw_pf_rx_filters(pf);
	mutex_unlock(&pf->vf_lock);
}

/**
 * cdna_reset_work - restart the PF data path after a TX timeout
 * @work: the PF's reset_work
 */
void cdna_reset_work(struct work_struct *work)
{
	struct cdna_pf *pf = container_of(work, struct cdna_pf, reset_work);

	rtnl_lock();
	if (netif_running(pf->netdev)) {
		cdna_down(pf);
		cdna_up(pf);
	}
	rtnl_unlock();
}

static void cdna_tx_timeout(struct net_device *netdev, unsigned int txq)
{
	struct cdna_pf *pf = netdev_priv(netdev);

	netdev_warn(netdev, "TX timeout: head %u tail %u ntc %u ntu %u\n",
		    cdna_rd32(&pf->hw, CDNA_TDH(pf->tx.reg_idx)),
		    cdna_rd32(&pf->hw, CDNA_TDT(pf->tx.reg_idx)),
		    pf->tx.next_to_clean, pf->tx.next_to_use);
	queue_work(pf->wq, &pf->reset_work);
}

static int cdna_set_mac(struct net_device *netdev, void *p)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	int err;

	struct sockaddr *addr = p;
	enum cdna_mac_hold hold;
	const char *why;
	int holder;

	err = eth_prepare_mac_addr_change(netdev, p);
	if (err)
		return err;
	/* The mailbox server reads dev_addr under the VF lock. */
	mutex_lock(&pf->vf_lock);
	hold = cdna_mac_hold(pf, (const u8 *)addr->sa_data, CDNA_MAC_OWNER_PF,
			     &holder);
	if (cdna_mac_decide(CDNA_MAC_BY_HOST, hold, &why) == CDNA_MAC_REFUSE) {
		mutex_unlock(&pf->vf_lock);
		netdev_err(netdev, "%pM is in use: %s (VF %d)\n",
			   addr->sa_data, why, holder);
		return -EADDRINUSE;
	}
	eth_commit_mac_addr_change(netdev, p);
	cdna_mac_evict(pf, netdev->dev_addr, CDNA_MAC_OWNER_PF);
	cdna_hw_set_rar(pf, 0, netdev->dev_addr, cdna_pf_pool(pf));
	mutex_unlock(&pf->vf_lock);
	return 0;
}

static int cdna_change_mtu(struct net_device *netdev, int mtu)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	int old_mtu = netdev->mtu;
	int err = 0;

	if (!netif_running(netdev)) {
		WRITE_ONCE(netdev->mtu, mtu);
		return 0;
	}
	/* RX buffers are sized for the MTU: rebuild the rings. */
	cdna_down(pf);
	cdna_rings_free(pf);
	WRITE_ONCE(netdev->mtu, mtu);
	err = cdna_rings_alloc(pf);
	if (!err)
		return cdna_up(pf);
	/* The old MTU stays, with rings for it if there is memory for them. */
	netdev_err(netdev, "no memory for rings at MTU %d: MTU stays %d\n",
		   mtu, old_mtu);
	WRITE_ONCE(netdev->mtu, old_mtu);
	if (cdna_rings_alloc(pf)) {
		dev_close(netdev);
		return err;
	}
	cdna_up(pf);
	return err;
}

static void cdna_get_stats64(struct net_device *netdev,
			     struct rtnl_link_stats64 *s)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	const struct cdna_xmit_stats *xs;
	const struct cdna_ring_stats *rs;
	unsigned int start;

	rs = &pf->rx.stats;
	do {
		start = u64_stats_fetch_begin(&rs->syncp);
		s->rx_packets = u64_stats_read(&rs->packets);
		s->rx_bytes = u64_stats_read(&rs->bytes);
		s->rx_errors = u64_stats_read(&rs->errors);
		s->rx_crc_errors = u64_stats_read(&rs->csum_err);
	} while (u64_stats_fetch_retry(&rs->syncp, start));
	rs = &pf->tx.stats;
	do {
		start = u64_stats_fetch_begin(&rs->syncp);
		s->tx_packets = u64_stats_read(&rs->packets);
		s->tx_bytes = u64_stats_read(&rs->bytes);
	} while (u64_stats_fetch_retry(&rs->syncp, start));
	xs = &pf->tx.xstats;
	do {
		start = u64_stats_fetch_begin(&xs->syncp);
		s->tx_dropped = u64_stats_read(&xs->dropped);
	} while (u64_stats_fetch_retry(&xs->syncp, start));

	spin_lock_bh(&pf->stats_lock);
	s->multicast = pf->hw_stats.mprc;
	s->rx_missed_errors = pf->hw_stats.mpc;
	s->rx_length_errors = pf->hw_stats.rlec + pf->hw_stats.roc;
	spin_unlock_bh(&pf->stats_lock);
}

static int cdna_vlan_rx_add_vid(struct net_device *netdev, __be16 proto,
				u16 vid)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	int err = 0;

	mutex_lock(&pf->vf_lock);
	err = cdna_hw_pf_vlan(pf, vid, true);
	if (!err)
		set_bit(vid, pf->pf_vlans);
	mutex_unlock(&pf->vf_lock);
	if (err)
		netdev_err(netdev, "no VLAN filter entry left for VLAN %u\n",
			   vid);
	return err;
}

static int cdna_vlan_rx_kill_vid(struct net_device *netdev, __be16 proto,
				 u16 vid)
{
	struct cdna_pf *pf = netdev_priv(netdev);

	mutex_lock(&pf->vf_lock);
	clear_bit(vid, pf->pf_vlans);
	cdna_hw_pf_vlan(pf, vid, false);
	mutex_unlock(&pf->vf_lock);
	return 0;
}

static int cdna_set_features(struct net_device *netdev,
			     netdev_features_t features)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	netdev_features_t changed = netdev->features ^ features;

	if (changed & NETIF_F_HW_VLAN_CTAG_RX) {
		mutex_lock(&pf->vf_lock);
		pf->vlan_strip = features & NETIF_F_HW_VLAN_CTAG_RX;
		cdna_hw_pf_rx_filters(pf);
		mutex_unlock(&pf->vf_lock);
	}
	/* TSO, checksums and VLAN insertion are decided per packet. */
	return 0;
}

const struct net_device_ops cdna_netdev_ops = {
	.ndo_open		= cdna_open,
	.ndo_stop		= cdna_stop,
	.ndo_start_xmit		= cdna_xmit,
	.ndo_set_rx_mode	= cdna_set_rx_mode,
	.ndo_set_mac_address	= cdna_set_mac,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_change_mtu		= cdna_change_mtu,
	.ndo_tx_timeout		= cdna_tx_timeout,
	.ndo_get_stats64	= cdna_get_stats64,
	.ndo_vlan_rx_add_vid	= cdna_vlan_rx_add_vid,
	.ndo_vlan_rx_kill_vid	= cdna_vlan_rx_kill_vid,
	.ndo_set_features	= cdna_set_features,
	.ndo_set_vf_mac		= cdna_ndo_set_vf_mac,
	.ndo_set_vf_vlan	= cdna_ndo_set_vf_vlan,
	.ndo_set_vf_spoofchk	= cdna_ndo_set_vf_spoofchk,
	.ndo_set_vf_trust	= cdna_ndo_set_vf_trust,
	.ndo_set_vf_rate	= cdna_ndo_set_vf_rate,
	.ndo_set_vf_link_state	= cdna_ndo_set_vf_link_state,
	.ndo_get_vf_config	= cdna_ndo_get_vf_config,
	.ndo_get_vf_stats	= cdna_ndo_get_vf_stats,
};

/**
 * cdna_netdev_create - set up the PF netdev's fields (not registered)
 * @pf: the PF, embedded in the netdev's private area
 *
 * Return: 0.
 */
int cdna_netdev_create(struct cdna_pf *pf)
{
	struct net_device *netdev = pf->netdev;

	netdev->netdev_ops = &cdna_netdev_ops;
	netdev->ethtool_ops = &cdna_ethtool_ops;
	netdev->watchdog_timeo = 5 * HZ;
	netdev->min_mtu = CDNA_MIN_MTU;
	netdev->max_mtu = CDNA_MAX_MTU;
	netdev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM |
			      NETIF_F_IPV6_CSUM | NETIF_F_RXCSUM |
			      NETIF_F_TSO | NETIF_F_TSO6 |
			      NETIF_F_HW_VLAN_CTAG_RX |
			      NETIF_F_HW_VLAN_CTAG_TX;
	netdev->features = netdev->hw_features |
			   NETIF_F_HW_VLAN_CTAG_FILTER;
	netdev->vlan_features = NETIF_F_SG | NETIF_F_IP_CSUM |
				NETIF_F_IPV6_CSUM | NETIF_F_TSO |
				NETIF_F_TSO6;
	pf->vlan_strip = true;
	u64_stats_init(&pf->rx.stats.syncp);
	u64_stats_init(&pf->tx.stats.syncp);
	u64_stats_init(&pf->tx.xstats.syncp);
	eth_hw_addr_set(netdev, pf->perm_addr);
	memcpy(netdev->perm_addr, pf->perm_addr, ETH_ALEN);
	netif_napi_add(netdev, &pf->napi, cdna_napi_poll);
	netif_carrier_off(netdev);
	return 0;
}

/**
 * cdna_netdev_destroy - undo cdna_netdev_create (netdev unregistered)
 * @pf: the PF
 */
void cdna_netdev_destroy(struct cdna_pf *pf)
{
	netif_napi_del(&pf->napi);
}
