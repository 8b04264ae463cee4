// SPDX-License-Identifier: GPL-2.0
/*
 * cdna_pf hardware layer: register access, reset, NVM, PHY, interrupt
 * routing and the receive filters the PF shares with its VFs.
 *
 * Where QEMU's 82576 model differs from the chip, the code does what the
 * chip needs and tolerates what the model does (EECD.AUTO_RD never set,
 * link only after a PHY autoneg restart, ICR only at 0xc0).
 */
#include <linux/delay.h>
#include <linux/ethtool.h>
#include <linux/iopoll.h>
#include <linux/mii.h>

#include "pf.h"
#include "pf_fault.h"

static struct cdna_pf *hw_to_pf(struct cdna_hw *hw)
{
	return container_of(hw, struct cdna_pf, hw);
}

/**
 * cdna_rd32 - read a PF register
 * @hw: register window
 * @reg: byte offset
 *
 * An all-ones value can be a real register value (MTA, VFTA); it means the
 * device is gone only if STATUS reads all-ones too.  That is decided here,
 * once, and every later access is skipped.
 *
 * Return: the register value, or all-ones once the device is gone.
 */
u32 cdna_rd32(struct cdna_hw *hw, u32 reg)
{
	u8 __iomem *addr = READ_ONCE(hw->addr);
	u32 val;

	if (!addr || READ_ONCE(hw->gone))
		return ~0U;
	val = readl(addr + reg);
	if (val != ~0U)
		return val;
	if (reg != CDNA_STATUS && readl(addr + CDNA_STATUS) != ~0U)
		return val;
	if (!xchg(&hw->gone, true))
		dev_err(&hw_to_pf(hw)->pdev->dev,
			"device reads all-ones at 0x%x: removed or dead\n", reg);
	return ~0U;
}

/**
 * cdna_wr32 - write a PF register, unless the device is gone
 * @hw: register window
 * @reg: byte offset
 * @val: value
 */
void cdna_wr32(struct cdna_hw *hw, u32 reg, u32 val)
{
	u8 __iomem *addr = READ_ONCE(hw->addr);

	if (!addr || READ_ONCE(hw->gone))
		return;
	writel(val, addr + reg);
}

/**
 * cdna_rmw32 - read-modify-write a PF register
 * @hw: register window
 * @reg: byte offset
 * @clear: bits to clear
 * @set: bits to set
 */
void cdna_rmw32(struct cdna_hw *hw, u32 reg, u32 clear, u32 set)
{
	u32 val = cdna_rd32(hw, reg);

	if (hw->gone)
		return;
	cdna_wr32(hw, reg, (val & ~clear) | set);
}

/**
 * cdna_flush - post previous writes
 * @hw: register window
 */
void cdna_flush(struct cdna_hw *hw)
{
	cdna_rd32(hw, CDNA_STATUS);
}

/**
 * cdna_hw_irq_disable - mask every PF interrupt cause
 * @pf: the PF
 */
void cdna_hw_irq_disable(struct cdna_pf *pf)
{
	struct cdna_hw *hw = &pf->hw;

	cdna_wr32(hw, CDNA_IMC, ~0U);
	cdna_wr32(hw, CDNA_EIMC, BIT(CDNA_VEC_OTHER) | BIT(CDNA_VEC_QUEUE));
	cdna_flush(hw);
}

/**
 * cdna_hw_reset - global reset of the PF (and with it every VMDq setting)
 * @pf: the PF
 *
 * Return: 0, or -ENODEV if the device does not answer.
 */
