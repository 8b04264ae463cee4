// SPDX-License-Identifier: GPL-2.0
/*
 * cdna_pf ethtool: -i, link settings, -r, -g/-G, -l, -S (PF counters and
 * one block per context: ctxN_rx_packets, ...), -d register dump.  -k/-K
 * go through the netdev features (pf_netdev.c).
 */
#include <linux/ethtool.h>
#include <linux/linkmode.h>
#include <linux/rtnetlink.h>

#include "pf.h"

struct cdna_stat {
	char name[ETH_GSTRING_LEN];
	unsigned int offset;
};

#define HW_STAT(_name, _field) \
	{ _name, offsetof(struct cdna_hw_stats, _field) }

static const struct cdna_stat hw_stats[] = {
	HW_STAT("mac_rx_good_packets", gprc),
	HW_STAT("mac_rx_good_bytes", gorc),
	HW_STAT("mac_rx_broadcast", bprc),
	HW_STAT("mac_rx_multicast", mprc),
	HW_STAT("mac_rx_total_packets", tpr),
	HW_STAT("mac_rx_crc_errors", crcerrs),
	HW_STAT("mac_rx_missed", mpc),
	HW_STAT("mac_rx_length_errors", rlec),
	HW_STAT("mac_rx_no_buffer", rnbc),
	HW_STAT("mac_rx_undersize", ruc),
	HW_STAT("mac_rx_oversize", roc),
	HW_STAT("mac_tx_good_packets", gptc),
	HW_STAT("mac_tx_good_bytes", gotc),
	HW_STAT("mac_tx_total_packets", tpt),
	HW_STAT("mac_tx_multicast", mptc),
	HW_STAT("mac_tx_broadcast", bptc),
	HW_STAT("mac_tx_tso_packets", tsctc),
};

#define RING_STAT(_name, _field) \
	{ _name, offsetof(struct cdna_ring_stats, _field) }
#define XMIT_STAT(_name, _field) \
	{ _name, offsetof(struct cdna_xmit_stats, _field) }

static const struct cdna_stat rx_stats[] = {
	RING_STAT("rx_packets", packets),
	RING_STAT("rx_bytes", bytes),
	RING_STAT("rx_errors", errors),
	RING_STAT("rx_csum_errors", csum_err),
	RING_STAT("rx_alloc_failed", alloc_failed),
	RING_STAT("rx_vlan_offload", vlan),
};

static const struct cdna_stat tx_stats[] = {
	RING_STAT("tx_packets", packets),
	RING_STAT("tx_bytes", bytes),
	RING_STAT("tx_restart_queue", restarts),
};

static const struct cdna_stat xmit_stats[] = {
	XMIT_STAT("tx_dropped", dropped),
	XMIT_STAT("tx_tso_packets", tso),
	XMIT_STAT("tx_tso_segments", tso_segs),
	XMIT_STAT("tx_vlan_offload", vlan),
};

/* Per context, in this order; the names get a "ctxN_" prefix. */
static const char * const ctx_stats[] = {
	"rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_multicast",
	"mbx_msgs", "mbx_refused", "mbx_throttled", "resets", "uc_refused",
	"spoof_dropped", "vlan_dropped",
};

static_assert(CDNA_VFS_RX_PACKETS == 0 && CDNA_VFS_TX_PACKETS == 1 &&
	      CDNA_VFS_RX_BYTES == 2 && CDNA_VFS_TX_BYTES == 3 &&
	      CDNA_VFS_RX_MULTICAST == 4 && CDNA_VFS_NUM == 5);

#define NUM_PF_STATS	(ARRAY_SIZE(rx_stats) + ARRAY_SIZE(tx_stats) + \
			 ARRAY_SIZE(xmit_stats) + ARRAY_SIZE(hw_stats))

static void cdna_get_drvinfo(struct net_device *netdev,
			     struct ethtool_drvinfo *info)
{
	struct cdna_pf *pf = netdev_priv(netdev);

