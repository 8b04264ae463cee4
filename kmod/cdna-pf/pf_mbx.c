// SPDX-License-Identifier: GPL-2.0
/*
 * cdna_pf mailbox server: the PF side of the 82576 PF/VF mailbox.
 *
 * ICR.VMMB (through the other-cause vector) or the service poll queue
 * cdna_mbx_work(), which, under the VF lock:
 *   1. reads VFLRE: each VF reset by FLR or VF CTRL.RST loses what it
 *      asked for and its CTS until it sends RESET;
 *   2. reads MBVFICR: for each VF with REQ, takes the buffer (PFU), reads
 *      it, acks it (PFACK), decodes it with cdna_mbx_decode(), applies the
 *      policy, and answers with ACK or NACK (plus CTS once the VF reset).
 *
 * SET_MAC with FILTER_ADD gives a VF an extra unicast filter (a RAR entry
 * with its pool select; Linux igbvf sends one per address of its unicast
 * list, e.g. a macvlan on top of it), FILTER_CLR drops them all.  The
 * decision (cdna_policy.c) refuses an untrusted VF whose MAC the host set,
 * an address that already steers to another pool or to the PF, and one
 * beyond the VF's share of the free entries; refusals are counted in
 * uc_refused.  Every reset of the VF (RESET message, FLR, VF CTRL.RST,
 * the guard's scrub), the end of the context and the host taking trust
 * back from a VF whose MAC it set drop its filters; an address the host
 * assigns (to the PF or as a VF's MAC) stops being any VF's extra filter.
 *
 * Everything in VMBMEM is untrusted.  Nothing a VF writes can WARN or BUG;
 * refusals are counted per VF (mbx_refused) and logged at debug level.  A
 * VF posting faster than CDNA_MBX_RATE messages per second beyond a burst
 * of CDNA_MBX_BURST has its requests dropped unread (mbx_throttled), so it
 * cannot keep the server from the other VFs; each run of the work serves
 * every VF at most a few times and requeues itself when more is pending.
 */
#include <linux/delay.h>

#include "pf.h"

#define CDNA_MBX_ROUNDS		4
#define CDNA_MBX_LOCK_TRIES	3

static bool mbx_lock(struct cdna_pf *pf, int vf)
{
	int i;

	for (i = 0; i < CDNA_MBX_LOCK_TRIES; i++) {
		cdna_wr32(&pf->hw, CDNA_P2VMAILBOX(vf), CDNA_P2V_PFU);
		if (cdna_rd32(&pf->hw, CDNA_P2VMAILBOX(vf)) & CDNA_P2V_PFU)
			return true;
		usleep_range(50, 100);
	}
	return false;
}

/* Write a message; the PF holds the buffer.  STS releases it to the VF. */
static void mbx_write(struct cdna_pf *pf, int vf, const u32 *msg,
		      unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		cdna_wr32(&pf->hw, CDNA_VMBMEM(vf) + 4 * i, msg[i]);
	cdna_wr32(&pf->hw, CDNA_P2VMAILBOX(vf), CDNA_P2V_STS);
}

/**
 * cdna_mbx_ping_vf - send PF_CONTROL: CTS when the VF may talk, else NACK
 * @pf: the PF
 * @vf: context
 *
 * A VF that sees PF_CONTROL without CTS but with NACK knows it lost its
 * link/CTS and resets itself (Linux igbvf does).
 */
void cdna_mbx_ping_vf(struct cdna_pf *pf, int vf)
{
	u32 msg = CDNA_MSG_PF_CONTROL;

	lockdep_assert_held(&pf->vf_lock);
	msg |= cdna_vf_cts(&pf->vfs[vf]) ? CDNA_MSG_CTS : CDNA_MSG_NACK;
	if (!mbx_lock(pf, vf))
		return;
	mbx_write(pf, vf, &msg, 1);
}

/**
 * cdna_mbx_ping_all - PF_CONTROL to every VF that completed its reset
 * @pf: the PF
 */
void cdna_mbx_ping_all(struct cdna_pf *pf)
{
	int vf;

	lockdep_assert_held(&pf->vf_lock);
	for (vf = 0; vf < pf->num_vfs; vf++)
		if (pf->vfs[vf].reset_done)
			cdna_mbx_ping_vf(pf, vf);
}

