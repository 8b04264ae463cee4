// SPDX-License-Identifier: GPL-2.0
/*
 * cdna_pf's context model: the state of one context (a VF and its VMDq
 * pool) and how it is programmed into the NIC.  The SR-IOV layout and the
 * host's ndo_set_vf_* operations are in pf_sriov.c, the mailbox server in
 * pf_mbx.c; both change a context only through this file.
 *
 * Context n is VF n and VMDq pool n: its MAC in RAR entry 23 - n with pool
 * select n, its extra unicast filters (SET_MAC FILTER_ADD) in RAR entries
 * taken from the free ones between the PF's (0) and the VFs' (23 - n),
 * its VLANs (the host's port VLAN, or its own list) in VLVF entries with
 * POOLSEL bit n, VMOLR[n] for broadcast/multicast/untagged/size, VMVIR[n]
 * for the host's port VLAN, VFRE/VFTE bit n opened only once the VF
 * completed the RESET handshake (and its link is not disabled by the
 * host), DTXSWC bits n and n + 8 for anti-spoofing (not emulated by QEMU),
 * RTTBCNRC through RTTDQSEL for the TX rate of both its queues (not
 * emulated by QEMU).
 *
 * Everything here runs under the PF's vf_lock (struct cdna_pf), which
 * protects every context's state and the filter registers they share;
 * the counters (cdna_vf.hw) are under vf_stats_lock.
 */
#include <linux/etherdevice.h>

#include "pf.h"
#include "pf_vf.h"

static u32 vf_stat_reg(int vf, enum cdna_vf_stat s)
{
	switch (s) {
	case CDNA_VFS_RX_PACKETS:
		return CDNA_PVFGPRC(vf);
	case CDNA_VFS_TX_PACKETS:
		return CDNA_PVFGPTC(vf);
	case CDNA_VFS_RX_BYTES:
		return CDNA_PVFGORC(vf);
	case CDNA_VFS_TX_BYTES:
		return CDNA_PVFGOTC(vf);
	default:
		return CDNA_PVFMPRC(vf);
	}
}

static unsigned int vf_rar(int vf)
{
	return CDNA_RAR_ENTRIES - 1 - vf;
}

/**
 * cdna_vf_enabled - whether @vf names an existing context
 * @pf: the PF
 * @vf: VF index from userspace or hardware
 *
 * Return: true if 0 <= @vf < num_vfs.
 */
bool cdna_vf_enabled(const struct cdna_pf *pf, int vf)
{
	return vf >= 0 && vf < pf->num_vfs;
}

void cdna_vf_rate_program(struct cdna_pf *pf, int vf)
{
	struct cdna_hw *hw = &pf->hw;
	u32 rate = pf->vfs[vf].max_tx_rate, speed = pf->link_speed;
	u32 val = 0;
	int i;

	lockdep_assert_held(&pf->vf_lock);
	if (rate && speed) {
		u32 rf_int = speed / rate;
		/* The fraction in units of 2^-14 (the width of RF_DEC). */
		u32 rf_dec = (speed - rf_int * rate) *
			     (CDNA_RTTBCNRC_RF_DEC + 1) / rate;

		val = CDNA_RTTBCNRC_RS_ENA |
		      FIELD_PREP(CDNA_RTTBCNRC_RF_INT, rf_int) |
		      FIELD_PREP(CDNA_RTTBCNRC_RF_DEC, rf_dec);
	}
	/*
	 * The limiter is per TX queue: every queue of the context gets it,
	 * or a VF that uses its second queue sends unlimited.  Select the
	 * queue, then set its rate factor.
	 */
	for (i = 0; i < CDNA_POOL_QUEUES; i++) {
		u32 q = cdna_pool_queue(vf, i);

		cdna_wr32(hw, CDNA_RTTDQSEL, q);
		cdna_wr32(hw, CDNA_RTTBCNRM, CDNA_RTTBCNRM_MMW_JUMBO);
		cdna_wr32(hw, CDNA_RTTBCNRC, val);
		pf->rttbcnrc[q] = val;
	}
}

