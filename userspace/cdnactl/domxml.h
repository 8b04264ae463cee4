/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PCI functions a libvirt domain XML passes through: <hostdev
 * mode='subsystem' type='pci'> and <interface type='hostdev'>, with their
 * <source><address domain bus slot function/>, checked.  Used by the hook
 * on the XML libvirt gives it and by detach on the live XML.  Also the
 * PCI function of a network port (<hookData><networkport>, what libvirt
 * gives its network hook) that a <forward mode='hostdev'> network chose.  libxml2
 * only (no libvirt): unit-tested.
 */
#ifndef CDNA_DOMXML_H
#define CDNA_DOMXML_H

#include <stdbool.h>
#include <stddef.h>

#include "parse.h"

#define CDNA_XML_MAX	(16 << 20)	/* larger is not a domain */

enum cdna_xml_kind {
	CDNA_XML_HOSTDEV,	/* <hostdev mode='subsystem' type='pci'> */
	CDNA_XML_INTERFACE,	/* <interface type='hostdev'> */
	CDNA_XML_PORT,		/* <networkport><plug type='hostdev-pci'> */
};

/**
 * struct cdna_xml_dev - one passed-through PCI function
 * @pci: its source address, normalized
 * @kind: the element it came from
 * @managed: managed='yes'
 * @line: the element's line in the XML
 * @xml: the element, serialized (what detach gives back to libvirt)
 */
struct cdna_xml_dev {
	char pci[CDNA_PCI_LEN];
	enum cdna_xml_kind kind;
	bool managed;
	unsigned int line;
	char *xml;
};

struct cdna_xml_devs {
	struct cdna_xml_dev *dev;
	unsigned int n;
};

/* Whether a PCI function is one to keep (a cdna context). */
typedef bool (*cdna_xml_keep_fn)(const char *pci, void *arg);

int cdna_xml_find(const char *buf, size_t len, cdna_xml_keep_fn keep,
		  void *arg, struct cdna_xml_devs *out, char *err,
		  size_t errlen);
int cdna_xml_find_port(const char *buf, size_t len, cdna_xml_keep_fn keep,
		       void *arg, struct cdna_xml_devs *out, char *owner,
		       size_t ownerlen, char *err, size_t errlen);
void cdna_xml_free(struct cdna_xml_devs *devs);
const char *cdna_xml_kind_name(enum cdna_xml_kind kind);

#endif /* CDNA_DOMXML_H */