int cdna_hw_reset(struct cdna_pf *pf)
{
	struct cdna_hw *hw = &pf->hw;
	u32 val;
	int err;

	cdna_wr32(hw, CDNA_IMC, ~0U);
	cdna_wr32(hw, CDNA_EIMC, ~0U);
	cdna_wr32(hw, CDNA_RCTL, 0);
	cdna_wr32(hw, CDNA_TCTL, CDNA_TCTL_PSP);
	cdna_flush(hw);
	usleep_range(10000, 20000);

	/* Let outstanding DMA finish; QEMU never clears GIO_MASTER_ENABLE. */
	cdna_rmw32(hw, CDNA_CTRL, 0, CDNA_CTRL_GIO_MASTER_DISABLE);
	read_poll_timeout(cdna_rd32, val,
			  !(val & CDNA_STATUS_GIO_MASTER_ENABLE), 100, 2000,
			  false, hw, CDNA_STATUS);

	cdna_wr32(hw, CDNA_CTRL, cdna_rd32(hw, CDNA_CTRL) | CDNA_CTRL_RST);
	usleep_range(2000, 4000);

	/* The chip reloads its NVM defaults; QEMU never sets AUTO_RD. */
	err = read_poll_timeout(cdna_rd32, val, val & CDNA_EECD_AUTO_RD,
				1000, 10000, false, hw, CDNA_EECD);
	if (err)
		dev_dbg(&pf->pdev->dev, "EECD.AUTO_RD not set after reset\n");

	cdna_wr32(hw, CDNA_IMC, ~0U);
	cdna_wr32(hw, CDNA_EIMC, ~0U);
	cdna_rd32(hw, CDNA_ICR);

	if (cdna_fault(CDNA_FAULT_RESET))
		return -ETIMEDOUT;
	return hw->gone ? -ENODEV : 0;
}

/**
 * cdna_hw_nvm_read - read one 16-bit word of the NVM (EERD)
 * @pf: the PF
 * @word: its address
 * @data: the word
 *
 * Return: 0 or -EIO when the NVM does not answer.
 */
int cdna_hw_nvm_read(struct cdna_pf *pf, u16 word, u16 *data)
{
	struct cdna_hw *hw = &pf->hw;
	u32 val;
	int err;

	cdna_wr32(hw, CDNA_EERD, FIELD_PREP(CDNA_EERD_ADDR, word) |
		  CDNA_EERD_START);
	err = read_poll_timeout(cdna_rd32, val, val & CDNA_EERD_DONE,
				5, 100000, false, hw, CDNA_EERD);
	if (err || hw->gone)
		return -EIO;
	*data = FIELD_GET(CDNA_EERD_DATA, val);
	return 0;
}

/**
 * cdna_hw_read_mac - read the permanent MAC address from NVM words 0..2
 * @pf: the PF
 * @mac: ETH_ALEN bytes, written
 *
 * Return: 0, -EIO when the NVM does not answer, -EADDRNOTAVAIL for an
 * address that cannot be a station's.
 */
int cdna_hw_read_mac(struct cdna_pf *pf, u8 *mac)
{
	u16 w;
	int i, err;

	for (i = 0; i < ETH_ALEN / 2; i++) {
		err = cdna_hw_nvm_read(pf, i, &w);
		if (err)
			return err;
		mac[2 * i] = w & 0xff;
		mac[2 * i + 1] = w >> 8;
	}
	return is_valid_ether_addr(mac) ? 0 : -EADDRNOTAVAIL;
}

static int phy_rw(struct cdna_pf *pf, u32 op, u32 reg, u16 *data)
{
	struct cdna_hw *hw = &pf->hw;
	u32 val;
	int err;

	cdna_wr32(hw, CDNA_MDIC, FIELD_PREP(CDNA_MDIC_DATA, *data) |
		  FIELD_PREP(CDNA_MDIC_REG, reg) |
		  FIELD_PREP(CDNA_MDIC_PHY, CDNA_PHY_ADDR) |
		  FIELD_PREP(CDNA_MDIC_OP, op));
	err = read_poll_timeout(cdna_rd32, val, val & CDNA_MDIC_READY,
				50, 100000, false, hw, CDNA_MDIC);
	if (err || (val & CDNA_MDIC_ERROR) || hw->gone)
		return -EIO;
	*data = FIELD_GET(CDNA_MDIC_DATA, val);
	return 0;
}