/**
 * cdna_vf_flood_reset - the next owner starts with full buckets
 * @pf: the PF
 * @vf: context
 *
 * Nothing of the last owner's flood control survives a scrub: no back-off,
 * no request or reset waiting, its mailbox interrupt on again, its
 * mailbox cause bits cleared.
 */
void cdna_vf_flood_reset(struct cdna_pf *pf, int vf)
{
	struct cdna_vf *v = &pf->vfs[vf];

	lockdep_assert_held(&pf->vf_lock);
	v->tokens = CDNA_MBX_BURST;
	v->tokens_at = jiffies;
	v->rst_tokens = CDNA_RST_BURST;
	v->rst_tokens_at = jiffies;
	v->throttle_until = 0;
	v->reset_pending = false;
	v->mbx_deferred = false;
	v->tx_grace = 0;
	cdna_rmw32(&pf->hw, CDNA_MBVFIMR, 0, BIT(vf));
	cdna_wr32(&pf->hw, CDNA_MBVFICR,
		  FIELD_PREP(CDNA_MBVFICR_REQ, BIT(vf)) |
		  FIELD_PREP(CDNA_MBVFICR_ACK, BIT(vf)));
}

/**
 * cdna_vf_tx_grace_stop - a disabled context read its link-down message:
 *	close its transmit side now
 * @pf: the PF
 * @vf: context
 */
void cdna_vf_tx_grace_stop(struct cdna_pf *pf, int vf)
{
	struct cdna_vf *v = &pf->vfs[vf];

	lockdep_assert_held(&pf->vf_lock);
	if (!v->tx_grace)
		return;
	v->tx_grace = 0;
	cdna_vf_apply(pf, vf);
}

/**
 * cdna_vf_tx_grace_end - close the transmit side of contexts disabled
 *	CDNA_TX_GRACE ago (service work)
 * @pf: the PF
 */
void cdna_vf_tx_grace_end(struct cdna_pf *pf)
{
	int vf;

	lockdep_assert_held(&pf->vf_lock);
	for (vf = 0; vf < pf->num_vfs; vf++) {
		struct cdna_vf *v = &pf->vfs[vf];

		if (v->tx_grace && time_after_eq(jiffies, v->tx_grace)) {
			v->tx_grace = 0;
			cdna_vf_apply(pf, vf);
		}
	}
}

/**
 * cdna_vf_rate_update - reprogram every VF's rate after a link change
 * @pf: the PF
 */
void cdna_vf_rate_update(struct cdna_pf *pf)
{
	int i;

	lockdep_assert_held(&pf->vf_lock);
	for (i = 0; i < pf->num_vfs; i++)
		if (pf->vfs[i].max_tx_rate)
			cdna_vf_rate_program(pf, i);
}

/*
 * RAR entries for extra unicast filters: after the PF's entry 0 and before
 * the VFs' entries (23 - n for VF n).
 */
static unsigned int uc_rar_first(void)
{
	return 1;
}

static unsigned int uc_rar_end(const struct cdna_pf *pf)
{
	return CDNA_RAR_ENTRIES - pf->num_vfs;
}

/**
 * cdna_vf_uc_quota - extra unicast filters each VF may hold
 * @pf: the PF
 *
 * The free RAR entries split evenly, so that every VF gets its share
 * whatever the others do, capped at CDNA_VF_MAX_UC.
 *
 * Return: the per-VF share (0 without VFs).
 */
unsigned int cdna_vf_uc_quota(const struct cdna_pf *pf)
{
	if (!pf->num_vfs)
		return 0;
	return min_t(unsigned int, CDNA_VF_MAX_UC,
		     (uc_rar_end(pf) - uc_rar_first()) / pf->num_vfs);
}

/**
 * cdna_vf_vlan_quota - VLANs of its own each VF may ask for
 * @pf: the PF
 *
 * Its share of the VLVF entries (cdna_vlan_share()), at most
 * CDNA_VF_MAX_VLANS; the rest stays free for the host's port VLANs.
 *
 * Return: the per-VF share (0 without VFs).
 */