/* Token bucket: may the VF post one more message now? */
static bool mbx_take_token(struct cdna_vf *v)
{
	unsigned long now = jiffies;
	unsigned long add = (now - v->tokens_at) * CDNA_MBX_RATE / HZ;

	if (add) {
		v->tokens = min_t(unsigned long, CDNA_MBX_BURST,
				  v->tokens + add);
		v->tokens_at = now;
	}
	if (!v->tokens)
		return false;
	v->tokens--;
	return true;
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

static int mbx_set_vlan(struct cdna_pf *pf, int vf,
			const struct cdna_mbx_req *req)
{
	struct cdna_vf *v = &pf->vfs[vf];
	int i, err;

	if (!req->vlan_add) {
		if (!vf_has_vlan(v, req->vid, &i))
			return 0;
		v->vlans[i] = v->vlans[--v->nr_vlans];
		return cdna_hw_vlvf_set(pf, req->vid, vf, false);
	}
	if (vf_has_vlan(v, req->vid, &i))
		return 0;
	if (v->nr_vlans >= CDNA_VF_MAX_VLANS)
		return -ENOSPC;
	err = cdna_hw_vlvf_set(pf, req->vid, vf, true);
	if (err)
		return err;
	v->vlans[v->nr_vlans++] = req->vid;
	return 0;
}

/* What the decision needs to know of a SET_MAC address. */
static void mbx_uc_state(struct cdna_pf *pf, int vf,
			 const struct cdna_mbx_req *req, struct cdna_ctx_uc *uc)
{
	const struct cdna_vf *v = &pf->vfs[vf];
	int owner;

	memset(uc, 0, sizeof(*uc));
	uc->count = v->nr_uc;
	uc->max = cdna_vf_uc_quota(pf);
	if (req->type != CDNA_MSG_SET_MAC ||
	    req->info == CDNA_MAC_INFO_FILTER_CLR)
		return;
	owner = cdna_mac_owner(pf, req->mac);
	uc->held = ether_addr_equal(v->mac, req->mac) ||
		   cdna_vf_has_uc(v, req->mac);
	uc->taken = owner != CDNA_MAC_OWNER_NONE && owner != vf;
}

static int mbx_set_mac(struct cdna_pf *pf, int vf,
		       const struct cdna_mbx_req *req)
{
	struct cdna_vf *v = &pf->vfs[vf];
	int err;

	switch (req->info) {
	case CDNA_MAC_INFO_PRIMARY:
		ether_addr_copy(v->mac, req->mac);
		cdna_vf_apply(pf, vf);
		return 0;
	case CDNA_MAC_INFO_FILTER_ADD:
		err = cdna_vf_uc_add(pf, vf, req->mac);
		if (err)
			dev_dbg(&pf->pdev->dev, "VF %d: no RAR entry for %pM\n",
				vf, req->mac);
		return err;
	default:
		cdna_vf_uc_clear(pf, vf);
		return 0;
	}
}

/*
 * What a valid request may do: the shared policy decision first (the
 * host's MAC, VLAN and trust win over the VF), then the PF applies it.
 */
static int mbx_policy(struct cdna_pf *pf, int vf,
		      const struct cdna_mbx_req *req)
{
	struct cdna_vf *v = &pf->vfs[vf];
	struct cdna_ctx_policy pol;
	struct cdna_ctx_uc uc;
	const char *why;
	int err;

	cdna_vf_policy(v, &pol);
	mbx_uc_state(pf, vf, req, &uc);
	err = cdna_policy_check(&pol, &uc, req, &why);
	if (err) {
		dev_dbg(&pf->pdev->dev, "VF %d: %s refused: %s\n", vf,
			cdna_mbx_type_name(req->type), why);
		return err;
	}

	switch (req->type) {
	case CDNA_MSG_SET_MAC:
		return mbx_set_mac(pf, vf, req);
	case CDNA_MSG_SET_MULTICAST:
		memcpy(v->mc_hash, req->mc_hash,
		       req->mc_count * sizeof(req->mc_hash[0]));
		v->mc_count = req->mc_count;
		cdna_hw_write_mta(pf);
		cdna_vf_apply(pf, vf);
		return 0;
	case CDNA_MSG_SET_VLAN:
		return mbx_set_vlan(pf, vf, req);
	case CDNA_MSG_SET_LPE:
		v->max_frame = req->max_frame;
		cdna_vf_apply(pf, vf);
		return 0;
	case CDNA_MSG_SET_PROMISC:
		v->mc_promisc = req->promisc & CDNA_PROMISC_INFO_MULTICAST;
		cdna_vf_apply(pf, vf);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

static void mbx_reset(struct cdna_pf *pf, int vf)
{
	struct cdna_vf *v = &pf->vfs[vf];
	u32 msg[CDNA_MBX_WORDS];
	unsigned int n;

	cdna_vf_reset_state(pf, vf, false);
	v->reset_done = true;
	cdna_vf_apply(pf, vf);
	/*
	 * No CTS in the RESET answer: Linux igbvf compares the word with
	 * RESET|ACK exactly (as upstream igb sends it).  The VF learns CTS
	 * from every later answer.
	 */
	n = cdna_mbx_reset_reply(msg, is_valid_ether_addr(v->mac) ?
				 v->mac : NULL, false);
	mbx_write(pf, vf, msg, n);
}

/* Serve one request of @vf; returns false when the buffer was busy. */
static bool mbx_serve(struct cdna_pf *pf, int vf)
{
	struct device *dev = &pf->pdev->dev;
	struct cdna_vf *v = &pf->vfs[vf];
	u32 msg[CDNA_MBX_WORDS], reply;
	struct cdna_mbx_req req;
	unsigned int i;
	int err;

	if (!mbx_take_token(v)) {
		v->mbx_throttled++;
		dev_warn_ratelimited(dev, "VF %d: mailbox flood, request dropped\n",
				     vf);
		return true;
	}
	if (!mbx_lock(pf, vf))
		return false;
	for (i = 0; i < CDNA_MBX_WORDS; i++)
		msg[i] = cdna_rd32(&pf->hw, CDNA_VMBMEM(vf) + 4 * i);
	/* Received: PFACK to the VF, keep the buffer for the answer. */
	cdna_wr32(&pf->hw, CDNA_P2VMAILBOX(vf), CDNA_P2V_ACK | CDNA_P2V_PFU);
	v->mbx_msgs++;

	err = cdna_mbx_decode(msg, CDNA_MBX_WORDS, &req);
	if (!err && req.type == CDNA_MSG_RESET) {
		mbx_reset(pf, vf);
		return true;
	}
	if (!err && !cdna_vf_cts(v))
		err = -EAGAIN;		/* RESET first */
	if (!err)
		err = mbx_policy(pf, vf, &req);

	reply = FIELD_PREP(CDNA_MSG_TYPE, FIELD_GET(CDNA_MSG_TYPE, msg[0]));
	if (cdna_vf_cts(v))
		reply |= CDNA_MSG_CTS;
	if (err) {
		v->mbx_refused++;
		if (FIELD_GET(CDNA_MSG_TYPE, msg[0]) == CDNA_MSG_SET_MAC &&
		    FIELD_GET(CDNA_MSG_INFO, msg[0]) == CDNA_MAC_INFO_FILTER_ADD)
			v->uc_refused++;
		reply |= CDNA_MSG_NACK;
		dev_dbg(dev, "VF %d: %s (0x%08x) refused: %d\n", vf,
			cdna_mbx_type_name(FIELD_GET(CDNA_MSG_TYPE, msg[0])),
			msg[0], err);
	} else {
		reply |= CDNA_MSG_ACK;
	}
	mbx_write(pf, vf, &reply, 1);
	return true;
}

/**
 * cdna_mbx_work - serve VF resets and mailbox requests
 * @work: the PF's mbx_work
 */
void cdna_mbx_work(struct work_struct *work)
{
	struct cdna_pf *pf = container_of(to_delayed_work(work),
					  struct cdna_pf, mbx_work);
	struct cdna_hw *hw = &pf->hw;
	unsigned long busy = 0, req, flr;
	bool more = false;
	int round, vf;
	u32 mask, icr;

	mutex_lock(&pf->vf_lock);
	if (!pf->num_vfs || hw->gone)
		goto out;
	mask = GENMASK(pf->num_vfs - 1, 0);
	busy = pf->mbx_busy & mask;
	pf->mbx_busy = 0;

	for (round = 0; round < CDNA_MBX_ROUNDS; round++) {
		/* Resets first: a VF resets, then posts RESET. */
		flr = cdna_rd32(hw, CDNA_VFLRE) & mask;
		if (flr)
			cdna_wr32(hw, CDNA_VFLRE, flr);
		for_each_set_bit(vf, &flr, pf->num_vfs)
			cdna_vf_reset_state(pf, vf, true);

		icr = cdna_rd32(hw, CDNA_MBVFICR);
		if (hw->gone)
			goto out;
		req = FIELD_GET(CDNA_MBVFICR_REQ, icr) & mask;
		icr &= FIELD_PREP(CDNA_MBVFICR_REQ, mask) |
		       FIELD_PREP(CDNA_MBVFICR_ACK, mask);
		req |= busy;
		busy = 0;
		if (!flr && !req && !icr)
			break;
		/* ACKs need nothing: the VF read our message. */
		cdna_wr32(hw, CDNA_MBVFICR, icr);
		for_each_set_bit(vf, &req, pf->num_vfs)
			if (!mbx_serve(pf, vf))
				busy |= BIT(vf);
	}
	pf->mbx_busy = busy;
	more = round == CDNA_MBX_ROUNDS;
out:
	mutex_unlock(&pf->vf_lock);
	/* Still posting: come back soon; holding its buffer: a bit later. */
	if (more)
		mod_delayed_work(pf->wq, &pf->mbx_work, 1);
	else if (busy)
		mod_delayed_work(pf->wq, &pf->mbx_work, HZ / 10);
}