/**
 * cdna_hw_phy_setup - start autonegotiation on the internal PHY
 * @pf: the PF
 *
 * On the chip, CTRL.SLU plus autoneg brings the copper link up; the QEMU
 * model ignores SLU and raises LSC about 500 ms (virtual time) after
 * BMCR AUTOEN|ANRESTART.
 *
 * Return: 0 or -EIO when the PHY does not answer on MDIC.
 */
int cdna_hw_phy_setup(struct cdna_pf *pf)
{
	u16 bmcr = 0;
	int err;

	/* CTRL is shared with the rx filters (CTRL.VME): under the VF lock. */
	mutex_lock(&pf->vf_lock);
	cdna_rmw32(&pf->hw, CDNA_CTRL, CDNA_CTRL_FRCSPD | CDNA_CTRL_FRCDPX,
		   CDNA_CTRL_SLU);
	mutex_unlock(&pf->vf_lock);
	err = phy_rw(pf, CDNA_MDIC_OP_READ, MII_BMCR, &bmcr);
	if (err)
		return err;
	bmcr &= ~(BMCR_PDOWN | BMCR_ISOLATE | BMCR_LOOPBACK);
	bmcr |= BMCR_ANENABLE | BMCR_ANRESTART;
	return phy_rw(pf, CDNA_MDIC_OP_WRITE, MII_BMCR, &bmcr);
}

/**
 * cdna_hw_link - current link state from STATUS
 * @pf: the PF
 * @speed: Mbit/s, written when the link is up
 *
 * Return: true when the link is up.
 */
bool cdna_hw_link(struct cdna_pf *pf, u32 *speed)
{
	u32 status = cdna_rd32(&pf->hw, CDNA_STATUS);

	if (pf->hw.gone || !(status & CDNA_STATUS_LU))
		return false;
	switch (FIELD_GET(CDNA_STATUS_SPEED, status)) {
	case CDNA_STATUS_SPEED_10:
		*speed = SPEED_10;
		break;
	case CDNA_STATUS_SPEED_100:
		*speed = SPEED_100;
		break;
	default:
		*speed = SPEED_1000;
		break;
	}
	return true;
}

/**
 * cdna_pf_pool - the PF's VMDq pool: the first one no VF has
 * @pf: the PF
 *
 * Return: the pool index (0 without VFs).
 */
u16 cdna_pf_pool(const struct cdna_pf *pf)
{
	return pf->num_vfs;
}

/**
 * cdna_pf_queue - the hardware queue of the PF's queue pair
 * @pf: the PF
 *
 * Pool p owns queues p and p + 8; a queue q with q % 8 < NumVFs DMAs as
 * VF q % 8, so the PF must stay on its own pool's queue.
 *
 * Return: the queue index.
 */
u16 cdna_pf_queue(const struct cdna_pf *pf)
{
	return cdna_pf_pool(pf);
}

static void ivar_set(struct cdna_pf *pf, u16 queue, u8 vector)
{
	u32 entry = CDNA_IVAR_VALID | FIELD_PREP(CDNA_IVAR_VECTOR, vector);
	struct cdna_hw *hw = &pf->hw;
	u32 reg = CDNA_IVAR0(queue % CDNA_IVAR0_REGS);
	u32 val = cdna_rd32(hw, reg);

	if (queue < CDNA_IVAR0_REGS) {
		val &= ~(CDNA_IVAR_RX_LO | CDNA_IVAR_TX_LO);
		val |= FIELD_PREP(CDNA_IVAR_RX_LO, entry) |
		       FIELD_PREP(CDNA_IVAR_TX_LO, entry);
	} else {
		val &= ~(CDNA_IVAR_RX_HI | CDNA_IVAR_TX_HI);
		val |= FIELD_PREP(CDNA_IVAR_RX_HI, entry) |
		       FIELD_PREP(CDNA_IVAR_TX_HI, entry);
	}
	cdna_wr32(hw, reg, val);
}

/**
 * cdna_hw_init_irq - route causes to the PF's MSI-X vectors
 * @pf: the PF
 *
 * Vector 0 takes the "other" causes (link, mailbox, VF reset) through
 * IVAR_MISC; vector 1 takes the PF queue's RX and TX.  QEMU raises TX
 * completion interrupts only for queues with a valid IVAR entry.  With
 * VFs, EICR bits 22 - 3n .. 24 - 3n belong to VF n, so the PF keeps to the
 * low bits.  EIAM (auto-mask) is not used: QEMU does not implement it.
 */
