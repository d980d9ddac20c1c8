// Package contracttest holds the contract suites: the offline one over the
// recordings of package recordings, and the live one over Tallyfy's API.
// Everything here is in tests; the package itself exports nothing.
package contracttest
