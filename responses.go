package tallyfy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/tallyfy-go/tallyfy/gen"
)

// ListRunTasksWithResponse fetches one page of a run's tasks, as the
// generated method does, but a 2xx body that does not decode is a
// *DecodeError, not a bare encoding/json error. Non-2xx responses are
// already errors (*APIError, *RateLimitError).
func (c *Client) ListRunTasksWithResponse(ctx context.Context, orgID gen.OrgID, runID gen.RunID, params *gen.ListRunTasksParams, reqEditors ...gen.RequestEditorFn) (*gen.ListRunTasksResponse, error) {
	resp, err := c.ClientWithResponses.ListRunTasksWithResponse(c.forOperation(ctx, opListRunTasks), orgID, runID, params, reqEditors...)
	if err != nil {
		return nil, c.asDecodeError(err, func() (*http.Request, error) {
			return gen.NewListRunTasksRequest(c.baseURL+"/", orgID, runID, params)
		})
	}
	if resp.JSON200 == nil {
		return nil, undecoded(resp.HTTPResponse)
	}
	return resp, nil
}

// ListOrgTasksWithResponse fetches one page of an organization's tasks; see
// ListRunTasksWithResponse.
func (c *Client) ListOrgTasksWithResponse(ctx context.Context, orgID gen.OrgID, params *gen.ListOrgTasksParams, reqEditors ...gen.RequestEditorFn) (*gen.ListOrgTasksResponse, error) {
	resp, err := c.ClientWithResponses.ListOrgTasksWithResponse(c.forOperation(ctx, opListOrgTasks), orgID, params, reqEditors...)
	if err != nil {
		return nil, c.asDecodeError(err, func() (*http.Request, error) {
			return gen.NewListOrgTasksRequest(c.baseURL+"/", orgID, params)
		})
	}
	if resp.JSON200 == nil {
		return nil, undecoded(resp.HTTPResponse)
	}
	return resp, nil
}

// asDecodeError wraps an encoding/json error from the generated response
// parser in a *DecodeError; any other error is returned as it is.
func (c *Client) asDecodeError(err error, request func() (*http.Request, error)) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var badTime *time.ParseError // its text is shortened by DecodeError.Error
	if !errors.As(err, &syntax) && !errors.As(err, &typ) && !errors.As(err, &badTime) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return err
	}
	de := &DecodeError{Method: http.MethodGet, StatusCode: http.StatusOK, ContentType: "application/json", Err: err}
	if req, rerr := request(); rerr == nil {
		de.URL = req.URL.String()
	}
	return de
}

// undecoded is the error of a 2xx that the generated parser left without a
// JSON200: only a 200 with a JSON content type is documented and decoded.
// Returning it, rather than a response whose JSON200 is nil, keeps callers
// from a nil dereference.
func undecoded(resp *http.Response) error {
	return &DecodeError{
		Method:      resp.Request.Method,
		URL:         resp.Request.URL.String(),
		StatusCode:  resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"),
		Err:         fmt.Errorf("status %d is not the documented 200 with a JSON body", resp.StatusCode),
	}
}