	strscpy(info->driver, CDNA_DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, pci_name(pf->pdev), sizeof(info->bus_info));
	strscpy(info->fw_version, pf->fw_version, sizeof(info->fw_version));
}

static const int link_modes[] = {
	ETHTOOL_LINK_MODE_10baseT_Full_BIT,
	ETHTOOL_LINK_MODE_100baseT_Full_BIT,
	ETHTOOL_LINK_MODE_1000baseT_Full_BIT,
	ETHTOOL_LINK_MODE_Autoneg_BIT,
	ETHTOOL_LINK_MODE_TP_BIT,
};

static int cdna_get_link_ksettings(struct net_device *netdev,
				   struct ethtool_link_ksettings *ks)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	unsigned int i;

	linkmode_zero(ks->link_modes.supported);
	for (i = 0; i < ARRAY_SIZE(link_modes); i++)
		linkmode_set_bit(link_modes[i], ks->link_modes.supported);
	linkmode_copy(ks->link_modes.advertising, ks->link_modes.supported);
	ks->base.port = PORT_TP;
	ks->base.phy_address = CDNA_PHY_ADDR;
	ks->base.autoneg = AUTONEG_ENABLE;
	if (pf->link_up) {
		ks->base.speed = pf->link_speed;
		ks->base.duplex = DUPLEX_FULL;
	} else {
		ks->base.speed = SPEED_UNKNOWN;
		ks->base.duplex = DUPLEX_UNKNOWN;
	}
	return 0;
}

static void cdna_get_ringparam(struct net_device *netdev,
			       struct ethtool_ringparam *ring,
			       struct kernel_ethtool_ringparam *kring,
			       struct netlink_ext_ack *extack)
{
	struct cdna_pf *pf = netdev_priv(netdev);

	ring->rx_max_pending = CDNA_MAX_RING;
	ring->tx_max_pending = CDNA_MAX_RING;
	ring->rx_pending = pf->rx_count;
	ring->tx_pending = pf->tx_count;
}

static int cdna_set_ringparam(struct net_device *netdev,
			      struct ethtool_ringparam *ring,
			      struct kernel_ethtool_ringparam *kring,
			      struct netlink_ext_ack *extack)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	u16 old_rx = pf->rx_count, old_tx = pf->tx_count;
	int err;

	if (ring->rx_mini_pending || ring->rx_jumbo_pending) {
		NL_SET_ERR_MSG_MOD(extack, "no mini or jumbo rings");
		return -EINVAL;
	}
	if (ring->rx_pending < CDNA_MIN_RING ||
	    ring->tx_pending < CDNA_MIN_RING) {
		NL_SET_ERR_MSG_MOD(extack, "rings need at least 64 descriptors");
		return -EINVAL;
	}
	/* RDLEN/TDLEN are in 128-byte units: multiples of 8 descriptors. */
	pf->rx_count = ALIGN(ring->rx_pending, CDNA_RING_ALIGN);
	pf->tx_count = ALIGN(ring->tx_pending, CDNA_RING_ALIGN);
	if (!netif_running(netdev) ||
	    (pf->rx_count == old_rx && pf->tx_count == old_tx))
		return 0;

	cdna_down(pf);
	cdna_rings_free(pf);
	err = cdna_rings_alloc(pf);
	if (err) {
		pf->rx_count = old_rx;
		pf->tx_count = old_tx;
		err = cdna_rings_alloc(pf);
		if (err) {
			dev_close(netdev);
			return err;
		}
		NL_SET_ERR_MSG_MOD(extack, "no memory for the new rings");
		cdna_up(pf);
		return -ENOMEM;
	}
	return cdna_up(pf);
}

static void cdna_get_channels(struct net_device *netdev,
			      struct ethtool_channels *ch)
{
	ch->max_combined = 1;
	ch->combined_count = 1;
	ch->max_other = 1;
	ch->other_count = 1;
}

