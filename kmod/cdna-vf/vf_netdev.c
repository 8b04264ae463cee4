// SPDX-License-Identifier: GPL-2.0
/*
 * The VF's netdev: ndo ops, data path bring-up and tear-down, and the
 * service task that keeps the VF in step with its PF.
 *
 * The data path is live (CDNA_VF_S_UP) only while the interface is up
 * and the reset handshake is done (CDNA_VF_S_HW_READY).  When the PF
 * resets, goes away or withdraws CTS, the service task stops the data
 * path, frees what is on the rings, redoes the handshake (retrying from
 * the watchdog while the PF does not answer), replays the configuration
 * (MTU, VLANs, multicast, extra unicast addresses, promiscuous mode) and
 * restarts the data path.
 *
 * Locking: RTNL guards the data path state and the configuration the
 * stack set; the mailbox lock is taken inside RTNL, never around it.
 */
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>

#include "vf.h"

const u32 cdna_vf_hw_stat_regs[CDNA_VF_HW_NSTATS] = {
	[CDNA_VF_HW_GPRC] = CDNA_VF_GPRC,
	[CDNA_VF_HW_GPTC] = CDNA_VF_GPTC,
	[CDNA_VF_HW_GORC] = CDNA_VF_GORC,
	[CDNA_VF_HW_GOTC] = CDNA_VF_GOTC,
	[CDNA_VF_HW_MPRC] = CDNA_VF_MPRC,
};

static void cdna_vf_link_update(struct cdna_vf_priv *vf)
{
	struct net_device *netdev = vf->netdev;
	bool up;

	up = test_bit(CDNA_VF_S_UP, vf->state) &&
	     test_bit(CDNA_VF_S_HW_READY, vf->state) &&
	     !test_bit(CDNA_VF_S_PF_DOWN, vf->state) &&
	     cdna_vf_rd32(&vf->hw, CDNA_VF_STATUS) & CDNA_VF_STATUS_LU &&
	     !vf->hw.gone;
	if (up && !netif_carrier_ok(netdev)) {
		netif_carrier_on(netdev);
		netdev_info(netdev, "link up\n");
	} else if (!up && netif_carrier_ok(netdev)) {
		netif_carrier_off(netdev);
		netdev_info(netdev, "link down\n");
	}
}

static void cdna_vf_up(struct cdna_vf_priv *vf)
{
	ASSERT_RTNL();
	if (test_bit(CDNA_VF_S_UP, vf->state))
		return;
	cdna_vf_configure_rings(vf);
	set_bit(CDNA_VF_S_UP, vf->state);
	napi_enable(&vf->napi);
	cdna_vf_irq_enable(vf);
	/* Frames that came before NAPI was on raised no poll: look now. */
	local_bh_disable();
	napi_schedule(&vf->napi);
	local_bh_enable();
	netif_tx_start_all_queues(vf->netdev);
	cdna_vf_link_update(vf);
}

static void cdna_vf_down(struct cdna_vf_priv *vf)
{
	struct net_device *netdev = vf->netdev;

	ASSERT_RTNL();
	netif_carrier_off(netdev);
	if (!test_and_clear_bit(CDNA_VF_S_UP, vf->state))
		return;
	netif_tx_disable(netdev);
	cdna_vf_wr32(&vf->hw, CDNA_VF_EIMC, CDNA_VF_VEC_QUEUES);
	synchronize_irq(pci_irq_vector(vf->pdev, CDNA_VF_VEC_TX));
	synchronize_irq(pci_irq_vector(vf->pdev, CDNA_VF_VEC_RX));
	napi_disable(&vf->napi);
	cdna_vf_stop_rings(vf);
	cdna_vf_clean_rings(vf);
}

/**
 * cdna_vf_quiesce - stop the data path and forget the handshake
 * @vf: the VF
 *
 * Context: RTNL held.
 */
void cdna_vf_quiesce(struct cdna_vf_priv *vf)
{
	cdna_vf_down(vf);
	clear_bit(CDNA_VF_S_HW_READY, vf->state);
}

static int cdna_vf_req(struct cdna_vf_priv *vf, u16 type, u8 info)
{
	struct cdna_mbx_req req = { .type = type, .info = info };

	if (type == CDNA_MSG_SET_PROMISC)
		req.promisc = info;
	return cdna_vf_mbx_request(vf, &req);
}

