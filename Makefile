# erpctl — the two commands the README starts with: `make demo` and `make test`.
SWIFT ?= swift
BIN := .build/debug/erpctl
DEMO_DIR := .build/demo

.PHONY: all deps build release test demo bench clean

all: build

# liblmdb-dev provides lmdb.h, liblmdb.so and lmdb.pc (the CLMDB system target uses pkg-config);
# libmimalloc-dev provides mimalloc.h and libmimalloc.so (the CMimalloc system target: the
# executables' malloc, see Package.swift).
deps:
	@missing=""; \
	pkg-config --exists lmdb 2>/dev/null || missing=" liblmdb-dev pkg-config"; \
	[ -f /usr/include/mimalloc.h ] || missing="$$missing libmimalloc-dev"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" -ne 0 ]; then \
	    echo "missing:$$missing: run 'sudo apt-get install liblmdb-dev libmimalloc-dev pkg-config' (or 'make deps' as root)" >&2; exit 1; \
	  fi; \
	  echo "installing$$missing…" >&2; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

build: deps
	$(SWIFT) build --product erpctl

# The optimised binary, with the Swift runtime linked in: no dynamic symbol binding at start-up,
# about 20 ms off every command (what cron jobs and the benchmark run). .build/release/erpctl
release: deps
	$(SWIFT) build -c release --static-swift-stdlib --product erpctl

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# A fresh store from a generated two-year history (erpctl demo), then its reports.
demo: build
	@rm -rf $(DEMO_DIR)
	$(BIN) demo --dir $(DEMO_DIR)
	$(BIN) verify --store $(DEMO_DIR)/erpctl.lmdb
	$(BIN) report sales --store $(DEMO_DIR)/erpctl.lmdb --by rep --period last-month
	$(BIN) report customers --store $(DEMO_DIR)/erpctl.lmdb --sort clv --top 10
	$(BIN) report funnel --store $(DEMO_DIR)/erpctl.lmdb --period last-quarter --by source
	$(BIN) forecast --store $(DEMO_DIR)/erpctl.lmdb --by line --horizon 6
	$(BIN) replenish --store $(DEMO_DIR)/erpctl.lmdb --sort suggested_qty --top 15
	$(BIN) alerts --store $(DEMO_DIR)/erpctl.lmdb --format table || [ $$? -eq 1 ]

# The benchmark (not a test): see BENCHMARKS.md for what it measures.
bench: release
	$(SWIFT) build -c release --static-swift-stdlib --product erpctl-bench
	.build/release/erpctl-bench $(BENCH_ARGS)

clean:
	rm -rf .build