static int cdna_get_sset_count(struct net_device *netdev, int sset)
{
	struct cdna_pf *pf = netdev_priv(netdev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return NUM_PF_STATS + pf->num_vfs * ARRAY_SIZE(ctx_stats);
}

/* ethtool_puts() is 6.8 on; the PF also builds for bookworm's 6.1. */
static void cdna_put_string(u8 **data, const char *s)
{
	memset(*data, 0, ETH_GSTRING_LEN);
	strscpy(*data, s, ETH_GSTRING_LEN);
	*data += ETH_GSTRING_LEN;
}

static void cdna_get_strings(struct net_device *netdev, u32 sset, u8 *data)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	unsigned int i;
	int vf;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < ARRAY_SIZE(rx_stats); i++)
		cdna_put_string(&data, rx_stats[i].name);
	for (i = 0; i < ARRAY_SIZE(tx_stats); i++)
		cdna_put_string(&data, tx_stats[i].name);
	for (i = 0; i < ARRAY_SIZE(xmit_stats); i++)
		cdna_put_string(&data, xmit_stats[i].name);
	for (i = 0; i < ARRAY_SIZE(hw_stats); i++)
		cdna_put_string(&data, hw_stats[i].name);
	for (vf = 0; vf < pf->num_vfs; vf++)
		for (i = 0; i < ARRAY_SIZE(ctx_stats); i++)
			ethtool_sprintf(&data, "ctx%d_%s", vf, ctx_stats[i]);
}

/* The counters of @table, at their offsets in @base, read under @syncp. */
static u64 *stats_read(const struct u64_stats_sync *syncp, const void *base,
		       const struct cdna_stat *table, unsigned int n, u64 *data)
{
	unsigned int start, i;

	do {
		start = u64_stats_fetch_begin(syncp);
		for (i = 0; i < n; i++)
			data[i] = u64_stats_read((const u64_stats_t *)
						 ((const u8 *)base +
						  table[i].offset));
	} while (u64_stats_fetch_retry(syncp, start));
	return data + n;
}

static void cdna_get_ethtool_stats(struct net_device *netdev,
				   struct ethtool_stats *stats, u64 *data)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	unsigned int i;
	int vf;

	data = stats_read(&pf->rx.stats.syncp, &pf->rx.stats, rx_stats,
			  ARRAY_SIZE(rx_stats), data);
	data = stats_read(&pf->tx.stats.syncp, &pf->tx.stats, tx_stats,
			  ARRAY_SIZE(tx_stats), data);
	data = stats_read(&pf->tx.xstats.syncp, &pf->tx.xstats, xmit_stats,
			  ARRAY_SIZE(xmit_stats), data);

	cdna_hw_update_stats(pf);
	spin_lock_bh(&pf->stats_lock);
	for (i = 0; i < ARRAY_SIZE(hw_stats); i++)
		*data++ = *(u64 *)((u8 *)&pf->hw_stats + hw_stats[i].offset);
	spin_unlock_bh(&pf->stats_lock);

	mutex_lock(&pf->vf_lock);
	cdna_vf_update_stats(pf);
	spin_lock_bh(&pf->vf_stats_lock);
	for (vf = 0; vf < pf->num_vfs; vf++) {
		const struct cdna_vf *v = &pf->vfs[vf];

		for (i = 0; i < CDNA_VFS_NUM; i++)
			*data++ = v->hw.total[i];
		*data++ = v->mbx_msgs;
		*data++ = v->mbx_refused;
		*data++ = v->mbx_throttled;
		*data++ = v->resets;
		*data++ = v->uc_refused;
		*data++ = v->spoof_dropped;
		*data++ = v->vlan_dropped;
	}
	spin_unlock_bh(&pf->vf_stats_lock);
	mutex_unlock(&pf->vf_lock);
}

/* Registers in the -d dump, in this order. */
static const u32 dump_regs[] = {
	CDNA_CTRL, CDNA_STATUS, CDNA_CTRL_EXT, CDNA_RCTL, CDNA_TCTL,
	CDNA_GPIE, CDNA_IMS, CDNA_EIMS, CDNA_IVAR_MISC, CDNA_MRQC,
	CDNA_VT_CTL, CDNA_RXCSUM, CDNA_RLPML, CDNA_DTXSWC, CDNA_VFRE,
	CDNA_VFTE, CDNA_MBVFICR, CDNA_VFLRE, CDNA_QDE,
};