static int cdna_vf_req_lpe(struct cdna_vf_priv *vf, unsigned int mtu)
{
	struct cdna_mbx_req req = {
		.type = CDNA_MSG_SET_LPE,
		.max_frame = cdna_mbx_max_frame(mtu),
	};

	return cdna_vf_mbx_request(vf, &req);
}

static int cdna_vf_req_vlan(struct cdna_vf_priv *vf, u16 vid, bool add)
{
	struct cdna_mbx_req req = {
		.type = CDNA_MSG_SET_VLAN,
		.vid = vid,
		.vlan_add = add,
	};

	return cdna_vf_mbx_request(vf, &req);
}

static int cdna_vf_req_mac(struct cdna_vf_priv *vf, const u8 *mac)
{
	struct cdna_mbx_req req = {
		.type = CDNA_MSG_SET_MAC,
		.info = CDNA_MAC_INFO_PRIMARY,
	};

	ether_addr_copy(req.mac, mac);
	return cdna_vf_mbx_request(vf, &req);
}

static int cdna_vf_req_uc(struct cdna_vf_priv *vf, u8 info, const u8 *mac)
{
	struct cdna_mbx_req req = {
		.type = CDNA_MSG_SET_MAC,
		.info = info,
	};

	if (mac)
		ether_addr_copy(req.mac, mac);
	return cdna_vf_mbx_request(vf, &req);
}

/*
 * Push the unicast list (a macvlan's address, ...) as extra filters when
 * it changed: FILTER_CLR, then FILTER_ADD for each address, as the 82576's
 * VF drivers do.  The PF bounds how many a context gets and may refuse
 * any; frames to a refused address do not reach this VF.
 */
static void cdna_vf_sync_uc(struct cdna_vf_priv *vf)
{
	struct net_device *netdev = vf->netdev;
	u8 list[CDNA_VF_UC_LIST_MAX][ETH_ALEN];
	struct netdev_hw_addr *ha;
	unsigned int n = 0, total, i;
	int err;

	ASSERT_RTNL();
	netif_addr_lock_bh(netdev);
	total = netdev_uc_count(netdev);
	netdev_for_each_uc_addr(ha, netdev) {
		if (n == CDNA_VF_UC_LIST_MAX)
			break;
		ether_addr_copy(list[n++], ha->addr);
	}
	netif_addr_unlock_bh(netdev);

	if (vf->uc_synced && n == vf->uc_count &&
	    !memcmp(list, vf->uc, n * ETH_ALEN))
		return;
	if (total > n)
		netdev_warn(netdev, "%u unicast addresses: the PF is asked to filter %u\n",
			    total, n);
	vf->uc_synced = false;
	if (vf->uc_count) {
		err = cdna_vf_req_uc(vf, CDNA_MAC_INFO_FILTER_CLR, NULL);
		if (err && err != -EPERM)
			return;		/* PF away: replayed after the reset */
	}
	vf->uc_count = 0;
	for (i = 0; i < n; i++) {
		err = cdna_vf_req_uc(vf, CDNA_MAC_INFO_FILTER_ADD, list[i]);
		if (err == -EPERM)
			netdev_warn(netdev, "PF refused a filter for %pM: frames to it will not arrive\n",
				    list[i]);
		else if (err)
			return;
		ether_addr_copy(vf->uc[vf->uc_count++], list[i]);
	}
	vf->uc_synced = true;
}

/* Push the multicast list and promiscuous request to the PF. */
static void cdna_vf_sync_mc(struct cdna_vf_priv *vf)
{
	struct net_device *netdev = vf->netdev;
	struct cdna_mbx_req req = { .type = CDNA_MSG_SET_MULTICAST };
	struct netdev_hw_addr *ha;
	bool overflow = false;
	unsigned int flags;
	u8 promisc = 0;
	int err;

	ASSERT_RTNL();
	netif_addr_lock_bh(netdev);
	netdev_for_each_mc_addr(ha, netdev) {
		if (req.mc_count == CDNA_MBX_MC_MAX) {
			overflow = true;
			break;
		}
		req.mc_hash[req.mc_count++] = cdna_mbx_mc_hash(ha->addr);
	}
	flags = netdev->flags;
	netif_addr_unlock_bh(netdev);

	err = cdna_vf_mbx_request(vf, &req);
	if (err)
		netdev_warn(netdev, "multicast list not set (%d)\n", err);

	if (flags & IFF_PROMISC)
		promisc = CDNA_PROMISC_INFO_ALL;
	else if (flags & IFF_ALLMULTI || overflow)
		promisc = CDNA_PROMISC_INFO_MULTICAST;
	if (vf->mc_sent && promisc == vf->promisc)
		return;

	err = cdna_vf_req(vf, CDNA_MSG_SET_PROMISC, promisc);
	if (err == -EPERM && promisc & CDNA_PROMISC_INFO_UNICAST) {
		netdev_info(netdev,
			    "PF refuses unicast promiscuous mode: multicast promiscuous only\n");
		err = cdna_vf_req(vf, CDNA_MSG_SET_PROMISC,
				  CDNA_PROMISC_INFO_MULTICAST);
	}
	if (err)
		netdev_warn(netdev, "promiscuous mode %#x not set (%d)\n",
			    promisc, err);
	vf->promisc = promisc;
	vf->mc_sent = !err;
}

