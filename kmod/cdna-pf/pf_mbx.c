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
 * of CDNA_MBX_BURST, or resetting faster than CDNA_RST_RATE beyond
 * CDNA_RST_BURST, is throttled: its requests wait unread (mbx_throttled),
 * its resets are noted and handled when its back-off ends
 * (resets_throttled), its mailbox interrupt is masked meanwhile, so it
 * cannot keep the server from the other VFs nor burn the host's CPU.  The
 * other-cause interrupt is moderated (EITR), and each run of the work
 * serves every VF at most a few times.
 */
#include <linux/delay.h>

#include "pf.h"
#include "pf_fault.h"
#include "pf_vf.h"

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
 * cdna_mbx_ping_vf - send PF_CONTROL: CTS when the VF may talk; without
 *	CTS a NACK when it must reset, nothing more when the host holds its
 *	link down
 * @pf: the PF
 * @vf: context
 *
 * A VF that sees PF_CONTROL without CTS but with NACK knows it lost its
 * CTS and resets itself; without CTS and NACK its link is down (Linux
 * igbvf's link check reads it so, and so does cdna_vf).
 */
void cdna_mbx_ping_vf(struct cdna_pf *pf, int vf)
{
	const struct cdna_vf *v = &pf->vfs[vf];
	u32 msg = CDNA_MSG_PF_CONTROL;

	lockdep_assert_held(&pf->vf_lock);
	if (cdna_vf_cts(v))
		msg |= CDNA_MSG_CTS;
	else if (!cdna_vf_held_down(v))
		msg |= CDNA_MSG_NACK;
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

/* Token bucket: may the VF do one more of this now? */
static bool bucket_take(unsigned int *tokens, unsigned long *at,
			unsigned int burst, unsigned int rate)
{
	unsigned long now = jiffies;
	unsigned long add = (now - *at) * rate / HZ;

	if (add) {
		*tokens = min_t(unsigned long, burst, *tokens + add);
		*at = now;
	}
	if (!*tokens)
		return false;
	(*tokens)--;
	return true;
}

/* One reset of the VF's: within its reset rate? */
static bool vf_take_reset(struct cdna_vf *v)
{
	return bucket_take(&v->rst_tokens, &v->rst_tokens_at, CDNA_RST_BURST,
			   CDNA_RST_RATE);
}

/* The VF used up a bucket: hold it back until its next token. */
static void vf_throttle(struct cdna_pf *pf, int vf, unsigned int rate)
{
	struct cdna_vf *v = &pf->vfs[vf];
	unsigned long until = (jiffies + DIV_ROUND_UP(HZ, rate)) ?: 1;

	if (!v->throttle_until) {
		cdna_rmw32(&pf->hw, CDNA_MBVFIMR, BIT(vf), 0);
		dev_warn_ratelimited(&pf->pdev->dev,
				     "VF %d: mailbox or reset flood: throttled\n",
				     vf);
		cdna_mbx_health_event(pf, vf);
	}
	if (!v->throttle_until || time_after(until, v->throttle_until))
		v->throttle_until = until;
}

/* Whether the VF is held back now; ends its back-off when it is over. */
static bool vf_throttled(struct cdna_pf *pf, int vf)
{
	struct cdna_vf *v = &pf->vfs[vf];

	if (!v->throttle_until)
		return false;
	if (time_before(jiffies, v->throttle_until))
		return true;
	v->throttle_until = 0;
	cdna_rmw32(&pf->hw, CDNA_MBVFIMR, 0, BIT(vf));
	return false;
}

/*
 * A VF reset itself (FLR or VF CTRL.RST; the chip already stopped its
 * queues).  Within its reset rate the PF forgets what it asked for now;
 * beyond it, the pool is only closed (two register writes) and the rest
 * waits until the VF may go on, so a VF resetting in a loop costs the
 * host next to nothing.  Until then it has no CTS and is not served.
 */
static void vf_reset_event(struct cdna_pf *pf, int vf)
{
	struct cdna_vf *v = &pf->vfs[vf];

	if (!vf_throttled(pf, vf) && vf_take_reset(v)) {
		cdna_vf_reset_state(pf, vf, true);
		return;
	}
	v->resets_throttled++;
	if (!v->reset_pending) {
		v->reset_pending = true;
		v->reset_done = false;
		cdna_rmw32(&pf->hw, CDNA_VFRE, BIT(vf), 0);
		cdna_rmw32(&pf->hw, CDNA_VFTE, BIT(vf), 0);
	}
	vf_throttle(pf, vf, CDNA_RST_RATE);
}

/* A reset noted while throttled is handled once the VF may go on. */
static void vf_reset_catch_up(struct cdna_pf *pf, int vf)
{
	struct cdna_vf *v = &pf->vfs[vf];

	if (!v->reset_pending || vf_throttled(pf, vf))
		return;
	if (vf_take_reset(v))
		cdna_vf_reset_state(pf, vf, true);
	else
		vf_throttle(pf, vf, CDNA_RST_RATE);
}

/* What the decision needs to know of a SET_MAC address. */
static void mbx_uc_state(struct cdna_pf *pf, int vf,
			 const struct cdna_mbx_req *req, struct cdna_ctx_uc *uc)
{
	const struct cdna_vf *v = &pf->vfs[vf];
	int holder;

	memset(uc, 0, sizeof(*uc));
	uc->count = v->nr_uc;
	uc->max = cdna_vf_uc_quota(pf);
	if (req->type != CDNA_MSG_SET_MAC ||
	    req->info == CDNA_MAC_INFO_FILTER_CLR)
		return;
	uc->hold = cdna_mac_hold(pf, req->mac, vf, &holder);
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
		return cdna_vf_vlan_request(pf, vf, req->vid, req->vlan_add);
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

/* Flood control held a request back: it waits unread in the mailbox. */
static void mbx_defer(struct cdna_pf *pf, int vf, unsigned int rate)
{
	struct cdna_vf *v = &pf->vfs[vf];

	if (!v->mbx_deferred) {
		v->mbx_deferred = true;
		v->mbx_throttled++;
	}
	if (rate)
		vf_throttle(pf, vf, rate);
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

	/* A reset noted while throttled is handled before anything else. */
	vf_reset_catch_up(pf, vf);
	if (v->reset_pending || vf_throttled(pf, vf)) {
		mbx_defer(pf, vf, 0);
		return true;
	}
	if (!bucket_take(&v->tokens, &v->tokens_at, CDNA_MBX_BURST,
			 CDNA_MBX_RATE)) {
		mbx_defer(pf, vf, CDNA_MBX_RATE);
		return true;
	}
	if (!mbx_lock(pf, vf))
		return false;
	for (i = 0; i < CDNA_MBX_WORDS; i++)
		msg[i] = cdna_rd32(&pf->hw, CDNA_VMBMEM(vf) + 4 * i);
	err = cdna_mbx_decode(msg, CDNA_MBX_WORDS, &req);
	/*
	 * A RESET costs a reset token unless it completes the VF's own reset
	 * (FLR, CTRL.RST: already paid for); beyond the rate it waits,
	 * unacknowledged.
	 */
	if (!err && req.type == CDNA_MSG_RESET && v->reset_done &&
	    !vf_take_reset(v)) {
		cdna_wr32(&pf->hw, CDNA_P2VMAILBOX(vf), 0);
		v->tokens++;
		mbx_defer(pf, vf, CDNA_RST_RATE);
		return true;
	}
	v->mbx_deferred = false;
	/* Received: PFACK to the VF, keep the buffer for the answer. */
	cdna_wr32(&pf->hw, CDNA_P2VMAILBOX(vf), CDNA_P2V_ACK | CDNA_P2V_PFU);
	v->mbx_msgs++;
	if (cdna_fault(CDNA_FAULT_MBX_REPLY)) {
		/* Read and acknowledged, never answered: the VF times out. */
		cdna_wr32(&pf->hw, CDNA_P2VMAILBOX(vf), 0);
		return true;
	}

	if (!err && req.type == CDNA_MSG_RESET) {
		mbx_reset(pf, vf);
		return true;
	}
	/* RESET first; a VF the host disabled is served, without CTS. */
	if (!err && !v->reset_done)
		err = -EAGAIN;
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
		if (FIELD_GET(CDNA_MSG_TYPE, msg[0]) == CDNA_MSG_SET_VLAN &&
		    FIELD_GET(CDNA_MSG_INFO, msg[0]) == CDNA_VLAN_INFO_ADD)
			v->vlan_refused++;
		reply |= CDNA_MSG_NACK;
		/*
		 * A refusal to a VF the host holds down lacks CTS like a "reset
		 * first" one: once the VF has read it, the buffer says "link
		 * down" again, or its driver would take it for a reset request.
		 */
		if (cdna_vf_held_down(v))
			v->down_note = true;
		dev_dbg(dev, "VF %d: %s (0x%08x) refused: %d\n", vf,
			cdna_mbx_type_name(FIELD_GET(CDNA_MSG_TYPE, msg[0])),
			msg[0], err);
	} else {
		reply |= CDNA_MSG_ACK;
	}
	mbx_write(pf, vf, &reply, 1);
	return true;
}

/* When the work must look again at a throttled VF's waiting work. */
static unsigned long mbx_next_wake(struct cdna_pf *pf)
{
	unsigned long next = 0;
	int vf;

	for (vf = 0; vf < pf->num_vfs; vf++) {
		const struct cdna_vf *v = &pf->vfs[vf];

		if (!(v->mbx_deferred || v->reset_pending) ||
		    !v->throttle_until)
			continue;
		if (!next || time_before(v->throttle_until, next))
			next = v->throttle_until;
	}
	return next;
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
	unsigned long busy = 0, req, flr, ack, active, next = 0;
	bool more = false;
	int round, vf;
	u32 mask, icr;

	mutex_lock(&pf->vf_lock);
	if (!pf->num_vfs || hw->gone)
		goto out;
	mask = GENMASK(pf->num_vfs - 1, 0);
	busy = pf->mbx_busy & mask;
	pf->mbx_busy = 0;
	for (vf = 0; vf < pf->num_vfs; vf++) {
		vf_reset_catch_up(pf, vf);
		if (pf->vfs[vf].mbx_deferred)
			busy |= BIT(vf);
	}

	for (round = 0; round < CDNA_MBX_ROUNDS; round++) {
		/* Resets first: a VF resets, then posts RESET. */
		flr = cdna_rd32(hw, CDNA_VFLRE) & mask;
		if (flr)
			cdna_wr32(hw, CDNA_VFLRE, flr);
		for_each_set_bit(vf, &flr, pf->num_vfs)
			vf_reset_event(pf, vf);

		icr = cdna_rd32(hw, CDNA_MBVFICR);
		if (hw->gone)
			goto out;
		req = FIELD_GET(CDNA_MBVFICR_REQ, icr) & mask;
		icr &= FIELD_PREP(CDNA_MBVFICR_REQ, mask) |
		       FIELD_PREP(CDNA_MBVFICR_ACK, mask);
		req |= busy;
		busy = 0;
		if (icr)
			cdna_wr32(hw, CDNA_MBVFICR, icr);
		/*
		 * An ACK: the VF read our message.  One the host disabled
		 * has now seen its link go down: its transmit side closes.
		 */
		ack = FIELD_GET(CDNA_MBVFICR_ACK, icr) & mask;
		for_each_set_bit(vf, &ack, pf->num_vfs) {
			cdna_vf_tx_grace_stop(pf, vf);
			if (pf->vfs[vf].down_note) {
				pf->vfs[vf].down_note = false;
				if (cdna_vf_held_down(&pf->vfs[vf]))
					cdna_mbx_ping_vf(pf, vf);
			}
		}
		/*
		 * Only VFs that may go on keep the work looping: a throttled
		 * one's resets and requests are noted in a few register
		 * accesses and wait for its back-off.
		 */
		active = 0;
		for_each_set_bit(vf, &req, pf->num_vfs) {
			if (!vf_throttled(pf, vf))
				active |= BIT(vf);
			if (!mbx_serve(pf, vf))
				busy |= BIT(vf);
		}
		for_each_set_bit(vf, &flr, pf->num_vfs)
			if (!vf_throttled(pf, vf))
				active |= BIT(vf);
		if (!active)
			break;
	}
	pf->mbx_busy = busy;
	more = round == CDNA_MBX_ROUNDS;
	next = mbx_next_wake(pf);
out:
	mutex_unlock(&pf->vf_lock);
	/*
	 * Still posting: come back soon; holding its buffer: a bit later;
	 * throttled with work waiting: when its back-off ends.
	 */
	if (more)
		mod_delayed_work(pf->wq, &pf->mbx_work, 1);
	else if (busy)
		mod_delayed_work(pf->wq, &pf->mbx_work, HZ / 10);
	else if (next)
		mod_delayed_work(pf->wq, &pf->mbx_work,
				 max_t(long, 1, (long)(next - jiffies)));
}
