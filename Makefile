# Trangtin — the two commands a newcomer needs are `make run` and `make test`.
GO        ?= go
BIN       := bin/trangtin
DATA_DIR  ?= ./data
PG_URL    ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable

IMAGE     ?= trangtin:dev

.PHONY: run build image test vet helm-check bench clean

## run: build, create the demo organisation on first start, serve on :8080
run: build
	@if [ ! -f "$(DATA_DIR)/trangtin.db" ]; then TRANGTIN_DATA_DIR=$(DATA_DIR) ./$(BIN) demo; fi
	TRANGTIN_DATA_DIR=$(DATA_DIR) ./$(BIN) serve

## build: the static binary
build:
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN) ./cmd/trangtin

## image: the container image (needs a Docker engine)
image:
	docker build -t $(IMAGE) .

## helm-check: lint, render and strictly decode the Helm chart
helm-check:
	./scripts/helm-check.sh

## test: go vet, the suite on SQLite, and again on PostgreSQL when reachable
test:
	PG_URL='$(PG_URL)' GO='$(GO)' ./scripts/test.sh

vet:
	$(GO) vet ./...

## bench: the benchmarks (see bench/README.md)
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin
