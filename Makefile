# erpctl — the two commands the README starts with: `make demo` and `make test`.
SWIFT ?= swift
BIN := .build/debug/erpctl
DEMO_STORE := .build/demo.lmdb

.PHONY: all deps build test demo bench clean

all: build

# liblmdb-dev provides lmdb.h, liblmdb.so and lmdb.pc (the CLMDB system target uses pkg-config).
deps:
	@if ! pkg-config --exists lmdb 2>/dev/null; then \
	  if [ "$$(id -u)" -ne 0 ]; then \
	    echo "liblmdb-dev is missing: run 'sudo apt-get install liblmdb-dev pkg-config' (or 'make deps' as root)" >&2; exit 1; \
	  fi; \
	  echo "installing liblmdb-dev…" >&2; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq liblmdb-dev pkg-config >/dev/null; \
	fi

build: deps
	$(SWIFT) build --product erpctl

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

demo: build
	@rm -rf $(DEMO_STORE)
	$(BIN) init --store $(DEMO_STORE) --currency CNY --timezone Asia/Shanghai
	$(BIN) append --store $(DEMO_STORE) Fixtures/events/demo.jsonl
	$(BIN) order confirm --store $(DEMO_STORE) --id SO-1002 --customer C-89 --rep R-1 --line B2:12:45.50 --at 2026-11-24T09:30:00+08:00
	$(BIN) order ship --store $(DEMO_STORE) --id SO-1002 --shipment SH-2 --line B2:12 --at 2026-11-25
	$(BIN) payment receive --store $(DEMO_STORE) --id PAY-2 --customer C-89 --amount 546.00 --at 2026-11-26
	$(BIN) log --store $(DEMO_STORE)
	$(BIN) stats --store $(DEMO_STORE)
	$(BIN) verify --store $(DEMO_STORE)

# The benchmark (not a test): see BENCHMARKS.md for what it measures.
bench: deps
	$(SWIFT) build -c release --product erpctl-bench
	$(SWIFT) build -c release --product erpctl
	.build/release/erpctl-bench $(BENCH_ARGS)

clean:
	rm -rf .build
