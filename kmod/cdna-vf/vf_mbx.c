// SPDX-License-Identifier: GPL-2.0
/*
 * The VF side of the 82576 PF/VF mailbox: buffer ownership, posted
 * requests, the reset handshake and the PF's unsolicited messages.
 *
 * Timeouts are in wall-clock milliseconds and generous: under QEMU TCG a
 * vCPU can stall for a second, and the in-tree igbvf's microsecond loops
 * then give up on a PF that is merely slow.  A failed transaction is not
 * fatal: it asks the service task for a new reset handshake, retried from
 * the watchdog until the PF answers.
 */
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/jiffies.h>

#include "vf.h"

/* How long to wait for each step, in milliseconds. */
#define MBX_LOCK_MS		100	/* to own the buffer */
#define MBX_ACK_MS		3000	/* for the PF to take a request */
#define MBX_REPLY_MS		3000	/* for the PF's answer */
#define MBX_RST_SETTLE_MS	1000	/* for RSTI to drop after CTRL.RST */
#define MBX_STRAY_MAX		4	/* PF messages tolerated before a reply */

/* How long to sleep between looks while waiting. */
#define MBX_LOCK_POLL_MIN_US	500	/* VFU not granted: retry after */
#define MBX_LOCK_POLL_MAX_US	1000	/* ... and at most this late */
#define MBX_WAIT_POLL_MIN_US	200	/* no PFACK/PFSTS yet: look after */
#define MBX_WAIT_POLL_MAX_US	400	/* ... and at most this late */
#define MBX_RST_POLL_MS		20	/* RSTI still set after CTRL.RST */

/* V2PMAILBOX, with the read-to-clear bits seen before kept in vf->v2p. */
static u32 v2p_read(struct cdna_vf_priv *vf)
{
	u32 v = cdna_vf_rd32(&vf->hw, CDNA_VF_V2PMAILBOX);

	lockdep_assert_held(&vf->mbx_lock);
	if (vf->hw.gone)
		return 0;
	vf->v2p |= v & CDNA_V2P_R2C_BITS;
	return v | vf->v2p;
}

/* Consume the read-to-clear bits of @mask; say whether one was set. */
static bool v2p_take(struct cdna_vf_priv *vf, u32 mask)
{
	bool hit = v2p_read(vf) & mask;

	vf->v2p &= ~mask;
	return hit;
}

static int mbx_own(struct cdna_vf_priv *vf)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(MBX_LOCK_MS);

	do {
		cdna_vf_wr32(&vf->hw, CDNA_VF_V2PMAILBOX, CDNA_V2P_VFU);
		if (v2p_read(vf) & CDNA_V2P_VFU)
			return 0;
		if (vf->hw.gone)
			return -ENODEV;
		usleep_range(MBX_LOCK_POLL_MIN_US, MBX_LOCK_POLL_MAX_US);
	} while (time_before(jiffies, deadline));
	return -EBUSY;
}

static int mbx_write(struct cdna_vf_priv *vf, const u32 *msg, unsigned int n)
{
	unsigned int i;
	int err;

	err = mbx_own(vf);
	if (err)
		return err;
	/* What the PF said before is overwritten with the buffer. */
	vf->v2p &= ~(CDNA_V2P_PFACK | CDNA_V2P_PFSTS);
	for (i = 0; i < n; i++)
		cdna_vf_wr32(&vf->hw, CDNA_VF_VMBMEM(i), msg[i]);
	/* Writing REQ alone also gives the buffer back (VFU = 0). */
	cdna_vf_wr32(&vf->hw, CDNA_VF_V2PMAILBOX, CDNA_V2P_REQ);
	vf->mbx_stats.tx++;
	return 0;
}

static int mbx_read(struct cdna_vf_priv *vf, u32 *msg, unsigned int n)
{
	unsigned int i;
	int err;

	err = mbx_own(vf);
	if (err)
		return err;
	for (i = 0; i < n; i++)
		msg[i] = cdna_vf_rd32(&vf->hw, CDNA_VF_VMBMEM(i));
	cdna_vf_wr32(&vf->hw, CDNA_VF_V2PMAILBOX, CDNA_V2P_ACK);
	vf->mbx_stats.rx++;
	return 0;
}

