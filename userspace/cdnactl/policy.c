// SPDX-License-Identifier: GPL-2.0
/*
 * Context policy as words: "mac M vlan V qos Q trust on|off spoofchk on|off
 * state auto|enable|disable rate MBPS", the syntax of `cdnactl set` and of
 * the ctx lines of the configuration file.  Everything is checked before
 * anything is applied, so a bad word leaves the context untouched.
 */
#include <stdio.h>
#include <string.h>

#include "cdnactl.h"
#include "parse.h"
#include "policy.h"

static const char * const field_names[CDNA_POL_NR] = {
	[CDNA_POL_MAC] = "mac",
	[CDNA_POL_VLAN] = "vlan",
	[CDNA_POL_SPOOFCHK] = "spoofchk",
	[CDNA_POL_TRUST] = "trust",
	[CDNA_POL_STATE] = "state",
	[CDNA_POL_RATE] = "rate",
};

/**
 * cdna_pol_field_name - the word of a policy field
 * @f: the field
 *
 * Return: a static string.
 */
const char *cdna_pol_field_name(enum cdna_pol_field f)
{
	return f < CDNA_POL_NR ? field_names[f] : "?";
}

static int field_of(const char *word)
{
	int f;

	for (f = 0; f < CDNA_POL_NR; f++)
		if (!strcmp(word, field_names[f]))
			return f;
	return -1;
}

/* Parse @val into field @f of @pol; returns the parser's verdict. */
static int parse_value(struct cdna_policy *pol, int f, const char *val,
		       const char **why)
{
	switch (f) {
	case CDNA_POL_MAC:
		return cdna_parse_mac(val, pol->mac, why);
	case CDNA_POL_VLAN:
		return cdna_parse_vlan(val, &pol->vlan, why);
	case CDNA_POL_SPOOFCHK:
		return cdna_parse_onoff(val, &pol->spoofchk, why);
	case CDNA_POL_TRUST:
		return cdna_parse_onoff(val, &pol->trust, why);
	case CDNA_POL_STATE:
		return cdna_parse_state(val, &pol->state, why);
	default:
		return cdna_parse_rate(val, &pol->rate, why);
	}
}

/* "vlan V" was read at argv[*i - 2]; take an optional "qos Q" after it. */
static int parse_qos_after_vlan(int argc, char *const argv[], int *i,
				struct cdna_policy *pol, char *err,
				size_t errlen)
{
	const char *why;

	pol->qos = 0;
	if (*i >= argc || strcmp(argv[*i], "qos"))
		return 0;
	if (*i + 1 >= argc)
		return cdna_say(CDNA_EX_USAGE, err, errlen, "'qos' needs a value");
	if (cdna_parse_qos(argv[*i + 1], &pol->qos, &why))
		return cdna_say(CDNA_EX_INVALID, err, errlen,
				"invalid qos '%s': %s", argv[*i + 1], why);
	*i += 2;
	return 0;
}

/* "mode M" at argv[*i]: the set command's one setting that is not policy. */
static int parse_mode_word(int argc, char *const argv[], int *i, int *mode,
			   char *err, size_t errlen)
{
	enum cdna_mode m;
	const char *why;

	if (*mode >= 0)
		return cdna_say(CDNA_EX_USAGE, err, errlen, "'mode' given twice");
	if (*i + 1 >= argc)
		return cdna_say(CDNA_EX_USAGE, err, errlen, "'mode' needs a value");
	if (cdna_parse_mode(argv[*i + 1], &m, &why))
		return cdna_say(CDNA_EX_INVALID, err, errlen,
				"invalid mode '%s': %s", argv[*i + 1], why);
	*mode = (int)m;
	*i += 2;
	return 0;
}

