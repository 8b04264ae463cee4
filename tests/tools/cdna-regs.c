// SPDX-License-Identifier: GPL-2.0
/*
 * cdna-regs: read or write 32-bit registers of a PCI function's memory BAR
 * through sysfs, for lab tests that check what a driver programmed.
 *
 *   cdna-regs DEV BAR OFFSET            print the register (0x%08x)
 *   cdna-regs DEV BAR OFFSET=VALUE ...  write, then print what reads back
 *
 * DEV is a PCI address (0000:01:00.0).  Several OFFSET[=VALUE] arguments
 * are done in order, one line each.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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

	if (argc < 4) {
		fprintf(stderr, "usage: cdna-regs DEV BAR OFFSET[=VALUE]...\n");
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
		unsigned long off = parse(argv[i], "offset");
		char *eq = strchr(argv[i], '=');

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