/* The PF forgot us (reset, lost CTS): the service task must reset. */
static void mbx_lost_pf(struct cdna_vf_priv *vf, const char *why)
{
	if (test_and_clear_bit(CDNA_VF_S_HW_READY, vf->state)) {
		vf->mbx_stats.pf_resets++;
		netdev_info(vf->netdev, "PF link to the VF lost (%s): resetting\n",
			    why);
	}
	set_bit(CDNA_VF_S_RESET_REQ, vf->state);
}

/*
 * The PF serves us without CTS: the host holds our link down (cdna_pf's
 * "state disable"), or a PF such as the in-tree igb no longer counts us
 * as reset; the service task redoes the handshake if it lasts.
 */
static void mbx_pf_down(struct cdna_vf_priv *vf)
{
	if (!test_and_set_bit(CDNA_VF_S_PF_DOWN, vf->state))
		vf->pf_down_at = jiffies;
}

/* A message the PF sent on its own (not the answer we wait for). */
static void mbx_handle_pf_msg(struct cdna_vf_priv *vf, u32 w0)
{
	u16 type = FIELD_GET(CDNA_MSG_TYPE, w0);

	if (type == CDNA_MSG_PF_CONTROL) {
		/*
		 * Link or state change.  With CTS all is well; without it a
		 * NACK means the PF wants a reset, no NACK that the host
		 * holds the link down (ip link set PF vf N state disable):
		 * carrier off, no reset, until a message with CTS.
		 */
		if (w0 & CDNA_MSG_CTS)
			clear_bit(CDNA_VF_S_PF_DOWN, vf->state);
		else if (w0 & CDNA_MSG_NACK)
			mbx_lost_pf(vf, "PF control message without CTS");
		else
			mbx_pf_down(vf);
		return;
	}
	if (w0 & CDNA_MSG_CTS)
		clear_bit(CDNA_VF_S_PF_DOWN, vf->state);
	/* A bare NACK without CTS: the PF no longer takes our requests. */
	if ((w0 & CDNA_MSG_NACK) && !(w0 & CDNA_MSG_CTS))
		mbx_lost_pf(vf, "NACK without CTS");
}

static int mbx_wait(struct cdna_vf_priv *vf, u32 bit, unsigned int ms)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(ms);

	for (;;) {
		u32 v = v2p_read(vf);

		if (v & bit) {
			vf->v2p &= ~bit;
			return 0;
		}
		if (vf->hw.gone)
			return -ENODEV;
		/* A PF that starts resetting will not answer: give up now. */
		if (v & CDNA_V2P_RSTI)
			return -ECONNRESET;
		if (time_after(jiffies, deadline))
			break;
		usleep_range(MBX_WAIT_POLL_MIN_US, MBX_WAIT_POLL_MAX_US);
	}
	/* One last look: the deadline may have passed during a stall. */
	return v2p_take(vf, bit) ? 0 : -ETIMEDOUT;
}

/* Read a PF message that is waiting, so that a request cannot clobber it. */
static void mbx_drain(struct cdna_vf_priv *vf)
{
	u32 w0;

	if (v2p_take(vf, CDNA_V2P_PFSTS) && !mbx_read(vf, &w0, 1))
		mbx_handle_pf_msg(vf, w0);
}

/*
 * Send @msg and wait for the PF's answer to it in @reply.  Messages the
 * PF sends meanwhile are handled, not taken for the answer.
 */
static int mbx_transact(struct cdna_vf_priv *vf, const u32 *msg,
			unsigned int n, u32 *reply, unsigned int nreply)
{
	u16 type = FIELD_GET(CDNA_MSG_TYPE, msg[0]);
	unsigned int stray;
	int err;

	lockdep_assert_held(&vf->mbx_lock);
	mbx_drain(vf);
	err = mbx_write(vf, msg, n);
	if (err)
		return err;
	err = mbx_wait(vf, CDNA_V2P_PFACK, MBX_ACK_MS);
	if (err)
		goto timeout;
	for (stray = 0; stray < MBX_STRAY_MAX; stray++) {
		err = mbx_wait(vf, CDNA_V2P_PFSTS, MBX_REPLY_MS);
		if (err)
			goto timeout;
		err = mbx_read(vf, reply, nreply);
		if (err)
			return err;
		if (FIELD_GET(CDNA_MSG_TYPE, reply[0]) == type &&
		    reply[0] & (CDNA_MSG_ACK | CDNA_MSG_NACK))
			return 0;
		mbx_handle_pf_msg(vf, reply[0]);
	}
	err = -EPROTO;
timeout:
	if (err == -ETIMEDOUT)
		vf->mbx_stats.timeouts++;
	return err;
}

