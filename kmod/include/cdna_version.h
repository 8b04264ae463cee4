/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The release of the CDNA modules: one version for all three (they share
 * kmod/include's interfaces and are built and shipped together).
 */
#ifndef _CDNA_VERSION_H_
#define _CDNA_VERSION_H_

#define CDNA_VERSION		"0.4.0"

#endif /* _CDNA_VERSION_H_ */
