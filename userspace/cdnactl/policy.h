/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A context's policy (what `ip link set PF vf N ...` sets) and its
 * counters, as cdnactl carries them between the command line, the
 * configuration file and rtnetlink.  Plain C: unit-tested.
 */
#ifndef CDNA_POLICY_H
#define CDNA_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* In the order they are applied (a MAC first: it resets the VF). */
enum cdna_pol_field {
	CDNA_POL_MAC,
	CDNA_POL_VLAN,		/* with its qos */
	CDNA_POL_SPOOFCHK,
	CDNA_POL_TRUST,
	CDNA_POL_STATE,
	CDNA_POL_RATE,
	CDNA_POL_NR,
};

#define CDNA_POL(f)	(1U << (f))
#define CDNA_POL_ALL	(CDNA_POL(CDNA_POL_NR) - 1)

/**
 * struct cdna_policy - some or all of a context's settings
 * @mask: CDNA_POL() bits of the fields that are set
 * @mac: the host's MAC for the context; all zero: none (the VF chooses)
 * @vlan: port VLAN, 0 = none
 * @qos: 802.1p priority of the port VLAN
 * @spoofchk: anti-spoofing
 * @trust: trusted VF
 * @state: IFLA_VF_LINK_STATE_*
 * @rate: maximum transmit rate, Mbit/s, 0 = unlimited
 */
struct cdna_policy {
	unsigned int mask;
	uint8_t mac[6];
	unsigned int vlan;
	unsigned int qos;
	bool spoofchk;
	bool trust;
	int state;
	unsigned int rate;
};

/**
 * struct cdna_vf_info - what rtnetlink says of one context
 * @pol: every field set (mac as the PF reports it)
 * @rx_packets: received packets
 * @tx_packets: sent packets
 * @rx_bytes: received bytes
 * @tx_bytes: sent bytes
 */
struct cdna_vf_info {
	struct cdna_policy pol;
	uint64_t rx_packets;
	uint64_t tx_packets;
	uint64_t rx_bytes;
	uint64_t tx_bytes;
};

const char *cdna_pol_field_name(enum cdna_pol_field f);
int cdna_policy_parse(int argc, char *const argv[], struct cdna_policy *pol,
		      char *err, size_t errlen);
int cdna_set_parse(int argc, char *const argv[], struct cdna_policy *pol,
		   int *mode, char *err, size_t errlen);
int cdna_policy_format(const struct cdna_policy *pol, char *buf, size_t len);
void cdna_policy_describe(const struct cdna_policy *pol,
			  enum cdna_pol_field f, char *buf, size_t len);

#endif /* CDNA_POLICY_H */
