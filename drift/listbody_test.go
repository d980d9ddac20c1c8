package drift

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listTask is a conforming task, numbered i.
func listTask(i int) string {
	return fmt.Sprintf(`{"id":"%032x","increment_id":%d,"title":"T%d","status":"completed","position":%d,`+
		`"owners":{"users":[1],"guests":[],"groups":[]},"created_at":"2025-05-20T09:00:00Z","last_updated":"2025-05-20T09:00:00Z"}`, i, i, i, i)
}

func listOf(n int, edit func(i int, task string) string) string {
	tasks := make([]string, n)
	for i := range tasks {
		tasks[i] = edit(i, listTask(i))
	}
	return `{"data":[` + strings.Join(tasks, ",") + `],"meta":{"pagination":{` +
		fmt.Sprintf(`"total":%d,"count":%d,"per_page":100,"current_page":1,"total_pages":1,"links":[]}}}`, n, n)
}

// Checking a list item by item, in parallel, gives exactly the findings of
// checking the whole body at once.
func TestListBodiesCheckedByItemMatchTheWholeBodyCheck(t *testing.T) {
	v, err := NewValidator()
	require.NoError(t, err)
	same := func(i int, s string) string { return s }
	cases := []struct {
		name string
		body string
		// pagination is whether the body has a pagination finding, so that
		// the comparison covers those too.
		pagination bool
	}{
		{name: "conforming", body: listOf(40, same)},
		{name: "drift in many items", body: listOf(40, func(i int, s string) string {
			switch i % 4 {
			case 0:
				return strings.Replace(s, `"completed"`, `"paused"`, 1)
			case 1:
				return strings.Replace(s, `"title":"T1"`, `"title":null`, 1)
			case 2:
				return strings.Replace(s, `{"id"`, `{"new_field":1,"id"`, 1)
			}
			return strings.Replace(s, `"2025-05-20T09:00:00Z"`, `"yesterday"`, 1)
		})},
		{name: "short list", body: listOf(3, func(i int, s string) string { return strings.Replace(s, `"position":1`, `"position":"1"`, 1) })},
		{name: "bad meta", body: strings.Replace(listOf(20, same), `"total":20`, `"total":"20"`, 1)},
		{name: "extra top-level", body: strings.Replace(listOf(20, same), `{"data"`, `{"debug":true,"data"`, 1)},
		{name: "count not the items", body: strings.Replace(listOf(20, same), `"count":20`, `"count":19`, 1), pagination: true},
		{name: "no meta", body: strings.Replace(listOf(20, same), `,"meta":{"pagination":{`, `,"other":{"x":{`, 1), pagination: true},
		{name: "data not an array", body: `{"data":{"id":"x"}}`, pagination: true},
		{name: "no data", body: `{"meta":{}}`},
		{name: "item not an object", body: strings.Replace(listOf(20, same), `{"data":[`, `{"data":[7,`, 1), pagination: true},
	}
	schema := v.doc.Paths.Find("/organizations/{org_id}/tasks").Get.Responses.Status(200).Value.Content.Get("application/json").Schema.Value
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ex := Exchange{Method: "GET", URL: "https://go.tallyfy.com/api/organizations/5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c/tasks",
				Status: 200, ResponseHeader: http.Header{"Content-Type": {"application/json"}}, Body: []byte(tc.body)}
			got := v.Check(context.Background(), ex)

			whole := check{v: v, ex: ex, template: Finding{Operation: "listOrgTasks", Method: "GET", URL: ex.URL, Status: 200}}
			whole.checkWhole(schema, []byte(tc.body))
			sortFindings(whole.findings)
			assert.Equal(t, whole.findings, got)
			assert.Equal(t, tc.pagination, slices.ContainsFunc(got, func(f Finding) bool { return f.Rule == RulePagination }))
		})
	}
}

// The validator leaves out openapi3.VisitAsResponse (for speed); that is only
// right while no schema of the spec is readOnly or writeOnly.
func TestTheSpecHasNoReadOnlyOrWriteOnlySchemas(t *testing.T) {
	v, err := NewValidator()
	require.NoError(t, err)
	seen := map[*openapi3.Schema]bool{}
	var visit func(s *openapi3.Schema, path string)
	visit = func(s *openapi3.Schema, path string) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		assert.False(t, s.ReadOnly || s.WriteOnly, "%s is readOnly or writeOnly: add openapi3.VisitAsResponse() back", path)
		for name, p := range s.Properties {
			visit(p.Value, path+"."+name)
		}
		if s.Items != nil {
			visit(s.Items.Value, path+"[]")
		}
		for _, group := range [][]*openapi3.SchemaRef{s.OneOf, s.AnyOf, s.AllOf} {
			for _, alt := range group {
				visit(alt.Value, path+"|")
			}
		}
		if s.AdditionalProperties.Schema != nil {
			visit(s.AdditionalProperties.Schema.Value, path+".*")
		}
	}
	for name, ref := range v.doc.Components.Schemas {
		visit(ref.Value, name)
	}
	assert.Greater(t, len(seen), 20)
}
