# tradsec — two commands set everything up on a fresh Debian/Ubuntu machine:
#   make demo   build, play the bundled incident and open the console on it
#   make test   install missing system packages, build, run every test

SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
# pkg-config (SwiftPM finds the system libraries with it), ncurses (console), SQLite and LZ4 (history),
# libcurl (notifications, actions), OpenSSL's libcrypto (backup digests). The rest are real components
# the tests run against: tmux (console end to end), curl (a client the processor did not write),
# podman + runc + netavark + iptables + busybox (a Docker-compatible engine with bridge networks and a
# container image built without a registry), Alertmanager and promtool (notifications, /metrics),
# python3-venv (the SMTP server aiosmtpd), sqlite3 (the shell: reads the history through the loadable
# extension, compared with `tradsec sql`).
BUILD_PACKAGES := pkg-config libncurses-dev libsqlite3-dev liblz4-dev libcurl4-openssl-dev libssl-dev
# The host sensor (`tradsec sense`): libbpf and libelf (its BPF object's loader), bpftool (turns the
# kernel's BTF into vmlinux.h). Optional: without them everything else builds and `sense` says how
# to enable it.
SENSOR_PACKAGES := libbpf-dev libelf-dev bpftool
TEST_PACKAGES := tmux curl podman runc netavark iptables busybox-static prometheus-alertmanager prometheus python3-venv sqlite3
# Python test tools live in a virtualenv under .build, never in the system's site-packages.
TOOLS_VENV := .build/tools/venv
# Per user and private: $XDG_RUNTIME_DIR (0700, the user's own) or ~/.local/state, never a name in /tmp another user can plant first.
DEMO_DB := $(or $(XDG_RUNTIME_DIR),$(HOME)/.local/state)/tradsec/demo.sqlite
# The sensor's BPF object, compiled for the running kernel's BTF (CO-RE: it also loads on others).
# The binary looks for it beside itself, here (../../bpf from .build/<triple>/<config>/), or under
# <prefix>/lib/tradsec; docs/sensor.md has the details.
BPF_DIR := .build/bpf
BPF_OBJECT := $(BPF_DIR)/tradsec-sensor.bpf.o
BPF_SOURCES := Sources/CSensor/bpf/sensor.bpf.c Sources/CSensor/include/tradsec_sensor_record.h
BPF_CLANG ?= $(or $(shell command -v clang 2>/dev/null),$(dir $(realpath $(SWIFT)))clang)
BPFTOOL ?= $(or $(shell command -v bpftool 2>/dev/null),$(wildcard /usr/sbin/bpftool))
BTF := /sys/kernel/btf/vmlinux
BPF_ARCH := $(subst x86_64,x86,$(subst aarch64,arm64,$(shell uname -m)))
# The history's `alerts` virtual table and `alert_output` function as a loadable SQLite extension,
# for the sqlite3 shell (`.load .build/tradsec_alerts`; docs/history.md). alert_rows.c is the very
# file tradsec links, compiled against the extension API (sqlite-extension/sqlite_api.h); -z defs
# proves no call bypasses that API.
CC_HOST := $(or $(shell command -v cc 2>/dev/null),$(dir $(SWIFT))clang)
SQLITE_EXTENSION := .build/tradsec_alerts.so
SQLITE_EXTENSION_OBJECTS := .build/sqlite-extension
SQLITE_EXTENSION_SOURCES := Sources/CAlertRows/alert_rows.c Sources/CAlertRows/include/CAlertRows.h \
	$(wildcard sqlite-extension/*.c sqlite-extension/*.h)
SQLITE_EXTENSION_CFLAGS := -O2 -g -fPIC -fvisibility=hidden -Wall -Wextra -ISources/CAlertRows/include -Isqlite-extension

.PHONY: all build release test golden demo deps test-deps tools bench bench-sqlite bench-lz4 bpf sqlite-extension fuzz fuzz-build fuzz-seed fuzz-triage clean

all: build

# Building needs only the libraries; the tests also need their real components.
deps: PACKAGES = $(BUILD_PACKAGES)
test-deps: PACKAGES = $(BUILD_PACKAGES) $(TEST_PACKAGES)
deps test-deps:
	@missing=""; optional=""; \
	for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	for p in $(SENSOR_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || optional="$$optional $$p"; done; \
	if [ -n "$$missing$$optional" ] && [ "$$(id -u)" = 0 ]; then \
		echo "installing:$$missing$$optional"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing$$optional; \
	elif [ -n "$$missing" ]; then \
		echo "missing system packages; run:"; echo "  sudo apt-get install -y$$missing$$optional"; exit 1; \
	elif [ -n "$$optional" ]; then \
		echo "note: the host sensor (tradsec sense) needs:$$optional; run: sudo apt-get install -y$$optional && make"; \
	fi

# The sensor's BPF object. Skipped with a note (not an error) where the tools or the kernel's BTF
# are missing: the rest of tradsec does not need it.
bpf:
	@if [ -z "$(BPFTOOL)" ] || [ ! -r /usr/include/bpf/bpf_helpers.h ] || [ ! -x "$(BPF_CLANG)" ]; then \
		echo "note: host sensor not built (needs $(SENSOR_PACKAGES) and clang); run: sudo apt-get install -y $(SENSOR_PACKAGES) && make"; \
	elif [ ! -r $(BTF) ]; then \
		echo "note: host sensor not built: this kernel exposes no BTF ($(BTF)); it needs CONFIG_DEBUG_INFO_BTF=y"; \
	else \
		$(MAKE) --no-print-directory $(BPF_OBJECT); \
	fi

$(BPF_DIR)/vmlinux.h: $(BTF)
	@mkdir -p $(BPF_DIR)
	$(BPFTOOL) btf dump file $(BTF) format c > $@.tmp && mv $@.tmp $@

$(BPF_OBJECT): $(BPF_SOURCES) $(BPF_DIR)/vmlinux.h
	$(BPF_CLANG) -target bpf -D__TARGET_ARCH_$(BPF_ARCH) -O2 -g -Wall -Wno-unknown-warning-option \
		-Wno-default-const-init-var-unsafe -I$(BPF_DIR) -ISources/CSensor/include -c $< -o $@.tmp && mv $@.tmp $@

sqlite-extension: deps
	@$(MAKE) --no-print-directory $(SQLITE_EXTENSION)

$(SQLITE_EXTENSION): $(SQLITE_EXTENSION_SOURCES)
	@mkdir -p $(SQLITE_EXTENSION_OBJECTS)
	$(CC_HOST) $(SQLITE_EXTENSION_CFLAGS) -include sqlite-extension/sqlite_api.h -c Sources/CAlertRows/alert_rows.c -o $(SQLITE_EXTENSION_OBJECTS)/alert_rows.o
	$(CC_HOST) $(SQLITE_EXTENSION_CFLAGS) -c sqlite-extension/alert_output.c -o $(SQLITE_EXTENSION_OBJECTS)/alert_output.o
	$(CC_HOST) $(SQLITE_EXTENSION_CFLAGS) -c sqlite-extension/extension.c -o $(SQLITE_EXTENSION_OBJECTS)/extension.o
	$(CC_HOST) -shared -Wl,-z,defs -o $@.tmp $(SQLITE_EXTENSION_OBJECTS)/alert_rows.o $(SQLITE_EXTENSION_OBJECTS)/alert_output.o \
		$(SQLITE_EXTENSION_OBJECTS)/extension.o -llz4 && mv $@.tmp $@

# aiosmtpd: a real SMTP server for the e-mail notification tests.
tools: test-deps
	@test -x $(TOOLS_VENV)/bin/aiosmtpd || { python3 -m venv $(TOOLS_VENV) && $(TOOLS_VENV)/bin/pip install -q aiosmtpd==1.4.6; }

build: deps bpf sqlite-extension
	$(SWIFT) build

release: deps bpf
	$(SWIFT) build -c release

test: test-deps tools bpf sqlite-extension
	@test -d ../shared/conformance || { echo "error: ../shared/conformance (the Falco compatibility corpus) is missing"; exit 1; }
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Re-record the console's golden screens (Tests/Fixtures/golden-screens) after an intended change
# to a screen; review the result with git diff (docs/maintainers/golden-screens.md).
golden: deps
	$(SWIFT) build --build-tests
	TRADSEC_RECORD_GOLDEN=1 $(SWIFT) test --skip-build --filter GoldenScreenTests

# Play the bundled incident through the embedded rule engine into a fresh history and open the
# console on it while it plays (on a terminal; elsewhere each alert is printed).
demo: build
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	.build/debug/tradsec demo --db $(DEMO_DB)

bench: release
	.build/release/tradsec bench ingest

# SQLite's share of the ingest cost, without Swift: the history's insert statements replayed in C.
bench-sqlite: deps
	@mkdir -p .build
	$(or $(shell command -v cc 2>/dev/null),$(dir $(SWIFT))clang) -O2 -o .build/sqlite_replay bench/sqlite_replay.c -lsqlite3
	.build/sqlite_replay

# LZ4 on a history's own chunks at accelerations 1, 2 and 4: make bench-lz4 DB=/tmp/h.sqlite
bench-lz4: deps
	@test -n "$(DB)" || { echo "usage: make bench-lz4 DB=path/to/history.sqlite (from tradsec bench ingest --db)"; exit 2; }
	@mkdir -p .build
	$(or $(shell command -v cc 2>/dev/null),$(dir $(SWIFT))clang) -O2 -o .build/lz4_levels bench/lz4_levels.c -llz4 -lsqlite3
	.build/lz4_levels $(DB)

# Fuzzing (Fuzz/README.md). libFuzzer with AddressSanitizer, UndefinedBehaviorSanitizer on the C
# modules, built in its own scratch path so the normal build is untouched:
#   make fuzz                          every target for FUZZ_SECONDS each (default 30)
#   make fuzz TARGET=http FUZZ_SECONDS=600
# New inputs that add coverage go back into Fuzz/corpus/TARGET (minimised at the end); crashes,
# timeouts and out-of-memory inputs go to .build-fuzz/crashes/TARGET until they are triaged
# (make fuzz-triage).
FUZZ_BUILD := .build-fuzz
FUZZ_SECONDS ?= 30
FUZZ_JOBS ?= 1
FUZZ_SWIFT_FLAGS := --scratch-path $(FUZZ_BUILD) -Xswiftc -sanitize=fuzzer,address -Xswiftc -DTRADSEC_LIBFUZZER \
	-Xcc -fsanitize=fuzzer-no-link,address,undefined -Xcc -fno-sanitize-recover=undefined
FUZZER := $(FUZZ_BUILD)/debug/tradsec-fuzz
FUZZ_ENV := SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 TRADSEC_FUZZ_DICTIONARIES=$(CURDIR)/Fuzz/dict
FUZZ_TARGETS = $(or $(TARGET),$(notdir $(wildcard Fuzz/corpus/*)))

fuzz-build: deps
	$(SWIFT) build $(FUZZ_SWIFT_FLAGS) --product tradsec-fuzz

# Each target runs from its own copy of the fuzzer (libFuzzer's fork mode starts the program
# again for every job), so a rebuild during a long run does not change the program under it.
# Each run is added to Fuzz/results.json (Fuzz/results.py table prints the totals).
fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		test -d Fuzz/corpus/$$t || { echo "no target $$t (Fuzz/corpus/$$t)"; exit 64; }; \
		mkdir -p $(FUZZ_BUILD)/crashes/$$t $(FUZZ_BUILD)/logs $(FUZZ_BUILD)/bin; \
		cp $(FUZZER) $(FUZZ_BUILD)/bin/tradsec-fuzz-$$t; \
		echo "== $$t: $(FUZZ_SECONDS) s"; \
		$(FUZZ_ENV) TRADSEC_FUZZ_TARGET=$$t $(FUZZ_BUILD)/bin/tradsec-fuzz-$$t Fuzz/corpus/$$t -max_total_time=$(FUZZ_SECONDS) \
			-fork=$(FUZZ_JOBS) -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix=$(FUZZ_BUILD)/crashes/$$t/ -print_final_stats=1 > $(FUZZ_BUILD)/logs/$$t.log 2>&1; \
		rm -rf $(FUZZ_BUILD)/merge/$$t && mkdir -p $(FUZZ_BUILD)/merge/$$t; \
		$(FUZZ_ENV) TRADSEC_FUZZ_TARGET=$$t $(FUZZ_BUILD)/bin/tradsec-fuzz-$$t -merge=1 -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix=$(FUZZ_BUILD)/crashes/$$t/ $(FUZZ_BUILD)/merge/$$t Fuzz/corpus/$$t > $(FUZZ_BUILD)/logs/$$t.merge.log 2>&1 \
			&& rm -rf Fuzz/corpus/$$t && mv $(FUZZ_BUILD)/merge/$$t Fuzz/corpus/$$t; \
		python3 Fuzz/results.py record $$t $(FUZZ_SECONDS) $(FUZZ_BUILD)/logs/$$t.log Fuzz/corpus/$$t $(FUZZ_BUILD)/crashes/$$t; \
		echo "   crashes to triage: $$(ls $(FUZZ_BUILD)/crashes/$$t | wc -l)"; \
	done

# First inputs from the repository's real material (Fuzz/seed.py), merged into the corpus.
fuzz-seed: fuzz-build build
	rm -rf $(FUZZ_BUILD)/seeds && python3 Fuzz/seed.py $(FUZZ_BUILD)/seeds .build/debug/tradsec
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p Fuzz/corpus/$$t; \
		$(FUZZ_ENV) TRADSEC_FUZZ_TARGET=$$t $(FUZZER) -merge=1 -timeout=10 Fuzz/corpus/$$t $(FUZZ_BUILD)/seeds/$$t \
			> $(FUZZ_BUILD)/logs/$$t.seed.log 2>&1; echo "$$t: $$(ls Fuzz/corpus/$$t | wc -l) inputs"; \
	done

# Each crash found, replayed by the normal build in its own process: its failure and the first
# frame of ours on the crashing thread (an overflow trap has no message of its own).
FUZZ_TRIAGE_BACKTRACE := SWIFT_BACKTRACE=enable=yes,interactive=no,color=no,threads=crashed,registers=none,images=none,limit=40
fuzz-triage: build
	@for t in $(FUZZ_TARGETS); do for f in $$(ls $(FUZZ_BUILD)/crashes/$$t 2>/dev/null); do \
		out=$$($(FUZZ_TRIAGE_BACKTRACE) .build/debug/tradsec-fuzz replay $$t $(FUZZ_BUILD)/crashes/$$t/$$f 2>&1); \
		printf '%s %s: %s | %s\n' $$t $$f \
			"$$(printf '%s\n' "$$out" | grep -m1 -E 'Fatal error|runtime failure|invariant|timeout|replayed' | cut -c1-160)" \
			"$$(printf '%s\n' "$$out" | grep -E ' at $(CURDIR)/Sources/' | grep -v 'Sources/Fuzz' | head -1 | sed 's|.* in tradsec-fuzz at $(CURDIR)/||')"; \
	done; done

clean:
	rm -rf .build
