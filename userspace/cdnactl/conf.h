/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration file of `cdnactl save` and `cdnactl restore`: the
 * contexts of each PF and their policy, so that they come back after a
 * reboot.  Plain C: unit-tested.
 *
 *   # comment
 *   pf 0000:01:00.0 contexts 4
 *   ctx 0000:01:00.0/0 mac 52:54:00:cd:00:00 vlan 10 qos 3 spoofchk on trust off state auto rate 0
 *   ctx 0000:01:00.0/1 mode iommu
 *
 * A PF is named by its PCI address (netdev names may change across
 * boots); every PF the file names is given to cdna_pf at boot (cdnactl
 * claim, from userspace/system/90-cdna.rules).  A ctx line follows the
 * pf line of its PF; a setting a ctx line leaves out is left as the PF
 * made it; "mode iommu|sw" binds the context to the guard's driver of
 * that mode once its policy is applied, so it waits there for a VM.
 */
#ifndef CDNA_CONF_H
#define CDNA_CONF_H

#include <stdio.h>

#include "parse.h"
#include "policy.h"

#define CDNA_CONF_DEFAULT	"/etc/cdna/contexts.conf"
#define CDNA_CONF_MAX_CTX	256	/* per PF */
#define CDNA_CONF_LINE_MAX	1024

/**
 * struct cdna_conf_pf - one pf line and its ctx lines
 * @pci: the PF's PCI address
 * @count: its number of contexts
 * @line: the line of the pf line
 * @ctx: @count policies; mask 0 when the file has no ctx line for one
 * @mode: @count enum cdna_mode, or -1 where the file gives none
 */
struct cdna_conf_pf {
	char pci[CDNA_PCI_LEN];
	unsigned int count;
	unsigned int line;
	struct cdna_policy *ctx;
	int *mode;
};

/**
 * struct cdna_conf - a whole file
 * @pf: its PFs, in file order
 * @npf: how many
 */
struct cdna_conf {
	struct cdna_conf_pf *pf;
	unsigned int npf;
};

int cdna_conf_parse(FILE *f, const char *name, struct cdna_conf *conf,
		    char *err, size_t errlen);
void cdna_conf_free(struct cdna_conf *conf);
struct cdna_conf_pf *cdna_conf_find(const struct cdna_conf *conf,
				    const char *pci);
int cdna_conf_add_pf(struct cdna_conf *conf, const char *pci,
		     unsigned int count);
int cdna_conf_write(FILE *f, const struct cdna_conf *conf);

#endif /* CDNA_CONF_H */