unsigned int cdna_vf_vlan_quota(const struct cdna_pf *pf)
{
	return cdna_vlan_share(CDNA_VLVF_ENTRIES, pf->num_vfs,
			       CDNA_VF_MAX_VLANS);
}

/**
 * cdna_vf_has_uc - whether a VF holds @mac as an extra unicast filter
 * @v: the VF
 * @mac: address
 *
 * Return: true if it does.
 */
bool cdna_vf_has_uc(const struct cdna_vf *v, const u8 *mac)
{
	int i;

	for (i = 0; i < v->nr_uc; i++)
		if (ether_addr_equal(v->uc[i].mac, mac))
			return true;
	return false;
}

static bool pf_has_uc(struct cdna_pf *pf, const u8 *mac)
{
	struct net_device *netdev = pf->netdev;
	struct netdev_hw_addr *ha;
	bool found = false;

	netif_addr_lock_bh(netdev);
	netdev_for_each_uc_addr(ha, netdev)
		if (ether_addr_equal(ha->addr, mac))
			found = true;
	netif_addr_unlock_bh(netdev);
	return found;
}

/**
 * cdna_mac_hold - who an address steers to in the receive filters
 * @pf: the PF
 * @mac: a unicast address
 * @self: the one asking: a VF index or CDNA_MAC_OWNER_PF
 * @holder: set to the holding VF, CDNA_MAC_OWNER_PF or CDNA_MAC_OWNER_NONE
 *
 * The PF holds its own address and its netdev's unicast list (which reach
 * it through the default pool); a VF its MAC (host-assigned or its own
 * choice) and its extra filters.  Of several holders the strongest is
 * reported: the PF, then a host assignment, then a VF's choice.
 *
 * Return: an enum cdna_mac_hold for cdna_mac_decide().
 */
enum cdna_mac_hold cdna_mac_hold(struct cdna_pf *pf, const u8 *mac, int self,
				 int *holder)
{
	enum cdna_mac_hold hold = CDNA_MAC_FREE;
	int vf;

	lockdep_assert_held(&pf->vf_lock);
	*holder = CDNA_MAC_OWNER_NONE;
	if (ether_addr_equal(pf->netdev->dev_addr, mac) || pf_has_uc(pf, mac)) {
		*holder = CDNA_MAC_OWNER_PF;
		return self == CDNA_MAC_OWNER_PF ? CDNA_MAC_HELD_SELF :
						   CDNA_MAC_HELD_PF;
	}
	for (vf = 0; vf < pf->num_vfs; vf++) {
		const struct cdna_vf *v = &pf->vfs[vf];
		enum cdna_mac_hold h;

		if (ether_addr_equal(v->mac, mac))
			h = v->admin_mac ? CDNA_MAC_HELD_ADMIN :
					   CDNA_MAC_HELD_VF;
		else if (cdna_vf_has_uc(v, mac))
			h = CDNA_MAC_HELD_VF;
		else
			continue;
		if (vf == self) {
			if (hold == CDNA_MAC_FREE) {
				hold = CDNA_MAC_HELD_SELF;
				*holder = vf;
			}
			continue;
		}
		if (hold == CDNA_MAC_FREE || hold == CDNA_MAC_HELD_SELF ||
		    (hold == CDNA_MAC_HELD_VF && h == CDNA_MAC_HELD_ADMIN)) {
			hold = h;
			*holder = vf;
		}
	}
	return hold;
}

/**
 * cdna_vf_uc_add - give a VF an extra unicast filter
 * @pf: the PF
 * @vf: context
 * @mac: a valid unicast address the policy let it have (cdna_policy_check)
 *
 * Return: 0 (also when the VF already has it), -ENOSPC when the VF's
 * share or the free RAR entries are used up.
 */
