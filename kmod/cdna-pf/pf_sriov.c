// SPDX-License-Identifier: GPL-2.0
/*
 * cdna_pf contexts: SR-IOV enable/disable and the host's policy through
 * the ndo_set_vf_* operations.  The state of a context and its programming
 * into the NIC are in pf_vf.c.
 */
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>

#include "pf.h"
#include "pf_fault.h"
#include "pf_vf.h"

/* Re-lay the pools for @num_vfs; the PF's data path moves with its pool. */
static void sriov_relayout(struct cdna_pf *pf, int num_vfs)
{
	bool running = netif_running(pf->netdev);
	int i;

	ASSERT_RTNL();
	if (running)
		cdna_down(pf);
	mutex_lock(&pf->vf_lock);
	pf->num_vfs = num_vfs;
	/* Every filter goes with the old layout (vmdq_setup clears RARs). */
	bitmap_zero(pf->uc_rars, CDNA_RAR_ENTRIES);
	for (i = 0; i < num_vfs; i++)
		cdna_vf_init(pf, i);
	cdna_hw_vmdq_setup(pf);
	cdna_hw_pf_rx_filters(pf);
	for (i = 0; i < num_vfs; i++)
		cdna_vf_apply(pf, i);
	cdna_hw_init_irq(pf);
	/* Every VF's mailbox interrupt on (flood control masks one). */
	cdna_wr32(&pf->hw, CDNA_MBVFIMR, num_vfs ? GENMASK(num_vfs - 1, 0) : 0);
	if (num_vfs)
		/* PF ready: the VFs' mailboxes show RSTD, not RSTI. */
		cdna_rmw32(&pf->hw, CDNA_CTRL_EXT, 0, CDNA_CTRL_EXT_PFRSTD);
	mutex_unlock(&pf->vf_lock);
	if (running)
		cdna_up(pf);
}

/**
 * cdna_sriov_disable - remove every VF and leave VMDq mode
 * @pf: the PF
 */
void cdna_sriov_disable(struct cdna_pf *pf)
{
	if (!pf->num_vfs)
		return;
	cdna_sysfs_del_vfs(pf);
	pci_disable_sriov(pf->pdev);
	rtnl_lock();
	sriov_relayout(pf, 0);
	rtnl_unlock();
	dev_info(&pf->pdev->dev, "SR-IOV disabled\n");
}

/*
 * The first context a VM holds through vmm_guard, or -1.  VFIO never marks
 * its devices assigned (pci_vfs_assigned()), so the PF keeps count: a
 * held VF cannot go away without its VMM letting go of it first.
 */
static int ctx_first_held(struct cdna_pf *pf)
{
	int vf;

	lockdep_assert_held(&pf->vf_lock);
	for (vf = 0; vf < pf->num_vfs; vf++)
		if (pf->vfs[vf].held)
			return vf;
	return -1;
}

static const char *ctx_owner(const struct cdna_vf *v)
{
	return v->owner[0] ? v->owner : "an unnamed VFIO user";
}

/* The wait's condition: no lock (it runs in a non-running task state). */
static bool ctx_none_held(struct cdna_pf *pf)
{
	int vf;

	for (vf = 0; vf < READ_ONCE(pf->num_vfs); vf++)
		if (READ_ONCE(pf->vfs[vf].held))
			return false;
	return true;
}

/**
 * cdna_sriov_remove - remove the contexts as the PF goes away
 * @pf: the PF
 *
 * The PF's removal cannot be refused.  No VM may take a context from now
 * on; one a VM still holds is waited for, at most CDNA_RELEASE_WAIT_S, and
 * named in the log.  After that VFIO itself asks the VMM to let go (its
 * device request) and the removal waits for it there.
 */
void cdna_sriov_remove(struct cdna_pf *pf)
{
	struct device *dev = &pf->pdev->dev;
	int vf;

	mutex_lock(&pf->vf_lock);
	pf->removing = true;
	vf = ctx_first_held(pf);
	if (vf >= 0)
		dev_warn(dev, "context %d is held by %s: waiting up to %d s for its release before the contexts go\n",
			 vf, ctx_owner(&pf->vfs[vf]), CDNA_RELEASE_WAIT_S);
	mutex_unlock(&pf->vf_lock);
	if (vf >= 0 &&
	    !wait_event_timeout(pf->release_wq, ctx_none_held(pf),
				CDNA_RELEASE_WAIT_S * HZ)) {
		mutex_lock(&pf->vf_lock);
		vf = ctx_first_held(pf);
		if (vf >= 0)
			dev_warn(dev, "context %d is still held by %s: VFIO asks it to let go; the PF's removal waits for that\n",
				 vf, ctx_owner(&pf->vfs[vf]));
		mutex_unlock(&pf->vf_lock);
	}
	cdna_sriov_disable(pf);
}

