// Package gen is the client and the types that oapi-codegen generates from
// openapi.yaml. Do not edit tallyfy.gen.go: change the spec or
// oapi-codegen.yaml and run `make generate`.
//
// Most users want the package above this one (github.com/tallyfy-go/tallyfy),
// which adds authentication, retries, typed errors and page iterators.
package gen

//go:generate go tool oapi-codegen -config ../oapi-codegen.yaml ../openapi.yaml
