// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the domain XML reading of cdnactl's libvirt hook and
 * detach (userspace/cdnactl/domxml.c): contexts found as <hostdev>, as
 * <interface type='hostdev'> and as the mediated device of a context in
 * software mode (<hostdev type='mdev'>), other devices ignored, malformed
 * XML, absurd addresses and UUIDs refused with a message naming the line;
 * and the <hostdev> elements attach gives libvirt for both modes.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cdnactl.h"
#include "domxml.h"


/* The contexts of this imaginary host: three VFs of a cdna_pf PF. */
static bool is_context(const char *pci, void *arg)
{
	static const char * const vfs[] = {
		"0000:01:10.0", "0000:01:10.2", "0000:01:10.4",
	};
	size_t i;

	(*(int *)arg)++;
	for (i = 0; i < ARRAY_SIZE(vfs); i++)
		if (!strcmp(pci, vfs[i]))
			return true;
	return false;
}

/* Its mediated devices: contexts 1 and 2 of its PF are in software mode. */
#define MDEV_CTX1	"cd0a0000-0000-8001-8000-000000000001"
#define MDEV_CTX2	"6a9c6d1e-0f45-4b4c-8d3f-0123456789ab"

static bool is_context_mdev(const char *uuid, char pci[CDNA_PCI_LEN],
			    void *arg)
{
	(void)arg;
	if (!strcmp(uuid, MDEV_CTX1))
		memcpy(pci, "0000:01:10.2", CDNA_PCI_LEN);
	else if (!strcmp(uuid, MDEV_CTX2))
		memcpy(pci, "0000:01:10.4", CDNA_PCI_LEN);
	else
		return false;
	return true;
}

static int find(const char *xml, struct cdna_xml_devs *devs, char *err,
		size_t len, int *asked)
{
	const struct cdna_xml_match m = {
		.keep = is_context, .mdev = is_context_mdev, .arg = asked,
	};

	*asked = 0;
	return cdna_xml_find(xml, strlen(xml), &m, devs, err, len);
}

/* A domain with a context of each kind, and devices that are not contexts. */
static const char fixture_mixed[] =
	"<domain type='kvm'>\n"
	"  <name>vm1</name>\n"
	"  <devices>\n"
	"    <disk type='file' device='disk'><source file='/x.img'/></disk>\n"
	"    <hostdev mode='subsystem' type='pci' managed='no'>\n"
	"      <source><address domain='0x0000' bus='0x01' slot='0x10' function='0x0'/></source>\n"
	"      <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>\n"
	"    </hostdev>\n"
	"    <hostdev mode='subsystem' type='pci' managed='yes'>\n"
	"      <source><address domain='0' bus='3' slot='0' function='0'/></source>\n"
	"    </hostdev>\n"
	"    <hostdev mode='subsystem' type='usb'>\n"
	"      <source><vendor id='0x1234'/><product id='0xbeef'/></source>\n"
	"    </hostdev>\n"
	"    <interface type='hostdev'>\n"
	"      <mac address='52:54:00:cd:00:02'/>\n"
	"      <source><address type='pci' domain='0x0000' bus='0x01' slot='0x10' function='0x2'/></source>\n"
	"      <vlan><tag id='42'/></vlan>\n"
	"    </interface>\n"
	"    <interface type='network'><source network='default'/></interface>\n"
	"    <interface type='bridge'><source bridge='br0'/></interface>\n"
	"  </devices>\n"
	"</domain>\n";

static void test_mixed(void **state)
{
	struct cdna_xml_devs devs;
	char err[256] = "";
	int asked;

	(void)state;
	assert_int_equal(find(fixture_mixed, &devs, err, sizeof(err), &asked), 0);
	assert_string_equal(err, "");
	/* Every PCI function was considered, only the contexts kept. */
	assert_int_equal(asked, 3);
	assert_int_equal(devs.n, 2);
	assert_string_equal(devs.dev[0].pci, "0000:01:10.0");
	assert_int_equal(devs.dev[0].kind, CDNA_XML_HOSTDEV);
	assert_false(devs.dev[0].managed);
	assert_int_equal(devs.dev[0].line, 5);
	assert_non_null(strstr(devs.dev[0].xml, "<hostdev mode=\"subsystem\" type=\"pci\" managed=\"no\">"));
	assert_non_null(strstr(devs.dev[0].xml, "slot=\"0x10\""));
	assert_non_null(strstr(devs.dev[0].xml, "</hostdev>"));
	assert_string_equal(devs.dev[1].pci, "0000:01:10.2");
	assert_int_equal(devs.dev[1].kind, CDNA_XML_INTERFACE);
	assert_false(devs.dev[1].managed);
	assert_non_null(strstr(devs.dev[1].xml, "52:54:00:cd:00:02"));
	assert_string_equal(cdna_xml_kind_name(devs.dev[1].kind),
			    "interface type='hostdev'");
	cdna_xml_free(&devs);
	assert_int_equal(devs.n, 0);
}

