# tallyfy-go: every target a user or CI needs. `make test` is what CI runs.
GO      ?= go
# The generator is pinned by the tool directive in go.mod.
OAPI    := $(GO) tool oapi-codegen
# Each generated file and the config that makes it (from openapi.yaml).
GENERATED := gen/tallyfy.gen.go:oapi-codegen.yaml spec/spec.gen.go:spec/oapi-codegen.yaml
# oasdiff is run at a pinned version rather than required in go.mod, so that
# importing this library does not pull oasdiff's dependencies into its users' builds.
OASDIFF := $(GO) run github.com/oasdiff/oasdiff@v1.37.0
# The spec revision that spec-check compares against: the last commit when
# openapi.yaml has uncommitted changes, else the commit before it.
SPEC_BASE ?= $(shell if git diff --quiet HEAD -- openapi.yaml 2>/dev/null; then echo HEAD^; else echo HEAD; fi)

.PHONY: all generate check check-generated lint spec-check test contract contract-live drift fuzz bench footprint

all: test

## generate: regenerate gen/ and spec/ from openapi.yaml (offline, from the module cache)
generate:
	$(GO) generate ./gen ./spec

## check-generated: fail when gen/ or spec/ is not what openapi.yaml and their configs generate
check-generated:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	for pair in $(GENERATED); do \
		file=$${pair%%:*}; config=$${pair#*:}; \
		sed "s|^output:.*|output: $$tmp/out.go|" "$$config" >"$$tmp/config.yaml" && \
		$(OAPI) -config "$$tmp/config.yaml" openapi.yaml || exit 1; \
		if ! diff -u "$$file" "$$tmp/out.go" >"$$tmp/diff"; then \
			head -40 "$$tmp/diff"; \
			echo "check-generated: $$file is stale; run 'make generate' and commit the result" >&2; \
			exit 1; \
		fi; \
		echo "check-generated: $$file is up to date"; \
	done

## lint: gofmt and go vet
lint:
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then echo "gofmt: not formatted:" >&2; echo "$$unformatted" >&2; exit 1; fi
	$(GO) vet ./...

## spec-check: fail when openapi.yaml breaks users of the previous version (oasdiff ERR level)
spec-check:
	@if ! git rev-parse --verify -q "$(SPEC_BASE):openapi.yaml" >/dev/null 2>&1; then \
		echo "spec-check: skipped: no openapi.yaml at $(SPEC_BASE) to compare with (first version, or a shallow clone)"; \
		exit 0; \
	fi; \
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	git show "$(SPEC_BASE):openapi.yaml" >"$$tmp/openapi.base.yaml" && \
	$(OASDIFF) breaking "$$tmp/openapi.base.yaml" openapi.yaml --fail-on ERR && \
	echo "spec-check: no breaking change against $(SPEC_BASE)"

## check: is the spec change safe? generated code fresh, lint clean, no breaking change
check: check-generated lint spec-check

## test: everything CI checks
test: check-generated lint spec-check
	$(GO) test -race ./...

## footprint: what a program importing only the client requires, and its binary size
## (also part of `go test ./...`)
footprint:
	$(GO) test -count=1 -v -run '^TestConsumerFootprint$$' ./internal/footprint

## contract: the offline contract suite (recordings against the spec)
contract:
	$(GO) test -count=1 ./contract_test/...

## contract-live: the live suite; needs TALLYFY_ACCESS_TOKEN, TALLYFY_ORG_ID, TALLYFY_RUN_ID
contract-live:
	$(GO) test -count=1 -v -run Live ./contract_test/...

## drift: the main job, tallyfy-drift (embedded recordings without a token, the live API with one)
drift:
	$(GO) run ./cmd/tallyfy-drift

FUZZTIME ?= 60s
## fuzz: each fuzz target for FUZZTIME (not part of make test); new inputs are
## minimised for at most 2 s, so that the time goes to fuzzing
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzValidator$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./contract_test/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeTaskPage$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 2s .

BENCHSTAT := $(GO) run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
BENCH     ?= ^Benchmark(RunTasksPage|DecodeTaskListBaseline|PeerTallyfyCLIPage|PeerReadAllUnmarshal|ValidatePage|ValidatorSetup|StreamHuge|Pages)$$
BENCHOUT  ?= bench/latest.txt
## bench: the benchmarks, side by side, in 6 interleaved rounds (every benchmark
## once per round, so that the machine's drift hits them alike), then a benchstat table
bench:
	@mkdir -p $(dir $(BENCHOUT)) && rm -f $(BENCHOUT)
	for round in 1 2 3 4 5 6; do \
		$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -count 1 . | tee -a $(BENCHOUT) || exit 1; \
	done
	$(BENCHSTAT) $(BENCHOUT)
