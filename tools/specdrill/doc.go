// Package specdrill is the spec drill: a test, built only with the
// specdrill build tag (make spec-drill, which make test runs), that proves
// one edit of openapi.yaml gives one focused failure. On a copy of the
// project it makes each kind of edit a maintainer makes (an optional
// field added, an enum value added, a field removed, a type changed),
// regenerates, runs the gates and every test through tools/testrun, and
// holds the failures to exactly the ones a maintainer should see: the gate
// or test that applies, each saying what resolves it, and nothing else,
// with no test waiting on a timeout.
//
// The package has no code of its own; see drill_test.go and
// docs/release-gates.md.
package specdrill