static void test_no_devices(void **state)
{
	static const char * const fixtures[] = {
		"<domain type='kvm'><name>vm</name></domain>",
		"<domain><devices/></domain>",
		"<domain><devices><hostdev mode='capabilities' type='net'>"
		"<source><interface>eth9</interface></source></hostdev></devices></domain>",
		/* Not a context: kept out, but still read. */
		"<domain><devices><hostdev type='pci'><source>"
		"<address bus='0x02' slot='0x00' function='0x0'/></source>"
		"</hostdev></devices></domain>",
	};
	struct cdna_xml_devs devs;
	char err[256];
	size_t i;
	int asked;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(fixtures); i++) {
		assert_int_equal(find(fixtures[i], &devs, err, sizeof(err), &asked), 0);
		assert_int_equal(devs.n, 0);
		cdna_xml_free(&devs);
	}
	assert_int_equal(asked, 1);
}

static void test_managed_and_defaults(void **state)
{
	static const char xml[] =
		"<domain><devices>\n"
		"<hostdev type='pci' managed='yes'><source>"
		"<address bus='1' slot='16' function='4'/></source></hostdev>\n"
		"</devices></domain>";
	struct cdna_xml_devs devs;
	char err[256];
	int asked;

	(void)state;
	/* mode defaults to subsystem, domain to 0, decimal numbers. */
	assert_int_equal(find(xml, &devs, err, sizeof(err), &asked), 0);
	assert_int_equal(devs.n, 1);
	assert_string_equal(devs.dev[0].pci, "0000:01:10.4");
	assert_true(devs.dev[0].managed);
	assert_false(devs.dev[0].has_driver_model);
	assert_int_equal(devs.dev[0].line, 2);
	cdna_xml_free(&devs);
}

static void test_driver_model(void **state)
{
	static const char xml[] =
		"<domain><devices>\n"
		"<interface type='hostdev' managed='yes'><driver name='vfio' model='vmm_guard'/>"
		"<source><address type='pci' bus='1' slot='16' function='0'/></source></interface>\n"
		"<interface type='hostdev' managed='yes'><driver name='vfio' model=''/>"
		"<source><address type='pci' bus='1' slot='16' function='2'/></source></interface>\n"
		"<hostdev type='pci' managed='yes'><driver name='vfio'/><source>"
		"<address bus='1' slot='16' function='4'/></source></hostdev>\n"
		"</devices></domain>";
	static const char too_long[] =
		"<domain><devices>\n"
		"<hostdev type='pci' managed='yes'><driver name='vfio' model='"
		"a_driver_name_of_more_than_sixty_three_bytes_which_no_driver_has_x'/>"
		"<source><address bus='1' slot='16' function='4'/></source></hostdev>\n"
		"</devices></domain>";
	struct cdna_xml_devs devs;
	char err[256];
	int asked;

	(void)state;
	assert_int_equal(find(xml, &devs, err, sizeof(err), &asked), 0);
	assert_int_equal(devs.n, 3);
	assert_true(devs.dev[0].has_driver_model);
	assert_string_equal(devs.dev[0].driver_model, "vmm_guard");
	/* model='' is a model to libvirt: present, empty. */
	assert_true(devs.dev[1].has_driver_model);
	assert_string_equal(devs.dev[1].driver_model, "");
	assert_false(devs.dev[2].has_driver_model);
	cdna_xml_free(&devs);
	assert_int_equal(find(too_long, &devs, err, sizeof(err), &asked),
			 CDNA_EX_INVALID);
	assert_string_equal(err, "domain XML line 2: <hostdev>: its driver model is longer than a driver's name");
	cdna_xml_free(&devs);
}

