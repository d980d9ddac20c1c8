package drift

import (
	"encoding/json"
	"math"
	"net/url"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tallyfy-go/tallyfy/internal/pagination"
)

// Pagination semantics that OpenAPI 3.0 cannot state: a list body's
// meta.pagination must agree with itself, with the items of the page, and
// with the page the request asked for. The rules live in package
// pagination, with the client's pager; this file reads a body's numbers for
// them and makes each broken rule a finding of rule RulePagination at
// /meta/pagination/ and the member that is wrong. A value of the wrong
// type, or a negative one, is unknown to the rules and left to schema
// validation, which reports it.

// pointerMeta is the pointer of a list body's meta; pointerPagination that
// of its pagination, to which a violation's Field is appended.
const (
	pointerMeta       = "/meta"
	pointerPagination = "/meta/pagination/"
)

// isPaginatedList reports whether schema is a list body whose meta holds a
// pagination object: {"data": [...], "meta": {"pagination": {...}}}.
func isPaginatedList(schema *openapi3.Schema) bool {
	data, meta := schema.Properties["data"], schema.Properties["meta"]
	if data == nil || data.Value == nil || meta == nil || meta.Value == nil {
		return false
	}
	return data.Value.Type.Is(openapi3.TypeArray) && meta.Value.Properties["pagination"] != nil
}

// pageRequest is what the request says about the page it wants.
type pageRequest struct {
	page              int64 // the page asked for; 0 when the query does not say clearly
	withoutPagination bool
}

// pageRequestOf reads page and without_pagination from a raw query. A page
// that is not a positive integer is the request check's finding, not this
// one's: it leaves page 0, so that current_page is not compared with it.
func pageRequestOf(rawQuery string) pageRequest {
	q, _ := url.ParseQuery(rawQuery) // a malformed pair is dropped; what parses is used
	r := pageRequest{page: 1}
	if pages, ok := q["page"]; ok {
		r.page = 0
		if len(pages) == 1 {
			if n, err := strconv.ParseInt(pages[0], 10, 64); err == nil && n >= 1 {
				r.page = n
			}
		}
	}
	if v := q.Get("without_pagination"); v != "" {
		r.withoutPagination, _ = strconv.ParseBool(v)
	}
	return r
}

// asked is the page the rules compare current_page with: none (0) when
// the request turned pagination off.
func (r pageRequest) asked() int64 {
	if r.withoutPagination {
		return 0
	}
	return r.page
}

// paginationIssues holds the envelope of a list body (the body with or
// without its data) against the request. items is the number of elements of
// data, or -1 when data is not an array.
func paginationIssues(envelope map[string]any, items int, req pageRequest) []issue {
	metaValue, hasMeta := envelope["meta"]
	if !hasMeta {
		if req.withoutPagination {
			return nil
		}
		return []issue{{pointer: pointerMeta, rule: RulePagination,
			message: "the list has no meta.pagination, though the request did not ask for without_pagination=true"}}
	}
	meta, _ := metaValue.(map[string]any)
	pg, _ := meta["pagination"].(map[string]any)
	if pg == nil {
		return nil // not an object, or missing: schema validation reports it
	}
	var out []issue
	for _, v := range pagination.Check(pageOf(pg, items, req.asked())) {
		out = append(out, issue{pointer: pointerPagination + v.Field, rule: RulePagination, message: v.Message})
	}
	return out
}

// pageOf reads the numbers of a pagination object for the rules.
func pageOf(pg map[string]any, items int, asked int64) pagination.Page {
	p := pagination.Page{
		Asked:       asked,
		Items:       pagination.Unknown,
		Total:       pageNumber(pg["total"]),
		Count:       pageNumber(pg["count"]),
		PerPage:     pageNumber(pg["per_page"]),
		CurrentPage: pageNumber(pg["current_page"]),
		TotalPages:  pageNumber(pg["total_pages"]),
		Next:        nextOf(pg["links"]),
	}
	if items >= 0 {
		p.Items = int64(items)
	}
	return p
}

// pageNumber returns v when it is a JSON integer from 0, else
// pagination.Unknown.
func pageNumber(v any) int64 {
	switch v := v.(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil && n >= 0 {
			return n
		}
	case float64:
		if v >= 0 && v < math.MaxInt64 && v == math.Trunc(v) {
			return int64(v)
		}
	}
	return pagination.Unknown
}

// nextOf says what links says of the next page: links.next is set only in
// the object form of links, and a null next counts as absent; links of
// neither form (a non-empty array, a scalar) are the schema's finding.
func nextOf(links any) pagination.Next {
	switch links := links.(type) {
	case nil: // absent (or null, the schema's finding): no next
		return pagination.NextAbsent
	case map[string]any:
		if links["next"] != nil {
			return pagination.NextPresent
		}
		return pagination.NextAbsent
	case []any:
		if len(links) == 0 {
			return pagination.NextAbsent
		}
	}
	return pagination.NextUnknown
}
