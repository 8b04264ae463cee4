// SPDX-License-Identifier: GPL-2.0
/*
 * ethtool: -i, -S (queue, mailbox and hardware counters), -g/-G, -l, -k
 * (through the netdev features), -d (a register dump), link settings.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>

#include "vf.h"

/* Everything ethtool -S shows, gathered at once. */
struct cdna_vf_estats {
	u64 rx_packets;
	u64 rx_bytes;
	u64 rx_errors;
	u64 rx_csum_err;
	u64 rx_alloc_failed;
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_busy;
	u64 tx_restarts;
	struct cdna_vf_mbx_stats mbx;
	u64 hw[CDNA_VF_HW_NSTATS];
};

#define ESTAT(name, field) { name, offsetof(struct cdna_vf_estats, field) }

static const struct {
	char name[ETH_GSTRING_LEN];
	size_t offset;
} cdna_vf_gstrings[] = {
	ESTAT("rx0_packets", rx_packets),
	ESTAT("rx0_bytes", rx_bytes),
	ESTAT("rx0_errors", rx_errors),
	ESTAT("rx0_csum_errors", rx_csum_err),
	ESTAT("rx0_alloc_failed", rx_alloc_failed),
	ESTAT("tx0_packets", tx_packets),
	ESTAT("tx0_bytes", tx_bytes),
	ESTAT("tx0_busy", tx_busy),
	ESTAT("tx0_restarts", tx_restarts),
	ESTAT("mbx_tx", mbx.tx),
	ESTAT("mbx_rx", mbx.rx),
	ESTAT("mbx_nacks", mbx.nacks),
	ESTAT("mbx_timeouts", mbx.timeouts),
	ESTAT("mbx_resets", mbx.resets),
	ESTAT("mbx_pf_resets", mbx.pf_resets),
	ESTAT("hw_rx_packets", hw[CDNA_VF_HW_GPRC]),
	ESTAT("hw_tx_packets", hw[CDNA_VF_HW_GPTC]),
	ESTAT("hw_rx_bytes", hw[CDNA_VF_HW_GORC]),
	ESTAT("hw_tx_bytes", hw[CDNA_VF_HW_GOTC]),
	ESTAT("hw_rx_multicast", hw[CDNA_VF_HW_MPRC]),
};

/* Registers ethtool -d dumps, in this order. */
static const u32 cdna_vf_dump_regs[] = {
	CDNA_VF_CTRL, CDNA_VF_STATUS,
	CDNA_VF_EIMS, CDNA_VF_EIAC, CDNA_VF_IVAR0, CDNA_VF_IVAR_MISC,
	CDNA_VF_EITR(0), CDNA_VF_EITR(1), CDNA_VF_EITR(2),
	CDNA_VF_RDBAL(0), CDNA_VF_RDBAH(0), CDNA_VF_RDLEN(0),
	CDNA_VF_SRRCTL(0), CDNA_VF_RDH(0), CDNA_VF_RDT(0), CDNA_VF_RXDCTL(0),
	CDNA_VF_TDBAL(0), CDNA_VF_TDBAH(0), CDNA_VF_TDLEN(0),
	CDNA_VF_TDH(0), CDNA_VF_TDT(0), CDNA_VF_TXDCTL(0),
	CDNA_VF_GPRC, CDNA_VF_GPTC, CDNA_VF_GORC, CDNA_VF_GOTC, CDNA_VF_MPRC,
};

static void cdna_vf_get_drvinfo(struct net_device *netdev,
				struct ethtool_drvinfo *info)
{
	struct cdna_vf_priv *vf = netdev_priv(netdev);

	strscpy(info->driver, CDNA_VF_DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, pci_name(vf->pdev), sizeof(info->bus_info));
}

static int cdna_vf_get_sset_count(struct net_device *netdev, int sset)
{
	return sset == ETH_SS_STATS ? ARRAY_SIZE(cdna_vf_gstrings) : -EOPNOTSUPP;
}

static void cdna_vf_get_strings(struct net_device *netdev, u32 sset, u8 *data)
{
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < ARRAY_SIZE(cdna_vf_gstrings); i++)
		ethtool_puts(&data, cdna_vf_gstrings[i].name);
}

static void cdna_vf_get_ethtool_stats(struct net_device *netdev,
				      struct ethtool_stats *es, u64 *data)
{
	struct cdna_vf_priv *vf = netdev_priv(netdev);
	struct cdna_vf_ring_stats *rs;
	struct cdna_vf_estats s = {};
	unsigned int i, start;

	rs = &vf->rx_ring.stats;
	do {
		start = u64_stats_fetch_begin(&rs->syncp);
		s.rx_packets = u64_stats_read(&rs->packets);
		s.rx_bytes = u64_stats_read(&rs->bytes);
		s.rx_errors = u64_stats_read(&rs->errors);
		s.rx_csum_err = u64_stats_read(&rs->csum_err);
		s.rx_alloc_failed = u64_stats_read(&rs->alloc_failed);
	} while (u64_stats_fetch_retry(&rs->syncp, start));

	rs = &vf->tx_ring.stats;
	do {
		start = u64_stats_fetch_begin(&rs->syncp);
		s.tx_packets = u64_stats_read(&rs->packets);
		s.tx_bytes = u64_stats_read(&rs->bytes);
		s.tx_busy = u64_stats_read(&rs->busy);
		s.tx_restarts = u64_stats_read(&rs->restarts);
	} while (u64_stats_fetch_retry(&rs->syncp, start));

	cdna_vf_mbx_get_stats(vf, &s.mbx);

