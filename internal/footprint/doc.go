// Package footprint holds TestConsumerFootprint: it builds a throwaway
// program that imports only the client (package tallyfy) and fails when
// that program's module requirements grow past what the client needs at
// run time. It has no code of its own.
package footprint