void cdna_hw_init_irq(struct cdna_pf *pf)
{
	struct cdna_hw *hw = &pf->hw;
	u16 q = cdna_pf_queue(pf);
	u32 bits = BIT(CDNA_VEC_OTHER) | BIT(CDNA_VEC_QUEUE);

	cdna_wr32(hw, CDNA_GPIE, CDNA_GPIE_MSIX_MODE | CDNA_GPIE_PBA |
		  CDNA_GPIE_NSICR);
	cdna_wr32(hw, CDNA_IVAR_MISC,
		  FIELD_PREP(CDNA_IVAR_MISC_OTHER,
			     CDNA_IVAR_VALID | CDNA_VEC_OTHER));
	ivar_set(pf, q, CDNA_VEC_QUEUE);
	/*
	 * The other-cause vector is moderated: mailbox and VF-reset
	 * interrupts, which any VF can raise at will, come at most every
	 * CDNA_EITR_OTHER (the first one of a quiet spell at once).
	 */
	cdna_wr32(hw, CDNA_EITR(CDNA_VEC_OTHER), CDNA_EITR_OTHER);
	cdna_wr32(hw, CDNA_EITR(CDNA_VEC_QUEUE), pf->eitr);
	/* EICR bits clear themselves when their MSI-X message is sent. */
	cdna_wr32(hw, CDNA_EIAC, bits);
}

/**
 * cdna_hw_irq_enable - unmask the PF's causes
 * @pf: the PF
 */
void cdna_hw_irq_enable(struct cdna_pf *pf)
{
	struct cdna_hw *hw = &pf->hw;

	cdna_wr32(hw, CDNA_IMS, CDNA_ICR_LSC | CDNA_ICR_VMMB);
	cdna_wr32(hw, CDNA_EIMS, BIT(CDNA_VEC_OTHER) | BIT(CDNA_VEC_QUEUE));
	cdna_flush(hw);
}

/**
 * cdna_hw_set_rar - program a receive address register
 * @pf: the PF
 * @idx: RAR entry
 * @mac: address, or NULL to clear the entry
 * @pool: pool the address selects (VMDq)
 */
void cdna_hw_set_rar(struct cdna_pf *pf, unsigned int idx, const u8 *mac,
		     u16 pool)
{
	struct cdna_hw *hw = &pf->hw;
	u32 lo = 0, hi = 0;

	if (mac && is_valid_ether_addr(mac)) {
		lo = mac[0] | mac[1] << 8 | mac[2] << 16 | (u32)mac[3] << 24;
		hi = FIELD_PREP(CDNA_RAH_ADDR, mac[4] | mac[5] << 8) |
		     FIELD_PREP(CDNA_RAH_POOL, BIT(pool)) | CDNA_RAH_AV;
	}
	/* Clear AV first so a half-written entry never matches. */
	cdna_wr32(hw, cdna_rah(idx), 0);
	cdna_wr32(hw, cdna_ral(idx), lo);
	cdna_wr32(hw, cdna_rah(idx), hi);
}

/**
 * cdna_hw_write_mta - program the MTA: union of the PF's and the VFs' hashes
 * @pf: the PF
 */
void cdna_hw_write_mta(struct cdna_pf *pf)
{
	u32 mta[CDNA_MTA_REGS] = {};
	unsigned int i, j;

	lockdep_assert_held(&pf->vf_lock);

	for (i = 0; i < pf->mc_count; i++)
		mta[pf->mc_hash[i] >> 5] |= BIT(pf->mc_hash[i] & 31);
	for (i = 0; i < pf->num_vfs; i++) {
		const struct cdna_vf *vf = &pf->vfs[i];

		for (j = 0; j < vf->mc_count; j++)
			mta[vf->mc_hash[j] >> 5] |= BIT(vf->mc_hash[j] & 31);
	}
	for (i = 0; i < CDNA_MTA_REGS; i++)
		cdna_wr32(&pf->hw, CDNA_MTA(i), mta[i]);
}