/**
 * cdna_sriov_configure - the PCI core's sriov_numvfs hook
 * @pdev: the PF
 * @num_vfs: VFs wanted; 0 removes them
 *
 * Return: @num_vfs on success, -EBUSY when VFs exist (0 first) or a VM
 * holds one (through vmm_guard, or marked assigned), -ERANGE above
 * CDNA_MAX_VFS, or the PCI core's error.
 */
int cdna_sriov_configure(struct pci_dev *pdev, int num_vfs)
{
	struct cdna_pf *pf = pci_get_drvdata(pdev);
	int err, vf;

	if (!num_vfs) {
		if (pci_vfs_assigned(pdev)) {
			dev_warn(&pdev->dev,
				 "VFs are assigned to guests: not disabling\n");
			return -EBUSY;
		}
		mutex_lock(&pf->vf_lock);
		vf = ctx_first_held(pf);
		if (vf >= 0) {
			dev_err(&pdev->dev, "context %d is held by %s: not removing the contexts; release it first\n",
				vf, ctx_owner(&pf->vfs[vf]));
			mutex_unlock(&pf->vf_lock);
			return -EBUSY;
		}
		/* From here no VM can take one (cdna_ctx_ops.hold). */
		pf->removing = true;
		mutex_unlock(&pf->vf_lock);
		cdna_sriov_disable(pf);
		mutex_lock(&pf->vf_lock);
		pf->removing = false;
		mutex_unlock(&pf->vf_lock);
		return 0;
	}
	if (num_vfs > CDNA_MAX_VFS) {
		dev_err(&pdev->dev, "at most %d VFs: pool %d is the PF's\n",
			CDNA_MAX_VFS, CDNA_MAX_VFS);
		return -ERANGE;
	}
	if (pf->num_vfs)
		return -EBUSY;

	rtnl_lock();
	sriov_relayout(pf, num_vfs);
	rtnl_unlock();

	err = cdna_fault(CDNA_FAULT_SRIOV) ? -EIO :
	      pci_enable_sriov(pdev, num_vfs);
	if (err) {
		dev_err(&pdev->dev, "pci_enable_sriov: %d\n", err);
		rtnl_lock();
		sriov_relayout(pf, 0);
		rtnl_unlock();
		return err;
	}
	err = cdna_sysfs_add_vfs(pf);
	if (err)
		dev_warn(&pdev->dev, "no sysfs for contexts: %d\n", err);
	/* VFE resets every VF: VFLRE is set, serve it now. */
	mod_delayed_work(pf->wq, &pf->mbx_work, 0);
	dev_info(&pdev->dev, "SR-IOV: %d VFs, PF in pool %u\n", num_vfs,
		 cdna_pf_pool(pf));
	return num_vfs;
}

/**
 * cdna_ndo_set_vf_mac - ip link set PF vf N mac ADDR
 * @netdev: PF netdev
 * @vf: context
 * @mac: address; all-zero gives the choice back to the VF
 *
 * The address must be free, the VF's own, or chosen by another VF (which
 * then loses it): never the PF's or another context's host-set MAC.
 *
 * Return: 0, -EINVAL or -EADDRINUSE.
 */
int cdna_ndo_set_vf_mac(struct net_device *netdev, int vf, u8 *mac)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	struct cdna_vf *v;
	bool changed;

	if (!is_zero_ether_addr(mac) && !is_valid_ether_addr(mac)) {
		netdev_err(netdev, "VF %d: %pM is not a unicast address\n",
			   vf, mac);
		return -EINVAL;
	}
	mutex_lock(&pf->vf_lock);
	if (!cdna_vf_enabled(pf, vf)) {
		mutex_unlock(&pf->vf_lock);
		return -EINVAL;
	}
	v = &pf->vfs[vf];
	if (!is_zero_ether_addr(mac)) {
		enum cdna_mac_hold hold;
		const char *why;
		int holder;

		hold = cdna_mac_hold(pf, mac, vf, &holder);
		if (cdna_mac_decide(CDNA_MAC_BY_HOST, hold, &why) ==
		    CDNA_MAC_REFUSE) {
			mutex_unlock(&pf->vf_lock);
			if (holder == CDNA_MAC_OWNER_PF)
				netdev_err(netdev, "VF %d: %pM is in use: %s\n",
					   vf, mac, why);
			else
				netdev_err(netdev, "VF %d: %pM is in use: %s (VF %d)\n",
					   vf, mac, why, holder);
			return -EADDRINUSE;
		}
	}
	changed = !ether_addr_equal(v->mac, mac);
	ether_addr_copy(v->mac, mac);
	v->admin_mac = !is_zero_ether_addr(mac);
	if (v->admin_mac)
		cdna_mac_evict(pf, mac, vf);
	cdna_vf_uc_recheck(pf, vf);
	cdna_vf_apply(pf, vf);
	if (changed && v->admin_mac)
		cdna_vf_force_reset(pf, vf);
	else
		cdna_vf_notify(pf, vf);
	mutex_unlock(&pf->vf_lock);
	if (v->admin_mac)
		netdev_info(netdev, "VF %d: MAC %pM (the VF takes it at its next reset)\n",
			    vf, mac);
	return 0;
}