int cdna_vf_uc_add(struct cdna_pf *pf, int vf, const u8 *mac)
{
	struct cdna_vf *v = &pf->vfs[vf];
	unsigned int rar;

	lockdep_assert_held(&pf->vf_lock);
	if (ether_addr_equal(v->mac, mac) || cdna_vf_has_uc(v, mac))
		return 0;
	if (v->nr_uc >= min_t(unsigned int, cdna_vf_uc_quota(pf),
			      ARRAY_SIZE(v->uc)))
		return -ENOSPC;
	rar = find_next_zero_bit(pf->uc_rars, uc_rar_end(pf), uc_rar_first());
	if (rar >= uc_rar_end(pf))
		return -ENOSPC;
	set_bit(rar, pf->uc_rars);
	ether_addr_copy(v->uc[v->nr_uc].mac, mac);
	v->uc[v->nr_uc].rar = rar;
	v->nr_uc++;
	cdna_hw_set_rar(pf, rar, mac, vf);
	return 0;
}

static void vf_uc_del(struct cdna_pf *pf, int vf, int i)
{
	struct cdna_vf *v = &pf->vfs[vf];

	cdna_hw_set_rar(pf, v->uc[i].rar, NULL, 0);
	clear_bit(v->uc[i].rar, pf->uc_rars);
	v->uc[i] = v->uc[--v->nr_uc];
}

/**
 * cdna_vf_uc_clear - drop every extra unicast filter of a VF
 * @pf: the PF
 * @vf: context
 */
void cdna_vf_uc_clear(struct cdna_pf *pf, int vf)
{
	lockdep_assert_held(&pf->vf_lock);
	while (pf->vfs[vf].nr_uc)
		vf_uc_del(pf, vf, pf->vfs[vf].nr_uc - 1);
}

/* Tell a running VF its configuration changed under it. */
void cdna_vf_notify(struct cdna_pf *pf, int vf)
{
	lockdep_assert_held(&pf->vf_lock);
	if (pf->vfs[vf].reset_done)
		cdna_mbx_ping_vf(pf, vf);
}

/*
 * The VF must take a new MAC or port VLAN from the host: withdraw its CTS
 * (its pool stops until it resets) and tell it so, the 82576 convention
 * of a PF_CONTROL message without CTS; the VF then resets and gets the new
 * setting in the RESET reply.
 */
void cdna_vf_force_reset(struct cdna_pf *pf, int vf)
{
	struct cdna_vf *v = &pf->vfs[vf];

	lockdep_assert_held(&pf->vf_lock);
	if (!v->reset_done)
		return;
	v->reset_done = false;
	cdna_vf_apply(pf, vf);
	cdna_mbx_ping_vf(pf, vf);
}

/**
 * cdna_mac_evict - the host gives @mac to someone: VFs that chose it lose it
 * @pf: the PF
 * @mac: the address the host assigns (to the PF or to VF @keep)
 * @keep: the VF that gets it, or CDNA_MAC_OWNER_PF
 *
 * The host's assignment wins over a VF's choice (cdna_mac_decide()): an
 * extra filter of @mac goes, and a VF that took @mac as its own MAC loses
 * it and its CTS and is told (PF_CONTROL without CTS), so its driver
 * resets and picks another address.  Host-assigned MACs are never taken
 * here: the decision refuses the assignment instead.
 */
void cdna_mac_evict(struct cdna_pf *pf, const u8 *mac, int keep)
{
	struct device *dev = &pf->pdev->dev;
	int vf, i;

	lockdep_assert_held(&pf->vf_lock);
	for (vf = 0; vf < pf->num_vfs; vf++) {
		struct cdna_vf *v = &pf->vfs[vf];

		if (vf == keep)
			continue;
		for (i = 0; i < v->nr_uc; i++) {
			if (!ether_addr_equal(v->uc[i].mac, mac))
				continue;
			vf_uc_del(pf, vf, i);
			dev_info(dev, "VF %d: extra filter %pM dropped: the host assigned the address\n",
				 vf, mac);
			break;
		}
		if (v->admin_mac || !ether_addr_equal(v->mac, mac))
			continue;
		eth_zero_addr(v->mac);
		cdna_vf_apply(pf, vf);
		if (v->reset_done)
			cdna_vf_force_reset(pf, vf);
		dev_info(dev, "VF %d: its MAC %pM taken back: the host assigned the address\n",
			 vf, mac);
	}
}

