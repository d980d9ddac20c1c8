//go:build tools

// Package tallyfy pins the code generator in go.mod, so that `make generate`
// runs the exact oapi-codegen version recorded there, offline from the module cache.
package tallyfy

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