static void test_malformed(void **state)
{
	static const struct {
		const char *xml;
		const char *msg_start;
	} cases[] = {
		{ "", "malformed domain XML" },
		{ "not xml at all", "malformed domain XML (line 1): " },
		{ "<domain><devices>\n<hostdev>\n</devices></domain>",
		  "malformed domain XML (line 3): " },
		{ "<domain><devices></domain>", "malformed domain XML (line 1): " },
		{ "<network><name>x</name></network>", "the XML is not a <domain>" },
	};
	struct cdna_xml_devs devs;
	char err[256];
	size_t i;
	int asked;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		err[0] = '\0';
		assert_int_equal(find(cases[i].xml, &devs, err, sizeof(err), &asked),
				 CDNA_EX_INVALID);
		assert_memory_equal(err, cases[i].msg_start,
				    strlen(cases[i].msg_start));
		assert_int_equal(devs.n, 0);
		cdna_xml_free(&devs);
	}
}

#define HOSTDEV(addr)							\
	"<domain><devices>\n<hostdev mode='subsystem' type='pci'>"	\
	"<source>" addr "</source></hostdev>\n</devices></domain>"

static void test_bad_addresses(void **state)
{
	static const struct {
		const char *xml;
		const char *msg;
	} cases[] = {
		{ HOSTDEV("<address domain='0x0' bus='0x1' slot='0x20' function='0'/>"),
		  "domain XML line 2: <hostdev>: PCI slot above 0x1f" },
		{ HOSTDEV("<address domain='0x0' bus='0x1' slot='0x10' function='8'/>"),
		  "domain XML line 2: <hostdev>: PCI function above 7" },
		{ HOSTDEV("<address domain='0x0' bus='256' slot='0x10' function='0'/>"),
		  "domain XML line 2: <hostdev>: PCI bus above 0xff" },
		{ HOSTDEV("<address domain='0x10000' bus='1' slot='0x10' function='0'/>"),
		  "domain XML line 2: <hostdev>: PCI domain above 0xffff" },
		{ HOSTDEV("<address domain='0' bus='one' slot='0x10' function='0'/>"),
		  "domain XML line 2: <hostdev>: a source address part is not a number" },
		{ HOSTDEV("<address domain='0' bus='-1' slot='0x10' function='0'/>"),
		  "domain XML line 2: <hostdev>: a source address part is not a number" },
		{ HOSTDEV("<address domain='0' bus='0x1z' slot='0x10' function='0'/>"),
		  "domain XML line 2: <hostdev>: a source address part is not a number" },
		{ HOSTDEV("<address domain='0' bus='99999999999999999999999' slot='0' function='0'/>"),
		  "domain XML line 2: <hostdev>: a source address part is not a number" },
		{ HOSTDEV(""),
		  "domain XML line 2: <hostdev>: no <source><address .../></source>" },
		{ "<domain><devices>\n<interface type='hostdev'><source>"
		  "<address type='usb' bus='1' port='2'/></source></interface>\n"
		  "</devices></domain>",
		  "domain XML line 2: <interface>: its source address is not type='pci'" },
		{ "<domain><devices>\n<hostdev type='pci' managed='sometimes'><source>"
		  "<address bus='1' slot='0x10' function='0'/></source></hostdev>\n"
		  "</devices></domain>",
		  "domain XML line 2: <hostdev>: managed is yes or no" },
		{ "<domain><devices>\n"
		  "<hostdev type='pci'><source><address bus='1' slot='0x10'/></source></hostdev>\n"
		  "<interface type='hostdev'><source><address type='pci' bus='0x01' slot='0x10' function='0x0'/>"
		  "</source></interface>\n</devices></domain>",
		  "domain XML line 3: 0000:01:10.0 is passed through twice (line 2)" },
	};
	struct cdna_xml_devs devs;
	char err[256];
	size_t i;
	int asked;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		err[0] = '\0';
		assert_int_equal(find(cases[i].xml, &devs, err, sizeof(err), &asked),
				 CDNA_EX_INVALID);
		assert_string_equal(err, cases[i].msg);
		cdna_xml_free(&devs);
	}
}

/* An address libvirt would refuse is refused even when not a context. */
static void test_bad_address_of_other_device(void **state)
{
	static const char xml[] =
		"<domain><devices>\n"
		"<hostdev type='pci'><source><address bus='0x01' slot='0x10' function='0x0'/></source></hostdev>\n"
		"<hostdev type='pci'><source><address bus='0x05' slot='0x40' function='0x0'/></source></hostdev>\n"
		"</devices></domain>";
	struct cdna_xml_devs devs;
	char err[256];
	int asked;

	(void)state;
	assert_int_equal(find(xml, &devs, err, sizeof(err), &asked), CDNA_EX_INVALID);
	assert_string_equal(err, "domain XML line 3: <hostdev>: PCI slot above 0x1f");
	cdna_xml_free(&devs);
}

