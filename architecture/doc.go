// Package architecture holds the tests that keep the module's layout: the
// import rules between its packages (docs/architecture.md) and the
// footprint of a program that imports only the client. It has no code of
// its own.
package architecture
