package drift

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/tallyfy-go/tallyfy/internal/mediatype"
)

// checkResponse holds the response against the operation: status, headers,
// content type, then the body.
func (c *check) checkResponse(ctx context.Context, reqInput *openapi3filter.RequestValidationInput) {
	op := reqInput.Route.Operation
	// kin-openapi never validates 301, 304, 307 and 308 responses, so the
	// status is looked up here rather than left to IncludeResponseStatus.
	ref := op.Responses.Status(c.ex.Status)
	if ref == nil {
		ref = op.Responses.Default()
	}
	if ref == nil || ref.Value == nil {
		c.drift(issue{rule: RuleStatus, message: shortMessage("status %d is not documented for %s", c.ex.Status, op.OperationID)})
		return
	}
	c.checkHeaders(ctx, ref.Value, reqInput.Request)
	c.checkBody(ref.Value)
}

// contentTypeMessage says which content type came and, when known, which
// the status documents.
func (c *check) contentTypeMessage(content openapi3.Content) string {
	documented := ""
	if len(content) > 0 {
		documented = " (documented: " + strings.Join(slices.Sorted(maps.Keys(content)), ", ") + ")"
	}
	ct := c.ex.ResponseHeader.Get("Content-Type")
	if ct == "" {
		return shortMessage("the response has no Content-Type header%s", documented)
	}
	return shortMessage("content type %s is not documented for status %d%s", quote(ct), c.ex.Status, documented)
}

// checkBody holds the body against the schema of its content type: it is
// decoded once, validated with every violation reported, then walked for
// fields the schema does not list.
func (c *check) checkBody(resp *openapi3.Response) {
	if len(resp.Content) == 0 {
		return // nothing documented about the body
	}
	ct := c.ex.ResponseHeader.Get("Content-Type")
	media := resp.Content.Get(ct)
	if media == nil {
		c.drift(issue{rule: RuleContentType, message: c.contentTypeMessage(resp.Content)})
		return
	}
	if media.Schema == nil || media.Schema.Value == nil || !mediatype.IsJSON(ct) {
		return // no schema, or not JSON: nothing this package can check
	}
	schema := media.Schema.Value
	if c.bodyTooLarge() {
		return
	}
	if items, ok := splitList(schema, c.ex.Body); ok && c.checkList(schema, items) {
		return
	}
	c.checkWhole(schema, c.ex.Body)
}

// checkWhole decodes the body whole and holds it against schema.
func (c *check) checkWhole(schema *openapi3.Schema, body []byte) {
	value, err := decodeJSON(body)
	if err != nil {
		c.drift(issue{rule: RuleInvalidJSON, message: err.Error()})
		return
	}
	c.checkValue(schema, value, "")
	if obj, ok := value.(map[string]any); ok {
		items := -1
		if data, ok := obj["data"].([]any); ok {
			items = len(data)
		}
		c.checkPagination(schema, obj, items)
	}
}

// checkPagination holds a list body's meta.pagination against its items
// and the request, when schema is a paginated list.
func (c *check) checkPagination(schema *openapi3.Schema, envelope map[string]any, items int) {
	if !isPaginatedList(schema) {
		return
	}
	for _, is := range paginationIssues(envelope, items, pageRequestOf(c.rawQuery)) {
		c.drift(is)
	}
}

// checkValue holds one decoded value against its schema: every violation,
// then the fields the schema does not list. prefix is the pointer of value
// in the body ("" for the body itself).
func (c *check) checkValue(schema *openapi3.Schema, value any, prefix string) {
	issues, omitted := c.v.valueIssues(schema, value, prefix, c.room())
	for _, is := range issues {
		c.add(is.severity, is.issue)
	}
	c.omitted.merge(omitted)
}

// ratedIssue is an issue with its severity.
type ratedIssue struct {
	issue
	severity Severity
}

// valueIssues is checkValue's work, without touching the check: list items
// run it in parallel. It returns at most room issues, in a fixed order (the
// schema's, then the undocumented fields by pointer), and counts the rest
// without building them.
func (v *Validator) valueIssues(schema *openapi3.Schema, value any, prefix string, room int) ([]ratedIssue, omittedCount) {
	var out []ratedIssue
	var omitted omittedCount
	keep := func(severity Severity, build func() issue) {
		if len(out) >= room {
			omitted.add(severity)
			return
		}
		out = append(out, ratedIssue{build(), severity})
	}
	leaves, other := schemaLeaves(schema.VisitJSON(value, v.bodyOptions...), nil, nil)
	for _, se := range leaves {
		keep(SeverityDrift, func() issue {
			is := schemaIssue(se)
			is.pointer = prefix + is.pointer
			return is
		})
	}
	for range other {
		keep(SeverityDrift, func() issue {
			return issue{pointer: prefix, rule: ruleSchema, message: "the body could not be checked against its schema"}
		})
	}
	w := walker{matchOptions: v.matchOptions, prefix: prefix}
	w.walk(schema, value)
	for _, is := range w.sorted() {
		severity := v.undocumented
		if is.rule == RuleLimit {
			severity = SeverityDrift
		}
		keep(severity, func() issue { return is })
	}
	return out, omitted
}