/**
 * cdna_vf_evict_pf_uc - the PF's unicast list is the host's: VFs that
 *	chose one of its addresses (as MAC or extra filter) lose it
 * @pf: the PF
 */
void cdna_vf_evict_pf_uc(struct cdna_pf *pf)
{
	u8 mac[ETH_ALEN];
	int vf, i;

	lockdep_assert_held(&pf->vf_lock);
	for (vf = 0; vf < pf->num_vfs; vf++) {
		struct cdna_vf *v = &pf->vfs[vf];

		if (!v->admin_mac && is_valid_ether_addr(v->mac) &&
		    pf_has_uc(pf, v->mac)) {
			ether_addr_copy(mac, v->mac);
			cdna_mac_evict(pf, mac, CDNA_MAC_OWNER_PF);
		}
		/* Eviction moves the last filter into the freed slot. */
		for (i = v->nr_uc - 1; i >= 0; i--) {
			if (i >= v->nr_uc || !pf_has_uc(pf, v->uc[i].mac))
				continue;
			ether_addr_copy(mac, v->uc[i].mac);
			cdna_mac_evict(pf, mac, CDNA_MAC_OWNER_PF);
		}
	}
}

/*
 * The host changed the MAC or the trust of a VF: filters it may no longer
 * ask for (cdna_policy.c: a host-set MAC without trust) go at once.
 */
void cdna_vf_uc_recheck(struct cdna_pf *pf, int vf)
{
	struct cdna_vf *v = &pf->vfs[vf];

	if (!v->nr_uc || !v->admin_mac || v->trusted)
		return;
	cdna_vf_uc_clear(pf, vf);
	dev_info(&pf->pdev->dev,
		 "VF %d: extra unicast filters dropped: host-set MAC, not trusted\n",
		 vf);
}

/* Add (or remove) the VF's pool to the VLVF entries of its VLANs. */
static void vf_vlans_sync(struct cdna_pf *pf, int vf, bool on)
{
	struct cdna_vf *v = &pf->vfs[vf];
	int i;

	if (v->vlan) {
		cdna_hw_vlvf_set(pf, v->vlan, vf, on);
		return;
	}
	for (i = 0; i < v->nr_vlans; i++)
		cdna_hw_vlvf_set(pf, v->vlans[i], vf, on);
}

/**
 * cdna_vf_apply - program a context's pool from its state
 * @pf: the PF
 * @vf: context
 */
void cdna_vf_apply(struct cdna_pf *pf, int vf)
{
	struct cdna_vf *v = &pf->vfs[vf];
	struct cdna_hw *hw = &pf->hw;
	bool mc_promisc = v->mc_promisc && v->trusted;
	u32 vmolr, spoof;

	lockdep_assert_held(&pf->vf_lock);

	cdna_hw_set_rar(pf, vf_rar(vf), v->mac, vf);

	vmolr = CDNA_VMOLR_STRCRC | CDNA_VMOLR_BAM | CDNA_VMOLR_LPE |
		FIELD_PREP(CDNA_VMOLR_RLPML, v->max_frame);
	/* A port VLAN: only its tagged frames, tag stripped and inserted. */
	if (v->vlan)
		vmolr |= CDNA_VMOLR_STRVLAN;
	else
		vmolr |= CDNA_VMOLR_AUPE;
	if (v->mc_count || mc_promisc)
		vmolr |= CDNA_VMOLR_ROMPE;
	if (mc_promisc)
		vmolr |= CDNA_VMOLR_MPME;
	cdna_wr32(hw, CDNA_VMOLR(vf), vmolr);

	cdna_wr32(hw, CDNA_VMVIR(vf), v->vlan ?
		  CDNA_VMVIR_VLANA_DEFAULT |
		  FIELD_PREP(CDNA_VMVIR_VID, v->vlan) |
		  FIELD_PREP(CDNA_VMVIR_PCP, v->qos) : 0);

	spoof = FIELD_PREP(CDNA_DTXSWC_MAC_SPOOF, BIT(vf)) |
		FIELD_PREP(CDNA_DTXSWC_VLAN_SPOOF, BIT(vf));
	cdna_rmw32(hw, CDNA_DTXSWC, spoof, v->spoofchk ? spoof : 0);

	cdna_rmw32(hw, CDNA_VFRE, BIT(vf), cdna_vf_cts(v) ? BIT(vf) : 0);
	cdna_rmw32(hw, CDNA_VFTE, BIT(vf), cdna_vf_cts(v) ||
		   (cdna_vf_held_down(v) && v->tx_grace &&
		    time_before(jiffies, v->tx_grace)) ?
		   BIT(vf) : 0);
	cdna_vf_rate_program(pf, vf);
}

