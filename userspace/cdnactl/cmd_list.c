// SPDX-License-Identifier: GPL-2.0
/*
 * cdnactl list: every context of every PF driven by cdna_pf, who holds
 * it, its protection mode, its policy and counters, and for a context in
 * software mode its mediated device and the guard's descriptor counters
 * (a second line in the table, the "sw" object in JSON).  cdnactl stats: their packet and byte
 * rates, refreshed like top.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "json.h"
#include "parse.h"

static const char *pf_label(const struct cdna_topo_pf *pf)
{
	return pf->netdev[0] ? pf->netdev : "-";
}

static const char *or_dash(const char *s)
{
	return s[0] ? s : "-";
}

static const char *or_null(const char *s)
{
	return s[0] ? s : NULL;
}

static void list_row(const struct cdna_snap *s, unsigned int i)
{
	const struct cdna_topo_ctx *c = &s->topo.ctx[i];
	const struct cdna_topo_pf *pf = &s->topo.pf[c->pf];
	const struct cdna_vf_info *v = &s->info[i];
	char state[CDNA_DRIVER_LEN + 8], mac[CDNA_MAC_LEN];

	printf("%-8s %-12s %3u %-12s %-5s %-14s %-16s ", pf_label(pf), pf->pci,
	       c->index, c->vf, or_dash(c->mode),
	       cdna_ctx_state(c, state, sizeof(state)),
	       or_dash(cdna_ctx_holder(c)));
	if (!s->has_info[i]) {
		printf("-\n");
	} else {
		cdna_format_mac(v->pol.mac, mac);
		printf("%-17s %4u %3u %-5s %-8s %-7s %5u %10" PRIu64 " %12"
		       PRIu64 " %10" PRIu64 " %12" PRIu64 "\n", mac, v->pol.vlan,
		       v->pol.qos, v->pol.trust ? "on" : "off",
		       v->pol.spoofchk ? "on" : "off",
		       cdna_state_name(v->pol.state), v->pol.rate,
		       v->rx_packets, v->rx_bytes, v->tx_packets, v->tx_bytes);
	}
	cdna_sw_line(stdout, &c->sw);
}

static void list_table(const struct cdna_snap *s)
{
	unsigned int i;

	printf("%-8s %-12s %3s %-12s %-5s %-14s %-16s %-17s %4s %3s %-5s %-8s %-7s %5s %10s %12s %10s %12s\n",
	       "PF", "PF_PCI", "CTX", "VF", "MODE", "STATE", "OWNER", "MAC",
	       "VLAN", "QOS", "TRUST", "SPOOFCHK", "LINK", "RATE", "RX_PACKETS",
	       "RX_BYTES", "TX_PACKETS", "TX_BYTES");
	for (i = 0; i < s->topo.nctx; i++)
		list_row(s, i);
}

static void json_ctx_id(struct cdna_json *j, const struct cdna_topo *t,
			const struct cdna_topo_ctx *c)
{
	const struct cdna_topo_pf *pf = &t->pf[c->pf];

	cdna_json_kv_str(j, "pf", or_null(pf->netdev));
	cdna_json_kv_str(j, "pf_pci", pf->pci);
	cdna_json_kv_u64(j, "index", c->index);
	cdna_json_kv_str(j, "vf", c->vf);
}

static void json_policy(struct cdna_json *j, const struct cdna_vf_info *v,
			bool valid)
{
	static const char * const keys[] = {
		"mac", "vlan", "qos", "trust", "spoofchk", "link_state", "rate",
		"rx_packets", "rx_bytes", "tx_packets", "tx_bytes",
	};
	char mac[CDNA_MAC_LEN];
	size_t k;

	if (!valid) {
		for (k = 0; k < ARRAY_SIZE(keys); k++)
			cdna_json_kv_str(j, keys[k], NULL);
		return;
	}
	cdna_format_mac(v->pol.mac, mac);
	cdna_json_kv_str(j, "mac", mac);
	cdna_json_kv_u64(j, "vlan", v->pol.vlan);
	cdna_json_kv_u64(j, "qos", v->pol.qos);
	cdna_json_kv_bool(j, "trust", v->pol.trust);
	cdna_json_kv_bool(j, "spoofchk", v->pol.spoofchk);
	cdna_json_kv_str(j, "link_state", cdna_state_name(v->pol.state));
	cdna_json_kv_u64(j, "rate", v->pol.rate);
	cdna_json_kv_u64(j, "rx_packets", v->rx_packets);
	cdna_json_kv_u64(j, "rx_bytes", v->rx_bytes);
	cdna_json_kv_u64(j, "tx_packets", v->tx_packets);
	cdna_json_kv_u64(j, "tx_bytes", v->tx_bytes);
}

static void list_json(const struct cdna_snap *s)
{
	char state[CDNA_DRIVER_LEN + 8];
	struct cdna_json j;
	unsigned int i;

	cdna_json_init(&j, stdout);
	cdna_json_begin_array(&j);
	for (i = 0; i < s->topo.nctx; i++) {
		const struct cdna_topo_ctx *c = &s->topo.ctx[i];

		cdna_json_begin_object(&j);
		json_ctx_id(&j, &s->topo, c);
		cdna_json_kv_str(&j, "driver", or_null(c->driver));
		cdna_json_kv_str(&j, "mode", or_null(c->mode));
		cdna_json_kv_str(&j, "state",
				 cdna_ctx_state(c, state, sizeof(state)));
		cdna_json_kv_str(&j, "owner", or_null(cdna_ctx_holder(c)));
		json_policy(&j, &s->info[i], s->has_info[i]);
		cdna_sw_json(&j, &c->sw);
		cdna_json_end_object(&j);
	}
	cdna_json_end_array(&j);
	putchar('\n');
}

static const struct option json_options[] = {
	{ "json", no_argument, NULL, 'j' },
	CDNA_HELP_OPTION,
	{ NULL, 0, NULL, 0 }
};

/**
 * cmd_list - cdnactl list [-j]
 * @argc: argument count
 * @argv: arguments
 * @o: global options
 *
 * Return: exit status.
 */
