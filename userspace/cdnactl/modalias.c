// SPDX-License-Identifier: GPL-2.0
/*
 * libvirt's choice of a VFIO variant driver from modules.alias (see
 * modalias.h).
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "modalias.h"

#define NFIELDS		7
#define FIELD_LEN	16

static const char * const field_tags[NFIELDS] = {
	"v", "d", "sv", "sd", "bc", "sc", "i",
};

/*
 * Split "v00008086d000010CAsv...i00" into its seven values, in order;
 * false when @s is not of that form (a lower-case tag, then a value of
 * anything but lower-case letters, seven times).
 */
static bool split_fields(const char *s, char f[NFIELDS][FIELD_LEN])
{
	unsigned int i;
	size_t n;

	for (i = 0; i < NFIELDS; i++) {
		n = strlen(field_tags[i]);
		if (strncmp(s, field_tags[i], n) || islower((unsigned char)s[n]))
			return false;
		s += n;
		for (n = 0; s[n] && !islower((unsigned char)s[n]); n++)
			;
		if (!n || n >= FIELD_LEN)
			return false;
		memcpy(f[i], s, n);
		f[i][n] = '\0';
		s += n;
	}
	return !*s;
}

/* -1: @alias does not match @dev; else its number of wildcards. */
static int match(char dev[NFIELDS][FIELD_LEN], char alias[NFIELDS][FIELD_LEN])
{
	unsigned int i;
	int wild = 0;

	for (i = 0; i < NFIELDS; i++) {
		if (!strcmp(alias[i], "*"))
			wild++;
		else if (strcmp(alias[i], dev[i]))
			return -1;
	}
	return wild;
}

/**
 * cdna_best_vfio_variant - the VFIO variant driver libvirt would pick
 * @modalias: the device's modalias file ("pci:v00008086d000010CA...")
 * @aliases: modules.alias of the running kernel
 * @module: the module's name, "" when no vfio_pci alias matches (libvirt
 *	    then takes vfio-pci)
 * @len: size of @module
 *
 * Return: 0, or -1 when @modalias is not a PCI modalias.
 */
int cdna_best_vfio_variant(const char *modalias, FILE *aliases,
			   char *module, size_t len)
{
	static const char prefix[] = "alias vfio_pci:";
	char dev[NFIELDS][FIELD_LEN], al[NFIELDS][FIELD_LEN];
	char *line = NULL, *p, *name;
	int best = NFIELDS + 1, w;
	unsigned int lineno = 0;
	size_t cap = 0;

	module[0] = '\0';
	if (strncmp(modalias, "pci:", 4) || !split_fields(modalias + 4, dev))
		return -1;
	/* libvirt looks for "\nalias vfio_pci:": never on the first line. */
	while (getline(&line, &cap, aliases) >= 0) {
		if (!lineno++ || strncmp(line, prefix, sizeof(prefix) - 1))
			continue;
		p = line + sizeof(prefix) - 1;
		/* The pattern ends at the first space, the name at the line's end. */
		name = strchr(p, ' ');
		if (!name)
			continue;
		*name++ = '\0';
		name[strcspn(name, "\n")] = '\0';
		if (!split_fields(p, al))
			continue;
		w = match(dev, al);
		if (w < 0 || w >= best || !*name || strlen(name) >= len)
			continue;
		best = w;
		strcpy(module, name);
	}
	free(line);
	return 0;
}
