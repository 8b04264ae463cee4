// SPDX-License-Identifier: GPL-2.0
/*
 * cdna_pf contexts: SR-IOV enable/disable, the per-VF pool configuration
 * and the host's policy through the ndo_set_vf_* operations.
 *
 * Context n is VF n and VMDq pool n: its MAC in RAR entry 23 - n with pool
 * select n, its extra unicast filters (SET_MAC FILTER_ADD) in RAR entries
 * taken from the free ones between the PF's (0) and the VFs' (23 - n),
 * its VLANs in VLVF entries with POOLSEL bit n, VMOLR[n] for
 * broadcast/multicast/untagged/size, VMVIR[n] for the host's port VLAN,
 * VFRE/VFTE bit n opened only once the VF completed the RESET handshake
 * (and its link is not disabled by the host), DTXSWC bits n and n + 8 for
 * anti-spoofing (not emulated by QEMU), RTTBCNRC through RTTDQSEL n for the
 * TX rate (not emulated by QEMU).
 */
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>

#include "pf.h"

#define CDNA_DEF_MAX_FRAME	(ETH_FRAME_LEN + ETH_FCS_LEN + VLAN_HLEN)

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

static void vf_rate_program(struct cdna_pf *pf, int vf)
{
	struct cdna_hw *hw = &pf->hw;
	u32 rate = pf->vfs[vf].max_tx_rate, speed = pf->link_speed;
	u32 val = 0;
	int i;

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
			vf_rate_program(pf, i);
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
static void vf_notify(struct cdna_pf *pf, int vf)
{
	if (pf->vfs[vf].reset_done)
		cdna_mbx_ping_vf(pf, vf);
}

/*
 * The VF must take a new MAC or port VLAN from the host: withdraw its CTS
 * (its pool stops until it resets) and tell it so, the 82576 convention
 * of a PF_CONTROL message without CTS; the VF then resets and gets the new
 * setting in the RESET reply.
 */
static void vf_force_reset(struct cdna_pf *pf, int vf)
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
			vf_force_reset(pf, vf);
		dev_info(dev, "VF %d: its MAC %pM taken back: the host assigned the address\n",
			 vf, mac);
	}
}

/*
 * The host changed the MAC or the trust of a VF: filters it may no longer
 * ask for (cdna_policy.c: a host-set MAC without trust) go at once.
 */
static void vf_uc_recheck(struct cdna_pf *pf, int vf)
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
		   (cdna_vf_held_down(v) && time_before(jiffies, v->tx_grace)) ?
		   BIT(vf) : 0);
	vf_rate_program(pf, vf);
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
	if (!v->vlan)
		vf_vlans_sync(pf, vf, false);
	v->nr_vlans = 0;
	v->mc_count = 0;
	cdna_vf_uc_clear(pf, vf);
	v->mc_promisc = false;
	v->max_frame = CDNA_DEF_MAX_FRAME;
	if (flr && !v->admin_mac)
		eth_zero_addr(v->mac);
	v->reset_done = false;
	cdna_vf_apply(pf, vf);
	cdna_hw_write_mta(pf);
}

static void vf_fold_stats(struct cdna_pf *pf, int vf)
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
		vf_fold_stats(pf, vf);
	spin_unlock_bh(&pf->vf_stats_lock);
}

static void vf_init(struct cdna_pf *pf, int vf)
{
	struct cdna_vf *v = &pf->vfs[vf];
	int s;

	memset(v, 0, sizeof(*v));
	v->spoofchk = true;
	v->link_state = IFLA_VF_LINK_STATE_AUTO;
	v->max_frame = CDNA_DEF_MAX_FRAME;
	v->tokens = CDNA_MBX_BURST;
	v->tokens_at = jiffies;
	v->rst_tokens = CDNA_RST_BURST;
	v->rst_tokens_at = jiffies;
	/* The pool counters are not cleared: start from where they are. */
	for (s = 0; s < CDNA_VFS_NUM; s++)
		v->hw.last[s] = cdna_rd32(&pf->hw, vf_stat_reg(vf, s));
}

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
		vf_init(pf, i);
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

static bool ctx_none_held(struct cdna_pf *pf)
{
	bool none;

	mutex_lock(&pf->vf_lock);
	none = ctx_first_held(pf) < 0;
	mutex_unlock(&pf->vf_lock);
	return none;
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

	err = pci_enable_sriov(pdev, num_vfs);
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
	vf_uc_recheck(pf, vf);
	cdna_vf_apply(pf, vf);
	if (changed && v->admin_mac)
		vf_force_reset(pf, vf);
	else
		vf_notify(pf, vf);
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
	struct cdna_vf *v;
	u16 old_vlan;
	int err = 0, i;

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
	v = &pf->vfs[vf];
	old_vlan = v->vlan;
	if (vlan == old_vlan) {
		v->qos = qos;
		cdna_vf_apply(pf, vf);
		vf_notify(pf, vf);
		goto out;
	}
	/*
	 * Take the new VLAN's filter first: when the table is full the
	 * change fails and the old policy stays in force, untouched.
	 */
	if (vlan) {
		err = cdna_hw_vlvf_set(pf, vlan, vf, true);
		if (err) {
			netdev_err(netdev, "VF %d: no VLAN filter left for %u: port VLAN %u stays\n",
				   vf, vlan, old_vlan);
			goto out;
		}
	}
	/* The old port VLAN goes, and the VF's own VLANs give way. */
	if (old_vlan)
		cdna_hw_vlvf_set(pf, old_vlan, vf, false);
	for (i = 0; i < v->nr_vlans; i++)
		if (v->vlans[i] != vlan)
			cdna_hw_vlvf_set(pf, v->vlans[i], vf, false);
	v->nr_vlans = 0;
	v->vlan = vlan;
	v->qos = qos;
	cdna_vf_apply(pf, vf);
	vf_force_reset(pf, vf);
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
		vf_uc_recheck(pf, vf);
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
	vf_rate_program(pf, vf);
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
 * side closes CDNA_TX_GRACE later, once the frames it had queued are out.
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
		vf_fold_stats(pf, vf);
	t = pf->vfs[vf].hw.total;
	vf_stats->rx_packets = t[CDNA_VFS_RX_PACKETS];
	vf_stats->tx_packets = t[CDNA_VFS_TX_PACKETS];
	vf_stats->rx_bytes = t[CDNA_VFS_RX_BYTES];
	vf_stats->tx_bytes = t[CDNA_VFS_TX_BYTES];
	vf_stats->multicast = t[CDNA_VFS_RX_MULTICAST];
	spin_unlock_bh(&pf->vf_stats_lock);
	return 0;
}
