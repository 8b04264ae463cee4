/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which VFIO driver libvirt binds a managed='yes' PCI device to when the
 * domain XML names none (<driver model='...'/>): the VFIO variant driver
 * whose "alias vfio_pci:..." line in modules.alias matches the device's
 * modalias with the fewest wildcards, else vfio-pci.  The rule of
 * libvirt's virPCIDeviceFindBestVFIOVariant() (src/util/virpci.c, since
 * libvirt 10.0): the fields v, d, sv, sd, bc, sc and i each match when
 * equal or "*"; the first of equally specific lines wins; a line's
 * pattern ends at its first space and the module's name runs from there
 * to the end of the line; the file's first line is never read (libvirt
 * looks for "\nalias vfio_pci:").  Plain C: unit-tested.
 */
#ifndef CDNA_MODALIAS_H
#define CDNA_MODALIAS_H

#include <stddef.h>
#include <stdio.h>

#define CDNA_MODULES_ALIAS	"/lib/modules/%s/modules.alias"

int cdna_best_vfio_variant(const char *modalias, FILE *aliases,
			   char *module, size_t len);

#endif /* CDNA_MODALIAS_H */
