/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PCI functions a libvirt domain XML passes through: <hostdev
 * mode='subsystem' type='pci'> and <interface type='hostdev'>, with their
 * <source><address domain bus slot function/>, checked, and the mediated
 * devices of software-mode contexts, <hostdev mode='subsystem'
 * type='mdev'> with their <source><address uuid/>.  Used by the hook on
 * the XML libvirt gives it and by detach on the live XML.  Also the PCI
 * function of a network port (<hookData><networkport>, what libvirt gives
 * its network hook) that a <forward mode='hostdev'> network chose.  And
 * the <hostdev> elements attach gives libvirt.  libxml2 only (no
 * libvirt): unit-tested.
 */
#ifndef CDNA_DOMXML_H
#define CDNA_DOMXML_H

#include <stdbool.h>
#include <stddef.h>

#include "parse.h"

#define CDNA_XML_MAX	(16 << 20)	/* larger is not a domain */
#define CDNA_XML_NAME_LEN	64	/* a driver model's name and its NUL */

enum cdna_xml_kind {
	CDNA_XML_HOSTDEV,	/* <hostdev mode='subsystem' type='pci'> */
	CDNA_XML_INTERFACE,	/* <interface type='hostdev'> */
	CDNA_XML_PORT,		/* <networkport><plug type='hostdev-pci'> */
	CDNA_XML_MDEV,		/* <hostdev mode='subsystem' type='mdev'> */
};

/**
 * struct cdna_xml_dev - one passed-through PCI function or mediated device
 * @pci: its source address, normalized; for a mediated device the VF of
 *	 the context behind it
 * @uuid: a mediated device's UUID, normalized; "" for the other kinds
 * @kind: the element it came from
 * @managed: managed='yes'
 * @driver_model: the model of its <driver> (<driver name='vfio'
 *	model='vmm_guard'/>): the VFIO driver libvirt binds a managed='yes'
 *	device to
 * @has_driver_model: the XML gives a model, maybe model='' (which libvirt
 *	keeps as a model, not as none)
 * @line: the element's line in the XML
 * @xml: the element, serialized (what detach gives back to libvirt)
 */
struct cdna_xml_dev {
	char pci[CDNA_PCI_LEN];
	char uuid[CDNA_UUID_LEN];
	enum cdna_xml_kind kind;
	bool managed;
	char driver_model[CDNA_XML_NAME_LEN];
	bool has_driver_model;
	unsigned int line;
	char *xml;
};

struct cdna_xml_devs {
	struct cdna_xml_dev *dev;
	unsigned int n;
};

/* Whether a PCI function is one to keep (a cdna context). */
typedef bool (*cdna_xml_keep_fn)(const char *pci, void *arg);
/* Whether a mediated device is a cdna context's, and which (its VF). */
typedef bool (*cdna_xml_mdev_fn)(const char *uuid, char pci[CDNA_PCI_LEN],
				 void *arg);

/**
 * struct cdna_xml_match - which devices of the XML are contexts
 * @keep: the PCI functions to return
 * @mdev: the mediated devices to return; NULL: none
 * @arg: for both
 */
struct cdna_xml_match {
	cdna_xml_keep_fn keep;
	cdna_xml_mdev_fn mdev;
	void *arg;
};

int cdna_xml_find(const char *buf, size_t len, const struct cdna_xml_match *m,
		  struct cdna_xml_devs *out, char *err, size_t errlen);
int cdna_xml_find_port(const char *buf, size_t len,
		       const struct cdna_xml_match *m,
		       struct cdna_xml_devs *out, char *owner,
		       size_t ownerlen, char *err, size_t errlen);
void cdna_xml_free(struct cdna_xml_devs *devs);
const char *cdna_xml_kind_name(enum cdna_xml_kind kind);
int cdna_xml_hostdev_pci(const char *vf, char *buf, size_t len);
int cdna_xml_hostdev_mdev(const char *uuid, char *buf, size_t len);

#endif /* CDNA_DOMXML_H */
