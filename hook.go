package tallyfy

import (
	"context"
	"errors"
	"net/http"
	"strings"
)

// DefaultObservedBodyLimit is the largest body a ResponseHook receives
// whole, unless WithObservedBodyLimit says otherwise. A larger body reaches
// the hook as Truncated, without its bytes.
const DefaultObservedBodyLimit = 4 << 20

// ObservedResponse is one response the client received, as a ResponseHook
// sees it: enough to check it against the spec, and never the token.
type ObservedResponse struct {
	// Operation is the spec's operationId of the call: "listRunTasks" or
	// "listOrgTasks" for ListRunTasks, ListOrgTasks, RunTasks and OrgTasks,
	// and for the same GET through Generated (read from the URL's path); ""
	// for any other request.
	Operation string
	// Method is the request method.
	Method string
	// URL is the request URL. It never holds the token, which only ever
	// travels in the Authorization header.
	URL string
	// RequestHeader holds the request headers, without Authorization.
	RequestHeader http.Header
	// StatusCode is the response status.
	StatusCode int
	// Header holds the response headers as they arrived, with any
	// occurrence of the token replaced, and without a header whose name
	// holds the token.
	Header http.Header
	// Body is the whole body as it went over the wire, with any occurrence
	// of the token replaced; nil when Truncated. The hook owns it.
	Body []byte
	// Truncated says that Body is not the whole body, and so is left out:
	// the body was larger than the limit (WithObservedBodyLimit), or it was
	// closed before its end (a loop that breaks out early, a connection
	// that failed). A partial body would only look like malformed JSON.
	Truncated bool
}

// ResponseHook is told about the responses a client receives: every
// attempt's response, error responses (non-2xx) included. It costs nothing
// when unset.
//
// Both methods run on the goroutine that makes the request or reads the
// body, so they must return quickly: a hook that does real work hands it to
// another goroutine (package drift's Observer queues it). A hook cannot break
// a request: a panic in either method is recovered and logged (see
// WithLogger), and the response goes on as if the hook had declined it.
type ResponseHook interface {
	// Sample is asked when a response's headers arrive, before its body is
	// read. Returning false skips the response at no further cost: its body
	// is not copied and Observe is not called for it.
	Sample(operation string, statusCode int) bool
	// Observe receives a sampled response once its body has been read to
	// the end or closed, whichever comes first.
	Observe(ObservedResponse)
}

// ResponseHookFunc is a ResponseHook that samples every response.
type ResponseHookFunc func(ObservedResponse)

// Sample implements ResponseHook: every response is observed.
func (f ResponseHookFunc) Sample(string, int) bool { return true }

// Observe implements ResponseHook by calling f.
func (f ResponseHookFunc) Observe(r ObservedResponse) { f(r) }

// WithResponseHook has every response the client receives offered to h (see
// ResponseHook). Package drift's Observer is one such hook: it checks a
// sample of the responses against the spec.
func WithResponseHook(h ResponseHook) Option {
	return func(c *config) error {
		if h == nil {
			return errors.New("tallyfy: WithResponseHook: nil hook")
		}
		c.hook = h
		return nil
	}
}

// WithObservedBodyLimit sets the largest body a ResponseHook receives whole
// (default DefaultObservedBodyLimit). Each sampled response holds up to n
// bytes in memory until its hook is done with them.
func WithObservedBodyLimit(n int64) Option {
	return func(c *config) error {
		if n < 1 {
			return errors.New("tallyfy: WithObservedBodyLimit: n must be at least 1")
		}
		c.hookBodyLimit = n
		return nil
	}
}

// Operation ids of the spec, as the hook reports them.
const (
	opListRunTasks = "listRunTasks"
	opListOrgTasks = "listOrgTasks"
)

// operationKey is the context key of the operation a request belongs to.
type operationKey struct{}

// forOperation tells the hook, through ctx, which operation a request
// belongs to. Without a hook, ctx is returned as it is, at no cost.
func (c *Client) forOperation(ctx context.Context, operation string) context.Context {
	if c.doer.hook == nil {
		return ctx
	}
	return context.WithValue(ctx, operationKey{}, operation)
}

// operationOf returns the operation a request belongs to: the one its
// context names, else the one its method and path match (a call through
// Generated), else "".
func operationOf(req *http.Request) string {
	if op, _ := req.Context().Value(operationKey{}).(string); op != "" {
		return op
	}
	if req.Method != http.MethodGet {
		return ""
	}
	return operationOfPath(req.URL.Path)
}

// operationOfPath matches the end of path against the two task lists:
// .../organizations/{org_id}/runs/{run_id}/tasks and
// .../organizations/{org_id}/tasks (whatever the base URL's path).
func operationOfPath(path string) string {
	seg := strings.Split(strings.TrimSuffix(path, "/"), "/")
	n := len(seg)
	switch {
	case n >= 5 && seg[n-1] == "tasks" && seg[n-3] == "runs" && seg[n-5] == "organizations" && seg[n-2] != "" && seg[n-4] != "":
		return opListRunTasks
	case n >= 3 && seg[n-1] == "tasks" && seg[n-3] == "organizations" && seg[n-2] != "":
		return opListOrgTasks
	}
	return ""
}
