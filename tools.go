//go:build tools

// The code generator is pinned by the tool directive in go.mod, not by an
// import here:
//
//	tool github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen
//
// `go tool oapi-codegen` (what `make generate` and gen/generate.go run)
// builds exactly the version go.mod records, offline from the module cache.
// Change it with `go get -tool github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@VERSION`.
//
// A tool directive, unlike a blank import in a build-tagged file, stays out
// of the module graph of programs that import this module: `go mod tidy`
// reads every build tag of every imported package, so an import here would
// put the generator and its dependencies into their go.mod.
// TestConsumerFootprint (architecture/) holds that line.

package tallyfy
