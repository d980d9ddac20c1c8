package tallyfy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net"
	"net/http"
	"strconv"

	"github.com/tallyfy-go/tallyfy/gen"
)

// RunTasks iterates over every task of a process run, page after page,
// with the filters in params (nil for none). params is copied and never
// changed; its Page, if set, is the first page fetched.
//
// A task whose JSON does not fit the generated types, or that comes again
// on a later page, is yielded as a *TaskError, and the iteration goes on:
// skip *TaskError to get every other task. Any other error ends the
// sequence: a page without meta.pagination or with another current_page
// (*PaginationError), a body that is not JSON (*DecodeError), a task or a
// page over a size limit (*LimitError), a non-2xx (*APIError). The sequence
// also stops after the last page, and when the loop breaks (no further page
// is fetched). With WithoutPagination set, the single response is decoded
// as a stream, so memory stays flat however many tasks it holds.
func (c *Client) RunTasks(ctx context.Context, orgID, runID string, params *gen.ListRunTasksParams) iter.Seq2[gen.Task, error] {
	var p gen.ListRunTasksParams
	if params != nil {
		p = *params
	}
	fetch := func(ctx context.Context, page int) (*http.Response, error) {
		q := p
		q.Page = &page
		return c.generated.ListRunTasks(c.forOperation(ctx, opListRunTasks), orgID, runID, &q)
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
		return c.generated.ListOrgTasks(c.forOperation(ctx, opListOrgTasks), orgID, &q)
	}
	return c.tasks(ctx, fetch, firstPage(p.Page), isTrue(p.WithoutPagination))
}

// fetchPage requests one page; the response is 2xx and JSON (the doer makes
// every other response an error).
type fetchPage func(ctx context.Context, page int) (*http.Response, error)

func (c *Client) tasks(ctx context.Context, fetch fetchPage, first int, unpaginated bool) iter.Seq2[gen.Task, error] {
	return func(yield func(gen.Task, error) bool) {
		l := c.newListing(unpaginated)
		pages := newPager(first)
		page := first
		for {
			if err := ctx.Err(); err != nil {
				yield(gen.Task{}, fmt.Errorf("tallyfy: listing tasks: %w", err))
				return
			}
			resp, err := fetch(ctx, page)
			if err != nil {
				yield(gen.Task{}, err)
				return
			}
			tail, stopped, err := l.readPage(ctx, page, resp, resp.Body, yield)
			_ = resp.Body.Close()
			if stopped {
				return
			}
			if err != nil {
				yield(gen.Task{}, err)
				return
			}
			if unpaginated {
				return
			}
			if err := pages.observe(page, tail.meta, tail.tasks); err != nil {
				yield(gen.Task{}, err)
				return
			}
			if c.pageConcurrency > 1 {
				c.concurrentPages(ctx, fetch, pages, l, yield)
				return
			}
			next, more := pages.next()
			if !more {
				return
			}
			page = next
		}
	}
}

// listing is the state of one iteration.
type listing struct {
	maxTask int64
	// token scrubs what a *TaskError or *DecodeError quotes of the page.
	token secret
	// seen holds the id of every task of a paginated listing met so far,
	// so that a task the shifting pages bring again is yielded once. It is
	// nil for an unpaginated listing, whose memory stays flat.
	seen map[string]struct{}
}

func (c *Client) newListing(unpaginated bool) *listing {
	l := &listing{maxTask: c.taskSizeLimit, token: c.doer.token}
	if !unpaginated {
		l.seen = make(map[string]struct{})
	}
	return l
}

// readPage reads one page from body (resp's body, or a copy of it) and
// yields its tasks, and a *TaskError for each element that is not yielded,
// as they are decoded. stopped is true when the consumer stopped the
// iteration; err ends it.
func (l *listing) readPage(ctx context.Context, page int, resp *http.Response, body io.Reader, yield func(gen.Task, error) bool) (tail pageTail, stopped bool, err error) {
	tail, stopped, err = decodeTaskPage(body, l.maxTask, func(el *pageElement) bool {
		return l.emit(page, el, yield)
	})
	if err != nil {
		var over *overLimit
		if errors.As(err, &over) {
			where := "a value outside data"
			if over.index >= 0 {
				where = "task " + strconv.Itoa(over.index)
			}
			return tail, false, fmt.Errorf("%w (page %d, %s)", &LimitError{Limit: "WithMaxTaskSize", Max: l.maxTask}, page, where)
		}
		return tail, false, readError(ctx, resp, page, l.token, err)
	}
	return tail, stopped, nil
}

// emit yields one element of a page's data: the task, or the *TaskError
// that says why it is not yielded.
func (l *listing) emit(page int, el *pageElement, yield func(gen.Task, error) bool) bool {
	id := el.task.ID
	if el.err != nil {
		id = readTaskID(el.raw)
	}
	if l.seen != nil && id != "" {
		if _, dup := l.seen[id]; dup {
			raw := el.raw
			if el.err == nil {
				raw = bytes.Clone(raw)
			}
			return yield(gen.Task{}, l.scrubbed(&TaskError{Page: page, Index: el.index, ID: id,
				Pointer: "/data/" + strconv.Itoa(el.index), Raw: raw, Err: ErrDuplicateTask}))
		}
		l.seen[id] = struct{}{}
	}
	if el.err != nil {
		m := locateMisfit(el.raw, taskType)
		return yield(gen.Task{}, l.scrubbed(&TaskError{Page: page, Index: el.index, ID: id,
			Pointer: "/data/" + strconv.Itoa(el.index) + m.pointer, Expected: m.expected, Got: m.got,
			Raw: el.raw, Err: el.err}))
	}
	return yield(el.task, nil)
}

// scrubbed returns e with the access token, in any form, removed from
// what it quotes of the server's JSON: a server that echoes the token as a
// task's id or key must not have it printed or logged.
func (l *listing) scrubbed(e *TaskError) *TaskError {
	e.ID = l.token.text(e.ID)
	e.Pointer = l.token.text(e.Pointer)
	e.Raw = l.token.scrub(e.Raw)
	return e
}

// readTaskID reads the id of a task that does not decode: a string, or the
// text of a number; "" when there is none.
func readTaskID(raw []byte) string {
	var probe struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(raw, &probe) != nil || len(probe.ID) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(probe.ID, &s) == nil {
		return s
	}
	if jsonKind(probe.ID) == "number" {
		return string(probe.ID)
	}
	return ""
}

// readError says why reading a page's body failed: the context, the
// connection, or a body that is not the promised JSON (*DecodeError).
func readError(ctx context.Context, resp *http.Response, page int, tok secret, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("tallyfy: reading page %d: %w", page, ctxErr)
	}
	if isConnectionError(err) { // the connection failed or timed out mid-body
		return fmt.Errorf("tallyfy: %s %s: reading page %d: %w", resp.Request.Method, pathOf(resp.Request.URL.String()), page, err)
	}
	return &DecodeError{
		Method:      resp.Request.Method,
		URL:         tok.url(resp.Request.URL.String()),
		StatusCode:  resp.StatusCode,
		ContentType: tok.text(resp.Header.Get("Content-Type")),
		Err:         fmt.Errorf("page %d: %w", page, err),
	}
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
