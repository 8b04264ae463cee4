// SPDX-License-Identifier: GPL-2.0
/*
 * What several commands do with a context: read its policy and counters,
 * apply settings one by one and put back the old ones on a refusal, name
 * it, wait for the guard to have scrubbed it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"

/**
 * cdna_now - monotonic time in seconds
 *
 * Return: seconds since an arbitrary point.
 */
double cdna_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/**
 * cdna_nap - sleep a little, between two looks at something that changes
 * @ms: milliseconds, below 1000
 */
void cdna_nap(unsigned int ms)
{
	struct timespec ts = { .tv_nsec = (long)ms * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/**
 * cdna_ctx_name - "eth0/2 (0000:01:10.2)"
 * @t: the topology
 * @c: the context
 * @buf: where to put the name
 * @len: its size
 *
 * Return: @buf.
 */
const char *cdna_ctx_name(const struct cdna_topo *t,
			  const struct cdna_topo_ctx *c, char *buf, size_t len)
{
	const struct cdna_topo_pf *pf = &t->pf[c->pf];

	snprintf(buf, len, "%s/%u (%s)", pf->netdev[0] ? pf->netdev : pf->pci,
		 c->index, c->vf);
	return buf;
}

static int read_pf(struct cdna_nl *nl, const struct cdna_topo_pf *pf,
		   struct cdna_vf_info *info)
{
	int err;

	if (!pf->netdev[0]) {
		cdna_warn("PF %s has no netdev: no policy or counters", pf->pci);
		return -1;
	}
	err = cdna_nl_read(nl, pf->netdev, pf->numvfs, info);
	if (err < 0)
		cdna_warn("%s: rtnetlink: %s", pf->netdev, cdna_nl_strerror(err));
	return err;
}

/**
 * cdna_snap_load - every context with its policy and counters
 * @s: filled in; free with cdna_snap_free()
 * @nl: rtnetlink
 *
 * A PF that does not answer leaves its contexts without info (warned).
 *
 * Return: 0 or CDNA_EX_FAIL (said on stderr).
 */
int cdna_snap_load(struct cdna_snap *s, struct cdna_nl *nl)
{
	struct cdna_vf_info *pfinfo;
	unsigned int p, i;
	int ret;

	memset(s, 0, sizeof(*s));
	ret = cdna_topo_load(&s->topo);
	if (ret)
		return ret;
	s->info = calloc(s->topo.nctx + 1, sizeof(*s->info));
	s->has_info = calloc(s->topo.nctx + 1, sizeof(*s->has_info));
	pfinfo = calloc(CDNA_TOPO_MAX_CTX, sizeof(*pfinfo));
	if (!s->info || !s->has_info || !pfinfo) {
		free(pfinfo);
		cdna_snap_free(s);
		return cdna_err(CDNA_EX_FAIL, "out of memory");
	}
	for (p = 0; p < s->topo.npf; p++) {
		const struct cdna_topo_pf *pf = &s->topo.pf[p];

		if (!pf->numvfs || pf->numvfs > CDNA_TOPO_MAX_CTX ||
		    read_pf(nl, pf, pfinfo))
			continue;
		for (i = 0; i < s->topo.nctx; i++) {
			const struct cdna_topo_ctx *c = &s->topo.ctx[i];

			if (c->pf != p || c->index >= pf->numvfs)
				continue;
			s->info[i] = pfinfo[c->index];
			s->has_info[i] = true;
		}
	}
	free(pfinfo);
	return 0;
}

/**
 * cdna_snap_free - release a snapshot
 * @s: the snapshot
 */
void cdna_snap_free(struct cdna_snap *s)
{
	cdna_topo_free(&s->topo);
	free(s->info);
	free(s->has_info);
	s->info = NULL;
	s->has_info = NULL;
}

/**
 * cdna_read_policy - a context's current policy, in a form that can be
 *	applied back
 * @nl: rtnetlink
 * @t: the topology
 * @c: the context
 * @pol: every field; the MAC is zero unless the host set it
 *
 * Return: 0 or CDNA_EX_FAIL (said on stderr).
 */
int cdna_read_policy(struct cdna_nl *nl, const struct cdna_topo *t,
		     const struct cdna_topo_ctx *c, struct cdna_policy *pol)
{
	const struct cdna_topo_pf *pf = &t->pf[c->pf];
	struct cdna_vf_info *info;
	char name[64];

	if (pf->numvfs > CDNA_TOPO_MAX_CTX)
		return cdna_err(CDNA_EX_FAIL, "%s: too many contexts", pf->pci);
	info = calloc(pf->numvfs, sizeof(*info));
	if (!info)
		return cdna_err(CDNA_EX_FAIL, "out of memory");
	if (read_pf(nl, pf, info)) {
		free(info);
		return cdna_err(CDNA_EX_FAIL, "cannot read the policy of %s",
				cdna_ctx_name(t, c, name, sizeof(name)));
	}
	*pol = info[c->index].pol;
	free(info);
	/* A MAC the VF chose is not the host's: giving it back means 0. */
	if (cdna_ctx_admin_mac(t, c) == 0)
		memset(pol->mac, 0, sizeof(pol->mac));
	return 0;
}

/**
 * cdna_apply - apply settings to a context, one by one, in field order
 * @nl: rtnetlink
 * @t: the topology
 * @c: the context
 * @pol: the settings (@pol->mask)
 * @applied: CDNA_POL() bits of the settings the kernel took
 *
 * Stops at the first refusal, which it reports.
 *
 * Return: 0 or CDNA_EX_FAIL.
 */
int cdna_apply(struct cdna_nl *nl, const struct cdna_topo *t,
	       const struct cdna_topo_ctx *c, const struct cdna_policy *pol,
	       unsigned int *applied)
{
	const struct cdna_topo_pf *pf = &t->pf[c->pf];
	char name[64], what[64];
	int f, err;

	*applied = 0;
	for (f = 0; f < CDNA_POL_NR; f++) {
		if (!(pol->mask & CDNA_POL(f)))
			continue;
		err = cdna_nl_set(nl, pf->netdev, c->index, pol, f);
		if (err < 0) {
			cdna_policy_describe(pol, f, what, sizeof(what));
			return cdna_err(CDNA_EX_FAIL,
					"%s: %s: refused by the kernel: %s",
					cdna_ctx_name(t, c, name, sizeof(name)),
					what, cdna_nl_strerror(err));
		}
		*applied |= CDNA_POL(f);
	}
	return 0;
}

/**
 * cdna_undo - put back the settings cdna_apply() changed
 * @nl: rtnetlink
 * @t: the topology
 * @c: the context
 * @old: the settings before (cdna_read_policy())
 * @applied: what cdna_apply() reported applied
 */
void cdna_undo(struct cdna_nl *nl, const struct cdna_topo *t,
	       const struct cdna_topo_ctx *c, const struct cdna_policy *old,
	       unsigned int applied)
{
	const struct cdna_topo_pf *pf = &t->pf[c->pf];
	char name[64], what[64];
	int f, err;

	for (f = CDNA_POL_NR - 1; f >= 0; f--) {
		if (!(applied & CDNA_POL(f)))
			continue;
		err = cdna_nl_set(nl, pf->netdev, c->index, old, f);
		if (err < 0) {
			cdna_policy_describe(old, f, what, sizeof(what));
			cdna_warn("%s: could not put back %s: %s",
				  cdna_ctx_name(t, c, name, sizeof(name)), what,
				  cdna_nl_strerror(err));
		}
	}
}

/**
 * cdna_check_rate - a rate no faster than the PF's link
 * @pf: the PF
 * @pol: the settings
 *
 * Return: 0 or CDNA_EX_INVALID (said on stderr).  Unknown link speed
 * (no link yet) leaves the check to the driver.
 */
int cdna_check_rate(const struct cdna_topo_pf *pf,
		    const struct cdna_policy *pol)
{
	int speed = cdna_pf_link_speed(pf);

	if (!(pol->mask & CDNA_POL(CDNA_POL_RATE)) || speed <= 0 ||
	    pol->rate <= (unsigned int)speed)
		return 0;
	return cdna_err(CDNA_EX_INVALID,
			"invalid rate '%u': above the link speed of %s (%d Mbit/s)",
			pol->rate, pf->netdev, speed);
}

/**
 * cdna_parse_timeout - a --timeout value, 1 to 3600 seconds
 * @s: the text
 * @secs: the value
 *
 * Return: 0 or CDNA_EX_INVALID (said on stderr).
 */
int cdna_parse_timeout(const char *s, unsigned int *secs)
{
	unsigned long v;
	const char *why;

	if (cdna_parse_uint(s, 3600, &v, &why) || !v)
		return cdna_err(CDNA_EX_INVALID,
				"invalid timeout '%s': 1 to 3600 seconds", s);
	*secs = (unsigned int)v;
	return 0;
}

/**
 * cdna_check_owner - a domain name the guard's ledger can hold as owner
 * @name: the domain name
 * @owner: the same name, to write into the ledger
 *
 * Refused, not cut or folded: cdna_parse_owner() says why.
 *
 * Return: 0 or CDNA_EX_NAME (said on stderr).
 */
int cdna_check_owner(const char *name, char owner[CDNA_OWNER_LEN])
{
	const char *why;
	char q[96];

	if (!cdna_parse_owner(name, owner, &why))
		return 0;
	return cdna_err(CDNA_EX_NAME,
			"domain name '%s' (%zu bytes) refused: %s; a context's owner in the guard's ledger is 1 to 63 bytes of printable ASCII (rename the domain): nothing changed",
			cdna_quote(name, q, sizeof(q)), strlen(name), why);
}

/**
 * cdna_wait_free - wait for the guard to have scrubbed a context
 * @c: the context (refreshed)
 * @deadline: cdna_now() by which it must read "free"
 *
 * Return: 0 (free, or not bound to the guard), CDNA_EX_FAIL
 * (quarantined: the scrub failed) or CDNA_EX_TIMEOUT; the failures are
 * said on stderr.
 */
int cdna_wait_free(struct cdna_topo_ctx *c, double deadline)
{
	for (;;) {
		cdna_ctx_refresh(c);
		if (!cdna_ctx_on_guard(c) ||
		    cdna_ctx_in_state(c, CDNA_GUARD_FREE))
			return 0;
		if (cdna_ctx_in_state(c, CDNA_GUARD_QUARANTINED))
			return cdna_err(CDNA_EX_FAIL,
					"%s is quarantined: the guard's scrub failed (see the kernel log; unbind and bind it to retry)",
					c->vf);
		if (cdna_now() >= deadline)
			return cdna_err(CDNA_EX_TIMEOUT,
					"%s still reads '%s' in the guard's ledger: not scrubbed in time",
					c->vf, c->gstate);
		cdna_nap(100);
	}
}

/**
 * cdna_set_owner - write a context's owner name in the guard's ledger
 * @t: the topology
 * @c: the context, bound to vmm_guard
 * @owner: the name, "" to clear it
 *
 * Return: 0 or CDNA_EX_FAIL (said on stderr).
 */
int cdna_set_owner(const struct cdna_topo *t, struct cdna_topo_ctx *c,
		   const char *owner)
{
	char name[64];
	int err = cdna_ledger_set_owner(c->vf, owner);

	if (err)
		return cdna_err(CDNA_EX_FAIL, "%s: cannot write the owner '%s': %s",
				cdna_ctx_name(t, c, name, sizeof(name)), owner,
				strerror(-err));
	snprintf(c->owner, CDNA_OWNER_LEN, "%s", owner);
	return 0;
}
