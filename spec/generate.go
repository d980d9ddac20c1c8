// Package spec is openapi.yaml, embedded: GetSpec returns it as a
// kin-openapi document. The drift check and the tests load it from here.
// It lives apart from package gen so that programs importing the client
// do not link kin-openapi. Do not edit spec.gen.go: change openapi.yaml and
// run `make generate`.
package spec

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../openapi.yaml
