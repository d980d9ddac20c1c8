// Package contracttest holds the contract suites: the offline one over the
// recordings of package recordings, and the live one, which runs the
// tallyfy-drift command against Tallyfy's API and reads its JSON report.
// Everything here is in tests; the package itself exports nothing.
package contracttest
