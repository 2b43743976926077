# ANTQ — make run | make test | make bench
GO        ?= go
BIN       := bin/antq
ANTQ_DATA ?= ./antq-data
export ANTQ_DATA

.PHONY: build run test test-short bench vet fmt clean

build:
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN) ./cmd/antq

# Builds, loads the demo province (idempotent), serves on 127.0.0.1:8080.
run: build
	./$(BIN) demo
	@echo "Mở http://127.0.0.1:8080/ — đăng nhập bằng tài khoản admin (mật khẩu in ở trên khi nạp lần đầu;"
	@echo "quên mật khẩu: xóa thư mục $(ANTQ_DATA) rồi chạy lại make run)."
	./$(BIN) serve

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || (echo "gofmt needed:"; gofmt -l .; exit 1)

# Unit, storage (SQLite always; PostgreSQL when ANTQ_TEST_POSTGRES is set),
# HTTP and browser tests (Chromium when present; mandatory when
# ANTQ_TEST_REQUIRE_BROWSER is set).
test: vet
	$(GO) test -race -count=1 -timeout 40m ./...

test-short:
	$(GO) test -count=1 ./...

bench: build
	$(GO) run ./cmd/antqbench all --antq ./$(BIN)

clean:
	rm -rf bin