/**
 * cdna_hw_pf_rx_filters - program RCTL and the PF pool from the PF's mode
 * @pf: the PF
 *
 * In VMDq mode the chip ignores RCTL.UPE/MPE for pools; the PF pool is
 * also the default pool for unmatched unicast, and takes MTA hits with
 * ROMPE.  QEMU does not emulate promiscuous mode under VMDq at all.
 *
 * VLAN filtering (RCTL.VFE) is on with VFs, which need it to keep their
 * VLANs apart, and without them unless the PF is promiscuous.  VLAN tag
 * stripping (NETIF_F_HW_VLAN_CTAG_RX) is CTRL.VME without VFs; in VMDq
 * mode the chip ignores CTRL.VME and strips per pool (VMOLR.STRVLAN) for
 * unicast and broadcast, and for multicast by RPLOLR (cdna_hw_vmdq_setup).
 */
void cdna_hw_pf_rx_filters(struct cdna_pf *pf)
{
	struct cdna_hw *hw = &pf->hw;
	u32 frame = cdna_mbx_max_frame(pf->netdev->mtu);
	u16 pool = cdna_pf_pool(pf);
	u32 rctl, vmolr;

	lockdep_assert_held(&pf->vf_lock);

	cdna_hw_set_rar(pf, 0, pf->netdev->dev_addr, pool);
	cdna_hw_write_mta(pf);

	rctl = cdna_rd32(hw, CDNA_RCTL);
	rctl &= ~(CDNA_RCTL_UPE | CDNA_RCTL_MPE | CDNA_RCTL_VFE);
	if (pf->rx_flags & IFF_PROMISC)
		rctl |= CDNA_RCTL_UPE | CDNA_RCTL_MPE;
	else if (pf->rx_flags & IFF_ALLMULTI)
		rctl |= CDNA_RCTL_MPE;
	if (pf->num_vfs || !(pf->rx_flags & IFF_PROMISC))
		rctl |= CDNA_RCTL_VFE;
	cdna_wr32(hw, CDNA_RCTL, rctl);
	cdna_rmw32(hw, CDNA_CTRL, CDNA_CTRL_VME,
		   pf->vlan_strip ? CDNA_CTRL_VME : 0);

	if (!pf->num_vfs) {
		cdna_wr32(hw, CDNA_RLPML, frame);
		return;
	}
	cdna_wr32(hw, CDNA_RLPML, CDNA_MBX_MAX_FRAME);
	vmolr = CDNA_VMOLR_BAM | CDNA_VMOLR_AUPE | CDNA_VMOLR_STRCRC |
		CDNA_VMOLR_LPE | FIELD_PREP(CDNA_VMOLR_RLPML, frame);
	if (pf->vlan_strip)
		vmolr |= CDNA_VMOLR_STRVLAN;
	if (pf->mc_count || (pf->rx_flags & (IFF_PROMISC | IFF_ALLMULTI)))
		vmolr |= CDNA_VMOLR_ROMPE;
	if (pf->rx_flags & (IFF_PROMISC | IFF_ALLMULTI))
		vmolr |= CDNA_VMOLR_MPME;
	if (pf->rx_flags & IFF_PROMISC)
		vmolr |= CDNA_VMOLR_ROPE;
	cdna_wr32(hw, CDNA_VMOLR(pool), vmolr);
}

/**
 * cdna_hw_vlvf_set - add or remove a pool from a VLAN's VLVF entry
 * @pf: the PF
 * @vid: VLAN id
 * @pool: pool
 * @on: add (true) or remove
 *
 * Also keeps the global VFTA bit in step: set while any pool wants @vid.
 *
 * Return: 0, or -ENOSPC when all VLVF entries are taken.
 */
