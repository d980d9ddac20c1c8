// Package testsupport holds, in its subpackages, the stand-ins and helpers
// of this module's tests: a stand-in of the API (standin), a server that
// attacks its clients (hostile), what a decode and re-encode lost
// (roundtrip), golden files (golden), a command built once for the tests
// that run it (gobuild) and the fixtures the embedded spec holds
// (specfixture, the one that imports spec). They are imported by _test.go
// files only; a test in the architecture folder holds that no other
// package depends on them.
package testsupport