/* What libvirt gives its network hook for a <forward mode='hostdev'> port. */
static const char fixture_port[] =
	"<hookData>\n"
	"  <network><name>pool</name><forward mode='hostdev' managed='no'>"
	"<pf dev='eth0'/></forward></network>\n"
	"  <networkport>\n"
	"    <uuid>7ae63b5f-fe96-4af0-a7c3-da04ba1b3f54</uuid>\n"
	"    <owner><uuid>06578fc1-c686-46fa-bc2c-220893b466a6</uuid>"
	"<name>guest-b</name></owner>\n"
	"    <mac address='52:54:00:cd:00:41'/>\n"
	"    <plug type='hostdev-pci' managed='no'>\n"
	"      <driver name='vfio'/>\n"
	"      <address domain='0x0000' bus='0x01' slot='0x10' function='0x4'/>\n"
	"    </plug>\n"
	"  </networkport>\n"
	"</hookData>\n";

static int find_port(const char *xml, struct cdna_xml_devs *devs,
		     char *owner, char *err, size_t len)
{
	int asked = 0;
	const struct cdna_xml_match m = { .keep = is_context, .arg = &asked };

	return cdna_xml_find_port(xml, strlen(xml), &m, devs, owner, 64, err,
				  len);
}

static void test_port(void **state)
{
	struct cdna_xml_devs devs;
	char err[256] = "", owner[64];

	(void)state;
	assert_int_equal(find_port(fixture_port, &devs, owner, err,
				   sizeof(err)), 0);
	assert_string_equal(owner, "guest-b");
	assert_int_equal(devs.n, 1);
	assert_string_equal(devs.dev[0].pci, "0000:01:10.4");
	assert_int_equal(devs.dev[0].kind, CDNA_XML_PORT);
	assert_false(devs.dev[0].managed);
	cdna_xml_free(&devs);
}

static void test_port_refused(void **state)
{
	static const char * const bad[] = {
		/* not a hook document */
		"<domain><name>x</name></domain>",
		/* no owner */
		"<hookData><networkport><plug type='hostdev-pci'>"
		"<address type='pci' domain='0' bus='1' slot='0x10' function='0'/>"
		"</plug></networkport></hookData>",
		/* a slot out of range */
		"<hookData><networkport><owner><name>b</name></owner>"
		"<plug type='hostdev-pci'><address type='pci' domain='0' bus='1'"
		" slot='0x20' function='0'/></plug></networkport></hookData>",
		/* an address that is not PCI */
		"<hookData><networkport><owner><name>b</name></owner>"
		"<plug type='hostdev-pci'><address type='usb' bus='1' port='2'/>"
		"</plug></networkport></hookData>",
		/* no address */
		"<hookData><networkport><owner><name>b</name></owner>"
		"<plug type='hostdev-pci'/></networkport></hookData>",
		/* malformed */
		"<hookData><networkport>",
	};
	struct cdna_xml_devs devs;
	char err[256], owner[64];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err[0] = '\0';
		assert_int_equal(find_port(bad[i], &devs, owner, err,
					   sizeof(err)), CDNA_EX_INVALID);
		assert_true(err[0] != '\0');
		assert_int_equal(devs.n, 0);
		cdna_xml_free(&devs);
	}
}

/* A port of a bridge network, or on a PCI function that is no context. */
static void test_port_not_context(void **state)
{
	static const char * const other[] = {
		"<hookData><networkport><owner><name>b</name></owner>"
		"<plug type='bridge' bridge='virbr0'/></networkport></hookData>",
		"<hookData><networkport><owner><name>b</name></owner>"
		"<plug type='hostdev-pci'><address type='pci' domain='0' bus='3'"
		" slot='0' function='0'/></plug></networkport></hookData>",
	};
	struct cdna_xml_devs devs;
	char err[256] = "", owner[64];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(other); i++) {
		assert_int_equal(find_port(other[i], &devs, owner, err,
					   sizeof(err)), 0);
		assert_int_equal(devs.n, 0);
		assert_string_equal(owner, "b");
		cdna_xml_free(&devs);
	}
}