/*
 * Push the address lists and the promiscuous request to the PF.  Not
 * before the netdev is registered (the first handshake, in probe): its
 * lists are empty and their lock has no lockdep class yet; the open's
 * ndo_set_rx_mode pushes them.
 */
static void cdna_vf_sync_rx_mode(struct cdna_vf_priv *vf)
{
	if (vf->netdev->reg_state != NETREG_REGISTERED)
		return;
	cdna_vf_sync_uc(vf);
	cdna_vf_sync_mc(vf);
}

/**
 * cdna_vf_after_reset - adopt the PF's answer and replay the configuration
 * @vf: the VF, right after a successful reset handshake
 * @mac: the address from the PF's reset reply, or zero (NACK)
 *
 * A PF that assigns no address (NACK) gets, as with the upstream VF
 * drivers, a random one proposed with SET_MAC.
 *
 * Context: RTNL held.
 * Return: 0, or the errno of a request the PF refused.
 */
int cdna_vf_after_reset(struct cdna_vf_priv *vf, const u8 *mac)
{
	struct net_device *netdev = vf->netdev;
	bool registered = netdev->reg_state == NETREG_REGISTERED;
	int err = 0;
	u16 vid;

	ASSERT_RTNL();
	spin_lock_bh(&vf->stats_lock);
	vf->hw_rebase = true;
	spin_unlock_bh(&vf->stats_lock);

	if (is_valid_ether_addr(mac)) {
		ether_addr_copy(vf->pf_mac, mac);
		if (!ether_addr_equal(netdev->dev_addr, mac)) {
			if (registered)
				netdev_info(netdev, "PF assigned MAC %pM\n",
					    mac);
			eth_hw_addr_set(netdev, mac);
			if (registered) {
				call_netdevice_notifiers(NETDEV_CHANGEADDR,
							 netdev);
				set_bit(CDNA_VF_S_NOTIFY_PEERS, vf->state);
			}
		}
	} else {
		eth_zero_addr(vf->pf_mac);
		if (!is_valid_ether_addr(netdev->dev_addr))
			eth_hw_addr_random(netdev);
		dev_info(&vf->pdev->dev,
			 "PF assigned no MAC (NACK): proposing %pM\n",
			 netdev->dev_addr);
		err = cdna_vf_req_mac(vf, netdev->dev_addr);
		if (err)
			dev_warn(&vf->pdev->dev,
				 "PF refused MAC %pM (%d): no unicast traffic until an address is set\n",
				 netdev->dev_addr, err);
	}

	cdna_vf_irq_enable(vf);
	if (cdna_vf_req_lpe(vf, netdev->mtu))
		netdev_warn(netdev, "frames of %u bytes not enabled\n",
			    cdna_mbx_max_frame(netdev->mtu));
	for_each_set_bit(vid, vf->active_vlans, VLAN_N_VID)
		if (cdna_vf_req_vlan(vf, vid, true))
			netdev_warn(netdev, "VLAN %u not restored\n", vid);
	vf->mc_sent = false;
	/* A reset drops the extra filters at the PF: ask again. */
	vf->uc_synced = false;
	vf->uc_count = 0;
	cdna_vf_sync_rx_mode(vf);
	return err;
}

