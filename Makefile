# ANTQ — make run | make test | make bench
GO        ?= go
BIN       := bin/antq
ANTQ_DATA ?= ./antq-data
export ANTQ_DATA

.PHONY: build run test bench vet fmt tools clean generate openapi-lint vulncheck sbom reliability fuzz

# staticcheck, pinned: `make tools` (and so .ci/run) installs exactly this
# version under bin/; change it here only.
STATICCHECK_VERSION := v0.8.2
STATICCHECK_DIR     := bin/staticcheck-$(STATICCHECK_VERSION)
STATICCHECK         := $(STATICCHECK_DIR)/staticcheck

# Redocly's OpenAPI linter, pinned, for `make openapi-lint` (needs npm once,
# runs offline). Not part of make test: the contract tests validate the
# document with kin-openapi.
REDOCLY_VERSION := 2.77.0
REDOCLY_DIR     := bin/redocly-$(REDOCLY_VERSION)
REDOCLY         := $(REDOCLY_DIR)/node_modules/.bin/redocly


# Pinned tools, installed by make tools into bin/tools/NAME-VERSION/.
GOVULNCHECK_VERSION     := v1.9.0
CYCLONEDX_GOMOD_VERSION := v1.10.0
TOOLS       := $(CURDIR)/bin/tools
GOVULNCHECK := $(TOOLS)/govulncheck-$(GOVULNCHECK_VERSION)/govulncheck
CYCLONEDX   := $(TOOLS)/cyclonedx-gomod-$(CYCLONEDX_GOMOD_VERSION)/cyclonedx-gomod

build:
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN) ./cmd/antq

# Builds, loads the demo province (idempotent), serves on 127.0.0.1:8080.
run: build
	./$(BIN) demo
	@echo "Mở http://127.0.0.1:8080/ — đăng nhập bằng tài khoản admin (mật khẩu in ở trên khi nạp lần đầu;"
	@echo "quên mật khẩu: xóa thư mục $(ANTQ_DATA) rồi chạy lại make run)."
	./$(BIN) serve

tools: $(STATICCHECK)

$(STATICCHECK):
	GOBIN=$(CURDIR)/$(STATICCHECK_DIR) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

# go vet, staticcheck, go.mod / go.sum tidy, gofmt: each must be clean.
vet: $(STATICCHECK)
	$(GO) vet ./...
	$(STATICCHECK) ./...
	$(GO) mod tidy -diff
	@test -z "$$(gofmt -s -l .)" || (echo "gofmt needed (make fmt):"; gofmt -s -l .; exit 1)

# Rewrites the sources in gofmt's layout (simplified) and tidies go.mod.
fmt:
	gofmt -s -w .
	$(GO) mod tidy

# govulncheck is part of make vet (a prerequisite added here, apart from
# vet's own rule).
vet: vulncheck

tools: $(GOVULNCHECK) $(CYCLONEDX)

$(GOVULNCHECK):
	GOBIN=$(dir $@) $(GO) install golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION)

$(CYCLONEDX):
	GOBIN=$(dir $@) $(GO) install github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod@$(CYCLONEDX_GOMOD_VERSION)

# Known vulnerabilities that the code can reach: none allowed. The database
# is the offline snapshot in tools/vulndb (GOVULNDB=https://vuln.go.dev for
# the live one).
GOVULNDB ?= file://$(CURDIR)/tools/vulndb/osv
vulncheck: $(GOVULNCHECK)
ifeq ($(GOVULNDB),file://$(CURDIR)/tools/vulndb/osv)
	$(GO) run ./tools/vulndb -check
endif
	$(GOVULNCHECK) -db $(GOVULNDB) ./...

# CycloneDX SBOM of the antq binary: the modules linked into it, the
# standard library, detected licences.
SBOM_VERSION := $(shell v=$$(git rev-parse --short=12 HEAD 2>/dev/null) && echo v0.0.0-$$v || echo v0.0.0)
sbom: build $(CYCLONEDX)
	$(CYCLONEDX) bin -json -licenses -std -version $(SBOM_VERSION) -output bin/antq.cdx.json $(BIN)
	@echo "SBOM: bin/antq.cdx.json"

# Long reliability runs (docs/RELIABILITY.md): SIGKILL cycles, then the
# backup and upgrade drills, then the overload run (admission control at
# 10× a November day and saturated), on SQLite and (with ANTQ_TEST_POSTGRES)
# on PostgreSQL; then two servers on one PostgreSQL behind nginx (needs
# ANTQ_TEST_POSTGRES and nginx); then a full disk (root: mounts a tmpfs).
# CYCLES=… to shorten.
CYCLES ?= 500
reliability: build
	$(GO) run ./cmd/antqreliability crash --antq ./$(BIN) --cycles $(CYCLES) --quiet
	$(GO) run ./cmd/antqreliability drill --antq ./$(BIN)
	$(GO) run ./cmd/antqreliability overload --antq ./$(BIN)
	$(GO) run ./cmd/antqreliability two --antq ./$(BIN) --load 30s
	$(GO) run ./cmd/antqreliability diskfull --antq ./$(BIN)
	$(GO) run ./cmd/antqreliability conflicts --antq ./$(BIN)

# Every fuzz target for FUZZTIME (default 60s) each, with executions per
# target; go test alone runs only the seeds (testdata/fuzz and f.Add).
FUZZTIME ?= 60s
fuzz:
	FUZZTIME=$(FUZZTIME) ./tools/fuzz.sh

# Unit, storage (SQLite always; PostgreSQL when ANTQ_TEST_POSTGRES is set),
# HTTP and browser tests (Chromium when present; mandatory when
# ANTQ_TEST_REQUIRE_BROWSER is set).
test: vet
	$(GO) test -race -count=1 -timeout 80m ./...

# Regenerates the Go API client from web/api/openapi.json.
generate:
	$(GO) generate ./web/apiclient

# The OpenAPI document under Redocly's strict recommended rules: no error,
# no warning.
openapi-lint: $(REDOCLY)
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true $(REDOCLY) lint --extends=recommended-strict web/api/openapi.json

$(REDOCLY):
	npm install --prefix $(REDOCLY_DIR) --no-audit --no-fund @redocly/cli@$(REDOCLY_VERSION)

bench: build
	$(GO) run ./cmd/antqbench all --antq ./$(BIN)

clean:
	rm -rf bin