/* Mediated devices: the contexts' kept, with their VF; others ignored. */
static const char fixture_mdev[] =
	"<domain type='kvm'>\n"
	"  <devices>\n"
	"    <hostdev mode='subsystem' type='mdev' model='vfio-pci' managed='no' display='off'>\n"
	"      <source><address uuid='" MDEV_CTX1 "'/></source>\n"
	"      <alias name='hostdev0'/>\n"
	"      <address type='pci' domain='0x0000' bus='0x00' slot='0x06' function='0x0'/>\n"
	"    </hostdev>\n"
	"    <hostdev mode='subsystem' type='mdev' model='vfio-pci'>\n"
	"      <source><address uuid='0b5e7ad1-5a0e-4c0c-9b44-5f2e7b6a0c11'/></source>\n"
	"    </hostdev>\n"
	"    <hostdev mode='subsystem' type='pci' managed='no'>\n"
	"      <source><address domain='0x0000' bus='0x01' slot='0x10' function='0x0'/></source>\n"
	"    </hostdev>\n"
	"    <hostdev mode='subsystem' type='mdev' model='vfio-pci'>\n"
	"      <source><address uuid='6A9C6D1E-0F45-4B4C-8D3F-0123456789AB'/></source>\n"
	"    </hostdev>\n"
	"  </devices>\n"
	"</domain>\n";

static void test_mdev(void **state)
{
	struct cdna_xml_devs devs;
	char err[256] = "";
	int asked;
	const struct cdna_xml_match pci_only = {
		.keep = is_context, .arg = &asked,
	};

	(void)state;
	assert_int_equal(find(fixture_mdev, &devs, err, sizeof(err), &asked), 0);
	assert_string_equal(err, "");
	assert_int_equal(asked, 1);
	assert_int_equal(devs.n, 3);
	assert_int_equal(devs.dev[0].kind, CDNA_XML_MDEV);
	assert_string_equal(devs.dev[0].pci, "0000:01:10.2");
	assert_string_equal(devs.dev[0].uuid, MDEV_CTX1);
	assert_false(devs.dev[0].managed);
	assert_int_equal(devs.dev[0].line, 3);
	/* What detach gives back to libvirt: the whole live element. */
	assert_non_null(strstr(devs.dev[0].xml, "<hostdev mode=\"subsystem\" type=\"mdev\""));
	assert_non_null(strstr(devs.dev[0].xml, "uuid=\"" MDEV_CTX1 "\""));
	assert_non_null(strstr(devs.dev[0].xml, "</hostdev>"));
	assert_string_equal(cdna_xml_kind_name(devs.dev[0].kind), "hostdev type='mdev'");
	assert_int_equal(devs.dev[1].kind, CDNA_XML_HOSTDEV);
	assert_string_equal(devs.dev[1].pci, "0000:01:10.0");
	assert_string_equal(devs.dev[1].uuid, "");
	/* libvirt takes upper case; the kernel names the device in lower. */
	assert_int_equal(devs.dev[2].kind, CDNA_XML_MDEV);
	assert_string_equal(devs.dev[2].uuid, MDEV_CTX2);
	assert_string_equal(devs.dev[2].pci, "0000:01:10.4");
	cdna_xml_free(&devs);

	/* A caller that does not look for mediated devices gets none. */
	asked = 0;
	assert_int_equal(cdna_xml_find(fixture_mdev, strlen(fixture_mdev),
				       &pci_only, &devs, err, sizeof(err)), 0);
	assert_int_equal(devs.n, 1);
	assert_int_equal(devs.dev[0].kind, CDNA_XML_HOSTDEV);
	cdna_xml_free(&devs);
}

#define MDEV(src)							\
	"<domain><devices>\n<hostdev mode='subsystem' type='mdev' model='vfio-pci'>"	\
	"<source>" src "</source></hostdev>\n</devices></domain>"

