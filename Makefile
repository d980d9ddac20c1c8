# tallyfy-go: every target a user or CI needs. `make test` is what CI runs.
GO      ?= go
# The generator is pinned by the tool directive in go.mod.
OAPI    := $(GO) tool oapi-codegen
# Each generated file and the config that makes it (from openapi.yaml).
GENERATED := gen/tallyfy.gen.go:oapi-codegen.yaml spec/spec.gen.go:spec/oapi-codegen.yaml
# The release gates (tools/releasecheck) run oasdiff and apidiff at pinned
# versions through `go run`, so that neither joins this module's requirements
# and so importers' builds. They compare with the last release, recorded in
# release/baseline; SPEC_BASE (a file or a git revision) and API_BASE (a git
# revision) compare with something else, such as a pull request's base.
OASDIFF      := github.com/oasdiff/oasdiff@v1.37.0
APIDIFF      := golang.org/x/exp/cmd/apidiff@v0.0.0-20261113113407-e3970619a1a4
RELEASECHECK := $(GO) run ./tools/releasecheck
SPEC_BASE    ?=
API_BASE     ?=

.PHONY: all generate check check-generated lint spec-check api-check release-baseline test spec-drill contract contract-live drift apply-overlay fuzz bench bench-pacing bench-instructions bench-peers footprint upstream-extract

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
	done; \
	echo "check-generated: $(foreach pair,$(GENERATED),$(firstword $(subst :, ,$(pair)))) up to date"

## lint: gofmt and go vet
lint:
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then echo "gofmt: not formatted (run gofmt -w on them):" >&2; echo "$$unformatted" >&2; exit 1; fi
	@$(GO) vet ./... && echo "lint: gofmt and go vet clean"

## spec-check: fail on a change of openapi.yaml that breaks users of the released
## spec (oasdiff ERR level) unless release/accepted-breaking.txt records why
## (one line when it passes; see docs/release-gates.md)
spec-check:
	@$(RELEASECHECK) spec -oasdiff $(OASDIFF) $(if $(SPEC_BASE),-base $(SPEC_BASE))

## api-check: fail on an incompatible change of the Go API against the released
## commit (apidiff) unless release/accepted-api-breaks.txt records why and
## Version is a breaking bump (one line when it passes; see docs/release-gates.md)
api-check:
	@$(RELEASECHECK) api -apidiff $(APIDIFF) $(if $(API_BASE),-base $(API_BASE))

## release-baseline: at a release, make the committed state the baseline that
## spec-check and api-check compare with (then commit release/)
release-baseline:
	$(RELEASECHECK) cut

# A copy of Tallyfy's Swagger 2.0 (tallyfy/documentation@5e9c7201054b,
# src/content/docs/pro/assets/swagger.json); CI keeps one next to the clone.
UPSTREAM_SWAGGER ?= ../shared/reference/tallyfy-swagger-2.0.json
## upstream-extract: rebuild upstream/swagger-extract.json from UPSTREAM_SWAGGER
## (the comparison with openapi.yaml itself runs in go test, so in make test)
upstream-extract:
	@test -f "$(UPSTREAM_SWAGGER)" || { echo "upstream-extract: no file at $(UPSTREAM_SWAGGER); run make upstream-extract UPSTREAM_SWAGGER=path/to/swagger.json" >&2; exit 2; }
	$(GO) run ./tools/upstream -from $(UPSTREAM_SWAGGER) -o upstream/swagger-extract.json

## check: is the change safe? generated code fresh, lint clean, no unrecorded break of the spec or the Go API
check: check-generated lint spec-check api-check

## test: everything CI checks: the gates, go test -race ./..., then the spec drill;
## every step runs even when one fails, and a failure ends with a short summary
## of what failed and the next command to run (tools/testrun)
test:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(GO) build -o "$$tmp/testrun" ./tools/testrun && \
	"$$tmp/testrun" -make "$(MAKE)" -gates check-generated,lint,spec-check,api-check -after spec-drill -- -race ./...

## spec-drill: on copies of the project, each kind of spec edit (a field added or
## removed, an enum value added, a type changed) gives exactly the failures that
## apply, each saying what resolves it (tools/specdrill; a few minutes)
spec-drill:
	$(GO) test -tags specdrill -count=1 -timeout 30m ./tools/specdrill

## footprint: what a program importing only the client requires, and its binary size
## (also part of `go test ./...`)
footprint:
	$(GO) test -count=1 -v -run '^TestConsumerFootprint$$' ./architecture

## contract: the offline contract suite (recordings against the spec)
contract:
	$(GO) test -count=1 ./contract_test/...

