// SPDX-License-Identifier: GPL-2.0
/*
 * libvirt calls of cdnactl.  Contexts in IOMMU mode go to domains as
 * <hostdev mode='subsystem' type='pci' managed='no'>: cdnactl binds them
 * to vmm_guard itself, and libvirt (11.x) accepts a device bound to a
 * VFIO variant driver as "detached" when its sysfs directory has a
 * vfio-dev/ entry (see libvirt-hooks/README.md).  Contexts in software
 * mode go as their mediated device, <hostdev mode='subsystem'
 * type='mdev' model='vfio-pci' managed='no'>, which cdnactl creates.
 * The elements come from domxml.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include <libvirt/virterror.h>

#include "cdnactl.h"
#include "parse.h"
#include "virt.h"

/* libvirt prints its errors itself unless told otherwise. */
static void quiet(void *data, virErrorPtr err)
{
	(void)data;
	(void)err;
}

/*
 * libvirt's last error, copied at once: the next libvirt call (even
 * virDomainGetName) resets it and frees the message.
 */
static const char *last_error(char *buf, size_t len)
{
	const char *msg = virGetLastErrorMessage();

	snprintf(buf, len, "%s", msg ? msg : "unknown libvirt error");
	return buf;
}

/**
 * cdna_virt_open - connect to libvirt
 * @uri: -c URI, or NULL: $LIBVIRT_DEFAULT_URI, else qemu:///system
 * @conn: the connection
 *
 * Return: 0 or CDNA_EX_FAIL (said on stderr).
 */
int cdna_virt_open(const char *uri, virConnectPtr *conn)
{
	char why[512];

	if (!uri)
		uri = getenv("LIBVIRT_DEFAULT_URI");
	if (!uri || !*uri)
		uri = CDNA_URI_DEFAULT;
	virSetErrorFunc(NULL, quiet);
	*conn = virConnectOpen(uri);
	if (!*conn)
		return cdna_err(CDNA_EX_FAIL, "cannot connect to libvirt at %s: %s",
				uri, last_error(why, sizeof(why)));
	return 0;
}

/**
 * cdna_virt_domain - a running domain by name
 * @conn: the connection
 * @name: the domain's name
 * @dom: the domain
 *
 * Return: 0, CDNA_EX_NOTFOUND or CDNA_EX_STATE (not running; said on
 * stderr).
 */
int cdna_virt_domain(virConnectPtr conn, const char *name, virDomainPtr *dom)
{
	char why[512];

	*dom = virDomainLookupByName(conn, name);
	if (!*dom)
		return cdna_err(CDNA_EX_NOTFOUND, "unknown domain '%s': %s", name,
				last_error(why, sizeof(why)));
	if (virDomainIsActive(*dom) != 1) {
		virDomainFree(*dom);
		*dom = NULL;
		return cdna_err(CDNA_EX_STATE, "domain '%s' is not running",
				name);
	}
	return 0;
}

static unsigned int affect(bool config)
{
	return VIR_DOMAIN_AFFECT_LIVE | (config ? VIR_DOMAIN_AFFECT_CONFIG : 0);
}

/**
 * cdna_virt_attach - hot-plug a context
 * @dom: the running domain
 * @devxml: its <hostdev> element (cdna_xml_hostdev_pci() or _mdev())
 * @what: the context, as messages name it
 * @config: also add it to the persistent definition
 *
 * Return: 0 or CDNA_EX_FAIL (said on stderr).
 */
int cdna_virt_attach(virDomainPtr dom, const char *devxml, const char *what,
		     bool config)
{
	char why[512];

	if (virDomainAttachDeviceFlags(dom, devxml, affect(config)) < 0) {
		last_error(why, sizeof(why));
		return cdna_err(CDNA_EX_FAIL, "libvirt did not attach %s to %s: %s",
				what, virDomainGetName(dom), why);
	}
	return 0;
}

/**
 * cdna_virt_detach - ask libvirt to unplug a device
 * @dom: the running domain
 * @devxml: the device's element, from the live XML
 * @config: also remove it from the persistent definition
 *
 * The guest may take its time: the device is gone when it left the live
 * XML, which the caller waits for.
 *
 * Return: 0 or CDNA_EX_FAIL (said on stderr).
 */
int cdna_virt_detach(virDomainPtr dom, const char *devxml, bool config)
{
	char why[512];

	if (virDomainDetachDeviceFlags(dom, devxml, affect(config)) < 0) {
		last_error(why, sizeof(why));
		return cdna_err(CDNA_EX_FAIL, "libvirt did not detach the context from %s: %s",
				virDomainGetName(dom), why);
	}
	return 0;
}

/**
 * cdna_virt_live_xml - the running domain's XML
 * @dom: the domain
 * @xml: the XML; free() it
 *
 * Return: 0 or CDNA_EX_FAIL (said on stderr).
 */
int cdna_virt_live_xml(virDomainPtr dom, char **xml)
{
	char why[512];

	*xml = virDomainGetXMLDesc(dom, 0);
	if (!*xml) {
		last_error(why, sizeof(why));
		return cdna_err(CDNA_EX_FAIL, "cannot read the XML of %s: %s",
				virDomainGetName(dom), why);
	}
	return 0;
}