/* The words of policy, and "mode M" when @mode is not NULL. */
static int parse_words(int argc, char *const argv[], struct cdna_policy *pol,
		       int *mode, char *err, size_t errlen)
{
	const char *why;
	int i = 0, f, ret;

	memset(pol, 0, sizeof(*pol));
	if (!argc)
		return cdna_say(CDNA_EX_USAGE, err, errlen, "no setting given");
	while (i < argc) {
		if (!strcmp(argv[i], "qos"))
			return cdna_say(CDNA_EX_USAGE, err, errlen,
					"qos goes right after a VLAN: vlan V qos Q");
		if (mode && !strcmp(argv[i], "mode")) {
			ret = parse_mode_word(argc, argv, &i, mode, err, errlen);
			if (ret)
				return ret;
			continue;
		}
		f = field_of(argv[i]);
		if (f < 0)
			return cdna_say(CDNA_EX_USAGE, err, errlen,
					"unknown setting '%s' (mac, vlan [qos], trust, spoofchk, state, rate%s)",
					argv[i], mode ? ", mode" : "");
		if (pol->mask & CDNA_POL(f))
			return cdna_say(CDNA_EX_USAGE, err, errlen,
					"'%s' given twice", argv[i]);
		if (i + 1 >= argc)
			return cdna_say(CDNA_EX_USAGE, err, errlen,
					"'%s' needs a value", argv[i]);
		if (parse_value(pol, f, argv[i + 1], &why))
			return cdna_say(CDNA_EX_INVALID, err, errlen,
					"invalid %s '%s': %s", argv[i],
					argv[i + 1], why);
		pol->mask |= CDNA_POL(f);
		i += 2;
		if (f != CDNA_POL_VLAN)
			continue;
		ret = parse_qos_after_vlan(argc, argv, &i, pol, err, errlen);
		if (ret)
			return ret;
		if (!pol->vlan && pol->qos)
			return cdna_say(CDNA_EX_INVALID, err, errlen,
					"invalid qos %u: a priority needs a VLAN (vlan 0 is none)",
					pol->qos);
	}
	return 0;
}

/**
 * cdna_policy_parse - settings given as words
 * @argc: number of words
 * @argv: the words: "mac M", "vlan V [qos Q]", "trust on|off",
 *	  "spoofchk on|off", "state auto|enable|disable", "rate MBPS"
 * @pol: the settings; @pol->mask says which were given
 * @err: a sentence naming what is wrong
 * @errlen: its size
 *
 * Return: 0, CDNA_EX_USAGE (unknown, repeated or incomplete setting) or
 * CDNA_EX_INVALID (a bad value).
 */
int cdna_policy_parse(int argc, char *const argv[], struct cdna_policy *pol,
		      char *err, size_t errlen)
{
	return parse_words(argc, argv, pol, NULL, err, errlen);
}

/**
 * cdna_set_parse - the settings of `cdnactl set`: policy words and "mode
 *	iommu|sw", in any order
 * @argc: number of words
 * @argv: the words
 * @pol: the policy settings; @pol->mask says which were given (maybe none)
 * @mode: the enum cdna_mode given, or -1 for none
 * @err: a sentence naming what is wrong
 * @errlen: its size
 *
 * Return: 0, CDNA_EX_USAGE or CDNA_EX_INVALID, as cdna_policy_parse().
 */
int cdna_set_parse(int argc, char *const argv[], struct cdna_policy *pol,
		   int *mode, char *err, size_t errlen)
{
	*mode = -1;
	return parse_words(argc, argv, pol, mode, err, errlen);
}

/**
 * cdna_policy_describe - one field as words, e.g. "vlan 10 qos 3"
 * @pol: the policy
 * @f: the field
 * @buf: where to put the words
 * @len: its size
 */
void cdna_policy_describe(const struct cdna_policy *pol,
			  enum cdna_pol_field f, char *buf, size_t len)
{
	char mac[CDNA_MAC_LEN];

	switch (f) {
	case CDNA_POL_MAC:
		cdna_format_mac(pol->mac, mac);
		snprintf(buf, len, "mac %s", mac);
		break;
	case CDNA_POL_VLAN:
		snprintf(buf, len, "vlan %u qos %u", pol->vlan, pol->qos);
		break;
	case CDNA_POL_SPOOFCHK:
		snprintf(buf, len, "spoofchk %s", pol->spoofchk ? "on" : "off");
		break;
	case CDNA_POL_TRUST:
		snprintf(buf, len, "trust %s", pol->trust ? "on" : "off");
		break;
	case CDNA_POL_STATE:
		snprintf(buf, len, "state %s", cdna_state_name(pol->state));
		break;
	default:
		snprintf(buf, len, "rate %u", pol->rate);
		break;
	}
}

/**
 * cdna_policy_format - every field set in @pol, as words cdna_policy_parse
 *	reads back
 * @pol: the policy; a zero MAC (none set by the host) is left out
 * @buf: where to put the words
 * @len: its size
 *
 * Return: 0, or -1 when @buf is too small.
 */
int cdna_policy_format(const struct cdna_policy *pol, char *buf, size_t len)
{
	char word[64];
	size_t used = 0;
	int f, n;

	buf[0] = '\0';
	for (f = 0; f < CDNA_POL_NR; f++) {
		if (!(pol->mask & CDNA_POL(f)))
			continue;
		if (f == CDNA_POL_MAC && cdna_mac_is_zero(pol->mac))
			continue;
		cdna_policy_describe(pol, f, word, sizeof(word));
		n = snprintf(buf + used, len - used, "%s%s", used ? " " : "",
			     word);
		if (n < 0 || (size_t)n >= len - used)
			return -1;
		used += (size_t)n;
	}
	return 0;
}