/**
 * cdna_ndo_set_vf_vlan - ip link set PF vf N vlan VID [qos Q] [proto P]
 * @netdev: PF netdev
 * @vf: context
 * @vlan: port VLAN, 0 = none
 * @qos: 802.1p priority
 * @proto: only 802.1Q
 *
 * Return: 0, -EINVAL, -EPROTONOSUPPORT or -ENOSPC (no VLVF entry left).
 */
int cdna_ndo_set_vf_vlan(struct net_device *netdev, int vf, u16 vlan, u8 qos,
			 __be16 proto)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	int err = 0;

	if (proto != htons(ETH_P_8021Q))
		return -EPROTONOSUPPORT;
	if (vlan >= VLAN_N_VID || qos > 7)
		return -EINVAL;
	if (!vlan && qos)
		return -EINVAL;
	mutex_lock(&pf->vf_lock);
	if (!cdna_vf_enabled(pf, vf)) {
		err = -EINVAL;
		goto out;
	}
	err = cdna_vf_port_vlan_set(pf, vf, vlan, qos);
	if (err)
		netdev_err(netdev, "VF %d: no VLAN filter left for %u: port VLAN %u stays\n",
			   vf, vlan, pf->vfs[vf].vlan);
out:
	mutex_unlock(&pf->vf_lock);
	return err;
}

/**
 * cdna_ndo_set_vf_spoofchk - ip link set PF vf N spoofchk on|off
 * @netdev: PF netdev
 * @vf: context
 * @on: anti-spoofing on
 *
 * Return: 0 or -EINVAL.
 */
int cdna_ndo_set_vf_spoofchk(struct net_device *netdev, int vf, bool on)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	int err = 0;

	mutex_lock(&pf->vf_lock);
	if (cdna_vf_enabled(pf, vf)) {
		pf->vfs[vf].spoofchk = on;
		cdna_vf_apply(pf, vf);
	} else {
		err = -EINVAL;
	}
	mutex_unlock(&pf->vf_lock);
	return err;
}

/**
 * cdna_ndo_set_vf_trust - ip link set PF vf N trust on|off
 * @netdev: PF netdev
 * @vf: context
 * @on: trusted (may ask for multicast promiscuous mode, and for extra
 *	unicast filters when the host set its MAC)
 *
 * Return: 0 or -EINVAL.
 */
int cdna_ndo_set_vf_trust(struct net_device *netdev, int vf, bool on)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	int err = 0;

	mutex_lock(&pf->vf_lock);
	if (cdna_vf_enabled(pf, vf)) {
		pf->vfs[vf].trusted = on;
		cdna_vf_uc_recheck(pf, vf);
		cdna_vf_apply(pf, vf);
	} else {
		err = -EINVAL;
	}
	mutex_unlock(&pf->vf_lock);
	return err;
}

/**
 * cdna_ndo_set_vf_rate - ip link set PF vf N max_tx_rate R [min_tx_rate 0]
 * @netdev: PF netdev
 * @vf: context
 * @min_rate: must be 0 (the 82576 has no guaranteed rate)
 * @max_rate: Mbit/s, 0 = unlimited, at most the link speed
 *
 * Return: 0 or -EINVAL.
 */
int cdna_ndo_set_vf_rate(struct net_device *netdev, int vf, int min_rate,
			 int max_rate)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	int err = 0;

	if (min_rate) {
		netdev_err(netdev, "VF %d: the 82576 has no minimum TX rate\n",
			   vf);
		return -EINVAL;
	}
	mutex_lock(&pf->vf_lock);
	if (!cdna_vf_enabled(pf, vf) || max_rate < 0 ||
	    max_rate > (pf->link_speed ? pf->link_speed : SPEED_1000)) {
		err = -EINVAL;
		goto out;
	}
	pf->vfs[vf].max_tx_rate = max_rate;
	cdna_vf_rate_program(pf, vf);
out:
	mutex_unlock(&pf->vf_lock);
	return err;
}

