package tallyfy

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net"
	"net/http"

	"github.com/tallyfy-go/tallyfy/gen"
)

// RunTasks iterates over every task of a process run, page after page,
// with the filters in params (nil for none). params is copied and never
// changed; its Page, if set, is the first page fetched.
//
// The sequence stops after the last page, when the loop breaks (no further
// page is fetched), or after yielding one error. With WithoutPagination set,
// the single response is decoded as a stream, so memory stays flat however
// many tasks it holds.
func (c *Client) RunTasks(ctx context.Context, orgID, runID string, params *gen.ListRunTasksParams) iter.Seq2[gen.Task, error] {
	var p gen.ListRunTasksParams
	if params != nil {
		p = *params
	}
	fetch := func(ctx context.Context, page int) (*http.Response, error) {
		q := p
		q.Page = &page
		return c.ClientInterface.ListRunTasks(c.forOperation(ctx, opListRunTasks), orgID, runID, &q)
	}
	return c.tasks(ctx, fetch, firstPage(p.Page), isTrue(p.WithoutPagination))
}

// OrgTasks iterates over every task of an organization, one-off tasks
// included, with the filters in params (nil for none). It behaves as RunTasks.
func (c *Client) OrgTasks(ctx context.Context, orgID string, params *gen.ListOrgTasksParams) iter.Seq2[gen.Task, error] {
	var p gen.ListOrgTasksParams
	if params != nil {
		p = *params
	}
	fetch := func(ctx context.Context, page int) (*http.Response, error) {
		q := p
		q.Page = &page
		return c.ClientInterface.ListOrgTasks(c.forOperation(ctx, opListOrgTasks), orgID, &q)
	}
	return c.tasks(ctx, fetch, firstPage(p.Page), isTrue(p.WithoutPagination))
}

// fetchPage requests one page; the response is 2xx and JSON (the doer makes
// every other response an error).
type fetchPage func(ctx context.Context, page int) (*http.Response, error)

func (c *Client) tasks(ctx context.Context, fetch fetchPage, first int, unpaginated bool) iter.Seq2[gen.Task, error] {
	return func(yield func(gen.Task, error) bool) {
		page := first
		for {
			if err := ctx.Err(); err != nil {
				yield(gen.Task{}, fmt.Errorf("tallyfy: listing tasks: %w", err))
				return
			}
			meta, stopped, err := c.readPage(ctx, fetch, page, yield)
			if stopped {
				return
			}
			if err != nil {
				yield(gen.Task{}, err)
				return
			}
			if unpaginated || meta == nil {
				return
			}
			next, more, err := nextPage(meta.Pagination, page)
			if err != nil || !more {
				if err != nil {
					yield(gen.Task{}, err)
				}
				return
			}
			if c.pageConcurrency > 1 {
				c.concurrentPages(ctx, fetch, next, meta.Pagination.TotalPages, yield)
				return
			}
			page = next
		}
	}
}

// readPage fetches one page and yields its tasks as they are decoded.
// stopped is true when the consumer stopped the iteration.
func (c *Client) readPage(ctx context.Context, fetch fetchPage, page int, yield func(gen.Task, error) bool) (meta *gen.ListMeta, stopped bool, err error) {
	resp, err := fetch(ctx, page)
	if err != nil {
		return nil, false, err
	}
	defer resp.Body.Close()
	meta, stopped, err = decodeTaskPage(resp.Body, func(t gen.Task) bool { return yield(t, nil) })
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, false, fmt.Errorf("tallyfy: reading page %d: %w", page, ctxErr)
		}
		if isConnectionError(err) { // the connection failed or timed out mid-body
			return nil, false, fmt.Errorf("tallyfy: %s %s: reading page %d: %w", resp.Request.Method, pathOf(resp.Request.URL.String()), page, err)
		}
		return nil, false, &DecodeError{
			Method:      resp.Request.Method,
			URL:         resp.Request.URL.String(),
			StatusCode:  resp.StatusCode,
			ContentType: resp.Header.Get("Content-Type"),
			Err:         fmt.Errorf("page %d: %w", page, err),
		}
	}
	return meta, stopped, nil
}

// nextPage decides from a page's pagination whether another page follows.
// A server whose current_page does not move forward is an error, not an
// endless loop.
func nextPage(p gen.Pagination, requested int) (next int, more bool, err error) {
	if p.CurrentPage >= p.TotalPages {
		return 0, false, nil
	}
	if p.CurrentPage < requested {
		return 0, false, errors.New("tallyfy: pagination did not advance: asked for page " +
			fmt.Sprint(requested) + ", got current_page " + fmt.Sprint(p.CurrentPage))
	}
	return p.CurrentPage + 1, true, nil
}

func firstPage(p *int) int {
	if p != nil && *p > 1 {
		return *p
	}
	return 1
}

func isTrue(b *bool) bool { return b != nil && *b }

// isConnectionError reports whether an error met while reading a body is
// the connection's (reset, closed, timed out) rather than the body's own.
func isConnectionError(err error) bool {
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, net.ErrClosed)
}