static void test_mdev_refused(void **state)
{
	static const struct {
		const char *xml;
		const char *msg;
	} cases[] = {
		{ MDEV(""),
		  "domain XML line 2: <hostdev>: no <source><address uuid='...'/></source>" },
		{ MDEV("<address/>"),
		  "domain XML line 2: <hostdev>: no <source><address uuid='...'/></source>" },
		{ MDEV("<address uuid='not-a-uuid'/>"),
		  "domain XML line 2: <hostdev>: its source address uuid is not a UUID" },
		{ MDEV("<address uuid='" MDEV_CTX1 "x'/>"),
		  "domain XML line 2: <hostdev>: its source address uuid is not a UUID" },
		{ "<domain><devices>\n<hostdev mode='subsystem' type='mdev' managed='maybe'>"
		  "<source><address uuid='" MDEV_CTX1 "'/></source></hostdev>\n</devices></domain>",
		  "domain XML line 2: <hostdev>: managed is yes or no" },
		/* One context, as its VF and as its mediated device. */
		{ "<domain><devices>\n"
		  "<hostdev type='pci'><source><address bus='1' slot='0x10' function='2'/></source></hostdev>\n"
		  "<hostdev mode='subsystem' type='mdev'><source><address uuid='" MDEV_CTX1 "'/>"
		  "</source></hostdev>\n</devices></domain>",
		  "domain XML line 3: 0000:01:10.2 is passed through twice (line 2)" },
		{ "<domain><devices>\n"
		  "<hostdev mode='subsystem' type='mdev'><source><address uuid='" MDEV_CTX2 "'/></source></hostdev>\n"
		  "<hostdev mode='subsystem' type='mdev'><source><address uuid='" MDEV_CTX2 "'/></source></hostdev>\n"
		  "</devices></domain>",
		  "domain XML line 3: 0000:01:10.4 is passed through twice (line 2)" },
	};
	struct cdna_xml_devs devs;
	char err[256];
	size_t i;
	int asked;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		err[0] = '\0';
		assert_int_equal(find(cases[i].xml, &devs, err, sizeof(err), &asked),
				 CDNA_EX_INVALID);
		assert_string_equal(err, cases[i].msg);
		cdna_xml_free(&devs);
	}
}

/* What attach hands libvirt, in each mode; read back as a context. */
static void test_hostdev_elements(void **state)
{
	char xml[512], dom[700], err[256] = "";
	struct cdna_xml_devs devs;
	int asked;

	(void)state;
	assert_int_equal(cdna_xml_hostdev_pci("0000:01:10.2", xml, sizeof(xml)), 0);
	assert_string_equal(xml,
			    "<hostdev mode='subsystem' type='pci' managed='no'><source><address domain='0x0000' bus='0x01' slot='0x10' function='0x2'/></source></hostdev>");
	assert_int_equal(cdna_xml_hostdev_mdev(MDEV_CTX1, xml, sizeof(xml)), 0);
	assert_string_equal(xml,
			    "<hostdev mode='subsystem' type='mdev' model='vfio-pci' managed='no'><source><address uuid='" MDEV_CTX1 "'/></source></hostdev>");
	snprintf(dom, sizeof(dom), "<domain><devices>%s</devices></domain>", xml);
	assert_int_equal(find(dom, &devs, err, sizeof(err), &asked), 0);
	assert_int_equal(devs.n, 1);
	assert_int_equal(devs.dev[0].kind, CDNA_XML_MDEV);
	assert_string_equal(devs.dev[0].pci, "0000:01:10.2");
	assert_false(devs.dev[0].managed);
	cdna_xml_free(&devs);
	/* Normalized; refused when not a UUID or not room enough. */
	assert_int_equal(cdna_xml_hostdev_mdev("6A9C6D1E-0F45-4B4C-8D3F-0123456789AB",
					       xml, sizeof(xml)), 0);
	assert_non_null(strstr(xml, "uuid='" MDEV_CTX2 "'"));
	assert_int_equal(cdna_xml_hostdev_mdev("x", xml, sizeof(xml)), -EINVAL);
	assert_int_equal(cdna_xml_hostdev_mdev(MDEV_CTX1, xml, 100), -EINVAL);
	assert_int_equal(cdna_xml_hostdev_pci("eth0", xml, sizeof(xml)), -EINVAL);
	assert_int_equal(cdna_xml_hostdev_pci("0000:01:10.2", xml, 50), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_port),
		cmocka_unit_test(test_port_refused),
		cmocka_unit_test(test_port_not_context),
		cmocka_unit_test(test_no_devices),
		cmocka_unit_test(test_managed_and_defaults),
		cmocka_unit_test(test_driver_model),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_bad_addresses),
		cmocka_unit_test(test_bad_address_of_other_device),
		cmocka_unit_test(test_mdev),
		cmocka_unit_test(test_mdev_refused),
		cmocka_unit_test(test_hostdev_elements),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
