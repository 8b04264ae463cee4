// SPDX-License-Identifier: GPL-2.0
/*
 * Context operations for vmm_guard (kmod/include/cdna_ctx.h).
 *
 * cdna_pf exports one symbol, cdna_pf_ctx_ops; the guard takes it with
 * symbol_get() while it holds contexts.  cdna_pf never calls the guard.
 */
#include <linux/iopoll.h>

#include "cdna_ctx.h"
#include "cdna_swring.h"
#include "pf.h"
#include "pf_fault.h"
#include "pf_vf.h"

/* A queue the chip still runs after its enable bit was cleared. */
#define CDNA_QUIESCE_POLL_US	100
#define CDNA_QUIESCE_TIMEOUT_US	(20 * USEC_PER_MSEC)

static int ctx_index(struct pci_dev *vfdev)
{
	int vf;

	return cdna_pf_of(vfdev, &vf) ? vf : -ENODEV;
}

static int ctx_queue_wait(struct cdna_hw *hw, u32 reg, u32 bit)
{
	u32 val;

	return readx_poll_timeout(ioread32, hw->addr + reg, val,
				  !(val & bit) || val == ~0U,
				  CDNA_QUIESCE_POLL_US,
				  CDNA_QUIESCE_TIMEOUT_US);
}

/*
 * Stop the context's traffic and DMA: the switch neither delivers to nor
 * takes from its pool, and its queues (VF queue 0 and 1 are PF queues vf
 * and vf + 8) are disabled.  On the chip a queue's enable bit reads back
 * 0 only once the queue has finished its outstanding descriptors, so the
 * wait is the drain.  Without CTS the context stays stopped until the
 * VF's next RESET handshake.
 */
static int ctx_quiesce(struct pci_dev *vfdev)
{
	struct cdna_pf *pf;
	struct cdna_hw *hw;
	int vf, q, i, err = 0;

	pf = cdna_pf_of(vfdev, &vf);
	if (!pf)
		return -ENODEV;
	hw = &pf->hw;

	mutex_lock(&pf->vf_lock);
	pf->vfs[vf].reset_done = false;
	cdna_rmw32(hw, CDNA_VFRE, BIT(vf), 0);
	cdna_rmw32(hw, CDNA_VFTE, BIT(vf), 0);
	for (i = 0; i < CDNA_POOL_QUEUES; i++) {
		q = cdna_pool_queue(vf, i);
		cdna_rmw32(hw, CDNA_RXDCTL(q), CDNA_RXDCTL_ENABLE, 0);
		cdna_rmw32(hw, CDNA_TXDCTL(q), CDNA_TXDCTL_ENABLE, 0);
	}
	mutex_unlock(&pf->vf_lock);
	/*
	 * The drain is waited for without the VF lock (up to tens of ms a
	 * queue): the other contexts' mailboxes go on being served.  Only
	 * this context's queue registers are read, and nothing can start
	 * its queues again: its VM is gone and it has no CTS.
	 */
	for (i = 0; i < CDNA_POOL_QUEUES && !err; i++) {
		q = cdna_pool_queue(vf, i);
		err = ctx_queue_wait(hw, CDNA_RXDCTL(q), CDNA_RXDCTL_ENABLE);
		if (!err)
			err = ctx_queue_wait(hw, CDNA_TXDCTL(q),
					     CDNA_TXDCTL_ENABLE);
	}
	if (!err && cdna_fault(CDNA_FAULT_QUIESCE))
		err = -ETIMEDOUT;
	if (hw->gone)
		err = -ENODEV;
	if (err)
		pci_err(vfdev, "context %d: queues did not stop (%d)\n", vf,
			err);
	return err;
}

/*
 * Forget everything the context's last user asked for (filters, frame
 * size, promiscuity, a MAC it chose) and its mailbox: the buffer is
 * released and wiped so the next owner cannot read the last message.
 * The host's policy stays.
 *
 * The chip writes VMBMEM only for the side that owns the buffer: the PF
 * takes it (PFU, after releasing a VF's hold with RVFU), wipes it, reads
 * the wipe back, and releases it.  A buffer the PF cannot take or that
 * does not read back as zero fails the scrub: the guard quarantines the
 * context rather than hand the last owner's message to the next.
 */
