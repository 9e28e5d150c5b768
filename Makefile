# tradsec — two commands set everything up on a fresh Debian/Ubuntu machine:
#   make demo   build, play the bundled incident and open the console on it
#   make test   install missing system packages, build, run every test

SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
# ncurses (console), SQLite (history), libcurl (notifications, actions), tmux (end-to-end console tests).
APT_PACKAGES := libncurses-dev libsqlite3-dev libcurl4-openssl-dev tmux
DEMO_DB := $(or $(TMPDIR),/tmp)/tradsec-demo.sqlite

.PHONY: all build release test demo deps bench clean

all: build

deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else \
			echo "missing system packages; run:"; echo "  sudo apt-get install -y$$missing"; exit 1; \
		fi; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	@test -d ../shared/conformance || { echo "error: ../shared/conformance (the Falco compatibility corpus) is missing"; exit 1; }
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Play the bundled incident through the embedded rule engine into a fresh history and open the
# console on it while it plays (on a terminal; elsewhere each alert is printed).
demo: build
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	.build/debug/tradsec demo --db $(DEMO_DB)

bench: release
	.build/release/tradsec bench ingest

clean:
	rm -rf .build
