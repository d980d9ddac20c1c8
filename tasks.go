package tallyfy

import (
	"context"
	"fmt"
	"iter"
	"net/http"

	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// The task listings: a process run's tasks and an organization's, each as
// one page (List...), as every task of every page (...Tasks) and as every
// page with its Response (...TaskPages). Both listings go through one
// generic listing (listing.go).

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
//
// An orgID or runID that is empty, "." or ".." is an error that wraps
// ErrInvalidID, and no request is sent: it would change the request's path.
func (c *Client) ListRunTasks(ctx context.Context, orgID, runID string, params *gen.ListRunTasksParams) (*gen.TaskList, *Response, error) {
	return c.runTasks(orgID, runID, params).onePage(ctx)
}

// RunTasks iterates over every task of a process run, page after page,
// with the filters in params (nil for none). params is copied and never
// changed; its Page, if set, is the first page fetched.
//
// A task whose JSON does not fit the generated types, or that comes again
// on a later page, is yielded as a *TaskError, and the iteration goes on:
// skip *TaskError to get every other task. Any other error ends the
// sequence: a page without meta.pagination or with another current_page,
// or a page of nothing but tasks already yielded (*PaginationError), a body
// that is not JSON (*DecodeError), a task or a page over a size limit
// (*LimitError), a non-2xx (*APIError), an ID that is not valid
// (ErrInvalidID). The sequence also stops after the last page, and when
// the loop breaks (no further page is fetched). With WithoutPagination
// set, the single response is decoded as a stream, so memory stays flat
// however many tasks it holds.
func (c *Client) RunTasks(ctx context.Context, orgID, runID string, params *gen.ListRunTasksParams) iter.Seq2[gen.Task, error] {
	return c.runTasks(orgID, runID, params).eachTask(ctx)
}

// RunTaskPages iterates over every page of a process run's tasks, with the
// filters in params (nil for none), for a caller that wants each page's
// Response beside its tasks: the rate limit, the pace in force, the
// request ID, the paging (as go-github's and stripe-go's list iterators
// keep the last response). It fetches, checks and paces pages as RunTasks
// does, read-ahead included.
//
// Each page comes whole, with its Response; err is then nil, or joins a
// *TaskError for each task left out of the page (so check it before
// taking the page as complete). A page whose pagination cannot be
// followed comes with a *PaginationError joined in err, and ends the
// sequence. Any other error comes alone, with a nil page, and ends it:
//
//	for page, err := range c.RunTaskPages(ctx, org, run, nil) {
//		if page == nil {
//			return err // *APIError, *DecodeError, *LimitError, ...
//		}
//		log.Printf("page %d: %d tasks, request %s, %.1f req/s", page.Response.CurrentPage,
//			len(page.Data), page.Response.RequestID, page.Response.Pace.PerSecond)
//		if err != nil { ... } // tasks left out, or the last page the listing could follow
//	}
func (c *Client) RunTaskPages(ctx context.Context, orgID, runID string, params *gen.ListRunTasksParams) iter.Seq2[*TaskPage, error] {
	return c.runTasks(orgID, runID, params).eachPage(ctx)
}

// ListOrgTasks fetches one page of an organization's tasks, one-off tasks
// included. It behaves as ListRunTasks; OrgTasks goes through every page.
func (c *Client) ListOrgTasks(ctx context.Context, orgID string, params *gen.ListOrgTasksParams) (*gen.TaskList, *Response, error) {
	return c.orgTasks(orgID, params).onePage(ctx)
}

// OrgTasks iterates over every task of an organization, one-off tasks
// included, with the filters in params (nil for none). It behaves as RunTasks.
func (c *Client) OrgTasks(ctx context.Context, orgID string, params *gen.ListOrgTasksParams) iter.Seq2[gen.Task, error] {
	return c.orgTasks(orgID, params).eachTask(ctx)
}

// OrgTaskPages iterates over every page of an organization's tasks. It
// behaves as RunTaskPages.
func (c *Client) OrgTaskPages(ctx context.Context, orgID string, params *gen.ListOrgTasksParams) iter.Seq2[*TaskPage, error] {
	return c.orgTasks(orgID, params).eachPage(ctx)
}

func (c *Client) runTasks(orgID, runID string, params *gen.ListRunTasksParams) *listing {
	return newListing(c, opListRunTasks, params, func(p *gen.ListRunTasksParams) (**int, *bool) { return &p.Page, p.WithoutPagination },
		func(ctx context.Context, p *gen.ListRunTasksParams) (*http.Response, error) {
			return c.generated.ListRunTasks(ctx, orgID, runID, p)
		}, pathID{"organization", orgID}, pathID{"run", runID})
}

func (c *Client) orgTasks(orgID string, params *gen.ListOrgTasksParams) *listing {
	return newListing(c, opListOrgTasks, params, func(p *gen.ListOrgTasksParams) (**int, *bool) { return &p.Page, p.WithoutPagination },
		func(ctx context.Context, p *gen.ListOrgTasksParams) (*http.Response, error) {
			return c.generated.ListOrgTasks(ctx, orgID, p)
		}, pathID{"organization", orgID})
}

// newListing is the listing of one endpoint, whatever the type P of its
// params: paging says where P keeps the page and WithoutPagination, call
// makes the request. params is copied and never changed; each page is
// requested with a copy whose Page is set (page 0: the copy as given).
func newListing[P any](c *Client, operation string, params *P, paging func(*P) (page **int, unpaginated *bool),
	call func(context.Context, *P) (*http.Response, error), ids ...pathID) *listing {
	var p P
	if params != nil {
		p = *params
	}
	page, unpaginated := paging(&p)
	first := 1
	if *page != nil && **page > 1 {
		first = **page
	}
	return &listing{
		c:           c,
		operation:   operation,
		first:       first,
		unpaginated: unpaginated != nil && *unpaginated,
		err:         checkIDs(operation, ids),
		fetch: func(ctx context.Context, n int) (*http.Response, error) {
			q := p
			if n > 0 {
				at, _ := paging(&q)
				*at = &n
			}
			return call(ctx, &q)
		},
	}
}

// pathID is one ID of a request's path, with what it names.
type pathID struct{ name, value string }

// checkIDs returns an error wrapping ErrInvalidID for the first ID that
// would change the request's path: an empty one leaves a segment out, and
// "." and ".." are dot segments that URL resolution removes, so that
// ListRunTasks(ctx, org, "..") would list the organization's tasks. Any
// other value is escaped into its path segment by the generated client.
func checkIDs(operation string, ids []pathID) error {
	for _, v := range ids {
		if v.value == "" || v.value == "." || v.value == ".." {
			return fmt.Errorf("tallyfy: %s: the %s ID %s: %w", operation, v.name, textcut.Quote(v.value, 40), ErrInvalidID)
		}
	}
	return nil
}