int cmd_list(int argc, char **argv, const struct cdna_opts *o)
{
	struct cdna_snap s;
	struct cdna_nl *nl;
	bool json = false;
	int opt, ret;

	(void)o;
	while ((opt = getopt_long(argc, argv, "jh", json_options, NULL)) != -1) {
		if (opt == 'j')
			json = true;
		else
			return cdna_help("list", opt == 'h' ? 0 : CDNA_EX_USAGE);
	}
	if (optind != argc)
		return cdna_help("list", CDNA_EX_USAGE);
	nl = cdna_nl_open();
	if (!nl)
		return cdna_err(CDNA_EX_FAIL, "cannot open rtnetlink");
	ret = cdna_snap_load(&s, nl);
	if (!ret) {
		if (json)
			list_json(&s);
		else
			list_table(&s);
		cdna_snap_free(&s);
	}
	cdna_nl_close(nl);
	return ret;
}

/* Counters of one sample, per context, for the rates of the next. */
struct sample {
	struct cdna_snap snap;
	double at;
};

static const struct cdna_vf_info *before(const struct sample *prev,
					 const char *vf)
{
	unsigned int i;

	for (i = 0; i < prev->snap.topo.nctx; i++)
		if (prev->snap.has_info[i] && !strcmp(prev->snap.topo.ctx[i].vf, vf))
			return &prev->snap.info[i];
	return NULL;
}

/* Per second; 0 when the counter went back (the context was re-created). */
static uint64_t rate(uint64_t now, const uint64_t *then, double secs)
{
	if (!then || now < *then || secs <= 0)
		return 0;
	return (uint64_t)((double)(now - *then) / secs + 0.5);
}

struct rates {
	uint64_t rx_pps, tx_pps, rx_bps, tx_bps;
};

static struct rates rates_of(const struct cdna_vf_info *v,
			     const struct cdna_vf_info *b, double secs)
{
	struct rates r = {
		.rx_pps = rate(v->rx_packets, b ? &b->rx_packets : NULL, secs),
		.tx_pps = rate(v->tx_packets, b ? &b->tx_packets : NULL, secs),
		.rx_bps = rate(v->rx_bytes, b ? &b->rx_bytes : NULL, secs),
		.tx_bps = rate(v->tx_bytes, b ? &b->tx_bytes : NULL, secs),
	};

	return r;
}

static void stats_json(const struct sample *cur, const struct sample *prev)
{
	double secs = cur->at - prev->at;
	const struct cdna_snap *s = &cur->snap;
	struct cdna_json j;
	struct rates r;
	unsigned int i;

	cdna_json_init(&j, stdout);
	cdna_json_begin_array(&j);
	for (i = 0; i < s->topo.nctx; i++) {
		const struct cdna_vf_info *v = &s->info[i];

		if (!s->has_info[i])
			continue;
		r = rates_of(v, before(prev, s->topo.ctx[i].vf), secs);
		cdna_json_begin_object(&j);
		json_ctx_id(&j, &s->topo, &s->topo.ctx[i]);
		cdna_json_kv_u64(&j, "rx_packets", v->rx_packets);
		cdna_json_kv_u64(&j, "rx_bytes", v->rx_bytes);
		cdna_json_kv_u64(&j, "tx_packets", v->tx_packets);
		cdna_json_kv_u64(&j, "tx_bytes", v->tx_bytes);
		cdna_json_kv_u64(&j, "rx_packets_per_s", r.rx_pps);
		cdna_json_kv_u64(&j, "rx_bytes_per_s", r.rx_bps);
		cdna_json_kv_u64(&j, "tx_packets_per_s", r.tx_pps);
		cdna_json_kv_u64(&j, "tx_bytes_per_s", r.tx_bps);
		cdna_json_end_object(&j);
	}
	cdna_json_end_array(&j);
	putchar('\n');
}