	cdna_vf_update_hw_stats(vf);
	spin_lock_bh(&vf->stats_lock);
	memcpy(s.hw, vf->hw_total, sizeof(s.hw));
	spin_unlock_bh(&vf->stats_lock);

	for (i = 0; i < ARRAY_SIZE(cdna_vf_gstrings); i++)
		data[i] = *(u64 *)((u8 *)&s + cdna_vf_gstrings[i].offset);
}

static void cdna_vf_get_ringparam(struct net_device *netdev,
				  struct ethtool_ringparam *ring,
				  struct kernel_ethtool_ringparam *kring,
				  struct netlink_ext_ack *extack)
{
	struct cdna_vf_priv *vf = netdev_priv(netdev);

	ring->rx_max_pending = CDNA_VF_RING_MAX;
	ring->tx_max_pending = CDNA_VF_RING_MAX;
	ring->rx_pending = vf->rx_count;
	ring->tx_pending = vf->tx_count;
}

static int cdna_vf_set_ringparam(struct net_device *netdev,
				 struct ethtool_ringparam *ring,
				 struct kernel_ethtool_ringparam *kring,
				 struct netlink_ext_ack *extack)
{
	struct cdna_vf_priv *vf = netdev_priv(netdev);
	u16 old_tx = vf->tx_count, old_rx = vf->rx_count;
	int err;

	if (ring->rx_mini_pending || ring->rx_jumbo_pending) {
		NL_SET_ERR_MSG_MOD(extack, "no mini or jumbo rings");
		return -EINVAL;
	}
	/* Ring lengths are multiples of 128 bytes: 8 descriptors. */
	if (ring->tx_pending < CDNA_VF_RING_MIN ||
	    ring->rx_pending < CDNA_VF_RING_MIN ||
	    ring->tx_pending % (CDNA_VF_RING_ALIGN / CDNA_DESC_SIZE) ||
	    ring->rx_pending % (CDNA_VF_RING_ALIGN / CDNA_DESC_SIZE)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "ring sizes must be multiples of 8, at least 64");
		return -EINVAL;
	}
	if (ring->tx_pending == old_tx && ring->rx_pending == old_rx)
		return 0;

	vf->tx_count = ring->tx_pending;
	vf->rx_count = ring->rx_pending;
	if (!netif_running(netdev))
		return 0;

	/* The data path restarts on the new rings; the stats carry on. */
	err = netdev->netdev_ops->ndo_stop(netdev);
	if (!err)
		err = netdev->netdev_ops->ndo_open(netdev);
	if (err) {
		vf->tx_count = old_tx;
		vf->rx_count = old_rx;
		if (!netdev->netdev_ops->ndo_open(netdev))
			NL_SET_ERR_MSG_MOD(extack,
					   "no memory for the new rings: old sizes kept");
	}
	return err;
}

static void cdna_vf_get_channels(struct net_device *netdev,
				 struct ethtool_channels *ch)
{
	/* One queue pair on one vector; the mailbox has its own. */
	ch->max_combined = 1;
	ch->combined_count = 1;
	ch->max_other = 1;
	ch->other_count = 1;
}

static int cdna_vf_get_regs_len(struct net_device *netdev)
{
	return sizeof(cdna_vf_dump_regs);
}

static void cdna_vf_get_regs(struct net_device *netdev,
			     struct ethtool_regs *regs, void *p)
{
	struct cdna_vf_priv *vf = netdev_priv(netdev);
	u32 *out = p;
	unsigned int i;

	regs->version = 1;
	for (i = 0; i < ARRAY_SIZE(cdna_vf_dump_regs); i++)
		out[i] = cdna_vf_rd32(&vf->hw, cdna_vf_dump_regs[i]);
}

static int cdna_vf_get_link_ksettings(struct net_device *netdev,
				      struct ethtool_link_ksettings *ks)
{
	struct cdna_vf_priv *vf = netdev_priv(netdev);
	u32 status = cdna_vf_rd32(&vf->hw, CDNA_VF_STATUS);

	ethtool_link_ksettings_zero_link_mode(ks, supported);
	ethtool_link_ksettings_zero_link_mode(ks, advertising);
	ks->base.port = PORT_NONE;
	ks->base.autoneg = AUTONEG_DISABLE;
	if (!netif_carrier_ok(netdev) || vf->hw.gone) {
		ks->base.speed = SPEED_UNKNOWN;
		ks->base.duplex = DUPLEX_UNKNOWN;
		return 0;
	}
	switch (FIELD_GET(CDNA_VF_STATUS_SPEED, status)) {
	case CDNA_VF_STATUS_SPEED_10:
		ks->base.speed = SPEED_10;
		break;
	case CDNA_VF_STATUS_SPEED_100:
		ks->base.speed = SPEED_100;
		break;
	default:
		ks->base.speed = SPEED_1000;
		break;
	}
	ks->base.duplex = status & CDNA_VF_STATUS_FD ? DUPLEX_FULL :
						       DUPLEX_HALF;
	return 0;
}

const struct ethtool_ops cdna_vf_ethtool_ops = {
	.get_drvinfo		= cdna_vf_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= cdna_vf_get_link_ksettings,
	.get_sset_count		= cdna_vf_get_sset_count,
	.get_strings		= cdna_vf_get_strings,
	.get_ethtool_stats	= cdna_vf_get_ethtool_stats,
	.get_ringparam		= cdna_vf_get_ringparam,
	.set_ringparam		= cdna_vf_set_ringparam,
	.get_channels		= cdna_vf_get_channels,
	.get_regs_len		= cdna_vf_get_regs_len,
	.get_regs		= cdna_vf_get_regs,
};