int cdna_hw_vlvf_set(struct cdna_pf *pf, u16 vid, u16 pool, bool on)
{
	struct cdna_hw *hw = &pf->hw;
	int i, free = -1, idx = -1;
	u32 val, sel;

	lockdep_assert_held(&pf->vf_lock);

	for (i = 0; i < CDNA_VLVF_ENTRIES; i++) {
		val = cdna_rd32(hw, CDNA_VLVF(i));
		if (!(val & CDNA_VLVF_EN)) {
			if (free < 0)
				free = i;
			continue;
		}
		if (FIELD_GET(CDNA_VLVF_VID, val) == vid) {
			idx = i;
			break;
		}
	}
	if (idx < 0) {
		if (!on)
			return 0;
		if (free < 0)
			return -ENOSPC;
		idx = free;
		val = CDNA_VLVF_EN | FIELD_PREP(CDNA_VLVF_VID, vid);
	}
	sel = FIELD_GET(CDNA_VLVF_POOLSEL, val);
	if (on)
		sel |= BIT(pool);
	else
		sel &= ~BIT(pool);
	if (!sel)
		val = 0;
	else
		val = (val & ~CDNA_VLVF_POOLSEL) |
		      FIELD_PREP(CDNA_VLVF_POOLSEL, sel);
	cdna_wr32(hw, CDNA_VLVF(idx), val);
	cdna_rmw32(hw, CDNA_VFTA(vid / 32), BIT(vid % 32),
		   sel ? BIT(vid % 32) : 0);
	return 0;
}

/**
 * cdna_hw_pf_vlan - let a VLAN of the PF netdev in, or stop it
 * @pf: the PF
 * @vid: VLAN id
 * @on: let in (true) or stop
 *
 * Without VFs the global VLAN filter (VFTA) is all there is, and VID 0
 * (priority tags) stays in.  With VFs the VLAN also needs a VLVF entry
 * with the PF's pool selected, shared with the VFs that use the VLAN.
 *
 * Return: 0, or -ENOSPC when all VLVF entries are taken.
 */
int cdna_hw_pf_vlan(struct cdna_pf *pf, u16 vid, bool on)
{
	lockdep_assert_held(&pf->vf_lock);

	if (pf->num_vfs)
		return cdna_hw_vlvf_set(pf, vid, cdna_pf_pool(pf), on);
	cdna_rmw32(&pf->hw, CDNA_VFTA(vid / 32), BIT(vid % 32),
		   on || !vid ? BIT(vid % 32) : 0);
	return 0;
}

/**
 * cdna_hw_vmdq_setup - switch between plain and VMDq receive for num_vfs
 * @pf: the PF
 *
 * Without VFs the PF owns queue 0 and the MAC is in plain mode.  With VFs:
 * VMDq, the PF in pool num_vfs (also the default pool), VM-to-VM loopback
 * in DTXSWC, VFRE/VFTE open for the PF pool only (a VF's opens when it
 * completes the RESET handshake).
 */
