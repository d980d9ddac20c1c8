package drift

import (
	"encoding/json"
	"net/url"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// Pagination semantics that OpenAPI 3.0 cannot state: a list body's
// meta.pagination must agree with itself, with the items of the page, and
// with the page the request asked for. Each contradiction is a finding of
// rule RulePagination at the pointer of the value that is wrong. A value of
// the wrong type, or a negative one, is left to schema validation, which
// reports it; the checks that need it are skipped.

// Pointers of the pagination findings.
const (
	pointerMeta        = "/meta"
	pointerCount       = "/meta/pagination/count"
	pointerCurrentPage = "/meta/pagination/current_page"
	pointerTotal       = "/meta/pagination/total"
	pointerNext        = "/meta/pagination/links/next"
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

// paginationValues are the integers of a pagination object; known says
// which of them are present as non-negative integers.
type paginationValues struct {
	total, count, perPage, currentPage, totalPages int64
	known                                          struct{ total, count, perPage, currentPage, totalPages bool }
	links                                          any
}

// nonNegative returns v as an int64 when it is a JSON integer >= 0.
func nonNegative(v any) (int64, bool) {
	var n int64
	switch v := v.(type) {
	case json.Number:
		i, err := v.Int64()
		if err != nil {
			return 0, false
		}
		n = i
	case float64:
		if v != float64(int64(v)) {
			return 0, false
		}
		n = int64(v)
	default:
		return 0, false
	}
	return n, n >= 0
}

func paginationValuesOf(pg map[string]any) paginationValues {
	var p paginationValues
	p.total, p.known.total = nonNegative(pg["total"])
	p.count, p.known.count = nonNegative(pg["count"])
	p.perPage, p.known.perPage = nonNegative(pg["per_page"])
	p.currentPage, p.known.currentPage = nonNegative(pg["current_page"])
	p.totalPages, p.known.totalPages = nonNegative(pg["total_pages"])
	p.links = pg["links"]
	return p
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
	p := paginationValuesOf(pg)
	var out []issue
	if is, ok := p.countIssue(items); ok {
		out = append(out, is)
	}
	if is, ok := p.currentPageIssue(req); ok {
		out = append(out, is)
	}
	if is, ok := p.totalIssue(); ok {
		out = append(out, is)
	}
	if is, ok := p.nextIssue(); ok {
		out = append(out, is)
	}
	return out
}

func paginationIssue(pointer, format string, args ...any) issue {
	return issue{pointer: pointer, rule: RulePagination, message: shortMessage(format, args...)}
}

// countIssue: count is the number of items, at most per_page, and as many
// as the page's place among the pages implies. The first contradiction is
// the finding.
func (p paginationValues) countIssue(items int) (issue, bool) {
	if !p.known.count {
		return issue{}, false
	}
	if items >= 0 && p.count != int64(items) {
		return paginationIssue(pointerCount, "count is %d, but the page holds %d items", p.count, items), true
	}
	if p.known.perPage && p.count > p.perPage {
		return paginationIssue(pointerCount, "count %d is more than per_page %d", p.count, p.perPage), true
	}
	if want, ok := p.expectedCount(); ok && p.count != want {
		return paginationIssue(pointerCount, "count is %d, but page %d of %d at per_page %d holds %d of the %d items",
			p.count, p.currentPage, p.totalPages, p.perPage, want, p.total), true
	}
	return issue{}, false
}

// expectedCount is the number of items page current_page holds when total,
// per_page and total_pages agree and the page is one of them.
func (p paginationValues) expectedCount() (int64, bool) {
	if !p.known.total || !p.known.perPage || !p.known.currentPage || !p.known.totalPages ||
		p.perPage == 0 || !p.totalAgrees() || p.currentPage < 1 || p.currentPage > max(p.totalPages, 1) {
		return 0, false
	}
	if p.total == 0 {
		return 0, true
	}
	if p.currentPage < p.totalPages {
		return p.perPage, true
	}
	// The last page: total_pages = ceil(total / per_page), so the pages
	// before it hold less than total.
	return p.total - (p.totalPages-1)*p.perPage, true
}

// currentPageIssue: current_page is the page asked for, and one of the
// pages: 1 <= current_page <= max(total_pages, 1).
func (p paginationValues) currentPageIssue(req pageRequest) (issue, bool) {
	if !p.known.currentPage {
		return issue{}, false
	}
	if !req.withoutPagination && req.page > 0 && p.currentPage != req.page {
		return paginationIssue(pointerCurrentPage, "current_page is %d, but the request asked for page %d", p.currentPage, req.page), true
	}
	if p.currentPage < 1 {
		return paginationIssue(pointerCurrentPage, "current_page is %d; pages count from 1", p.currentPage), true
	}
	if p.known.totalPages && p.currentPage > max(p.totalPages, 1) {
		return paginationIssue(pointerCurrentPage, "current_page %d is past total_pages %d", p.currentPage, p.totalPages), true
	}
	return issue{}, false
}

// totalAgrees reports whether total_pages is ceil(total / per_page); an
// empty list may have 0 pages or 1. per_page 0 fits an empty list only.
func (p paginationValues) totalAgrees() bool {
	if p.total == 0 {
		return p.totalPages <= 1
	}
	if p.perPage == 0 {
		return false
	}
	pages := p.total / p.perPage
	if p.total%p.perPage != 0 {
		pages++
	}
	return p.totalPages == pages
}

// totalIssue: total agrees with total_pages and per_page.
func (p paginationValues) totalIssue() (issue, bool) {
	if !p.known.total || !p.known.perPage || !p.known.totalPages || p.totalAgrees() {
		return issue{}, false
	}
	return paginationIssue(pointerTotal, "total %d at per_page %d does not make total_pages %d", p.total, p.perPage, p.totalPages), true
}

// nextIssue: links.next is present (in the object form of links) exactly
// when a later page exists. A null next counts as absent; links of neither
// form are left to the schema.
func (p paginationValues) nextIssue() (issue, bool) {
	if !p.known.currentPage || !p.known.totalPages || p.currentPage < 1 || p.currentPage > max(p.totalPages, 1) {
		return issue{}, false // no page to reason from: currentPageIssue reports it
	}
	var hasNext bool
	switch links := p.links.(type) {
	case nil: // absent (or null, the schema's finding): no next
	case map[string]any:
		hasNext = links["next"] != nil
	case []any:
		if len(links) > 0 {
			return issue{}, false // neither form: the schema's finding
		}
	default:
		return issue{}, false
	}
	later := p.currentPage < p.totalPages
	switch {
	case later && !hasNext:
		return paginationIssue(pointerNext, "page %d of %d has no links.next", p.currentPage, p.totalPages), true
	case !later && hasNext:
		return paginationIssue(pointerNext, "links.next is set on page %d of %d, the last", p.currentPage, p.totalPages), true
	}
	return issue{}, false
}