/**
 * cdna_ndo_set_vf_link_state - ip link set PF vf N state auto|enable|disable
 * @netdev: PF netdev
 * @vf: context
 * @state: IFLA_VF_LINK_STATE_*
 *
 * Disable closes the pool's receive side at once and tells the VF with a
 * PF_CONTROL message without CTS (and without NACK: "link down", not
 * "reset"), which any 82576 VF driver reads as a lost link; its transmit
 * side closes when the VF has read it (its ACK), CDNA_TX_GRACE later at
 * the latest, so the frames it had queued are out and its driver sees a
 * link going down, not a stuck queue (which igbvf answers with a reset).
 * While disabled the VF is served but never given CTS, across its resets.
 * Enable/auto reopen the pool and send PF_CONTROL with CTS.  The 82576
 * has no way to force a VF's link up, so enable behaves as auto.
 *
 * Return: 0 or -EINVAL.
 */
int cdna_ndo_set_vf_link_state(struct net_device *netdev, int vf, int state)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	struct cdna_vf *v;
	int err = 0;

	switch (state) {
	case IFLA_VF_LINK_STATE_AUTO:
	case IFLA_VF_LINK_STATE_ENABLE:
	case IFLA_VF_LINK_STATE_DISABLE:
		break;
	default:
		return -EINVAL;
	}
	mutex_lock(&pf->vf_lock);
	if (!cdna_vf_enabled(pf, vf)) {
		err = -EINVAL;
		goto out;
	}
	v = &pf->vfs[vf];
	if (state == IFLA_VF_LINK_STATE_DISABLE &&
	    v->link_state != IFLA_VF_LINK_STATE_DISABLE)
		v->tx_grace = (jiffies + CDNA_TX_GRACE) ?: 1;
	else if (state != IFLA_VF_LINK_STATE_DISABLE)
		v->tx_grace = 0;
	v->link_state = state;
	cdna_vf_apply(pf, vf);
	/*
	 * A VF that lost its reset handshake while disabled (something reset
	 * it under its driver) is told to redo it: PF_CONTROL with NACK.
	 */
	cdna_mbx_ping_vf(pf, vf);
	/* Make a running driver look at the message now. */
	if (v->reset_done)
		cdna_wr32(&pf->hw, CDNA_PVTEICS(vf), CDNA_PVTEICS_ALL);
out:
	mutex_unlock(&pf->vf_lock);
	return err;
}

/**
 * cdna_ndo_get_vf_config - ip link show PF
 * @netdev: PF netdev
 * @vf: context
 * @ivi: filled in
 *
 * Return: 0 or -EINVAL.
 */
int cdna_ndo_get_vf_config(struct net_device *netdev, int vf,
			   struct ifla_vf_info *ivi)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	struct cdna_vf *v;

	mutex_lock(&pf->vf_lock);
	if (!cdna_vf_enabled(pf, vf)) {
		mutex_unlock(&pf->vf_lock);
		return -EINVAL;
	}
	v = &pf->vfs[vf];
	ivi->vf = vf;
	ether_addr_copy(ivi->mac, v->mac);
	ivi->vlan = v->vlan;
	ivi->qos = v->qos;
	ivi->vlan_proto = htons(ETH_P_8021Q);
	ivi->spoofchk = v->spoofchk;
	ivi->trusted = v->trusted;
	ivi->linkstate = v->link_state;
	ivi->max_tx_rate = v->max_tx_rate;
	ivi->min_tx_rate = 0;
	mutex_unlock(&pf->vf_lock);
	return 0;
}

/**
 * cdna_ndo_get_vf_stats - ip -s link show PF
 * @netdev: PF netdev
 * @vf: context
 * @vf_stats: filled in from the pool's counters
 *
 * Return: 0 or -EINVAL.
 */
int cdna_ndo_get_vf_stats(struct net_device *netdev, int vf,
			  struct ifla_vf_stats *vf_stats)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	u64 *t;

	/*
	 * Any user may dump these (ip -s link): no VF lock, only this
	 * context's counters.  RTNL keeps the contexts in place.
	 */
	ASSERT_RTNL();
	if (!cdna_vf_enabled(pf, vf))
		return -EINVAL;
	spin_lock_bh(&pf->vf_stats_lock);
	if (!pf->hw.gone)
		cdna_vf_fold_stats(pf, vf);
	t = pf->vfs[vf].hw.total;
	vf_stats->rx_packets = t[CDNA_VFS_RX_PACKETS];
	vf_stats->tx_packets = t[CDNA_VFS_TX_PACKETS];
	vf_stats->rx_bytes = t[CDNA_VFS_RX_BYTES];
	vf_stats->tx_bytes = t[CDNA_VFS_TX_BYTES];
	vf_stats->multicast = t[CDNA_VFS_RX_MULTICAST];
	spin_unlock_bh(&pf->vf_stats_lock);
	return 0;
}
