package tallyfy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/tallyfy-go/tallyfy/gen"
)

// ListRunTasks fetches one page of a process run's tasks, with the filters
// in params (nil for none; params.Page picks the page, 1 by default). It
// returns the decoded page and a *Response that carries the rate limit, the
// request ID and the paging: resp.NextPage, 0 after the last page, is the
// page to ask for next. RunTasks goes through every page for you.
//
// Every non-2xx response is an *APIError (a *RateLimitError for a 429 that
// outlived the retries), and a 2xx that is not the documented JSON page is
// a *DecodeError; the page and the Response are then nil.
//
// A task that does not fit the generated types costs no other task: the
// page holds every task that fits, the Response is set, and err joins one
// *TaskError per task left out (errors.As finds one; each holds the task's
// raw JSON). So check err before taking the page as complete.
//
// Pagination is checked as the iterators check it: unless
// params.WithoutPagination is set, a page without meta.pagination, with a
// current_page other than the page asked for, or empty while total_pages
// says more follow is returned with its Response, and err joins a
// *PaginationError; resp.NextPage is then 0, so that a loop on NextPage
// never skips a page without an error saying so.
func (c *Client) ListRunTasks(ctx context.Context, orgID, runID string, params *gen.ListRunTasksParams) (*gen.TaskList, *Response, error) {
	resp, err := c.generated.ListRunTasks(c.forOperation(ctx, opListRunTasks), orgID, runID, params)
	var page *int
	var unpaginated *bool
	if params != nil {
		page, unpaginated = params.Page, params.WithoutPagination
	}
	return c.decodePage(ctx, resp, err, firstPage(page), isTrue(unpaginated))
}

// ListOrgTasks fetches one page of an organization's tasks, one-off tasks
// included. It behaves as ListRunTasks; OrgTasks goes through every page.
func (c *Client) ListOrgTasks(ctx context.Context, orgID string, params *gen.ListOrgTasksParams) (*gen.TaskList, *Response, error) {
	resp, err := c.generated.ListOrgTasks(c.forOperation(ctx, opListOrgTasks), orgID, params)
	var page *int
	var unpaginated *bool
	if params != nil {
		page, unpaginated = params.Page, params.WithoutPagination
	}
	return c.decodePage(ctx, resp, err, firstPage(page), isTrue(unpaginated))
}

// decodePage decodes the task list of a response that the doer passed (a
// 2xx with JSON), and closes its body. requested is the page asked for.
// The page is decoded as the iterators decode it: a task over
// WithMaxTaskSize is a *LimitError, and a task that does not fit the
// generated types is left out with a *TaskError while the others are kept.
// Unless unpaginated, the page's pagination is checked as the iterators
// check it, and a problem is a *PaginationError beside the page.
func (c *Client) decodePage(ctx context.Context, resp *http.Response, err error, requested int, unpaginated bool) (*gen.TaskList, *Response, error) {
	if err != nil {
		return nil, nil, err
	}
	defer drainAndClose(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, nil, c.decodeError(resp, fmt.Errorf("status %d is not the documented 200 with a JSON body", resp.StatusCode))
	}
	list := &gen.TaskList{}
	var misfits []error
	tail, _, err := c.newListing(true).readPage(ctx, requested, resp, resp.Body, func(t gen.Task, err error) bool {
		if err != nil {
			misfits = append(misfits, err)
		} else {
			list.Data = append(list.Data, t)
		}
		return true
	})
	if err != nil {
		return nil, nil, err
	}
	if len(tail.meta) > 0 {
		if err := json.Unmarshal(tail.meta, &list.Meta); err != nil {
			return nil, nil, c.decodeError(resp, fmt.Errorf("page %d: meta: %w", requested, err))
		}
	}
	r := newResponse(resp, list, requested, c.doer.token)
	if !unpaginated {
		if err := newPager(requested).observe(requested, tail.meta, len(list.Data)+len(misfits)); err != nil {
			misfits = append(misfits, err)
			r.NextPage = 0
		}
	}
	return list, r, errors.Join(misfits...)
}

// decodeError is the *DecodeError of a 2xx response whose body is not a
// task list; a 2xx other than the documented 200 is one too. Returning it,
// rather than a page that is nil, keeps callers from a nil dereference.
func (c *Client) decodeError(resp *http.Response, err error) *DecodeError {
	return &DecodeError{
		Method:      resp.Request.Method,
		URL:         c.doer.token.url(resp.Request.URL.String()),
		StatusCode:  resp.StatusCode,
		ContentType: c.doer.token.text(resp.Header.Get("Content-Type")),
		Err:         err,
	}
}
