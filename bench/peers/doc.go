// Package peers measures the drift validator against other Go validators
// on the same page in the same run: kin-openapi as it comes,
// libopenapi-validator and santhosh-tekuri/jsonschema. It is a module of its
// own, so that the peers never join the requirements of the library's
// users; it has benchmarks only (see BENCHMARKS.md, `make bench-peers`).
package peers