/**
 * cdna_vf_mbx_request - send a configuration request to the PF
 * @vf: the VF
 * @req: the request (type and its fields)
 *
 * Context: process, may sleep for seconds; RTNL may be held.
 * Return: 0 when the PF acked, -EPERM when it refused (NACK), -EAGAIN
 * when the VF has not completed a reset handshake, -ETIMEDOUT or another
 * errno when the mailbox failed (a reset is then requested).
 */
int cdna_vf_mbx_request(struct cdna_vf_priv *vf, const struct cdna_mbx_req *req)
{
	u32 msg[CDNA_MBX_WORDS], reply[CDNA_MBX_WORDS];
	unsigned int n;
	int err;

	n = cdna_mbx_encode(req, msg);
	mutex_lock(&vf->mbx_lock);
	if (!test_bit(CDNA_VF_S_HW_READY, vf->state)) {
		err = -EAGAIN;
		goto unlock;
	}
	err = mbx_transact(vf, msg, n, reply, 1);
	/*
	 * A PF message written right after our request, before the PF read
	 * it, overwrites it (the buffer is shared; igb pings all VFs on link
	 * changes): the request is lost, not refused.  Requests are
	 * idempotent, so send it once more before giving up on the PF.
	 */
	if (err == -ETIMEDOUT)
		err = mbx_transact(vf, msg, n, reply, 1);
	if (err) {
		mbx_lost_pf(vf, "request not answered");
		goto unlock;
	}
	if (reply[0] & CDNA_MSG_NACK) {
		vf->mbx_stats.nacks++;
		err = -EPERM;
	}
	/*
	 * Without CTS: a NACK says the PF forgot our reset, an ACK that it
	 * serves us with the link held down.
	 */
	if (reply[0] & CDNA_MSG_CTS)
		clear_bit(CDNA_VF_S_PF_DOWN, vf->state);
	else if (!(reply[0] & CDNA_MSG_NACK))
		mbx_pf_down(vf);
	else if (!test_bit(CDNA_VF_S_PF_DOWN, vf->state))
		mbx_lost_pf(vf, "reply without CTS");
	/*
	 * A NACK while the host holds our link down is a refusal like any
	 * other: a PF that forgot us says so with PF_CONTROL|NACK.
	 */
unlock:
	mutex_unlock(&vf->mbx_lock);
	if (err && err != -EPERM)
		netdev_dbg(vf->netdev, "mailbox %s: %d\n",
			   cdna_mbx_type_name(req->type), err);
	return err;
}

/**
 * cdna_vf_mbx_reset_hw - reset the VF and redo the handshake with the PF
 * @vf: the VF; its queues must be stopped
 * @mac: six bytes: the address the PF gave, or zero after a NACK
 *
 * Resets the VF's queues and interrupts (CTRL.RST), then sends RESET and
 * reads the PF's answer.  On success the VF is clear to send.
 *
 * Context: process, may sleep for seconds; RTNL not needed.
 * Return: 0, -EAGAIN when the PF is still in reset (RSTI), -ETIMEDOUT
 * when it does not answer, -EPROTO for a malformed answer, -ENODEV when
 * the function is gone.
 */
