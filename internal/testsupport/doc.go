// Package testsupport holds, in its subpackages, the stand-ins and helpers
// of this module's tests: a stand-in of the API (standin), a server that
// attacks its clients (hostile), what a decode and re-encode lost
// (roundtrip) and golden files (golden). They are imported by _test.go
// files only; a test in the architecture folder holds that no other
// package depends on them.
package testsupport
