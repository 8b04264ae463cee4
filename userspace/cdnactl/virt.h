/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libvirt side of cdnactl (attach and detach only; the hook never comes
 * here: a hook that calls back into libvirtd deadlocks it).
 */
#ifndef CDNA_VIRT_H
#define CDNA_VIRT_H

#include <stdbool.h>

#include <libvirt/libvirt.h>

#define CDNA_URI_DEFAULT	"qemu:///system"

int cdna_virt_open(const char *uri, virConnectPtr *conn);
int cdna_virt_domain(virConnectPtr conn, const char *name,
		     virDomainPtr *dom);
int cdna_virt_attach(virDomainPtr dom, const char *devxml, const char *what,
		     bool config);
int cdna_virt_detach(virDomainPtr dom, const char *devxml, bool config);
int cdna_virt_live_xml(virDomainPtr dom, char **xml);

#endif /* CDNA_VIRT_H */
