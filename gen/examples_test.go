package gen_test

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/roundtrip"
	"github.com/tallyfy-go/tallyfy/spec"
)

// exampleTargets maps each component schema that has an example to the
// generated type it must decode into.
func exampleTargets() map[string]func() any {
	return map[string]func() any{
		"TaskList":        func() any { return new(gen.TaskList) },
		"Task":            func() any { return new(gen.Task) },
		"Pagination":      func() any { return new(gen.Pagination) },
		"TaskOwners":      func() any { return new(gen.TaskOwners) },
		"UserRef":         func() any { return new(gen.UserRef) },
		"Step":            func() any { return new(gen.Step) },
		"Run":             func() any { return new(gen.Run) },
		"FormField":       func() any { return new(gen.FormField) },
		"Thread":          func() any { return new(gen.Thread) },
		"Asset":           func() any { return new(gen.Asset) },
		"Tag":             func() any { return new(gen.Tag) },
		"Error":           func() any { return new(gen.Error) },
		"ValidationError": func() any { return new(gen.ValidationError) },
	}
}

func TestEverySchemaExampleDecodesIntoTheGeneratedType(t *testing.T) {
	doc, err := spec.GetSpec()
	require.NoError(t, err)
	targets := exampleTargets()
	withExample := 0
	for name, ref := range doc.Components.Schemas {
		if ref.Value.Example == nil {
			continue
		}
		withExample++
		newTarget, ok := targets[name]
		if !assert.True(t, ok, "schema %s has an example but no decode target in this test", name) {
			continue
		}
		t.Run(name, func(t *testing.T) {
			raw, err := json.Marshal(ref.Value.Example)
			require.NoError(t, err)
			require.NoError(t, ref.Value.VisitJSON(ref.Value.Example, openapi3.EnableFormatValidation()))

			target := newTarget()
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields() // every example key has a Go field
			require.NoError(t, dec.Decode(target))

			// Lossless round trip: re-encoding gives back every key and value.
			again, err := json.Marshal(target)
			require.NoError(t, err)
			lost, err := roundtrip.Lost(raw, again)
			require.NoError(t, err)
			assert.Empty(t, lost)
		})
	}
	assert.Equal(t, len(targets), withExample, "every decode target has an example")
}

func TestPageWithEmptyArrayLinksDecodes(t *testing.T) {
	body := []byte(`{"data":[],"meta":{"pagination":{"total":0,"count":0,"per_page":10,"current_page":1,"total_pages":1,"links":[]}}}`)
	var page gen.TaskList
	require.NoError(t, json.Unmarshal(body, &page))
	require.NotNil(t, page.Meta)
	require.NotNil(t, page.Meta.Pagination.Links)
	empty, err := page.Meta.Pagination.Links.AsEmptyArray()
	require.NoError(t, err)
	assert.Empty(t, empty)
}

func TestPageWithObjectLinksDecodes(t *testing.T) {
	body := []byte(`{"data":[],"meta":{"pagination":{"total":25,"count":10,"per_page":10,"current_page":2,"total_pages":3,
		"links":{"previous":"https://go.tallyfy.com/api/x?page=1","next":"https://go.tallyfy.com/api/x?page=3"}}}}`)
	var page gen.TaskList
	require.NoError(t, json.Unmarshal(body, &page))
	links, err := page.Meta.Pagination.Links.AsPaginationLinks()
	require.NoError(t, err)
	require.NotNil(t, links.Next)
	assert.Equal(t, "https://go.tallyfy.com/api/x?page=3", *links.Next)
}

func TestOwnerUsersDecodeAsIntegersOrObjects(t *testing.T) {
	var owners gen.TaskOwners
	require.NoError(t, json.Unmarshal([]byte(`{"users":[1234,{"id":5678,"full_name":"Ada"}],"guests":[],"groups":[]}`), &owners))
	require.Len(t, owners.Users, 2)
	assert.Equal(t, 1234, owners.Users[0].ID)
	assert.False(t, owners.Users[0].IsObject())
	assert.Equal(t, 5678, owners.Users[1].ID)
	assert.Equal(t, "Ada", owners.Users[1].FullName)
	assert.True(t, owners.Users[1].IsObject())
}

func TestSpecFileIsCommittedNextToTheGenerator(t *testing.T) {
	_, err := os.Stat("../oapi-codegen.yaml")
	require.NoError(t, err)
}

// Tallyfy's Swagger types a thread's id as a string, and Tallyfy's MCP
// server reads 32-hex comment IDs from the live API: a page whose threads
// carry them conforms to the spec and decodes.
func TestThreadsWithStringIDsConformAndDecode(t *testing.T) {
	doc, err := spec.GetSpec()
	require.NoError(t, err)
	body := []byte(`{"data":[{"id":"9f2c1a7be3d44c0f8a6b5e1d2c3f4a5b","increment_id":1,"title":"Call","status":"in-progress",
		"position":1,"owners":{"users":[],"guests":[],"groups":[]},"created_at":"2025-05-20T09:00:00Z","last_updated":"2025-05-20T09:00:00Z",
		"threads":{"data":[{"id":"3f9a2c7e1b5d4086a9e2c4b1d7f30a58","task_id":"9f2c1a7be3d44c0f8a6b5e1d2c3f4a5b","label":"comment",
		"content":"Done?","state":"open","created_at":"2025-05-20T11:40:02Z","updated_at":"2025-05-20T11:40:02Z","archived_at":null,
		"sent_to":[5678],"resolve_id":null,"author_id":1234,"author_type":"member"}]}}],
		"meta":{"pagination":{"total":1,"count":1,"per_page":10,"current_page":1,"total_pages":1,"links":[]}}}`)
	var value any
	require.NoError(t, json.Unmarshal(body, &value))
	assert.NoError(t, doc.Components.Schemas["TaskList"].Value.VisitJSON(value, openapi3.MultiErrors()))

	var page gen.TaskList
	require.NoError(t, json.Unmarshal(body, &page))
	require.Len(t, page.Data, 1)
	require.NotNil(t, page.Data[0].Threads)
	require.Len(t, page.Data[0].Threads.Data, 1)
	thread := page.Data[0].Threads.Data[0]
	assert.Equal(t, "3f9a2c7e1b5d4086a9e2c4b1d7f30a58", thread.ID.String())
	assert.False(t, thread.ID.IsNumber(), "the ID came as a string")
	require.NotNil(t, thread.SentTo)
	assert.Equal(t, []int{5678}, *thread.SentTo)
	require.NotNil(t, thread.AuthorType)
	assert.Equal(t, "member", *thread.AuthorType)
}
