// SPDX-License-Identifier: GPL-2.0
/*
 * Passed-through PCI functions and mediated devices of a domain XML (see
 * domxml.h).  Every PCI <hostdev> and <interface type='hostdev'> is
 * checked, whether or not it is a context: an address libvirt would
 * refuse is refused here too, before anything is bound.  Numbers follow
 * libvirt's reading (decimal, 0x hexadecimal or 0 octal; a missing part
 * is 0).  A mediated device <hostdev> is checked for a UUID when the
 * caller looks for them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cdnactl.h"
#include "domxml.h"

struct xml_walk {
	const struct cdna_xml_match *m;
	struct cdna_xml_devs *out;
	char *err;
	size_t errlen;
};

/**
 * cdna_xml_kind_name - the element a device came from
 * @kind: its kind
 *
 * Return: a static string.
 */
const char *cdna_xml_kind_name(enum cdna_xml_kind kind)
{
	switch (kind) {
	case CDNA_XML_INTERFACE:
		return "interface type='hostdev'";
	case CDNA_XML_PORT:
		return "networkport plug";
	case CDNA_XML_MDEV:
		return "hostdev type='mdev'";
	default:
		return "hostdev";
	}
}

static bool is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       !strcmp((const char *)n->name, name);
}

static xmlNode *child(const xmlNode *n, const char *name)
{
	xmlNode *c;

	for (c = n ? n->children : NULL; c; c = c->next)
		if (is_elem(c, name))
			return c;
	return NULL;
}

/* Attribute @name equals @val; @dflt when it is absent. */
static bool prop_is(const xmlNode *n, const char *name, const char *val,
		    bool dflt)
{
	xmlChar *p = xmlGetProp(n, (const xmlChar *)name);
	bool ret = p ? !strcmp((const char *)p, val) : dflt;

	xmlFree(p);
	return ret;
}

/* A number as libvirt reads it (strtoul base 0, whole string). */
static int prop_num(const xmlNode *n, const char *name, unsigned long *val)
{
	xmlChar *p = xmlGetProp(n, (const xmlChar *)name);
	const char *s = (const char *)p;
	char *end;
	int ret = 0;

	*val = 0;
	if (!p)
		return 0;
	errno = 0;
	if (*s < '0' || *s > '9')
		ret = -EINVAL;
	else
		*val = strtoul(s, &end, 0);
	if (!ret && (errno || *end))
		ret = -EINVAL;
	xmlFree(p);
	return ret;
}

static int bad_addr(struct xml_walk *w, const xmlNode *dev, const char *why)
{
	return cdna_say(CDNA_EX_INVALID, w->err, w->errlen,
			"domain XML line %ld: <%s>: %s", xmlGetLineNo(dev),
			dev->name, why);
}

/* The source address of @dev into @pci. */
static int source_pci(struct xml_walk *w, const xmlNode *dev,
		      enum cdna_xml_kind kind, char pci[CDNA_PCI_LEN])
{
	static const char * const parts[] = { "domain", "bus", "slot", "function" };
	xmlNode *addr = kind == CDNA_XML_PORT ? child(dev, "address") :
			child(child(dev, "source"), "address");
	unsigned long v[4];
	const char *why;
	size_t i;

	if (!addr)
		return bad_addr(w, dev, "no <source><address .../></source>");
	/* A port's plug address has no type: it is PCI by its plug's. */
	if (kind == CDNA_XML_INTERFACE && !prop_is(addr, "type", "pci", false))
		return bad_addr(w, dev, "its source address is not type='pci'");
	if (kind == CDNA_XML_PORT && !prop_is(addr, "type", "pci", true))
		return bad_addr(w, dev, "its source address is not type='pci'");
	for (i = 0; i < 4; i++)
		if (prop_num(addr, parts[i], &v[i]))
			return bad_addr(w, dev, "a source address part is not a number");
	if (cdna_format_pci(v[0], v[1], v[2], v[3], pci, &why))
		return bad_addr(w, dev, why);
	return 0;
}

