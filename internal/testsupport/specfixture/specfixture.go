// Package specfixture gives tests the fixtures the embedded spec (package
// spec, generated from openapi.yaml) holds, so that a test that needs "a
// task that conforms" follows the spec instead of a copy of today's: an
// edit of openapi.yaml then fails the tests that are about it, not every
// test with a fixture. Unlike the other test stand-ins it imports spec
// (and so kin-openapi); only _test.go files import it.
package specfixture

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/tallyfy-go/tallyfy/spec"
)

// taskSchema is the spec's Task schema: its example, as JSON, and the
// names of its properties, sorted.
var taskSchema = sync.OnceValues(func() (example []byte, fields []string) {
	doc, err := spec.GetSpec()
	if err != nil {
		panic(fmt.Sprintf("specfixture: loading the embedded spec: %v", err))
	}
	ref := doc.Components.Schemas["Task"]
	if ref == nil || ref.Value == nil || ref.Value.Example == nil {
		panic("specfixture: the spec has no Task schema with an example")
	}
	example, err = json.Marshal(ref.Value.Example)
	if err != nil {
		panic(fmt.Sprintf("specfixture: the Task example: %v", err))
	}
	for name := range ref.Value.Properties {
		fields = append(fields, name)
	}
	slices.Sort(fields)
	return example, fields
})

// Task returns the spec's Task example, decoded as encoding/json decodes
// JSON (numbers are float64): a task that conforms to the spec, since a
// test of package spec holds every example to its schema. Each call
// returns a new copy, which the caller may change.
func Task() map[string]any {
	example, _ := taskSchema()
	var task map[string]any
	if err := json.Unmarshal(example, &task); err != nil {
		panic(fmt.Sprintf("specfixture: the Task example is not an object: %v", err))
	}
	return task
}

// TaskFields returns the names of the properties of the spec's Task
// schema, sorted: the fields a task may have without a finding. Each call
// returns a new slice.
func TaskFields() []string {
	_, fields := taskSchema()
	return slices.Clone(fields)
}