#define DUMP_WORDS	(ARRAY_SIZE(dump_regs) + 4 * CDNA_POOLS + \
			 CDNA_POOLS + CDNA_VLVF_ENTRIES + 2 * CDNA_RAR_ENTRIES + \
			 CDNA_NUM_QUEUES)

static int cdna_get_regs_len(struct net_device *netdev)
{
	return DUMP_WORDS * sizeof(u32);
}

static void cdna_get_regs(struct net_device *netdev, struct ethtool_regs *regs,
			  void *p)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	struct cdna_hw *hw = &pf->hw;
	u32 *buf = p;
	unsigned int i;

	regs->version = 2;
	for (i = 0; i < ARRAY_SIZE(dump_regs); i++)
		*buf++ = cdna_rd32(hw, dump_regs[i]);
	for (i = 0; i < CDNA_POOLS; i++) {
		*buf++ = cdna_rd32(hw, CDNA_VMOLR(i));
		*buf++ = cdna_rd32(hw, CDNA_VMVIR(i));
		*buf++ = cdna_rd32(hw, CDNA_P2VMAILBOX(i));
		*buf++ = cdna_rd32(hw, CDNA_IVAR0(i));
	}
	for (i = 0; i < CDNA_POOLS; i++)
		*buf++ = cdna_rd32(hw, CDNA_RXDCTL(i));
	for (i = 0; i < CDNA_VLVF_ENTRIES; i++)
		*buf++ = cdna_rd32(hw, CDNA_VLVF(i));
	for (i = 0; i < CDNA_RAR_ENTRIES; i++) {
		*buf++ = cdna_rd32(hw, cdna_ral(i));
		*buf++ = cdna_rd32(hw, cdna_rah(i));
	}
	/* RTTBCNRC is write-only: the values programmed, per TX queue. */
	mutex_lock(&pf->vf_lock);
	for (i = 0; i < CDNA_NUM_QUEUES; i++)
		*buf++ = pf->rttbcnrc[i];
	mutex_unlock(&pf->vf_lock);
}

/*
 * ethtool -r: restart autonegotiation on the PHY.  The link goes down and
 * comes back (LSC); the contexts see it as they see any link change, in
 * STATUS.LU and a PF_CONTROL message, and keep their configuration: this
 * is not a reset of the MAC, which would take every context down with it.
 */
static int cdna_nway_reset(struct net_device *netdev)
{
	struct cdna_pf *pf = netdev_priv(netdev);
	int err;

	/*
	 * Set first: the link must be reported down even if the work runs
	 * before STATUS.LU falls (the model clears it at once, the chip
	 * when the PHY drops the link).
	 */
	atomic_set(&pf->an_restart, 1);
	/* MDIC polls take milliseconds: not under the VF lock. */
	mutex_lock(&pf->phy_lock);
	err = cdna_hw_phy_setup(pf);
	mutex_unlock(&pf->phy_lock);
	if (err) {
		atomic_set(&pf->an_restart, 0);
		netdev_err(netdev, "PHY does not answer on MDIC: %d\n", err);
		return err;
	}
	mod_delayed_work(pf->wq, &pf->service_work, 0);
	return 0;
}

const struct ethtool_ops cdna_ethtool_ops = {
	.get_drvinfo		= cdna_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.nway_reset		= cdna_nway_reset,
	.get_link_ksettings	= cdna_get_link_ksettings,
	.get_ringparam		= cdna_get_ringparam,
	.set_ringparam		= cdna_set_ringparam,
	.get_channels		= cdna_get_channels,
	.get_sset_count		= cdna_get_sset_count,
	.get_strings		= cdna_get_strings,
	.get_ethtool_stats	= cdna_get_ethtool_stats,
	.get_regs_len		= cdna_get_regs_len,
	.get_regs		= cdna_get_regs,
};