void cdna_hw_vmdq_setup(struct cdna_pf *pf)
{
	struct cdna_hw *hw = &pf->hw;
	u16 pool = cdna_pf_pool(pf);
	int i;

	lockdep_assert_held(&pf->vf_lock);

	for (i = 0; i < CDNA_VLVF_ENTRIES; i++)
		cdna_wr32(hw, CDNA_VLVF(i), 0);
	for (i = 0; i < CDNA_VFTA_REGS; i++)
		cdna_wr32(hw, CDNA_VFTA(i), 0);
	for (i = 1; i < CDNA_RAR_ENTRIES; i++)
		cdna_hw_set_rar(pf, i, NULL, 0);
	/*
	 * Queue interrupt routing starts clean: the PF's old queue may now
	 * be a VF's, and QEMU ORs a VF's VTIVAR writes into the entry.
	 */
	for (i = 0; i < CDNA_POOLS; i++)
		cdna_wr32(hw, CDNA_IVAR0(i), 0);

	if (!pf->num_vfs) {
		cdna_wr32(hw, CDNA_MRQC, FIELD_PREP(CDNA_MRQC_MODE,
						    CDNA_MRQC_MODE_NONE));
		cdna_wr32(hw, CDNA_DTXSWC, 0);
		cdna_wr32(hw, CDNA_QDE, 0);
		cdna_wr32(hw, CDNA_RPLOLR, 0);
		cdna_hw_pf_vlan(pf, 0, true);
		for_each_set_bit(i, pf->pf_vlans, VLAN_N_VID)
			cdna_hw_pf_vlan(pf, i, true);
		return;
	}

	cdna_wr32(hw, CDNA_VT_CTL, FIELD_PREP(CDNA_VT_CTL_DEF_POOL, pool) |
		  CDNA_VT_CTL_REPL_EN);
	cdna_wr32(hw, CDNA_MRQC, FIELD_PREP(CDNA_MRQC_MODE,
					    CDNA_MRQC_MODE_VMDQ));
	for (i = 0; i < CDNA_POOLS; i++) {
		if (i != pool)
			cdna_wr32(hw, CDNA_VMOLR(i), CDNA_VMOLR_STRCRC);
		cdna_wr32(hw, CDNA_VMVIR(i), 0);
	}
	/* A VF that stops posting buffers must not stall the others. */
	cdna_wr32(hw, CDNA_QDE, GENMASK(CDNA_NUM_QUEUES - 1, 0));
	cdna_wr32(hw, CDNA_VFRE, BIT(pool));
	cdna_wr32(hw, CDNA_VFTE, BIT(pool));
	cdna_wr32(hw, CDNA_DTXSWC, CDNA_DTXSWC_LOOPBACK_EN);
	/*
	 * Multicast is replicated to the pools and stripped by this one
	 * global bit, not by each pool's VMOLR: on, for the contexts whose
	 * port VLAN must not show.  The PF's driver takes a stripped tag
	 * from the descriptor whatever its own setting.
	 */
	cdna_wr32(hw, CDNA_RPLOLR, CDNA_RPLOLR_STRVLAN);

	/* The PF's own VLANs go to its pool. */
	for_each_set_bit(i, pf->pf_vlans, VLAN_N_VID)
		cdna_hw_pf_vlan(pf, i, true);
}

/**
 * cdna_hw_update_stats - fold the clear-on-read MAC counters into 64 bits
 * @pf: the PF
 */
void cdna_hw_update_stats(struct cdna_pf *pf)
{
	struct cdna_hw_stats *s = &pf->hw_stats;
	struct cdna_hw *hw = &pf->hw;
	u64 gorc, gotc;

	if (hw->gone)
		return;
	gorc = cdna_rd32(hw, CDNA_GORCL);
	gorc |= (u64)cdna_rd32(hw, CDNA_GORCH) << 32;
	gotc = cdna_rd32(hw, CDNA_GOTCL);
	gotc |= (u64)cdna_rd32(hw, CDNA_GOTCH) << 32;

	spin_lock_bh(&pf->stats_lock);
	s->crcerrs += cdna_rd32(hw, CDNA_CRCERRS);
	s->mpc += cdna_rd32(hw, CDNA_MPC);
	s->rlec += cdna_rd32(hw, CDNA_RLEC);
	s->gprc += cdna_rd32(hw, CDNA_GPRC);
	s->bprc += cdna_rd32(hw, CDNA_BPRC);
	s->mprc += cdna_rd32(hw, CDNA_MPRC);
	s->gptc += cdna_rd32(hw, CDNA_GPTC);
	s->rnbc += cdna_rd32(hw, CDNA_RNBC);
	s->ruc += cdna_rd32(hw, CDNA_RUC);
	s->roc += cdna_rd32(hw, CDNA_ROC);
	s->tpr += cdna_rd32(hw, CDNA_TPR);
	s->tpt += cdna_rd32(hw, CDNA_TPT);
	s->mptc += cdna_rd32(hw, CDNA_MPTC);
	s->bptc += cdna_rd32(hw, CDNA_BPTC);
	s->tsctc += cdna_rd32(hw, CDNA_TSCTC);
	s->gorc += gorc;
	s->gotc += gotc;
	spin_unlock_bh(&pf->stats_lock);
}
