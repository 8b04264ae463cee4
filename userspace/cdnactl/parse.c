// SPDX-License-Identifier: GPL-2.0
/*
 * Value parsers for cdnactl: strict (the whole string, no sign, no
 * surprises from strtoul), with a sentence for every refusal.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <linux/if_link.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/**
 * cdna_say - put a message in a caller's buffer
 * @code: returned as is
 * @err: the buffer
 * @errlen: its size
 * @fmt: printf format of the message
 *
 * Return: @code, so that a parser can "return cdna_say(...)".
 */
int cdna_say(int code, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return code;
}

static int refuse(const char **why, const char *reason)
{
	*why = reason;
	return -EINVAL;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/**
 * cdna_parse_uint - a decimal number no larger than @max
 * @s: the text
 * @max: largest value accepted
 * @val: the value
 * @why: the reason of a refusal
 *
 * Return: 0 or -EINVAL.
 */
int cdna_parse_uint(const char *s, unsigned long max, unsigned long *val,
		    const char **why)
{
	unsigned long v = 0;

	if (!all_digits(s))
		return refuse(why, "not a decimal number");
	for (; *s; s++) {
		unsigned long d = (unsigned long)(*s - '0');

		/* v * 10 + d <= max, without overflowing */
		if (d > max || v > (max - d) / 10)
			return refuse(why, "out of range");
		v = v * 10 + d;
	}
	*val = v;
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/**
 * cdna_parse_mac - a unicast MAC address, aa:bb:cc:dd:ee:ff
 * @s: the text
 * @mac: the address
 * @why: the reason of a refusal
 *
 * Zero, multicast and broadcast addresses are refused: a context's MAC
 * is its own unicast address.
 *
 * Return: 0 or -EINVAL.
 */
int cdna_parse_mac(const char *s, uint8_t mac[6], const char **why)
{
	uint8_t m[6];
	int i;

	if (strlen(s) != CDNA_MAC_LEN - 1)
		return refuse(why, "not a MAC address (aa:bb:cc:dd:ee:ff)");
	for (i = 0; i < 6; i++) {
		int hi = hex_digit(s[3 * i]), lo = hex_digit(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			return refuse(why, "not a MAC address (aa:bb:cc:dd:ee:ff)");
		m[i] = (uint8_t)(hi << 4 | lo);
	}
	if (cdna_mac_is_zero(m))
		return refuse(why, "the zero address is not a unicast address");
	if (m[0] & 1)
		return refuse(why, "a multicast address is not a unicast address");
	memcpy(mac, m, 6);
	return 0;
}

/**
 * cdna_format_mac - print a MAC address the way ip(8) does
 * @mac: the address
 * @buf: where to put it
 */
void cdna_format_mac(const uint8_t mac[6], char buf[CDNA_MAC_LEN])
{
	snprintf(buf, CDNA_MAC_LEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

/**
 * cdna_mac_is_zero - 00:00:00:00:00:00 (no MAC set by the host)
 * @mac: the address
 *
 * Return: true when every byte is 0.
 */
bool cdna_mac_is_zero(const uint8_t mac[6])
{
	static const uint8_t zero[6];

	return !memcmp(mac, zero, 6);
}

static int parse_bounded(const char *s, unsigned long max, unsigned int *out,
			 const char **why, const char *range)
{
	unsigned long v;

	if (cdna_parse_uint(s, max, &v, why))
		return refuse(why, range);
	*out = (unsigned int)v;
	return 0;
}

/**
 * cdna_parse_vlan - a port VLAN id, 0 (none) to 4094
 * @s: the text
 * @vlan: the id
 * @why: the reason of a refusal
 *
 * Return: 0 or -EINVAL.
 */
int cdna_parse_vlan(const char *s, unsigned int *vlan, const char **why)
{
	return parse_bounded(s, CDNA_VLAN_MAX, vlan, why,
			     "a VLAN id is 0 (none) to 4094");
}

/**
 * cdna_parse_qos - an 802.1p priority, 0 to 7
 * @s: the text
 * @qos: the priority
 * @why: the reason of a refusal
 *
 * Return: 0 or -EINVAL.
 */
int cdna_parse_qos(const char *s, unsigned int *qos, const char **why)
{
	return parse_bounded(s, CDNA_QOS_MAX, qos, why,
			     "an 802.1p priority (qos) is 0 to 7");
}

/**
 * cdna_parse_rate - a maximum transmit rate in Mbit/s, 0 = unlimited
 * @s: the text
 * @rate: the rate
 * @why: the reason of a refusal
 *
 * Return: 0 or -EINVAL.
 */
int cdna_parse_rate(const char *s, unsigned int *rate, const char **why)
{
	return parse_bounded(s, CDNA_RATE_MAX, rate, why,
			     "a rate is 0 (unlimited) to 100000 Mbit/s, in Mbit/s");
}

/**
 * cdna_parse_state - a context's link state: auto, enable or disable, the
 *	words of cdna_pf's link_state file
 * @s: the text
 * @state: IFLA_VF_LINK_STATE_*
 * @why: the reason of a refusal
 *
 * Return: 0 or -EINVAL.
 */
int cdna_parse_state(const char *s, int *state, const char **why)
{
	const char *name;
	int i;

	for (i = 0; i < __IFLA_VF_LINK_STATE_MAX; i++) {
		name = cdna_link_state_name(i);
		if (name && !strcmp(s, name)) {
			*state = i;
			return 0;
		}
	}
	return refuse(why, "a link state is " CDNA_LINK_STATE_AUTO ", "
		      CDNA_LINK_STATE_ENABLE " or " CDNA_LINK_STATE_DISABLE);
}

/**
 * cdna_state_name - the name of a link state
 * @state: IFLA_VF_LINK_STATE_*
 *
 * Return: a static string ("?" for a state this tool does not know).
 */
const char *cdna_state_name(int state)
{
	const char *name = cdna_link_state_name(state);

	return name ? name : "?";
}

/**
 * cdna_parse_onoff - on or off
 * @s: the text
 * @on: the value
 * @why: the reason of a refusal
 *
 * Return: 0 or -EINVAL.
 */
int cdna_parse_onoff(const char *s, bool *on, const char **why)
{
	if (!strcmp(s, "on"))
		*on = true;
	else if (!strcmp(s, "off"))
		*on = false;
	else
		return refuse(why, "the value is on or off");
	return 0;
}

/**
 * cdna_format_pci - a PCI address from its parts, checked and normalized
 * @domain: 0 to 0xffff
 * @bus: 0 to 0xff
 * @slot: 0 to 0x1f
 * @function: 0 to 7
 * @out: DDDD:BB:SS.F
 * @why: the reason of a refusal
 *
 * Return: 0 or -EINVAL.
 */
int cdna_format_pci(unsigned long domain, unsigned long bus,
		    unsigned long slot, unsigned long function,
		    char out[CDNA_PCI_LEN], const char **why)
{
	if (domain > 0xffff)
		return refuse(why, "PCI domain above 0xffff");
	if (bus > 0xff)
		return refuse(why, "PCI bus above 0xff");
	if (slot > 0x1f)
		return refuse(why, "PCI slot above 0x1f");
	if (function > 7)
		return refuse(why, "PCI function above 7");
	snprintf(out, CDNA_PCI_LEN, "%04lx:%02lx:%02lx.%lx", domain, bus, slot,
		 function);
	return 0;
}

/* @n hex digits of @s, exactly, then @sep (or the end when sep is 0). */
static const char *hex_field(const char *s, int n, char sep,
			     unsigned long *val)
{
	unsigned long v = 0;
	int i, d;

	for (i = 0; i < n; i++) {
		d = hex_digit(s[i]);
		if (d < 0)
			return NULL;
		v = v << 4 | (unsigned long)d;
	}
	if (s[n] != sep)
		return NULL;
	*val = v;
	return sep ? s + n + 1 : s + n;
}

/**
 * cdna_parse_pci - a PCI address, DDDD:BB:SS.F or BB:SS.F (domain 0)
 * @s: the text (hexadecimal, as lspci and sysfs print it)
 * @out: the address, normalized to DDDD:BB:SS.F in lower case
 * @why: the reason of a refusal
 *
 * Return: 0 or -EINVAL.
 */
int cdna_parse_pci(const char *s, char out[CDNA_PCI_LEN], const char **why)
{
	static const char *const bad = "not a PCI address (0000:01:10.0)";
	unsigned long dom = 0, bus, slot, fn;
	const char *p = s;

	if (strlen(s) == CDNA_PCI_LEN - 1) {
		p = hex_field(p, 4, ':', &dom);
		if (!p)
			return refuse(why, bad);
	} else if (strlen(s) != CDNA_PCI_LEN - 6) {
		return refuse(why, bad);
	}
	p = hex_field(p, 2, ':', &bus);
	if (p)
		p = hex_field(p, 2, '.', &slot);
	if (p)
		p = hex_field(p, 1, 0, &fn);
	if (!p)
		return refuse(why, bad);
	return cdna_format_pci(dom, bus, slot, fn, out, why);
}

/**
 * cdna_parse_pf_name - a PF as named on the command line
 * @s: its netdev name or its PCI address
 * @out: the name, or the normalized PCI address
 * @why: the reason of a refusal
 *
 * Return: 0 or -EINVAL.
 */
int cdna_parse_pf_name(const char *s, char out[CDNA_NAME_LEN],
		       const char **why)
{
	char pci[CDNA_PCI_LEN];
	const char *ignored;
	size_t i, n = strlen(s);

	if (!cdna_parse_pci(s, pci, &ignored)) {
		memcpy(out, pci, CDNA_PCI_LEN);
		return 0;
	}
	if (!n || n >= CDNA_NAME_LEN)
		return refuse(why, "not a netdev name or PCI address");
	for (i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':' || isspace((unsigned char)s[i]) ||
		    !isprint((unsigned char)s[i]))
			return refuse(why, "not a netdev name or PCI address");
	memcpy(out, s, n + 1);
	return 0;
}

static_assert(CDNA_OWNER_LEN - 1 == 63, "the refusals say 63 bytes");

/**
 * cdna_parse_owner - a domain name as the guard's ledger holds it
 * @s: the name (libvirt's domain name, or a network port's owner)
 * @out: the same name; untouched on a refusal
 * @why: the reason of a refusal
 *
 * The ledger (kmod/vmm-guard/guard_ledger.c, owner) holds names of up to
 * CDNA_OWNER_LEN - 1 = 63 bytes of printable ASCII, 0x20 to 0x7e
 * (cdna_owner_byte_ok()); cdnactl wants at least one.  A longer name is
 * refused rather than cut, and other bytes rather than replaced: two
 * domains cut or folded to one name would each take the other's contexts
 * for their own.  Bytes above 0x7e are refused too, UTF-8 included: the
 * name is shown raw in sysfs, list and logs, where C1 bytes (0x80 to
 * 0x9f) are terminal controls, and the kernel's isprint() would judge
 * each byte of a UTF-8 character as Latin-1.  libvirt itself allows any
 * name without a newline; such a domain gets no context from cdnactl.
 *
 * Return: 0 or -EINVAL.
 */
int cdna_parse_owner(const char *s, char out[CDNA_OWNER_LEN],
		     const char **why)
{
	size_t i, n = strlen(s);

	if (!n)
		return refuse(why, "an empty name");
	if (n >= CDNA_OWNER_LEN)
		return refuse(why, "longer than the 63 bytes the guard's ledger holds");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (cdna_owner_byte_ok(c))
			continue;
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
			return refuse(why, "holds a control character");
		return refuse(why, "holds a byte outside printable ASCII");
	}
	memcpy(out, s, n + 1);
	return 0;
}

static size_t quote_byte(unsigned char c, char one[5])
{
	if (c == '\\')
		return (size_t)snprintf(one, 5, "\\\\");
	if (c < 0x20 || c > 0x7e)
		return (size_t)snprintf(one, 5, "\\x%02x", c);
	return (size_t)snprintf(one, 5, "%c", c);
}

/**
 * cdna_quote - a name as a message may show it
 * @s: the name, any bytes
 * @buf: @s with bytes outside printable ASCII as \xNN (and a backslash as
 *	 \\), cut with "..." when it does not fit
 * @len: size of @buf, at least 4
 *
 * Return: @buf.
 */
const char *cdna_quote(const char *s, char *buf, size_t len)
{
	size_t used = 0, total = 0, need;
	const char *p;
	char one[5];

	for (p = s; *p; p++)
		total += quote_byte((unsigned char)*p, one);
	for (p = s; *p; p++) {
		need = quote_byte((unsigned char)*p, one);
		if (total >= len && used + need + 3 >= len) {
			memcpy(buf + used, "...", 4);
			return buf;
		}
		memcpy(buf + used, one, need);
		used += need;
	}
	buf[used] = '\0';
	return buf;
}

/**
 * cdna_parse_ctx_spec - a context: the VF's PCI address, or PF/N
 * @s: the text; PF is the PF's netdev name or PCI address
 * @spec: the parsed name, resolved later against the system
 * @why: the reason of a refusal
 *
 * Return: 0 or -EINVAL.
 */
int cdna_parse_ctx_spec(const char *s, struct cdna_ctx_spec *spec,
			const char **why)
{
	const char *slash = strrchr(s, '/');
	char pf[CDNA_NAME_LEN * 2];
	unsigned long idx;

	memset(spec, 0, sizeof(*spec));
	if (!slash) {
		if (cdna_parse_pci(s, spec->vf, why))
			return refuse(why, "a context is a VF's PCI address (0000:01:10.0) or PF/N");
		return 0;
	}
	if ((size_t)(slash - s) >= sizeof(pf))
		return refuse(why, "not a netdev name or PCI address before '/'");
	memcpy(pf, s, (size_t)(slash - s));
	pf[slash - s] = '\0';
	if (cdna_parse_pf_name(pf, spec->pf, why))
		return -EINVAL;
	if (cdna_parse_uint(slash + 1, 65535, &idx, why))
		return refuse(why, "the context number after '/' is a decimal number");
	spec->by_pf = true;
	spec->index = (unsigned int)idx;
	return 0;
}

/**
 * cdna_parse_mode - a protection mode: iommu or sw, the words of the
 *	guard ledger's mode file
 * @s: the text
 * @mode: the mode
 * @why: the reason of a refusal
 *
 * Return: 0 or -EINVAL.
 */
int cdna_parse_mode(const char *s, enum cdna_mode *mode, const char **why)
{
	if (!strcmp(s, CDNA_LEDGER_MODE_IOMMU))
		*mode = CDNA_MODE_IOMMU;
	else if (!strcmp(s, CDNA_LEDGER_MODE_SW))
		*mode = CDNA_MODE_SW;
	else
		return refuse(why, "the mode is " CDNA_LEDGER_MODE_IOMMU " or "
			      CDNA_LEDGER_MODE_SW);
	return 0;
}

/**
 * cdna_mode_name - the ledger's word for a mode
 * @mode: the mode
 *
 * Return: CDNA_LEDGER_MODE_IOMMU or CDNA_LEDGER_MODE_SW.
 */
const char *cdna_mode_name(enum cdna_mode mode)
{
	return mode == CDNA_MODE_SW ? CDNA_LEDGER_MODE_SW : CDNA_LEDGER_MODE_IOMMU;
}

/**
 * cdna_mode_driver - the guard's PCI driver that gives a context a mode
 * @mode: the mode
 *
 * Return: CDNA_GUARD_DRIVER or CDNA_GUARD_SW_DRIVER.
 */
const char *cdna_mode_driver(enum cdna_mode mode)
{
	return mode == CDNA_MODE_SW ? CDNA_GUARD_SW_DRIVER : CDNA_GUARD_DRIVER;
}

/**
 * cdna_parse_uuid - a UUID, 8-4-4-4-12 hexadecimal digits
 * @s: the text (either case, as libvirt and mdevctl take it)
 * @out: the UUID in lower case, as the kernel names a mediated device
 * @why: the reason of a refusal
 *
 * Return: 0 or -EINVAL.
 */
int cdna_parse_uuid(const char *s, char out[CDNA_UUID_LEN], const char **why)
{
	size_t i;

	if (strlen(s) != CDNA_UUID_LEN - 1)
		return refuse(why, "not a UUID (8-4-4-4-12 hexadecimal digits)");
	for (i = 0; i < CDNA_UUID_LEN - 1; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : hex_digit(s[i]) < 0)
			return refuse(why, "not a UUID (8-4-4-4-12 hexadecimal digits)");
	}
	for (i = 0; i < CDNA_UUID_LEN; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	return 0;
}

/*
 * The UUID cdnactl gives the mediated device of context N of a PF: the
 * same on every run and every boot, so that a domain's XML can name it
 * (<hostdev type='mdev'><source><address uuid='...'/>), and readable:
 *
 *   cd0a0000-DDDD-80BB-8SSF-NNNNNNNNNNNN
 *
 * "cd0a0000", the PF's PCI domain DDDD, "80" and its bus BB, "8", its
 * slot SS and function F, the context number N: PF 0000:01:00.0, context
 * 2 is cd0a0000-0000-8001-8000-000000000002.  A version 8 ("custom",
 * RFC 9562) UUID of the RFC 4122 variant: the kernel, mdevctl and
 * libvirt take any UUID, and a random (version 4) or name-based (3, 5)
 * one, such as mdevctl or uuidgen make, is never of version 8.
 */
#define CDNA_UUID_PREFIX	"cd0a0000-"

/**
 * cdna_ctx_uuid - the stable UUID of a context's mediated device
 * @pf_pci: the PF's PCI address, normalized (DDDD:BB:SS.F)
 * @index: the context's number on the PF
 * @out: the UUID
 *
 * Return: 0, or -EINVAL when @pf_pci is not a normalized PCI address.
 */
int cdna_ctx_uuid(const char *pf_pci, unsigned int index,
		  char out[CDNA_UUID_LEN])
{
	unsigned int dom, bus, slot, fn;
	char pci[CDNA_PCI_LEN];
	const char *why;

	if (cdna_parse_pci(pf_pci, pci, &why) || strcmp(pci, pf_pci) ||
	    sscanf(pci, "%4x:%2x:%2x.%1x", &dom, &bus, &slot, &fn) != 4)
		return -EINVAL;
	snprintf(out, CDNA_UUID_LEN, CDNA_UUID_PREFIX "%04x-80%02x-8%02x%x-%012x",
		 dom, bus, slot, fn, index);
	return 0;
}

/**
 * cdna_uuid_ctx - the context whose stable UUID @uuid is
 * @uuid: a UUID, normalized (cdna_parse_uuid())
 * @pf_pci: the PF's PCI address
 * @index: the context's number
 *
 * Return: 0, or -EINVAL when @uuid is not one cdna_ctx_uuid() makes.
 */
int cdna_uuid_ctx(const char *uuid, char pf_pci[CDNA_PCI_LEN],
		  unsigned int *index)
{
	unsigned int dom, bus, slot, fn;
	char again[CDNA_UUID_LEN];
	unsigned long long idx;
	const char *why;
	int n = 0;

	if (strncmp(uuid, CDNA_UUID_PREFIX, strlen(CDNA_UUID_PREFIX)) ||
	    sscanf(uuid, CDNA_UUID_PREFIX "%4x-80%2x-8%2x%1x-%12llx%n", &dom,
		   &bus, &slot, &fn, &idx, &n) != 5 ||
	    (size_t)n != CDNA_UUID_LEN - 1 ||
	    idx > 65535 ||
	    cdna_format_pci(dom, bus, slot, fn, pf_pci, &why))
		return -EINVAL;
	/* sscanf takes a sign or fewer digits: only the exact text counts. */
	if (cdna_ctx_uuid(pf_pci, (unsigned int)idx, again) ||
	    strcmp(again, uuid))
		return -EINVAL;
	*index = (unsigned int)idx;
	return 0;
}
