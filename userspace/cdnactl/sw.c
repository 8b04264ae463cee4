// SPDX-License-Identifier: GPL-2.0
/*
 * A software-mode context's ledger counters (see sw.h): read from the
 * ledger directory, /sys/bus/pci/devices/VF/guard/ (the files named in
 * cdna_sysfs_abi.h, described in docs/abi/sysfs-bus-pci-guard), shown
 * as one line under the context's row of list and as the "sw" object of
 * list -j, whose keys are the ledger's file names.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sw.h"
#include "sysfs.h"

static int read_file(const char *dir, const char *file, char *buf, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return cdna_sysfs_read(path, buf, len);
}

static int read_u64(const char *dir, const char *file, uint64_t *val)
{
	char buf[32], *end;
	unsigned long long v;
	int ret;

	ret = read_file(dir, file, buf, sizeof(buf));
	if (ret)
		return ret;
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno || end == buf || *end || buf[0] == '-')
		return -EINVAL;
	*val = v;
	return 0;
}

/**
 * cdna_sw_info_read - the software-mode files of a ledger
 * @ledger: the ledger directory
 * @sw: the counters; @sw->valid false (and the rest zero) unless every
 *	file read and the mdev file holds a UUID or nothing
 *
 * Return: 0 or a negative errno (the first file that did not read).
 */
int cdna_sw_info_read(const char *ledger, struct cdna_sw_info *sw)
{
	static const struct {
		const char *file;
		size_t off;
	} counters[] = {
		{ CDNA_LEDGER_DESC_VALIDATED, offsetof(struct cdna_sw_info, validated) },
		{ CDNA_LEDGER_DESC_REFUSED, offsetof(struct cdna_sw_info, refused) },
		{ CDNA_LEDGER_PINNED_PAGES, offsetof(struct cdna_sw_info, pinned) },
		{ CDNA_LEDGER_RX_BOUNCED, offsetof(struct cdna_sw_info, bounced) },
		{ CDNA_LEDGER_TX_SPLIT, offsetof(struct cdna_sw_info, split) },
		{ CDNA_LEDGER_SPOOF_DROPPED, offsetof(struct cdna_sw_info, spoof) },
		{ CDNA_LEDGER_VLAN_DROPPED, offsetof(struct cdna_sw_info, vlan) },
	};
	char mdev[64];
	const char *why;
	size_t i;
	int ret;

	memset(sw, 0, sizeof(*sw));
	for (i = 0; i < ARRAY_SIZE(counters); i++) {
		ret = read_u64(ledger, counters[i].file,
			       (uint64_t *)((char *)sw + counters[i].off));
		if (ret)
			goto fail;
	}
	ret = read_file(ledger, CDNA_LEDGER_STRATEGY, sw->strategy,
			sizeof(sw->strategy));
	if (!ret)
		ret = read_file(ledger, CDNA_LEDGER_MDEV, mdev, sizeof(mdev));
	if (!ret && mdev[0] && cdna_parse_uuid(mdev, sw->mdev, &why))
		ret = -EINVAL;
	if (ret)
		goto fail;
	sw->valid = true;
	return 0;
fail:
	memset(sw, 0, sizeof(*sw));
	return ret;
}

/**
 * cdna_sw_line - the line list shows under a software-mode context's row
 * @f: where it goes
 * @sw: the counters; nothing is printed unless valid
 */
void cdna_sw_line(FILE *f, const struct cdna_sw_info *sw)
{
	if (!sw->valid)
		return;
	fprintf(f, "    sw: mdev %s strategy %s validated %" PRIu64 " refused %"
		PRIu64 " pinned_pages %" PRIu64 " rx_bounced %" PRIu64
		" tx_split %" PRIu64 " spoof_dropped %" PRIu64
		" vlan_dropped %" PRIu64 "\n", sw->mdev[0] ? sw->mdev : "-",
		sw->strategy[0] ? sw->strategy : "-", sw->validated,
		sw->refused, sw->pinned, sw->bounced, sw->split, sw->spoof,
		sw->vlan);
}

/**
 * cdna_sw_json - the "sw" member of a context's object in list -j
 * @j: the writer, inside the context's object
 * @sw: the counters; "sw": null unless valid
 */
void cdna_sw_json(struct cdna_json *j, const struct cdna_sw_info *sw)
{
	if (!sw->valid) {
		cdna_json_kv_str(j, "sw", NULL);
		return;
	}
	cdna_json_key(j, "sw");
	cdna_json_begin_object(j);
	cdna_json_kv_str(j, CDNA_LEDGER_MDEV, sw->mdev[0] ? sw->mdev : NULL);
	cdna_json_kv_str(j, CDNA_LEDGER_STRATEGY,
			 sw->strategy[0] ? sw->strategy : NULL);
	cdna_json_kv_u64(j, CDNA_LEDGER_DESC_VALIDATED, sw->validated);
	cdna_json_kv_u64(j, CDNA_LEDGER_DESC_REFUSED, sw->refused);
	cdna_json_kv_u64(j, CDNA_LEDGER_PINNED_PAGES, sw->pinned);
	cdna_json_kv_u64(j, CDNA_LEDGER_RX_BOUNCED, sw->bounced);
	cdna_json_kv_u64(j, CDNA_LEDGER_TX_SPLIT, sw->split);
	cdna_json_kv_u64(j, CDNA_LEDGER_SPOOF_DROPPED, sw->spoof);
	cdna_json_kv_u64(j, CDNA_LEDGER_VLAN_DROPPED, sw->vlan);
	cdna_json_end_object(j);
}
