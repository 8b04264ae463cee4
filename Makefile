# SPDX-License-Identifier: GPL-2.0
#
# Out-of-tree build of the CDNA modules, the unit tests and the lab.
#
#   make                 build the three modules (W=1, warnings are errors)
#   make KDIR=...        build against other kernel headers
#   make check           install what is needed, run every test tier
#   make lab             install what is needed, boot the lab and show it
#   make bench           the benchmark (bench/run.sh: two lab boots, ~20 min):
#                        CDNA against the stock drivers, ratios, plots
#   make bench-plots     docs/bench/ tables, plots, README table from results.tsv
#   make bench-strategies        the protection-strategy table (IOMMU mode against
#                        software mode's strategies, two lab boots, ~15 min)
#   make bench-strategies-plots  docs/bench/strategies.* from strategies.tsv
#   make soak            the soak in full on the debug kernel (tests/debug/soak.sh
#                        full: 100 module cycles, 50 VMM kills, 1 GiB, 10^6
#                        mailbox messages); make check runs a short one
#   make checkpatch      checkpatch.pl --strict over the tree
#   make sparse          the modules through sparse (C=2), warnings are errors
#   make dkms-check      dkms add/build/install into build/dkms (6.12 and 6.1)
#   make deb             the Debian packages into build/deb, lintian-checked
#   make userspace       cdnactl (userspace/)
#   make install         cdnactl, its man page and udev rule
#   make install-hooks   the libvirt qemu hook

LAB_CACHE ?= /var/cache/cdna-lab
KVER ?= $(shell . lab/lab.conf && lab_kver)
ifneq ($(wildcard /lib/modules/$(shell uname -r)/build),)
ifeq ($(shell uname -r),$(KVER))
KDIR ?= /lib/modules/$(KVER)/build
endif
endif
KDIR ?= /usr/src/linux-headers-$(KVER)
W ?= 1

CHECKPATCH ?= $(LAB_CACHE)/checkpatch/scripts/checkpatch.pl
CP_FILES = $(shell git ls-files 'kmod/*.c' 'kmod/*.h' 'tests/harness/kmod/*.c' 2>/dev/null)

# Bookworm's stable kernel: the host-side modules (PF and guard) must build
# there too.
KDIR_STABLE ?= $(lastword $(sort $(wildcard /usr/src/linux-headers-6.1.*-amd64)))

# The lab's guest kernel (lab/guest-kernel/): cdna_vf runs in guests; the
# host-side modules need host-side subsystems (VFIO) it does not have.
KDIR_GUEST ?= $(LAB_CACHE)/gk/build

# The lab's debug host kernel (lab/debug-kernel/: KASAN, lockdep, kmemleak,
# KUnit): the three modules built for it run in the debug tier.
KDIR_DEBUG ?= $(LAB_CACHE)/dk/build

.PHONY: bench-strategies bench-strategies-plots
.PHONY: all modules clean setup unit check lab soak bench bench-plots checkpatch sparse dkms-check deb harness-kmod modules-stable modules-guest modules-debug \
	userspace install install-hooks

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=$(W) CDNA_WERROR=y modules

# Out of tree builds write next to the sources: build a copy.
modules-stable:
	@test -n "$(KDIR_STABLE)" || { echo "no 6.1 headers: run 'make setup'"; exit 1; }
	rm -rf build/stable && mkdir -p build/stable
	cp -r kmod build/stable/
	echo 'obj-y += kmod/cdna-pf/ kmod/vmm-guard/' > build/stable/Kbuild
	find build/stable -name '*.o' -o -name '*.ko' -o -name '.*.cmd' | xargs rm -f
	$(MAKE) -C $(KDIR_STABLE) M=$(CURDIR)/build/stable W=$(W) CDNA_WERROR=y modules

