package tallyfy

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/tallyfy-go/tallyfy/internal/redact"
)

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

// responseHook is a ResponseHook as the doer runs it: with its body limit,
// the token to scrub, and the logger its panics go to.
type responseHook struct {
	h      ResponseHook
	limit  int64
	token  redact.Secret
	logger *slog.Logger
}

// newResponseHook returns nil when h is nil: the doer then skips every
// step of observing. limit is the largest body h receives whole.
func newResponseHook(h ResponseHook, limit int64, token redact.Secret, logger *slog.Logger) *responseHook {
	if h == nil {
		return nil
	}
	return &responseHook{h: h, limit: limit, token: token, logger: logger}
}

// Headers that never reach a hook: credentials of the request, and session
// cookies a server may set.
var (
	hiddenRequestHeaders  = []string{"Authorization", "Proxy-Authorization", "Cookie"}
	hiddenResponseHeaders = []string{"Set-Cookie"}
)

// offer offers resp, just arrived for req, to the hook. When the hook
// samples it, resp.Body is replaced by a tee that hands the body to the hook
// once it has been read to its end or closed. The headers are copied now,
// as they arrived, before anything on the way to the caller changes them.
func (rh *responseHook) offer(req *http.Request, resp *http.Response) {
	op := operationOf(req)
	if !rh.sample(op, resp.StatusCode) {
		return
	}
	b := &observedBody{
		ReadCloser: resp.Body,
		hook:       rh,
		seen: ObservedResponse{
			Operation:     op,
			Method:        req.Method,
			URL:           req.URL.String(),
			RequestHeader: withoutHeaders(rh.token.Header(req.Header), hiddenRequestHeaders),
			StatusCode:    resp.StatusCode,
			Header:        withoutHeaders(rh.token.Header(resp.Header), hiddenResponseHeaders),
		},
	}
	switch n := resp.ContentLength; {
	case n > rh.limit:
		b.over = true // known too large: not a byte is copied
	case n > 0:
		b.buf = make([]byte, 0, n)
	}
	resp.Body = b
}

func (rh *responseHook) sample(op string, status int) (ok bool) {
	defer func() {
		if p := recover(); p != nil {
			rh.logPanic("Sample", p)
			ok = false
		}
	}()
	return rh.h.Sample(op, status)
}

func (rh *responseHook) observe(r ObservedResponse) {
	defer func() {
		if p := recover(); p != nil {
			rh.logPanic("Observe", p)
		}
	}()
	rh.h.Observe(r)
}

func (rh *responseHook) logPanic(method string, p any) {
	rh.logger.LogAttrs(context.Background(), slog.LevelError, "tallyfy: response hook panicked; the response is unaffected",
		slog.String("hook_method", method),
		slog.String("panic", rh.token.Text(fmt.Sprint(p))))
}

// withoutHeaders deletes names from h (a copy) and returns it.
func withoutHeaders(h http.Header, names []string) http.Header {
	for _, n := range names {
		h.Del(n)
	}
	return h
}

// observedBody copies a response body, up to the hook's limit, as the
// caller reads it, and hands it to the hook once: at the end of the body or
// when it is closed, whichever comes first.
type observedBody struct {
	io.ReadCloser
	hook *responseHook

	mu   sync.Mutex // a body may be closed while another goroutine reads it
	seen ObservedResponse
	buf  []byte
	over bool // the body is larger than the limit; buf is dropped
	done bool
}

func (b *observedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.mu.Lock()
	if n > 0 && !b.over && !b.done {
		if int64(len(b.buf)+n) > b.hook.limit {
			b.over, b.buf = true, nil
		} else {
			b.buf = appendDoubling(b.buf, p[:n], b.hook.limit)
		}
	}
	b.mu.Unlock()
	if err == io.EOF {
		b.finish(true)
	}
	return n, err
}

func (b *observedBody) Close() error {
	err := b.ReadCloser.Close()
	b.finish(false)
	return err
}

// finish hands the response to the hook, the first time only. Only a body
// read to its end within the limit is handed over.
func (b *observedBody) finish(atEOF bool) {
	b.mu.Lock()
	if b.done {
		b.mu.Unlock()
		return
	}
	b.done = true
	r := b.seen
	if atEOF && !b.over {
		body := b.buf // handed over: b.buf is let go below
		if body == nil {
			body = []byte{}
		}
		r.Body = b.hook.token.Bytes(body)
	} else {
		r.Truncated = true
	}
	b.buf = nil
	b.mu.Unlock()
	b.hook.observe(r)
}

// appendDoubling appends p to buf, doubling its capacity (up to limit) when
// it is full: a body of unknown length costs about twice its size in
// allocations, where append's gentler growth for large slices costs five.
func appendDoubling(buf, p []byte, limit int64) []byte {
	if need := len(buf) + len(p); need > cap(buf) {
		grown := make([]byte, len(buf), min(max(2*cap(buf), need, 4096), int(limit)))
		copy(grown, buf)
		buf = grown
	}
	return append(buf, p...)
}

// Operation ids of the spec, as the hook reports them.
const (
	opListRunTasks = "listRunTasks"
	opListOrgTasks = "listOrgTasks"
)

// operationKey is the context key of the operation a request belongs to.
type operationKey struct{}

// withOperation tells rh, through ctx, which operation a request belongs
// to. Without a hook (rh nil), ctx is returned as it is, at no cost.
func withOperation(ctx context.Context, rh *responseHook, operation string) context.Context {
	if rh == nil {
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
