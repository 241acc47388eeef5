# The two commands a newcomer needs: `make demo` and `make test`.
GO       ?= go
FUZZTIME ?= 10s
PORT     ?= 8080

.PHONY: test demo lint bench fuzz cover browser

## test: vet, then every test with the race detector, in random order
test: browser
	$(GO) vet ./...
	$(GO) test -race -shuffle=on ./...

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

## demo: the demo shop on http://localhost:$(PORT), every provider simulated
demo:
	@if [ -d examples/checkout ]; then \
		PORT=$(PORT) $(GO) run ./examples/checkout; \
	else \
		echo "The demo shop (examples/checkout) is not built yet."; \
		echo "Meanwhile, see the Example functions: go doc -all github.com/unipay/payments"; \
	fi

## lint: gofmt and go vet must have nothing to say
lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## bench: every benchmark, with allocations
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## fuzz: run each Fuzz function for FUZZTIME (10s by default)
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
		for fn in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "== $$pkg $$fn"; \
			$(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

## cover: test coverage per function, total last
cover:
	$(GO) test -coverprofile=coverage.out ./...
	$(GO) tool cover -func=coverage.out | tail -n 1