modules-guest:
	@test -f $(KDIR_GUEST)/Module.symvers || { echo "no guest kernel build: run 'make setup'"; exit 1; }
	rm -rf build/guest && mkdir -p build/guest
	cp -r kmod build/guest/
	find build/guest -name '*.o' -o -name '*.ko' -o -name '.*.cmd' | xargs rm -f
	$(MAKE) -C $(KDIR_GUEST) M=$(CURDIR)/build/guest/kmod/cdna-vf W=$(W) CDNA_WERROR=y modules

modules-debug:
	@test -f $(KDIR_DEBUG)/Module.symvers || { echo "no debug kernel build: run lab/debug-kernel/build.sh"; exit 1; }
	rm -rf build/debug && mkdir -p build/debug
	cp -r kmod Kbuild build/debug/
	find build/debug -name '*.o' -o -name '*.ko' -o -name '.*.cmd' | xargs rm -f
	$(MAKE) -C $(KDIR_DEBUG) M=$(CURDIR)/build/debug W=$(W) CDNA_WERROR=y CDNA_KUNIT=y modules

# A module that only the harness self-tests load: it WARNs on purpose.
harness-kmod:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/tests/harness/kmod W=$(W) modules

userspace:
	$(MAKE) -C userspace CDNA_WERROR=y

install install-hooks:
	$(MAKE) -C userspace $@

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	$(MAKE) -C $(KDIR) M=$(CURDIR)/tests/harness/kmod clean
	$(MAKE) -C tests/tools clean
	$(MAKE) -C tests/unit clean
	rm -rf build

setup:
	bash lab/setup.sh

unit:
	$(MAKE) -C tests/unit

check: setup
	bash tests/run.sh

lab: setup
	bash lab/demo.sh

# The soak in full, in one lab VM on the debug kernel (built and cached by
# lab/debug-kernel/build.sh); the lab lock is the caller's: flock
# /tmp/cdna-vm.lock make soak.
soak: setup
	bash lab/debug-kernel/build.sh
	$(MAKE) modules-debug
	$(MAKE) -C tests/tools
	LAB_KERNEL=debug bash lab/run-vm.sh -t 7200 -m 3072 tests/debug/soak.sh full

# The whole stack against the stock drivers, side by side in two lab
# boots (bench/run.sh; BENCH_ROUNDS, BENCH_SECS, BENCH_BUDGET); the lab
# lock is the caller's: flock /tmp/cdna-vm.lock make bench.
bench: setup modules
	$(MAKE) -C tests/tools
	bash bench/run.sh

# The report and plots again from docs/bench/results.tsv (gnuplot).
bench-plots:
	bash bench/report.sh

# The protection-strategy table (bench/strategies.sh: two lab boots, about
# 15 minutes; each takes /tmp/cdna-vm.lock itself): IOMMU mode against
# software mode's strategies, docs/bench/strategies.{md,tsv,svg}.
bench-strategies: setup modules
	$(MAKE) -C bench/swc
	$(MAKE) -C bench/swring
	bash bench/strategies.sh

# The strategy table and plot again from docs/bench/strategies.tsv.
bench-strategies-plots:
	bash bench/strategies-report.sh

# sparse over every source file of the three modules (C=2: also those
# already built); run_step in tests/run.sh fails on any warning.
sparse:
	@command -v sparse > /dev/null || { echo "no sparse: run 'make setup'"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=$(W) C=2 CDNA_WERROR=y modules

# DKMS as a host runs it, kept inside build/dkms (tests/host/dkms-install.sh
# loads the result in the lab VM).
dkms-check:
	bash lab/dkms-build.sh

# cdna-dkms and cdnactl .debs (tests/host/deb-install.sh installs them).
deb:
	bash lab/deb-build.sh

checkpatch:
	@test -x $(CHECKPATCH) || { echo "no checkpatch.pl: run 'make setup'"; exit 1; }
	$(CHECKPATCH) --strict --no-tree --terse --show-types \
		--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES -f $(CP_FILES)
