# tallyfy-go: every target a user or CI needs. `make test` is what CI runs.
GO      ?= go
OAPI    := $(GO) run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen
GENFILE := gen/tallyfy.gen.go

.PHONY: all generate check-generated lint test

all: test

## generate: regenerate gen/ from openapi.yaml (offline, from the module cache)
generate:
	cd gen && $(GO) generate ./...

## check-generated: fail when gen/ is not what openapi.yaml and oapi-codegen.yaml generate
check-generated:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	sed "s|^output:.*|output: $$tmp/tallyfy.gen.go|" oapi-codegen.yaml >"$$tmp/config.yaml" && \
	$(OAPI) -config "$$tmp/config.yaml" openapi.yaml && \
	if ! diff -u $(GENFILE) "$$tmp/tallyfy.gen.go" >"$$tmp/diff"; then \
		head -40 "$$tmp/diff"; \
		echo "check-generated: $(GENFILE) is stale; run 'make generate' and commit the result" >&2; \
		exit 1; \
	fi; \
	echo "check-generated: $(GENFILE) is up to date"

## lint: gofmt and go vet
lint:
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then echo "gofmt: not formatted:" >&2; echo "$$unformatted" >&2; exit 1; fi
	$(GO) vet ./...

## test: everything CI checks
test: check-generated lint
	$(GO) test -race ./...