/**
 * cdna_vf_policy - a context's administrative policy, as the shared
 *	decision (cdna_policy.c) and the guard see it
 * @v: the context
 * @pol: filled in
 */
void cdna_vf_policy(const struct cdna_vf *v, struct cdna_ctx_policy *pol)
{
	memset(pol, 0, sizeof(*pol));
	if (v->admin_mac)
		ether_addr_copy(pol->mac, v->mac);
	pol->mac_admin = v->admin_mac;
	pol->vlan = v->vlan;
	pol->qos = v->qos;
	pol->trusted = v->trusted;
	pol->spoofchk = v->spoofchk;
	pol->link_state = v->link_state;
	pol->max_tx_rate = v->max_tx_rate;
}

/**
 * cdna_vf_reset_state - forget what a VF asked for, keep the host's policy
 * @pf: the PF
 * @vf: context
 * @flr: a function-level reset (or VF CTRL.RST): the VF-chosen MAC goes too
 *
 * The context stays closed (VFRE/VFTE off, no CTS) until the VF's next
 * RESET message.
 */
void cdna_vf_reset_state(struct cdna_pf *pf, int vf, bool flr)
{
	struct cdna_vf *v = &pf->vfs[vf];

	lockdep_assert_held(&pf->vf_lock);

	v->resets++;
	v->reset_pending = false;
	/* Its queues were reset: nothing left to drain. */
	v->tx_grace = 0;
	if (!v->vlan)
		vf_vlans_sync(pf, vf, false);
	v->nr_vlans = 0;
	v->mc_count = 0;
	cdna_vf_uc_clear(pf, vf);
	v->mc_promisc = false;
	v->max_frame = cdna_mbx_max_frame(ETH_DATA_LEN);
	if (flr && !v->admin_mac)
		eth_zero_addr(v->mac);
	v->reset_done = false;
	cdna_vf_apply(pf, vf);
	cdna_hw_write_mta(pf);
}

void cdna_vf_fold_stats(struct cdna_pf *pf, int vf)
{
	struct cdna_vf_hw_stats *st = &pf->vfs[vf].hw;
	int s;

	lockdep_assert_held(&pf->vf_stats_lock);
	for (s = 0; s < CDNA_VFS_NUM; s++) {
		u32 cur = cdna_rd32(&pf->hw, vf_stat_reg(vf, s));

		st->total[s] += (u32)(cur - st->last[s]);
		st->last[s] = cur;
	}
}

/**
 * cdna_vf_update_stats - fold the pools' 32-bit counters into 64-bit totals
 * @pf: the PF
 *
 * Under @vf_stats_lock only: reading counters never waits for the mailbox
 * server.  The caller holds RTNL or @vf_lock, which keep num_vfs.
 */
void cdna_vf_update_stats(struct cdna_pf *pf)
{
	int vf;

	if (pf->hw.gone)
		return;
	spin_lock_bh(&pf->vf_stats_lock);
	for (vf = 0; vf < pf->num_vfs; vf++)
		cdna_vf_fold_stats(pf, vf);
	spin_unlock_bh(&pf->vf_stats_lock);
}