static int check_twice(struct xml_walk *w, const char *pci, long line)
{
	unsigned int i;

	for (i = 0; i < w->out->n; i++)
		if (!strcmp(w->out->dev[i].pci, pci))
			return cdna_say(CDNA_EX_INVALID, w->err, w->errlen,
					"domain XML line %ld: %s is passed through twice (line %u)",
					line, pci, w->out->dev[i].line);
	return 0;
}

static char *serialize(xmlNode *n)
{
	xmlBuffer *buf = xmlBufferCreate();
	char *s = NULL;

	if (!buf)
		return NULL;
	if (xmlNodeDump(buf, n->doc, n, 0, 0) >= 0)
		s = strdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	return s;
}

/* A mediated device's UUID into @uuid, its context's VF into @pci. */
static int source_mdev(struct xml_walk *w, const xmlNode *dev,
		       char uuid[CDNA_UUID_LEN], char pci[CDNA_PCI_LEN],
		       bool *keep)
{
	xmlNode *addr = child(child(dev, "source"), "address");
	xmlChar *p = addr ? xmlGetProp(addr, (const xmlChar *)"uuid") : NULL;
	const char *why;
	int ret;

	if (!p)
		return bad_addr(w, dev, "no <source><address uuid='...'/></source>");
	ret = cdna_parse_uuid((const char *)p, uuid, &why);
	xmlFree(p);
	if (ret)
		return bad_addr(w, dev, "its source address uuid is not a UUID");
	*keep = w->m->mdev(uuid, pci, w->m->arg);
	return 0;
}

/* The model of @dev's <driver>; @has says whether there is one. */
static int driver_model(struct xml_walk *w, const xmlNode *dev,
			char model[CDNA_XML_NAME_LEN], bool *has)
{
	xmlNode *drv = child(dev, "driver");
	xmlChar *p = drv ? xmlGetProp(drv, (const xmlChar *)"model") : NULL;
	size_t n = p ? strlen((const char *)p) : 0;

	model[0] = '\0';
	*has = p != NULL;
	if (n >= CDNA_XML_NAME_LEN) {
		xmlFree(p);
		return bad_addr(w, dev, "its driver model is longer than a driver's name");
	}
	if (p)
		memcpy(model, p, n + 1);
	xmlFree(p);
	return 0;
}

static int add_dev(struct xml_walk *w, xmlNode *dev, enum cdna_xml_kind kind)
{
	char pci[CDNA_PCI_LEN], uuid[CDNA_UUID_LEN] = "";
	struct cdna_xml_dev *d;
	bool keep = false;
	int ret;

	if (!prop_is(dev, "managed", "yes", false) &&
	    !prop_is(dev, "managed", "no", true))
		return bad_addr(w, dev, "managed is yes or no");
	if (kind == CDNA_XML_MDEV) {
		ret = source_mdev(w, dev, uuid, pci, &keep);
	} else {
		ret = source_pci(w, dev, kind, pci);
		keep = !ret && w->m->keep(pci, w->m->arg);
	}
	if (ret || !keep)
		return ret;
	ret = check_twice(w, pci, xmlGetLineNo(dev));
	if (ret)
		return ret;
	d = realloc(w->out->dev, (w->out->n + 1) * sizeof(*d));
	if (!d)
		return cdna_say(CDNA_EX_FAIL, w->err, w->errlen, "out of memory");
	w->out->dev = d;
	d = &d[w->out->n];
	memcpy(d->pci, pci, sizeof(pci));
	memcpy(d->uuid, uuid, sizeof(uuid));
	d->kind = kind;
	d->managed = prop_is(dev, "managed", "yes", false);
	d->xml = NULL;
	ret = driver_model(w, dev, d->driver_model, &d->has_driver_model);
	if (ret)
		return ret;
	d->line = (unsigned int)xmlGetLineNo(dev);
	d->xml = serialize(dev);
	if (!d->xml)
		return cdna_say(CDNA_EX_FAIL, w->err, w->errlen, "out of memory");
	w->out->n++;
	return 0;
}