static void stats_table(const struct sample *cur, const struct sample *prev,
			unsigned int n, unsigned int count)
{
	double secs = cur->at - prev->at;
	const struct cdna_snap *s = &cur->snap;
	struct rates r, sum = { 0 };
	unsigned int i;

	if (isatty(STDOUT_FILENO))
		printf("\033[H\033[2J");
	if (count)
		printf("cdnactl stats: sample %u/%u, over %.1f s\n", n, count,
		       secs);
	else
		printf("cdnactl stats: sample %u, over %.1f s\n", n, secs);
	printf("%-8s %3s %-12s %10s %10s %12s %12s %12s %12s %14s %14s\n",
	       "PF", "CTX", "VF", "RX_PKT/S", "TX_PKT/S", "RX_BYTES/S",
	       "TX_BYTES/S", "RX_PACKETS", "TX_PACKETS", "RX_BYTES", "TX_BYTES");
	for (i = 0; i < s->topo.nctx; i++) {
		const struct cdna_topo_ctx *c = &s->topo.ctx[i];
		const struct cdna_vf_info *v = &s->info[i];

		if (!s->has_info[i])
			continue;
		r = rates_of(v, before(prev, c->vf), secs);
		sum.rx_pps += r.rx_pps;
		sum.tx_pps += r.tx_pps;
		sum.rx_bps += r.rx_bps;
		sum.tx_bps += r.tx_bps;
		printf("%-8s %3u %-12s %10" PRIu64 " %10" PRIu64 " %12" PRIu64
		       " %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %14" PRIu64
		       " %14" PRIu64 "\n", pf_label(&s->topo.pf[c->pf]), c->index,
		       c->vf, r.rx_pps, r.tx_pps, r.rx_bps, r.tx_bps,
		       v->rx_packets, v->tx_packets, v->rx_bytes, v->tx_bytes);
	}
	printf("%-8s %3s %-12s %10" PRIu64 " %10" PRIu64 " %12" PRIu64 " %12"
	       PRIu64 "\n", "total", "", "", sum.rx_pps, sum.tx_pps, sum.rx_bps,
	       sum.tx_bps);
}

static int take(struct sample *smp, struct cdna_nl *nl)
{
	smp->at = cdna_now();
	return cdna_snap_load(&smp->snap, nl);
}

static void wait_seconds(unsigned int secs)
{
	struct timespec ts = { .tv_sec = secs };

	while (nanosleep(&ts, &ts))
		;
}

static int stats_loop(struct cdna_nl *nl, unsigned int wait, unsigned int count,
		      bool json)
{
	struct sample a, b, *prev = &a, *cur = &b, *tmp;
	unsigned int n;
	int ret;

	ret = take(prev, nl);
	for (n = 1; !ret && (!count || n <= count); n++) {
		wait_seconds(wait);
		ret = take(cur, nl);
		if (ret)
			break;
		if (json)
			stats_json(cur, prev);
		else
			stats_table(cur, prev, n, count);
		fflush(stdout);
		cdna_snap_free(&prev->snap);
		tmp = prev;
		prev = cur;
		cur = tmp;
	}
	cdna_snap_free(&prev->snap);
	return ret;
}

static const struct option stats_options[] = {
	{ "wait", required_argument, NULL, 'w' },
	{ "count", required_argument, NULL, 'c' },
	{ "json", no_argument, NULL, 'j' },
	CDNA_HELP_OPTION,
	{ NULL, 0, NULL, 0 }
};

/**
 * cmd_stats - cdnactl stats [-w SECONDS] [-c COUNT] [-j]
 * @argc: argument count
 * @argv: arguments
 * @o: global options
 *
 * Return: exit status.
 */
int cmd_stats(int argc, char **argv, const struct cdna_opts *o)
{
	unsigned long wait = 1, count = 0;
	struct cdna_nl *nl;
	const char *why;
	bool json = false;
	int opt, ret;

	(void)o;
	while ((opt = getopt_long(argc, argv, "w:c:jh", stats_options, NULL)) != -1) {
		switch (opt) {
		case 'w':
			if (cdna_parse_uint(optarg, 3600, &wait, &why) || !wait)
				return cdna_err(CDNA_EX_INVALID,
						"invalid interval '%s': 1 to 3600 seconds",
						optarg);
			break;
		case 'c':
			if (cdna_parse_uint(optarg, 1000000, &count, &why))
				return cdna_err(CDNA_EX_INVALID,
						"invalid count '%s': 0 (until interrupted) to 1000000",
						optarg);
			break;
		case 'j':
			json = true;
			break;
		default:
			return cdna_help("stats", opt == 'h' ? 0 : CDNA_EX_USAGE);
		}
	}
	if (optind != argc)
		return cdna_help("stats", CDNA_EX_USAGE);
	nl = cdna_nl_open();
	if (!nl)
		return cdna_err(CDNA_EX_FAIL, "cannot open rtnetlink");
	ret = stats_loop(nl, (unsigned int)wait, (unsigned int)count, json);
	cdna_nl_close(nl);
	return ret;
}
