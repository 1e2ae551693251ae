# Top-level build for the OCFS2-compatible suite.
#
# Kernel modules build out of tree against KDIR (Debian linux-headers).  Each
# kernel version gets its own object tree under build/<KVER>/ (a symlink farm
# of the sources), so 6.1 and 6.12 objects never overwrite each other.

SHELL := /bin/bash
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

# Newest installed Debian amd64 headers unless KVER/KDIR say otherwise.
# KVER may be a full release (6.1.0-56-amd64) or a series (6.1, 6.12).
headers_for = $(lastword $(sort $(notdir $(wildcard /usr/src/linux-headers-$(1)*-amd64))))
headers_of = $(lastword $(sort $(notdir $(wildcard /usr/src/linux-headers-$(1).*-amd64 /usr/src/linux-headers-$(1)-*-amd64))))
KVER ?= $(patsubst linux-headers-%,%,$(call headers_for,))
ifneq ($(filter 6.%,$(KVER)),)
ifeq ($(wildcard /usr/src/linux-headers-$(KVER)),)
override KVER := $(patsubst linux-headers-%,%,$(call headers_of,$(KVER)))
endif
endif
KDIR ?= /usr/src/linux-headers-$(KVER)
BUILD := $(TOP)/build/$(KVER)

# Every directory holding a Kbuild file is a kernel part; directories with no
# code yet build nothing.
KERNEL_DIRS := $(patsubst %/Kbuild,%,$(wildcard */Kbuild))
USER_DIRS := $(patsubst %/Makefile,%,$(wildcard tools/Makefile ocfs2_controld/Makefile tests/stress/Makefile))

DESTDIR ?=
PREFIX ?=
SBINDIR ?= $(PREFIX)/sbin

.PHONY: all modules modules-all tools install install-modules install-tools \
	deps check check-extended unit lab-check demo bench clean help

all: modules tools

help:
	@echo "make [KVER=6.1|6.12|<release>]  build modules and tools"
	@echo "make modules-all                build modules for every installed Debian kernel"
	@echo "make deps                       install the Debian packages everything needs"
	@echo "make check                      unit tests, then the lab suite"
	@echo "make check-extended             the long lab proofs (tests/lab/suite-extended.list)"
	@echo "make demo                       boot a lab cluster and show the suite at work"
	@echo "make bench                      benchmarks, ours against stock"
	@echo "make install DESTDIR=..         tools to sbin/, modules to lib/modules/KVER/updates/"

modules:
ifeq ($(KERNEL_DIRS),)
	@echo "no kernel parts yet"
else
	@test -d $(KDIR) || { echo "headers for $(KVER) not found at $(KDIR): run 'make deps'"; exit 1; }
	@mkdir -p $(BUILD)
	@rsync -a --delete --include='*/' --include='Kbuild' --include='Kconfig' \
		--include='*.c' --include='*.h' --exclude='*' \
		--link-dest=$(TOP) $(addprefix $(TOP)/,Kbuild $(KERNEL_DIRS) include) $(BUILD)/
	$(MAKE) -C $(KDIR) M=$(BUILD) W=$(or $(W),1) modules
endif

modules-all:
	@for h in $$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null); do \
		v=$${h#/usr/src/linux-headers-}; \
		$(MAKE) --no-print-directory modules KVER=$$v || exit 1; \
	done

tools:
	@for d in $(USER_DIRS); do $(MAKE) -C $$d || exit 1; done

install: install-modules install-tools

install-modules: modules
ifneq ($(KERNEL_DIRS),)
	@mkdir -p $(DESTDIR)/lib/modules/$(KVER)/updates
	@find $(BUILD) -name '*.ko' -exec install -m 0644 {} $(DESTDIR)/lib/modules/$(KVER)/updates/ \;
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi
endif

install-tools: tools
	@for d in $(USER_DIRS); do $(MAKE) -C $$d install DESTDIR=$(abspath $(DESTDIR)) SBINDIR=$(SBINDIR) || exit 1; done

deps:
	bash scripts/deps.sh

unit: tools
	@bash tests/unit/run

lab-check: modules-all tools
	@bash tests/lab/suite

check:
	@bash tests/check

check-extended: modules-all tools
	@bash tests/lab/suite --extended

demo:
	@bash tests/demo/run

bench:
	@bash tests/bench/run

clean:
	rm -rf build
	@for d in $(USER_DIRS); do $(MAKE) -C $$d clean; done
