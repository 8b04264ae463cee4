// SPDX-License-Identifier: GPL-2.0
/*
 * cdna-regs: read or write 32-bit registers of a PCI function's memory BAR
 * through sysfs, for lab tests that check what a driver programmed.
 *
 *   cdna-regs DEV BAR REG               print the register (0x%08x)
 *   cdna-regs DEV BAR REG=VALUE ...     write, then print what reads back
 *   cdna-regs -l                        list the register names
 *
 * DEV is a PCI address (0000:01:00.0).  REG is an offset (0xc8c) or a
 * register name from the drivers' headers, without the CDNA_ prefix: VFRE,
 * VLVF(3), RAL(17), VF_V2PMAILBOX (regnames.h, generated from
 * kmod/cdna-pf/pf_regs.h and kmod/include/cdna_vf_regs.h).  Several
 * REG[=VALUE] arguments are done in order, one line each.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct regname {
	const char *name;
	unsigned long base;
	unsigned long stride;	/* 0: no index */
};

static const struct regname regnames[] = {
#include "regnames.h"
};

/*
 * RAL(i)/RAH(i): the receive address table is in two ranges (entries
 * 0-15 and 16-23), kmod/cdna-pf/pf_regs.h cdna_ral().
 */
static unsigned long ral(unsigned long i)
{
	return i < 16 ? 0x05400 + 8 * i : 0x054e0 + 8 * (i - 16);
}

static unsigned long parse(const char *s, const char *what);

/* A register name, NAME or NAME(i); ULONG_MAX when @s is not one. */
static unsigned long regname(const char *s)
{
	unsigned long idx = 0;
	const char *paren;
	size_t len, i;
	bool indexed;

	if (!((*s >= 'A' && *s <= 'Z') || *s == '_'))
		return ULONG_MAX;
	len = strcspn(s, "(=");
	paren = s[len] == '(' ? s + len : NULL;
	indexed = paren;
	if (paren) {
		char *end;

		errno = 0;
		idx = strtoul(paren + 1, &end, 0);
		if (errno || end == paren + 1 || *end != ')' ||
		    (end[1] && end[1] != '=')) {
			fprintf(stderr, "cdna-regs: bad index in '%s'\n", s);
			exit(2);
		}
	}
	if ((len == 3 && !strncmp(s, "RAL", 3)) ||
	    (len == 3 && !strncmp(s, "RAH", 3))) {
		if (!indexed || idx > 23) {
			fprintf(stderr, "cdna-regs: %.*s needs an index 0-23\n",
				(int)len, s);
			exit(2);
		}
		return ral(idx) + (s[2] == 'H' ? 4 : 0);
	}
	for (i = 0; i < sizeof(regnames) / sizeof(regnames[0]); i++) {
		const struct regname *r = &regnames[i];

		if (strlen(r->name) != len || strncmp(r->name, s, len))
			continue;
		if (indexed != !!r->stride) {
			fprintf(stderr, "cdna-regs: %s %s an index\n", r->name,
				r->stride ? "needs" : "takes no");
			exit(2);
		}
		return r->base + r->stride * idx;
	}
	fprintf(stderr, "cdna-regs: no register '%.*s' (cdna-regs -l lists them)\n",
		(int)len, s);
	exit(2);
}

static unsigned long parse(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || (*end && *end != '=')) {
		fprintf(stderr, "cdna-regs: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	char path[256];
	struct stat st;
	volatile uint32_t *regs;
	unsigned long bar;
	int fd, i;

	if (argc == 2 && !strcmp(argv[1], "-l")) {
		for (i = 0; i < (int)(sizeof(regnames) / sizeof(regnames[0])); i++)
			printf("%s%s 0x%05lx\n", regnames[i].name,
			       regnames[i].stride ? "(i)" : "",
			       regnames[i].base);
		printf("RAL(i) RAH(i)\n");
		return 0;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: cdna-regs DEV BAR REG[=VALUE]...\n");
		return 2;
	}
	bar = parse(argv[2], "BAR");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%lu",
		 argv[1], bar);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "cdna-regs: %s: %s\n", path, strerror(errno));
		return 1;
	}
	regs = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		    fd, 0);
	if (regs == MAP_FAILED) {
		fprintf(stderr, "cdna-regs: mmap %s: %s\n", path,
			strerror(errno));
		return 1;
	}
	for (i = 3; i < argc; i++) {
		unsigned long off = regname(argv[i]);
		char *eq = strchr(argv[i], '=');

		if (off == ULONG_MAX)
			off = parse(argv[i], "offset");

		if (off & 3 || off + 4 > (unsigned long)st.st_size) {
			fprintf(stderr, "cdna-regs: offset 0x%lx outside BAR%lu (%lld bytes)\n",
				off, bar, (long long)st.st_size);
			return 2;
		}
		if (eq)
			regs[off / 4] = (uint32_t)parse(eq + 1, "value");
		printf("0x%08x\n", regs[off / 4]);
	}
	return 0;
}