static int walk_devices(struct xml_walk *w, xmlNode *devices)
{
	xmlNode *c;
	int ret = 0;

	for (c = devices->children; c && !ret; c = c->next) {
		if (is_elem(c, "hostdev") &&
		    prop_is(c, "mode", "subsystem", true) &&
		    prop_is(c, "type", "pci", false))
			ret = add_dev(w, c, CDNA_XML_HOSTDEV);
		else if (w->m->mdev && is_elem(c, "hostdev") &&
			 prop_is(c, "mode", "subsystem", true) &&
			 prop_is(c, "type", "mdev", false))
			ret = add_dev(w, c, CDNA_XML_MDEV);
		else if (is_elem(c, "interface") &&
			 prop_is(c, "type", "hostdev", false))
			ret = add_dev(w, c, CDNA_XML_INTERFACE);
	}
	return ret;
}

static int parse_error(char *err, size_t errlen)
{
	const xmlError *e = xmlGetLastError();
	char msg[160] = "not XML";
	size_t n;

	if (e && e->message) {
		snprintf(msg, sizeof(msg), "%s", e->message);
		n = strlen(msg);
		while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
			msg[--n] = '\0';
	}
	return cdna_say(CDNA_EX_INVALID, err, errlen,
			"malformed domain XML (line %d): %s", e ? e->line : 0,
			msg);
}

/**
 * cdna_xml_find - the passed-through PCI functions and mediated devices
 *	@m accepts
 * @buf: the domain XML
 * @len: its length
 * @m: says which devices to return (the cdna contexts)
 * @out: the devices, in document order; free with cdna_xml_free(), also
 *	 on failure
 * @err: what is wrong with the XML
 * @errlen: its size
 *
 * Return: 0, CDNA_EX_INVALID (malformed XML, not a domain, a bad address
 * or UUID, a context passed twice) or CDNA_EX_FAIL (out of memory).
 */
