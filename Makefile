# The two commands a newcomer needs: `make demo` and `make test`.
GO       ?= go
FUZZTIME ?= 10s
PORT     ?= 8080
# Every Go module of the repository: the library at the root, and the parts
# with heavier dependencies (the demo and examples, the stores, OpenTelemetry).
MODULES  := $(shell find . -name go.mod -not -path './.git/*' -exec dirname {} \; | sort)

.PHONY: test demo lint bench fuzz cover browser servers

## test: vet, then every test of every module with the race detector, in random order
test: browser servers
	@set -e; for m in $(MODULES); do \
		echo "== $$m"; \
		(cd $$m && $(GO) vet ./... && $(GO) test -race -shuffle=on ./...); \
	done

## browser: the demo's browser test needs headless Chromium; install Debian's if missing
browser:
	@if [ -n "$$CHROME_PATH" ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
		|| command -v google-chrome >/dev/null 2>&1; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1; then \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo"; \
		echo "Installing Debian's chromium for the browser test..."; \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The demo's browser test needs Chromium or Chrome: install it, or set CHROME_PATH."; exit 1; \
	fi

## servers: the stores' tests start Debian's redis-server and PostgreSQL (as the tests' own
## servers, on loopback, in temporary directories); install them if missing
servers:
	@pkgs=""; command -v redis-server >/dev/null 2>&1 || pkgs=" redis-server"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || pkgs="$$pkgs postgresql"; \
	[ -z "$$pkgs" ] && exit 0; \
	if command -v apt-get >/dev/null 2>&1; then \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo"; \
		echo "Installing Debian's$$pkgs for the stores' tests..."; \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$pkgs >/dev/null; \
	else \
		echo "The stores' tests need redis-server and PostgreSQL's initdb and postgres: install them."; exit 1; \
	fi

## demo: the demo shop on http://localhost:$(PORT), every provider simulated
demo:
	cd examples && PORT=$(PORT) $(GO) run ./checkout

## lint: gofmt and go vet must have nothing to say, in every module
lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	@set -e; for m in $(MODULES); do (cd $$m && $(GO) vet ./...); done

## bench: the library against its hand-written baselines, as a table of ratios:
## BENCHCOUNT rounds, in which each side of every pair runs in processes of its
## own (BENCHKIT_SIDE, see internal/benchkit), the sides taking turns to go
## first; then every benchmark of the other modules. BENCH and BENCHPKGS narrow
## the pairs run, and leave the other modules out (make bench BENCH=Hero
## BENCHPKGS=./hero/).
BENCHCOUNT ?= 6
BENCH      ?= .
BENCHPKGS  ?= ./...
bench:
	@set -e; : > bench.out; for i in $$(seq $(BENCHCOUNT)); do \
		if [ $$((i % 2)) -eq 1 ]; then sides="library baseline"; else sides="baseline library"; fi; \
		for side in $$sides; do \
			BENCHKIT_SIDE=$$side $(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -count 1 $(BENCHPKGS) | tee -a bench.out; \
		done; \
	done
	@$(GO) run ./internal/cmd/benchtable < bench.out
	@set -e; if [ '$(BENCHPKGS)' = './...' ]; then for m in $(filter-out .,$(MODULES)); do \
		(cd $$m && $(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -count $(BENCHCOUNT) ./...); done; fi

## fuzz: run each Fuzz function for FUZZTIME (10s by default)
fuzz:
	@set -e; for m in $(MODULES); do \
		cd $(CURDIR)/$$m; \
		for pkg in $$($(GO) list ./...); do \
			for fn in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
				echo "== $$pkg $$fn"; \
				$(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) $$pkg; \
			done; \
		done; \
	done

## cover: test coverage per function, total last
cover:
	$(GO) test -coverprofile=coverage.out ./...
	$(GO) tool cover -func=coverage.out | tail -n 1
