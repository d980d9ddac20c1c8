package tallyfy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
// a *DecodeError.
func (c *Client) ListRunTasks(ctx context.Context, orgID, runID string, params *gen.ListRunTasksParams) (*gen.TaskList, *Response, error) {
	resp, err := c.generated.ListRunTasks(c.forOperation(ctx, opListRunTasks), orgID, runID, params)
	var page *int
	if params != nil {
		page = params.Page
	}
	return c.decodePage(ctx, resp, err, firstPage(page))
}

// ListOrgTasks fetches one page of an organization's tasks, one-off tasks
// included. It behaves as ListRunTasks; OrgTasks goes through every page.
func (c *Client) ListOrgTasks(ctx context.Context, orgID string, params *gen.ListOrgTasksParams) (*gen.TaskList, *Response, error) {
	resp, err := c.generated.ListOrgTasks(c.forOperation(ctx, opListOrgTasks), orgID, params)
	var page *int
	if params != nil {
		page = params.Page
	}
	return c.decodePage(ctx, resp, err, firstPage(page))
}

// decodePage decodes the task list of a response that the doer passed (a
// 2xx with JSON), and closes its body. requested is the page asked for.
func (c *Client) decodePage(ctx context.Context, resp *http.Response, err error, requested int) (*gen.TaskList, *Response, error) {
	if err != nil {
		return nil, nil, err
	}
	defer drainAndClose(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, nil, c.decodeError(resp, fmt.Errorf("status %d is not the documented 200 with a JSON body", resp.StatusCode))
	}
	var body listBody
	dec := json.NewDecoder(resp.Body)
	err = dec.Decode(&body)
	switch {
	case err != nil:
	case !body.Data.present:
		err = fmt.Errorf("%w: no \"data\" key", errPageShape)
	default:
		if _, tail := dec.Token(); tail != io.EOF {
			err = fmt.Errorf("%w: data after the top-level object", errPageShape)
		}
	}
	switch {
	case err == nil:
		list := &gen.TaskList{Data: body.Data.tasks, Meta: body.Meta}
		return list, newResponse(resp, list, requested, c.doer.token), nil
	case ctx.Err() != nil:
		return nil, nil, fmt.Errorf("tallyfy: reading page %d: %w", requested, ctx.Err())
	case isConnectionError(err): // the connection failed or timed out mid-body
		return nil, nil, fmt.Errorf("tallyfy: %s %s: reading page %d: %w",
			resp.Request.Method, pathOf(c.doer.token.url(resp.Request.URL.String())), requested, err)
	case errors.Is(err, io.EOF): // an empty body is a body cut short
		err = io.ErrUnexpectedEOF
	}
	return nil, nil, c.decodeError(resp, fmt.Errorf("page %d: %w", requested, err))
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

// listBody is a task-list page as decoded by ListRunTasks and ListOrgTasks:
// gen.TaskList, but a page without a "data" key is told apart from one
// whose data is null or empty.
type listBody struct {
	Data listData      `json:"data"`
	Meta *gen.ListMeta `json:"meta"`
}

type listData struct {
	tasks   []gen.Task
	present bool
}

// UnmarshalJSON implements json.Unmarshaler; it is called for "data": null too.
func (d *listData) UnmarshalJSON(b []byte) error {
	d.present = true
	return json.Unmarshal(b, &d.tasks)
}
