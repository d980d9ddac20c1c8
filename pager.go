package tallyfy

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/tallyfy-go/tallyfy/gen"
)

// MaxPage is the highest page number the iterators follow. A current_page
// or total_pages above it is a *PaginationError, so that page arithmetic
// never overflows.
const MaxPage = math.MaxInt32

// pager decides which pages a listing requests, from the pagination of the
// pages read so far. It is plain state, with no I/O, so that every server
// answer can be checked (FuzzPagination). Pages are requested in order,
// each once; read them in the order they were requested.
type pager struct {
	requested int // the highest page requested so far
	last      int // total_pages of the page read last
}

// newPager starts a listing whose first request is for page first.
func newPager(first int) *pager { return &pager{requested: first, last: first} }

// next returns the page to request after those requested so far, if the
// pages read so far say there is one.
func (p *pager) next() (int, bool) {
	if p.requested >= p.last || p.requested >= MaxPage {
		return 0, false
	}
	p.requested++
	return p.requested, true
}

// observe checks the pagination of page (which held tasks elements in
// data) and learns from it how many pages there are. meta is the page's
// "meta" value as received (nil when it had none). An error means the
// listing cannot go on without skipping or repeating pages.
func (p *pager) observe(page int, meta json.RawMessage, tasks int) error {
	pag, err := parsePagination(meta)
	if err != nil {
		return &PaginationError{Page: page, Problem: "meta.pagination does not decode", Err: err}
	}
	if pag == nil {
		return &PaginationError{Page: page, Problem: "the response has no meta.pagination, so whether more pages follow is unknown"}
	}
	switch {
	case pag.CurrentPage != page:
		return &PaginationError{Page: page, Problem: fmt.Sprintf("asked for page %d, got current_page %d", page, pag.CurrentPage)}
	case pag.TotalPages < 0 || pag.TotalPages > MaxPage:
		return &PaginationError{Page: page, Problem: fmt.Sprintf("total_pages %d is out of range (0 to %d)", pag.TotalPages, MaxPage)}
	case tasks == 0 && page < pag.TotalPages:
		return &PaginationError{Page: page, Problem: fmt.Sprintf("page %d holds no task, yet total_pages is %d", page, pag.TotalPages)}
	}
	p.last = pag.TotalPages
	return nil
}

// parsePagination decodes meta.pagination; it is nil when meta or its
// pagination is absent or null.
func parsePagination(meta json.RawMessage) (*gen.Pagination, error) {
	if len(meta) == 0 {
		return nil, nil
	}
	var m struct {
		Pagination *gen.Pagination `json:"pagination"`
	}
	if err := json.Unmarshal(meta, &m); err != nil {
		return nil, err
	}
	return m.Pagination, nil
}