static int ctx_scrub(struct pci_dev *vfdev)
{
	struct cdna_pf *pf;
	struct cdna_hw *hw;
	int vf, i, err = 0;

	pf = cdna_pf_of(vfdev, &vf);
	if (!pf)
		return -ENODEV;
	hw = &pf->hw;

	mutex_lock(&pf->vf_lock);
	cdna_vf_reset_state(pf, vf, true);
	cdna_vf_flood_reset(pf, vf);
	pf->mbx_busy &= ~BIT(vf);
	cdna_wr32(hw, CDNA_P2VMAILBOX(vf), CDNA_P2V_RVFU);
	cdna_wr32(hw, CDNA_P2VMAILBOX(vf), CDNA_P2V_PFU);
	if (!(cdna_rd32(hw, CDNA_P2VMAILBOX(vf)) & CDNA_P2V_PFU))
		err = -EBUSY;
	for (i = 0; i < CDNA_MBX_WORDS && !err; i++)
		cdna_wr32(hw, CDNA_VMBMEM(vf) + 4 * i, 0);
	for (i = 0; i < CDNA_MBX_WORDS && !err; i++)
		if (cdna_rd32(hw, CDNA_VMBMEM(vf) + 4 * i))
			err = -EIO;
	cdna_wr32(hw, CDNA_P2VMAILBOX(vf), 0);
	if (!err && cdna_fault(CDNA_FAULT_SCRUB))
		err = -EIO;
	if (hw->gone)
		err = -ENODEV;
	mutex_unlock(&pf->vf_lock);
	if (err)
		pci_err(vfdev, "context %d: mailbox not wiped (%d)\n", vf, err);
	return err;
}

static int ctx_hold(struct pci_dev *vfdev, const char *owner)
{
	struct cdna_pf *pf;
	int vf, err = 0;

	pf = cdna_pf_of(vfdev, &vf);
	if (!pf)
		return -ENODEV;
	mutex_lock(&pf->vf_lock);
	if (pf->removing) {
		err = -EBUSY;
	} else {
		WRITE_ONCE(pf->vfs[vf].held, true);
		strscpy(pf->vfs[vf].owner, owner, sizeof(pf->vfs[vf].owner));
	}
	mutex_unlock(&pf->vf_lock);
	if (err)
		pci_err(vfdev, "context %d: its PF is removing its contexts\n",
			vf);
	return err;
}

static void ctx_release(struct pci_dev *vfdev)
{
	struct cdna_pf *pf;
	int vf;

	pf = cdna_pf_of(vfdev, &vf);
	if (!pf)
		return;
	mutex_lock(&pf->vf_lock);
	WRITE_ONCE(pf->vfs[vf].held, false);
	pf->vfs[vf].owner[0] = '\0';
	mutex_unlock(&pf->vf_lock);
	wake_up_all(&pf->release_wq);
}

static int ctx_set_owner(struct pci_dev *vfdev, const char *owner)
{
	struct cdna_pf *pf;
	int vf;

	pf = cdna_pf_of(vfdev, &vf);
	if (!pf)
		return -ENODEV;
	mutex_lock(&pf->vf_lock);
	if (pf->vfs[vf].held)
		strscpy(pf->vfs[vf].owner, owner, sizeof(pf->vfs[vf].owner));
	mutex_unlock(&pf->vf_lock);
	return 0;
}

static int ctx_tx_policy(struct pci_dev *vfdev, struct cdna_sw_policy *p)
{
	const struct cdna_vf *v;
	struct cdna_pf *pf;
	int vf, i;

	pf = cdna_pf_of(vfdev, &vf);
	if (!pf)
		return -ENODEV;
	memset(p, 0, sizeof(*p));
	mutex_lock(&pf->vf_lock);
	v = &pf->vfs[vf];
	if (!is_zero_ether_addr(v->mac))
		ether_addr_copy(p->mac[p->nmacs++], v->mac);
	for (i = 0; i < v->nr_uc && p->nmacs < CDNA_SW_POLICY_MACS; i++)
		ether_addr_copy(p->mac[p->nmacs++], v->uc[i].mac);
	p->check_mac = v->spoofchk && !v->trusted;
	p->pvid = v->vlan;
	for (i = 0; i < v->nr_vlans; i++)
		p->vlans[v->vlans[i] / 64] |= BIT_ULL(v->vlans[i] % 64);
	mutex_unlock(&pf->vf_lock);
	return 0;
}

static void ctx_tx_dropped(struct pci_dev *vfdev, u64 spoof, u64 vlan)
{
	struct cdna_pf *pf;
	int vf;

	pf = cdna_pf_of(vfdev, &vf);
	if (!pf)
		return;
	spin_lock_bh(&pf->vf_stats_lock);
	pf->vfs[vf].spoof_dropped += spoof;
	pf->vfs[vf].vlan_dropped += vlan;
	spin_unlock_bh(&pf->vf_stats_lock);
}

const struct cdna_ctx_ops cdna_pf_ctx_ops = {
	.index = ctx_index,
	.quiesce = ctx_quiesce,
	.scrub = ctx_scrub,
	.hold = ctx_hold,
	.release = ctx_release,
	.set_owner = ctx_set_owner,
	.tx_policy = ctx_tx_policy,
	.tx_dropped = ctx_tx_dropped,
};
EXPORT_SYMBOL_GPL(cdna_pf_ctx_ops);