/* Stop, redo the handshake, replay, restart: the PF forgot us. */
static void cdna_vf_recover(struct cdna_vf_priv *vf)
{
	struct net_device *netdev = vf->netdev;
	u8 mac[ETH_ALEN];
	int err;

	rtnl_lock();
	cdna_vf_quiesce(vf);
	rtnl_unlock();

	clear_bit(CDNA_VF_S_RESET_REQ, vf->state);
	err = cdna_vf_mbx_reset_hw(vf, mac);
	if (err) {
		set_bit(CDNA_VF_S_RESET_REQ, vf->state);
		if (!test_and_set_bit(CDNA_VF_S_WARNED_PF, vf->state))
			netdev_warn(netdev,
				    "PF did not complete the reset handshake (%s, %d): link stays down, retrying every %u ms\n",
				    err == -EAGAIN ? "PF in reset" : "no answer",
				    err, CDNA_VF_WATCHDOG_MS);
		return;
	}
	if (test_and_clear_bit(CDNA_VF_S_WARNED_PF, vf->state))
		netdev_info(netdev, "PF answered: reset handshake done\n");

	rtnl_lock();
	cdna_vf_after_reset(vf, mac);
	if (netif_running(netdev) && vf->rx_ring.desc)
		cdna_vf_up(vf);
	rtnl_unlock();
}

/**
 * cdna_vf_update_hw_stats - fold the VF's 32-bit counters into 64-bit totals
 * @vf: the VF
 *
 * The counters wrap and are not cleared on read; a reset of the PF may
 * zero them, so the first read after a handshake only takes a baseline.
 *
 * Context: process or softirq.
 */
void cdna_vf_update_hw_stats(struct cdna_vf_priv *vf)
{
	u32 now[CDNA_VF_HW_NSTATS];
	unsigned int i;

	for (i = 0; i < CDNA_VF_HW_NSTATS; i++)
		now[i] = cdna_vf_rd32(&vf->hw, cdna_vf_hw_stat_regs[i]);
	if (vf->hw.gone)
		return;

	spin_lock_bh(&vf->stats_lock);
	for (i = 0; i < CDNA_VF_HW_NSTATS; i++) {
		if (!vf->hw_rebase)
			vf->hw_total[i] += (u32)(now[i] - vf->hw_last[i]);
		vf->hw_last[i] = now[i];
	}
	vf->hw_rebase = false;
	spin_unlock_bh(&vf->stats_lock);
}

/**
 * cdna_vf_service_task - mailbox, reset recovery, link and counters
 * @work: the VF's service work
 *
 * Runs on every watchdog tick, after mailbox interrupts, and when the
 * stack changes the receive mode.
 */
void cdna_vf_service_task(struct work_struct *work)
{
	struct cdna_vf_priv *vf = container_of(work, struct cdna_vf_priv,
					       service);

	if (test_bit(CDNA_VF_S_REMOVING, vf->state) ||
	    test_bit(CDNA_VF_S_PCI_RESET, vf->state))
		return;

	/* Registers read all-ones for a while (VFE toggled, FLR by others). */
	if (READ_ONCE(vf->hw.gone) &&
	    readl(vf->hw.io + CDNA_VF_STATUS) != ~0U) {
		netdev_info(vf->netdev, "registers respond again: resetting\n");
		WRITE_ONCE(vf->hw.gone, false);
		set_bit(CDNA_VF_S_RESET_REQ, vf->state);
	}

	cdna_vf_mbx_poll(vf);
	/*
	 * Served without CTS for long: the host may be holding our link
	 * down, or (the in-tree igb) the PF wants a new handshake before it
	 * gives CTS again.  A handshake tells which, and costs nothing else.
	 */
	if (test_bit(CDNA_VF_S_PF_DOWN, vf->state) &&
	    test_bit(CDNA_VF_S_HW_READY, vf->state) &&
	    time_after(jiffies, vf->pf_down_at + CDNA_VF_PF_DOWN_RETRY)) {
		netdev_dbg(vf->netdev, "no CTS from the PF for %u s: redoing the reset handshake\n",
			   CDNA_VF_PF_DOWN_RETRY / HZ);
		vf->pf_down_at = jiffies;
		set_bit(CDNA_VF_S_RESET_REQ, vf->state);
	}
	if (test_bit(CDNA_VF_S_RESET_REQ, vf->state))
		cdna_vf_recover(vf);

	if (test_bit(CDNA_VF_S_HW_READY, vf->state) &&
	    test_and_clear_bit(CDNA_VF_S_RX_MODE, vf->state)) {
		rtnl_lock();
		cdna_vf_sync_rx_mode(vf);
		rtnl_unlock();
	}

	if (vf->netdev->reg_state == NETREG_REGISTERED)
		cdna_vf_link_update(vf);
	/*
	 * Peers still know the old MAC: tell them once frames flow again,
	 * that is once linkwatch has activated the qdisc (operstate up).
	 */
	if (netif_oper_up(vf->netdev) &&
	    test_and_clear_bit(CDNA_VF_S_NOTIFY_PEERS, vf->state))
		netdev_notify_peers(vf->netdev);
	cdna_vf_update_hw_stats(vf);

	/* A lost interrupt must not stall the queue: poll once per tick. */
	if (test_bit(CDNA_VF_S_UP, vf->state)) {
		local_bh_disable();
		napi_schedule(&vf->napi);
		local_bh_enable();
	}
}