void cdna_vf_init(struct cdna_pf *pf, int vf)
{
	struct cdna_vf *v = &pf->vfs[vf];
	int s;

	memset(v, 0, sizeof(*v));
	v->spoofchk = true;
	v->link_state = IFLA_VF_LINK_STATE_AUTO;
	v->max_frame = cdna_mbx_max_frame(ETH_DATA_LEN);
	v->tokens = CDNA_MBX_BURST;
	v->tokens_at = jiffies;
	v->rst_tokens = CDNA_RST_BURST;
	v->rst_tokens_at = jiffies;
	/* The pool counters are not cleared: start from where they are. */
	for (s = 0; s < CDNA_VFS_NUM; s++)
		v->hw.last[s] = cdna_rd32(&pf->hw, vf_stat_reg(vf, s));
}

/**
 * cdna_vf_port_vlan_set - the host sets (or clears) a context's port VLAN
 * @pf: the PF
 * @vf: context
 * @vlan: port VLAN, 0 = none
 * @qos: 802.1p priority of @vlan
 *
 * Atomic: the new VLAN's filter is taken before the old policy goes, so
 * when the table is full nothing changes.  The VF's own VLANs give way to
 * a port VLAN; a new VLAN makes the VF reset to take it.
 *
 * Return: 0 or -ENOSPC (no VLVF entry for @vlan; the old policy stays).
 */
int cdna_vf_port_vlan_set(struct cdna_pf *pf, int vf, u16 vlan, u8 qos)
{
	struct cdna_vf *v = &pf->vfs[vf];
	u16 old_vlan = v->vlan;
	int err, i;

	lockdep_assert_held(&pf->vf_lock);
	if (vlan == old_vlan) {
		v->qos = qos;
		cdna_vf_apply(pf, vf);
		cdna_vf_notify(pf, vf);
		return 0;
	}
	if (vlan) {
		err = cdna_hw_vlvf_set(pf, vlan, vf, true);
		if (err)
			return err;
	}
	if (old_vlan)
		cdna_hw_vlvf_set(pf, old_vlan, vf, false);
	for (i = 0; i < v->nr_vlans; i++)
		if (v->vlans[i] != vlan)
			cdna_hw_vlvf_set(pf, v->vlans[i], vf, false);
	v->nr_vlans = 0;
	v->vlan = vlan;
	v->qos = qos;
	cdna_vf_apply(pf, vf);
	cdna_vf_force_reset(pf, vf);
	return 0;
}

static bool vf_has_vlan(const struct cdna_vf *v, u16 vid, int *idx)
{
	int i;

	for (i = 0; i < v->nr_vlans; i++) {
		if (v->vlans[i] == vid) {
			*idx = i;
			return true;
		}
	}
	return false;
}

/**
 * cdna_vf_vlan_request - a VF asks to join or leave one of its own VLANs
 * @pf: the PF
 * @vf: context (without a port VLAN: the policy refused it otherwise)
 * @vid: the VLAN
 * @add: join, else leave
 *
 * Requests are idempotent.  A VF holds at most its share of the VLAN
 * filters (cdna_vf_vlan_quota()).
 *
 * Return: 0, or -ENOSPC when its share or the VLVF table is used up.
 */
int cdna_vf_vlan_request(struct cdna_pf *pf, int vf, u16 vid, bool add)
{
	struct cdna_vf *v = &pf->vfs[vf];
	int i, err;

	lockdep_assert_held(&pf->vf_lock);
	if (!add) {
		if (!vf_has_vlan(v, vid, &i))
			return 0;
		v->vlans[i] = v->vlans[--v->nr_vlans];
		return cdna_hw_vlvf_set(pf, vid, vf, false);
	}
	if (vf_has_vlan(v, vid, &i))
		return 0;
	if (v->nr_vlans >= cdna_vf_vlan_quota(pf))
		return -ENOSPC;
	err = cdna_hw_vlvf_set(pf, vid, vf, true);
	if (err)
		return err;
	v->vlans[v->nr_vlans++] = vid;
	return 0;
}