int cdna_vf_mbx_reset_hw(struct cdna_vf_priv *vf, u8 *mac)
{
	u32 msg[CDNA_MBX_WORDS] = { CDNA_MSG_RESET };
	u32 reply[CDNA_RESET_REPLY_WORDS];
	unsigned long deadline;
	u32 type;
	int err;

	mutex_lock(&vf->mbx_lock);
	clear_bit(CDNA_VF_S_HW_READY, vf->state);
	eth_zero_addr(mac);
	if (v2p_read(vf) & CDNA_V2P_RSTI) {
		err = vf->hw.gone ? -ENODEV : -EAGAIN;
		goto unlock;
	}

	cdna_vf_wr32(&vf->hw, CDNA_VF_CTRL, CDNA_VF_CTRL_RST);
	/* Bits latched before the reset belong to the previous session. */
	vf->v2p = 0;
	deadline = jiffies + msecs_to_jiffies(MBX_RST_SETTLE_MS);
	while (cdna_vf_rd32(&vf->hw, CDNA_VF_V2PMAILBOX) & CDNA_V2P_RSTI) {
		if (vf->hw.gone || time_after(jiffies, deadline)) {
			err = vf->hw.gone ? -ENODEV : -EAGAIN;
			goto unlock;
		}
		msleep(MBX_RST_POLL_MS);
	}
	vf->v2p = 0;

	err = mbx_transact(vf, msg, 1, reply, ARRAY_SIZE(reply));
	if (err == -ECONNRESET)		/* the PF started a reset meanwhile */
		err = -EAGAIN;
	if (err)
		goto unlock;

	type = reply[0] & ~CDNA_MSG_CTS;
	if (type == (CDNA_MSG_RESET | CDNA_MSG_ACK)) {
		cdna_mbx_get_mac(&reply[1], mac);
		if (!cdna_mbx_mac_valid(mac))
			eth_zero_addr(mac);
	} else if (type != (CDNA_MSG_RESET | CDNA_MSG_NACK)) {
		err = -EPROTO;
		goto unlock;
	}
	vf->mbx_stats.resets++;
	set_bit(CDNA_VF_S_HW_READY, vf->state);
unlock:
	mutex_unlock(&vf->mbx_lock);
	return err;
}

/*
 * After RSTD without RSTI: the PF finished a reset we may have missed, or
 * merely rewrote CTRL_EXT.  The last message in the buffer tells: a PF
 * that was reset has cleared it or told us to reset; our own reset reply,
 * any message with CTS, an ACK or a bare PF_CONTROL (the host holds our
 * link down) means we are still in good standing.
 */
static bool mbx_still_cts(struct cdna_vf_priv *vf)
{
	u32 w0;

	if (mbx_own(vf))
		return true;	/* PF busy with the buffer: look again later */
	w0 = cdna_vf_rd32(&vf->hw, CDNA_VF_VMBMEM(0));
	cdna_vf_wr32(&vf->hw, CDNA_VF_V2PMAILBOX, 0);
	if (w0 & CDNA_MSG_CTS)
		return true;
	/* The host holding our link down is no reset either. */
	if (w0 == CDNA_MSG_PF_CONTROL || (w0 & CDNA_MSG_ACK))
		return true;
	return false;
}

/**
 * cdna_vf_mbx_poll - look at the mailbox for what the PF did or said
 * @vf: the VF
 *
 * Called from the service task on every watchdog tick and after a
 * mailbox interrupt.  Notes a PF reset (RSTI, RSTD) or lost CTS by
 * clearing HW_READY and setting RESET_REQ.
 *
 * Context: process; RTNL not needed.
 */
void cdna_vf_mbx_poll(struct cdna_vf_priv *vf)
{
	u32 v;

	mutex_lock(&vf->mbx_lock);
	v = v2p_read(vf);
	if (vf->hw.gone)
		goto unlock;
	if (v & CDNA_V2P_RSTI) {
		vf->v2p &= ~CDNA_V2P_RSTD;
		mbx_lost_pf(vf, "PF reset in progress");
		goto unlock;
	}
	if (v2p_take(vf, CDNA_V2P_RSTD) &&
	    test_bit(CDNA_VF_S_HW_READY, vf->state) && !mbx_still_cts(vf))
		mbx_lost_pf(vf, "PF reset done");
	mbx_drain(vf);
unlock:
	mutex_unlock(&vf->mbx_lock);
}

/**
 * cdna_vf_mbx_get_stats - a consistent copy of the mailbox counters
 * @vf: the VF
 * @stats: written
 */
void cdna_vf_mbx_get_stats(struct cdna_vf_priv *vf,
			   struct cdna_vf_mbx_stats *stats)
{
	mutex_lock(&vf->mbx_lock);
	*stats = vf->mbx_stats;
	mutex_unlock(&vf->mbx_lock);
}