static int cdna_vf_open(struct net_device *netdev)
{
	struct cdna_vf_priv *vf = netdev_priv(netdev);
	int err;

	netif_carrier_off(netdev);
	err = cdna_vf_alloc_rings(vf);
	if (err)
		return err;
	if (test_bit(CDNA_VF_S_HW_READY, vf->state))
		cdna_vf_up(vf);
	else
		cdna_vf_schedule_service(vf);
	return 0;
}

static int cdna_vf_stop(struct net_device *netdev)
{
	struct cdna_vf_priv *vf = netdev_priv(netdev);

	cdna_vf_down(vf);
	cdna_vf_free_rings(vf);
	return 0;
}

static void cdna_vf_set_rx_mode(struct net_device *netdev)
{
	struct cdna_vf_priv *vf = netdev_priv(netdev);

	/* Atomic context here; the mailbox sleeps: defer to the task. */
	set_bit(CDNA_VF_S_RX_MODE, vf->state);
	cdna_vf_schedule_service(vf);
}

static int cdna_vf_set_mac(struct net_device *netdev, void *p)
{
	struct cdna_vf_priv *vf = netdev_priv(netdev);
	struct sockaddr *addr = p;
	int err;

	if (!is_valid_ether_addr(addr->sa_data))
		return -EADDRNOTAVAIL;
	if (ether_addr_equal(netdev->dev_addr, addr->sa_data))
		return 0;
	err = cdna_vf_req_mac(vf, addr->sa_data);
	if (err == -EPERM) {
		netdev_err(netdev,
			   "PF refused MAC %pM (administratively set address?)\n",
			   addr->sa_data);
		return -EPERM;
	}
	if (err) {
		netdev_err(netdev, "PF unreachable, MAC unchanged (%d)\n", err);
		return -EAGAIN;
	}
	eth_hw_addr_set(netdev, addr->sa_data);
	return 0;
}

static int cdna_vf_change_mtu(struct net_device *netdev, int new_mtu)
{
	struct cdna_vf_priv *vf = netdev_priv(netdev);
	bool was_up = test_bit(CDNA_VF_S_UP, vf->state);
	int err;

	err = cdna_vf_req_lpe(vf, new_mtu);
	if (err == -EPERM) {
		netdev_err(netdev, "PF refused frames of %u bytes\n",
			   cdna_mbx_max_frame(new_mtu));
		return -EINVAL;
	}
	/* Other errors: the PF is away; the MTU is replayed after reset. */

	if (was_up)
		cdna_vf_down(vf);
	WRITE_ONCE(netdev->mtu, new_mtu);
	vf->rx_ring.buf_len = cdna_vf_rx_buf_len(new_mtu);
	if (was_up && test_bit(CDNA_VF_S_HW_READY, vf->state))
		cdna_vf_up(vf);
	else if (netif_running(netdev))
		cdna_vf_schedule_service(vf);
	return 0;
}

static int cdna_vf_vlan_add(struct net_device *netdev, __be16 proto, u16 vid)
{
	struct cdna_vf_priv *vf = netdev_priv(netdev);
	int err;

	err = cdna_vf_req_vlan(vf, vid, true);
	if (err == -EPERM) {
		/*
		 * With a port VLAN the host set, the PF refuses every VLAN
		 * of ours, VID 0 (priority tags, asked for by the 8021q
		 * module on every interface) included: not worth a report.
		 */
		if (vid)
			netdev_err(netdev, "PF refused VLAN %u\n", vid);
		else
			netdev_dbg(netdev, "PF refused VLAN 0 (port VLAN set)\n");
		return -EPERM;
	}
	/* Kept even if the PF is away: replayed after the next reset. */
	set_bit(vid, vf->active_vlans);
	return 0;
}