## contract-live: the live suite; needs TALLYFY_ACCESS_TOKEN, TALLYFY_ORG_ID, TALLYFY_RUN_ID
contract-live:
	$(GO) test -count=1 -v -run Live ./contract_test/...

DRIFT_ARGS ?=
## drift: the main job, tallyfy-drift (embedded recordings without a token, the live API with one),
## with DRIFT_ARGS. Built, then run: `go run` turns every non-zero exit code into 1, so a check that
## could not be completed (2) would look like drift (1). make exits 2 on any failed recipe; its
## message ("Error 1", "Error 2") and the line before it carry the tool's own code
drift:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(GO) build -o "$$tmp/tallyfy-drift" ./cmd/tallyfy-drift || exit 2; \
	"$$tmp/tallyfy-drift" $(DRIFT_ARGS); code=$$?; \
	if [ $$code -ne 0 ]; then echo "make drift: tallyfy-drift exited $$code (1: drift found; 2: the check could not be completed)" >&2; fi; \
	exit $$code

OVERLAY ?=
## apply-overlay: fold OVERLAY, an OpenAPI Overlay (as tallyfy-drift --suggest FILE
## writes one, reviewed), into openapi.yaml in place (strict: an action that matches
## nothing fails; the result must validate), and add its upstream/reconciliation.yaml
## entries; then run make generate and make test
apply-overlay:
	@test -n "$(OVERLAY)" || { echo "apply-overlay: name the overlay: make apply-overlay OVERLAY=drift.overlay.yaml" >&2; exit 2; }
	$(GO) run ./tools/overlay apply -overlay "$(OVERLAY)" -spec openapi.yaml -reconciliation upstream/reconciliation.yaml -extract upstream/swagger-extract.json

FUZZTIME ?= 60s
## fuzz: every fuzz target of every package (found with go test -list, so a new
## one is never left out), each for FUZZTIME; not part of make test. New inputs
## are minimised for at most 2 s, so that the time goes to fuzzing
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "fuzz: $$pkg $$target for $(FUZZTIME)"; \
			$(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 2s $$pkg; \
		done; \
	done

BENCHSTAT := $(GO) run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
BENCH     ?= ^Benchmark(RunTasksPage|DecodeTaskListBaseline|PeerTallyfyCLIPage|PeerReadAllUnmarshal|ValidatePage|ValidatorSetup|SpecCompile|StreamHuge|Pages)$$
BENCHOUT  ?= bench/latest.txt
## bench: the benchmarks, side by side, in 6 interleaved rounds (every benchmark
## once per round, so that the machine's drift hits them alike), then a benchstat table
bench:
	@mkdir -p $(dir $(BENCHOUT)) && rm -f $(BENCHOUT)
	for round in 1 2 3 4 5 6; do \
		$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -count 1 . | tee -a $(BENCHOUT) || exit 1; \
	done
	$(BENCHSTAT) $(BENCHOUT)

PACINGOUT ?= bench/pacing-latest.txt
## bench-pacing: a 200-page listing, 8 pages in flight, from a stand-in that
## allows 50 requests in any 1 s: unpaced, paced at its limit and above it,
## in one run (3 rounds); 429s, retries and the time over the legal minimum
bench-pacing:
	@mkdir -p $(dir $(PACINGOUT))
	$(GO) test -run '^$$' -bench '^BenchmarkPacedListing$$' -benchtime 1x -count 3 . | tee $(PACINGOUT)

PEERSOUT ?= bench/peers-latest.txt
## bench-peers: the drift validator and peer validators (kin-openapi as it
## comes, libopenapi-validator, santhosh-tekuri/jsonschema) on the same page,
## in 6 interleaved rounds at -cpu 1 and 2. The peers live in their own module,
## bench/peers, so they never join the library's requirements.
bench-peers:
	@mkdir -p $(dir $(PEERSOUT)) && rm -f $(PEERSOUT)
	for round in 1 2 3 4 5 6; do \
		(cd bench/peers && $(GO) test -run '^$$' -bench '^BenchmarkPeers$$' -benchmem -count 1 -cpu 1,2 .) | tee -a $(PEERSOUT) || exit 1; \
	done
	$(BENCHSTAT) $(PEERSOUT)

INSTRUCTIONS_N ?= 200
## bench-instructions: the instructions one op of the page benchmarks takes,
## counted by valgrind's callgrind (near-repeatable, whatever else the
## machine does): each benchmark for 1 op and for 1+N ops, the difference / N.
## Needs valgrind; not part of make test
bench-instructions:
	GO="$(GO)" N=$(INSTRUCTIONS_N) sh bench/instructions.sh