int cdna_xml_find(const char *buf, size_t len, const struct cdna_xml_match *m,
		  struct cdna_xml_devs *out, char *err, size_t errlen)
{
	struct xml_walk w = {
		.m = m, .out = out, .err = err, .errlen = errlen,
	};
	xmlNode *root, *devices;
	xmlDoc *doc;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (len > CDNA_XML_MAX)
		return cdna_say(CDNA_EX_INVALID, err, errlen,
				"domain XML larger than %d bytes", CDNA_XML_MAX);
	xmlResetLastError();
	doc = xmlReadMemory(buf, (int)len, "domain.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING);
	if (!doc)
		return parse_error(err, errlen);
	root = xmlDocGetRootElement(doc);
	if (!root || !is_elem(root, "domain"))
		ret = cdna_say(CDNA_EX_INVALID, err, errlen,
			       "the XML is not a <domain>");
	devices = root ? child(root, "devices") : NULL;
	if (!ret && devices)
		ret = walk_devices(&w, devices);
	xmlFreeDoc(doc);
	return ret;
}

/* The text of @n, NUL-terminated into @buf; -EINVAL when it does not fit. */
static int node_text(const xmlNode *n, char *buf, size_t len)
{
	xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
	int ret = 0;

	buf[0] = '\0';
	if (t && strlen((const char *)t) < len)
		strcpy(buf, (const char *)t);
	else if (t)
		ret = -EINVAL;
	xmlFree(t);
	return ret;
}

static int port_plug(struct xml_walk *w, xmlNode *port, char *owner,
		     size_t ownerlen)
{
	xmlNode *plug = child(port, "plug");

	if (node_text(child(child(port, "owner"), "name"), owner, ownerlen) ||
	    !owner[0])
		return cdna_say(CDNA_EX_INVALID, w->err, w->errlen,
				"network port XML line %ld: no usable <owner><name>",
				xmlGetLineNo(port));
	if (!plug || !prop_is(plug, "type", "hostdev-pci", false))
		return 0;
	return add_dev(w, plug, CDNA_XML_PORT);
}

/**
 * cdna_xml_find_port - the PCI function of a network port, if @m takes it
 * @buf: the network hook's XML (<hookData> with <network> and <networkport>)
 * @len: its length
 * @m: says which PCI functions to return (the cdna contexts; @m->keep)
 * @out: the device (none when the port is not a PCI hostdev or not a
 *	 context); free with cdna_xml_free(), also on failure
 * @owner: the domain that owns the port
 * @ownerlen: its size
 * @err: what is wrong with the XML
 * @errlen: its size
 *
 * Return: 0, CDNA_EX_INVALID or CDNA_EX_FAIL, as cdna_xml_find().
 */
int cdna_xml_find_port(const char *buf, size_t len,
		       const struct cdna_xml_match *m,
		       struct cdna_xml_devs *out, char *owner,
		       size_t ownerlen, char *err, size_t errlen)
{
	struct xml_walk w = {
		.m = m, .out = out, .err = err, .errlen = errlen,
	};
	xmlNode *root, *port;
	xmlDoc *doc;
	int ret;

	memset(out, 0, sizeof(*out));
	owner[0] = '\0';
	if (len > CDNA_XML_MAX)
		return cdna_say(CDNA_EX_INVALID, err, errlen,
				"network port XML larger than %d bytes",
				CDNA_XML_MAX);
	xmlResetLastError();
	doc = xmlReadMemory(buf, (int)len, "port.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING);
	if (!doc)
		return parse_error(err, errlen);
	root = xmlDocGetRootElement(doc);
	port = root && is_elem(root, "hookData") ? child(root, "networkport") :
	       NULL;
	if (port)
		ret = port_plug(&w, port, owner, ownerlen);
	else
		ret = cdna_say(CDNA_EX_INVALID, err, errlen,
			       "the XML is not a <hookData> with a <networkport>");
	xmlFreeDoc(doc);
	return ret;
}

/**
 * cdna_xml_free - release what cdna_xml_find() returned
 * @devs: the devices
 */
void cdna_xml_free(struct cdna_xml_devs *devs)
{
	unsigned int i;

	for (i = 0; i < devs->n; i++)
		free(devs->dev[i].xml);
	free(devs->dev);
	devs->dev = NULL;
	devs->n = 0;
}

/**
 * cdna_xml_hostdev_pci - the <hostdev> attach gives libvirt for a context
 *	in IOMMU mode
 * @vf: the VF's PCI address, normalized
 * @buf: the element
 * @len: its size
 *
 * managed='no': cdnactl binds the context to vmm_guard itself.
 *
 * Return: 0, or -EINVAL (not a PCI address, or @buf too small).
 */
int cdna_xml_hostdev_pci(const char *vf, char *buf, size_t len)
{
	unsigned int d, b, s, f;
	int n;

	if (sscanf(vf, "%4x:%2x:%2x.%1x", &d, &b, &s, &f) != 4)
		return -EINVAL;
	n = snprintf(buf, len,
		     "<hostdev mode='subsystem' type='pci' managed='no'><source><address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/></source></hostdev>",
		     d, b, s, f);
	return n < 0 || (size_t)n >= len ? -EINVAL : 0;
}

/**
 * cdna_xml_hostdev_mdev - the <hostdev> attach gives libvirt for a context
 *	in software mode: its mediated device
 * @uuid: the mediated device's UUID
 * @buf: the element
 * @len: its size
 *
 * QEMU's vfio-pci opens it (-device vfio-pci,sysfsdev=...); the device
 * exists already, created by cdnactl.
 *
 * Return: 0, or -EINVAL (not a UUID, or @buf too small).
 */
int cdna_xml_hostdev_mdev(const char *uuid, char *buf, size_t len)
{
	char norm[CDNA_UUID_LEN];
	const char *why;
	int n;

	if (cdna_parse_uuid(uuid, norm, &why))
		return -EINVAL;
	n = snprintf(buf, len,
		     "<hostdev mode='subsystem' type='mdev' model='vfio-pci' managed='no'><source><address uuid='%s'/></source></hostdev>",
		     norm);
	return n < 0 || (size_t)n >= len ? -EINVAL : 0;
}