static int cdna_vf_vlan_kill(struct net_device *netdev, __be16 proto, u16 vid)
{
	struct cdna_vf_priv *vf = netdev_priv(netdev);

	clear_bit(vid, vf->active_vlans);
	cdna_vf_req_vlan(vf, vid, false);
	return 0;
}

static void cdna_vf_get_stats64(struct net_device *netdev,
				struct rtnl_link_stats64 *s)
{
	struct cdna_vf_priv *vf = netdev_priv(netdev);
	struct cdna_vf_ring_stats *rs;
	unsigned int start;

	rs = &vf->rx_ring.stats;
	do {
		start = u64_stats_fetch_begin(&rs->syncp);
		s->rx_packets = u64_stats_read(&rs->packets);
		s->rx_bytes = u64_stats_read(&rs->bytes);
		s->rx_crc_errors = u64_stats_read(&rs->csum_err);
		s->rx_errors = u64_stats_read(&rs->errors) + s->rx_crc_errors;
		s->rx_dropped = u64_stats_read(&rs->alloc_failed);
	} while (u64_stats_fetch_retry(&rs->syncp, start));

	rs = &vf->tx_ring.stats;
	do {
		start = u64_stats_fetch_begin(&rs->syncp);
		s->tx_packets = u64_stats_read(&rs->packets);
		s->tx_bytes = u64_stats_read(&rs->bytes);
	} while (u64_stats_fetch_retry(&rs->syncp, start));
	s->tx_dropped = READ_ONCE(netdev->stats.tx_dropped);

	spin_lock_bh(&vf->stats_lock);
	s->multicast = vf->hw_total[CDNA_VF_HW_MPRC];
	spin_unlock_bh(&vf->stats_lock);
}

static void cdna_vf_tx_timeout(struct net_device *netdev, unsigned int txq)
{
	struct cdna_vf_priv *vf = netdev_priv(netdev);

	netdev_warn(netdev, "TX queue %u stuck: resetting\n", txq);
	set_bit(CDNA_VF_S_RESET_REQ, vf->state);
	cdna_vf_schedule_service(vf);
}

const struct net_device_ops cdna_vf_netdev_ops = {
	.ndo_open		= cdna_vf_open,
	.ndo_stop		= cdna_vf_stop,
	.ndo_start_xmit		= cdna_vf_xmit,
	.ndo_set_rx_mode	= cdna_vf_set_rx_mode,
	.ndo_set_mac_address	= cdna_vf_set_mac,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_change_mtu		= cdna_vf_change_mtu,
	.ndo_vlan_rx_add_vid	= cdna_vf_vlan_add,
	.ndo_vlan_rx_kill_vid	= cdna_vf_vlan_kill,
	.ndo_get_stats64	= cdna_vf_get_stats64,
	.ndo_tx_timeout		= cdna_vf_tx_timeout,
};

/**
 * cdna_vf_netdev_setup - fill in the netdev's ops, features and limits
 * @vf: the VF
 */
void cdna_vf_netdev_setup(struct cdna_vf_priv *vf)
{
	struct net_device *netdev = vf->netdev;

	netdev->netdev_ops = &cdna_vf_netdev_ops;
	netdev->ethtool_ops = &cdna_vf_ethtool_ops;
	netdev->watchdog_timeo = 5 * HZ;
	netdev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			      NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_RXCSUM |
			      NETIF_F_HW_VLAN_CTAG_TX;
	/* The PF strips VLAN tags (VMOLR.STRVLAN): not the VF's to turn off. */
	netdev->features = netdev->hw_features | NETIF_F_HW_VLAN_CTAG_RX |
			   NETIF_F_HW_VLAN_CTAG_FILTER;
	netdev->vlan_features = NETIF_F_SG | NETIF_F_IP_CSUM |
				NETIF_F_IPV6_CSUM | NETIF_F_TSO | NETIF_F_TSO6;
	netdev->min_mtu = ETH_MIN_MTU;
	netdev->max_mtu = CDNA_VF_MAX_MTU;
	/* Extra unicast addresses are filters at the PF, not promiscuity. */
	netdev->priv_flags |= IFF_UNICAST_FLT;
}
