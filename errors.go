package tallyfy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tallyfy-go/tallyfy/internal/bytesize"
	"github.com/tallyfy-go/tallyfy/internal/redact"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// Every error a call returns is one of the types below, found with
// errors.As, or an error of the context (errors.Is with
// context.Canceled or context.DeadlineExceeded). Each type's constructor
// is here too, and each one scrubs the access token from what it quotes.

// APIError is a non-2xx response from Tallyfy's API.
//
// Message, Code and Errors are parsed from whichever error body the API sent:
// {"error": true, "message", "code"}, Laravel's {"message"}, {"errors": {...}}
// on 422, or {"error": "invalid_client"}. Body is a bounded excerpt of the
// raw body, with the access token (if the server echoed it) removed.
type APIError struct {
	Method     string              // HTTP method of the request
	URL        string              // request URL (it never holds the token)
	StatusCode int                 // HTTP status code
	Message    string              // the API's message, if any
	Code       string              // the API's error code (e.g. RESOURCE_NOT_FOUND), if any
	Errors     map[string][]string // field errors (422), if any
	RequestID  string              // X-Request-Id response header, if any (see Response.RequestID)
	Header     http.Header         // response headers
	Body       string              // at most 1 KiB of the body, ending in "…" when cut

	cut *LimitError // the body was larger than WithMaxErrorBody, and cut
}

// maxErrorBodyExcerpt is how much of an error body APIError.Body keeps.
const maxErrorBodyExcerpt = 1 << 10

// newAPIError describes resp, a non-2xx response whose body (at most the
// WithMaxErrorBody limit of it) has been read; cut is set when the body
// was longer. The token is scrubbed from all it keeps.
func newAPIError(resp *http.Response, body []byte, cut *LimitError, tok redact.Secret) *APIError {
	body = tok.Bytes(body)
	e := &APIError{
		Method:     resp.Request.Method,
		URL:        tok.URL(resp.Request.URL.String()),
		StatusCode: resp.StatusCode,
		Header:     tok.Header(resp.Header),
		RequestID:  requestID(resp.Header, tok),
		Body:       textcut.Cut(string(body), maxErrorBodyExcerpt),
		cut:        cut,
	}
	parseErrorBody(body, e)
	return e
}

// Unwrap returns a *LimitError when the body was larger than the limit
// WithMaxErrorBody sets and only its start was read; nil otherwise.
func (e *APIError) Unwrap() error {
	if e.cut == nil {
		return nil
	}
	return e.cut
}

// Error implements error. It names the method, the URL path, the status and
// the API's message and code.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(statusLine(e.Method, e.URL, e.StatusCode))
	switch {
	case e.Message != "":
		b.WriteString(": " + textcut.Line(e.Message, 300))
	case e.Body != "":
		b.WriteString(": " + textcut.Line(e.Body, 120))
	}
	if e.Code != "" {
		b.WriteString(" (" + textcut.Line(e.Code, 80) + ")")
	}
	if len(e.Errors) > 0 {
		b.WriteString(": " + textcut.Line(formatFieldErrors(e.Errors), 300))
	}
	if e.RequestID != "" {
		b.WriteString(" [request " + e.RequestID + "]")
	}
	if e.cut != nil {
		fmt.Fprintf(&b, " (body cut at the %s limit of %s)", e.cut.Limit, bytesize.Format(e.cut.Max))
	}
	return b.String()
}

// RateLimitError is a 429 response that was still a 429 after the retries
// (or whose Retry-After was longer than the retry policy waits).
// errors.As also finds the *APIError it wraps.
type RateLimitError struct {
	*APIError
	// RetryAfter is how long the API asked to wait (0 if it did not say).
	RetryAfter time.Duration
	// Remaining is the X-RateLimit-Remaining header, or -1 if absent.
	Remaining int
}

// Error implements error.
func (e *RateLimitError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("%s; retry after %s", e.APIError.Error(), e.RetryAfter)
	}
	return e.APIError.Error()
}

// Unwrap returns the underlying *APIError.
func (e *RateLimitError) Unwrap() error { return e.APIError }

// DecodeError is a 2xx response whose body is not the JSON the spec
// promises: another content type (an HTML maintenance page, say), or JSON
// that is malformed, truncated or of the wrong shape.
type DecodeError struct {
	Method      string // the request's method
	URL         string // the request's URL (it never holds the token)
	StatusCode  int    // the response's 2xx status
	ContentType string // the response's Content-Type, as sent
	// Excerpt is the start of the body, when it was not JSON at all: at
	// most 512 bytes, ending in "…" when cut.
	Excerpt string
	// Err is the underlying error (for example io.ErrUnexpectedEOF), if any.
	Err error
}

// maxDecodeExcerpt is how much of a body that is not JSON DecodeError.Excerpt keeps.
const maxDecodeExcerpt = 512

// newDecodeError is the one constructor of a *DecodeError: resp's body is
// not the JSON the spec promises. err says why; when it is nil, the body
// was not JSON at all and head is its start, kept as the excerpt. The
// token is scrubbed from all it keeps, the text of err included.
func newDecodeError(resp *http.Response, tok redact.Secret, err error, head []byte) *DecodeError {
	e := &DecodeError{
		Method:      resp.Request.Method,
		URL:         tok.URL(resp.Request.URL.String()),
		StatusCode:  resp.StatusCode,
		ContentType: tok.Text(resp.Header.Get("Content-Type")),
		Err:         scrubbedError(err, tok),
	}
	if err == nil {
		e.Excerpt = textcut.Cut(string(tok.Bytes(head)), maxDecodeExcerpt)
	}
	return e
}

// Error implements error; it says what came instead of JSON.
func (e *DecodeError) Error() string {
	prefix := statusLine(e.Method, e.URL, e.StatusCode)
	if e.Err == nil {
		ct := e.ContentType
		if ct == "" {
			ct = "no Content-Type"
		}
		return fmt.Sprintf("%s with %s, not JSON: %s", prefix, textcut.Line(ct, 120), textcut.Quote(textcut.Line(e.Excerpt, maxDecodeExcerpt), 80))
	}
	return fmt.Sprintf("%s: invalid JSON body: %s", prefix, textcut.Line(quietError(e.Err), 300))
}

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// LimitError is a response that is larger than one of the limits the client
// holds responses to, so that a server cannot make it hold more memory
// than it needs. Sizes count the bytes as decoded: the inflated size of a
// compressed body, not its size on the wire.
//
// Limit names the setting that raises the limit (for example
// "WithMaxErrorBody" or "recording.Transport.MaxBody"); Max is the limit
// in bytes. A LimitError is never retried: the same server would send the
// same body again.
type LimitError struct {
	Limit string // the setting that raises the limit
	Max   int64  // the limit, in bytes
}

// Error implements error; it names the limit and how to raise it.
func (e *LimitError) Error() string {
	return fmt.Sprintf("tallyfy: the response exceeds the %s limit of %s", e.Limit, bytesize.Format(e.Max))
}

// Reasons a redirect is not followed (RedirectError.Reason).
const (
	RedirectOtherOrigin = "it leads to another scheme, host or port"
	RedirectLoop        = "it leads back to a URL already visited"
	RedirectTooMany     = "too many redirects"
)

// RedirectError is a redirect that an API call did not follow: one that
// leads to another scheme, host or port (where the access token must not
// go), a redirect loop, or more than 10 redirects in a row. It is never
// retried: the server would redirect again.
type RedirectError struct {
	Method     string // method of the request that was redirected
	URL        string // the request URL the client built
	StatusCode int    // the redirect's status (301, 302, 303, 307 or 308)
	// Location is where the redirect leads, without user info, fragment or
	// query values (only the names of its query parameters are kept).
	Location string
	Reason   string // one of the Redirect* constants
}

// newRedirectError is the redirect req, after the requests in via, that is
// not followed, for reason.
func newRedirectError(req *http.Request, via []*http.Request, reason string, tok redact.Secret) *RedirectError {
	first := via[0]
	status := 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	return &RedirectError{
		Method:     first.Method,
		URL:        tok.URL(first.URL.String()),
		StatusCode: status,
		Location:   redact.URLWithoutValues(tok.Text(req.URL.String())),
		Reason:     reason,
	}
}

// Error implements error.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("%s redirects to %s: not followed: %s", statusLine(e.Method, e.URL, e.StatusCode), e.Location, e.Reason)
}

// ErrInvalidID is wrapped by the error of a call whose organization or
// run ID is empty, "." or "..": such an ID would change the request's
// path (URL resolution removes dot segments), so no request is sent.
var ErrInvalidID = errors.New("not a valid ID: it would change the request's path")

// ErrDuplicateTask is the Err of a *TaskError for a task that came again
// on a later page of the same listing. Offset pagination shifts when tasks
// are added while a listing runs, so the last task of one page can come
// back as the first of the next. The task was yielded the first time; the
// repeat is not.
var ErrDuplicateTask = errors.New("already yielded earlier in this listing")

// TaskError is one task of a list response that the iterator does not
// yield: its JSON does not fit the generated types, or it is a repeat of a
// task already yielded (Err is then ErrDuplicateTask). The iteration goes
// on with the next task and the next pages, so a caller that skips
// *TaskError gets every other task:
//
//	var taskErr *tallyfy.TaskError
//	if errors.As(err, &taskErr) {
//		log.Print(taskErr) // or salvage taskErr.Raw
//		continue
//	}
type TaskError struct {
	Page  int    // the page the task came on (1 for the first page, and for an unpaginated listing)
	Index int    // the task's index in that page's data array
	ID    string // the task's id, when it can be read ("" otherwise)
	// Pointer is the JSON pointer, from the root of the page, of the value
	// that does not fit, e.g. "/data/3/run/data/started_by". For a
	// duplicate it points at the task itself ("/data/3").
	Pointer string
	// Expected says what the generated types expect at Pointer ("integer",
	// "string", "object", "an RFC 3339 date-time", ...); Got says what came
	// ("string", "number", "null", ...). Both are empty for a duplicate.
	Expected, Got string
	// Raw is the task's JSON as it was received, for callers that want to
	// salvage what they can; the access token, in any form, is replaced by
	// "[redacted]" in it, as in ID and Pointer.
	Raw json.RawMessage
	// Err is the underlying error: ErrDuplicateTask, or what encoding/json
	// said (a *json.UnmarshalTypeError, a *time.ParseError, ...).
	Err error
}

// newTaskError is the *TaskError of element index of page, with the token
// scrubbed from what it quotes of the server's JSON: a server that echoes
// the token as a task's id or key must not have it printed or logged.
func newTaskError(page, index int, id, pointer string, raw []byte, err error, tok redact.Secret) *TaskError {
	return &TaskError{Page: page, Index: index, ID: tok.Text(id), Pointer: tok.Text(pointer), Raw: tok.Bytes(raw), Err: err}
}

// Error implements error. It names the page, the task's index and id, the
// pointer, and what was expected there; it never holds the task's data.
func (e *TaskError) Error() string {
	where := fmt.Sprintf("tallyfy: page %d, task %d", e.Page, e.Index)
	if e.ID != "" {
		where += " (id " + textcut.Quote(e.ID, 80) + ")"
	}
	if errors.Is(e.Err, ErrDuplicateTask) {
		return where + ": " + ErrDuplicateTask.Error() + " (the pages shifted); skipped"
	}
	msg := where + ": " + textcut.Line(e.Pointer, 300) + ": does not fit the spec's types"
	if e.Expected != "" {
		msg += ": want " + e.Expected
		if e.Got != "" {
			msg += ", got " + e.Got
		}
	}
	return msg + "; skipped"
}

// Unwrap returns the underlying error.
func (e *TaskError) Unwrap() error { return e.Err }

// PaginationError is a page whose pagination cannot be followed: a
// paginated response without meta.pagination, a current_page other than
// the page asked for, a page number out of range, or an empty page that
// claims more pages after it. The tasks the page held have been yielded
// before it; the listing ends with it, since going on would skip or repeat
// pages without a word.
type PaginationError struct {
	Page    int    // the page that was asked for
	Problem string // what was wrong, e.g. "current_page is 4, but the request asked for page 2"
	Err     error  // the underlying error, when meta did not decode
}

// Error implements error.
func (e *PaginationError) Error() string {
	msg := fmt.Sprintf("tallyfy: pagination of page %d: %s", e.Page, e.Problem)
	if e.Err != nil {
		msg += ": " + textcut.Line(quietError(e.Err), 300)
	}
	return msg
}

// Unwrap returns the underlying error, if any.
func (e *PaginationError) Unwrap() error { return e.Err }

// timeoutError is the cause of a request that the server kept waiting
// longer than the client's timeout. errors.Is(err, context.DeadlineExceeded)
// holds for it, and it is a net.Error whose Timeout() is true.
type timeoutError struct {
	d time.Duration
	// slowHeaders: the response headers had begun to arrive, but were not
	// all there within d. Such a timeout is a limit, not retried.
	slowHeaders bool
}

func (e *timeoutError) Error() string {
	if e.slowHeaders {
		return fmt.Sprintf("tallyfy: the server sent its response headers too slowly: not all of them within %s (the client's timeout, WithTimeout)", e.d)
	}
	return fmt.Sprintf("tallyfy: the server sent nothing for %s (the client's timeout)", e.d)
}

// Timeout reports true: this error is a timeout.
func (e *timeoutError) Timeout() bool { return true }

// Temporary reports true, as net.Error asks: a later attempt may succeed.
func (e *timeoutError) Temporary() bool { return true }

// Is makes errors.Is(err, context.DeadlineExceeded) hold.
func (e *timeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// headerCount reads a header that holds a count: a whole number from 0, or
// -1 when the header is absent or holds anything else.
func headerCount(h http.Header, name string) int {
	n, err := strconv.Atoi(strings.TrimSpace(h.Get(name)))
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// maxRequestID is the most bytes of a request ID that are kept.
const maxRequestID = 128

// requestID returns the request ID header (X-Request-Id, else
// X-Correlation-Id) with the token scrubbed, every byte that is not
// printable ASCII dropped, and cut to maxRequestID bytes, so that a server
// cannot put the token, control characters or a megabyte into logs
// through it.
func requestID(h http.Header, tok redact.Secret) string {
	raw := h.Get("X-Request-Id")
	if raw == "" {
		raw = h.Get("X-Correlation-Id")
	}
	raw = tok.Text(raw)
	var b strings.Builder
	for i := 0; i < len(raw) && b.Len() < maxRequestID; i++ {
		if c := raw[i]; c > ' ' && c < 0x7f {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// statusLine starts the message of an error about a response: the
// method, the URL's path and the status.
func statusLine(method, rawURL string, status int) string {
	return fmt.Sprintf("tallyfy: %s %s: %d %s", method, pathOf(rawURL), status, http.StatusText(status))
}

// pathOf is the path of a request URL as errors show it, without scheme,
// host and query.
func pathOf(rawURL string) string {
	if i := strings.Index(rawURL, "://"); i >= 0 {
		rest := rawURL[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			rawURL = rest[j:]
		} else {
			rawURL = "/"
		}
	}
	if i := strings.IndexByte(rawURL, '?'); i >= 0 {
		rawURL = rawURL[:i]
	}
	return textcut.Line(rawURL, 300)
}

// parseErrorBody fills Message, Code and Errors from the body shapes
// Tallyfy is known to send. A body that is not JSON leaves them empty.
func parseErrorBody(body []byte, e *APIError) {
	var raw map[string]json.RawMessage
	if json.Unmarshal(body, &raw) != nil {
		return
	}
	e.Message = jsonString(raw["message"])
	e.Code = jsonString(raw["code"])
	if v, ok := raw["error"]; ok {
		var nested struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		}
		switch {
		case jsonString(v) != "": // OAuth: {"error": "invalid_client"}
			if e.Code == "" {
				e.Code = jsonString(v)
			}
		case json.Unmarshal(v, &nested) == nil: // {"error": {"code", "message", "details"}}
			if e.Code == "" {
				e.Code = nested.Code
			}
			if e.Message == "" {
				e.Message = nested.Message
			}
		}
	}
	if v, ok := raw["errors"]; ok {
		e.Errors = flattenFieldErrors(v)
	}
}

// flattenFieldErrors turns {"field": "msg" | ["msg", ...] | {...}} into
// field -> messages, whatever the value shapes.
func flattenFieldErrors(v json.RawMessage) map[string][]string {
	var fields map[string]any
	if json.Unmarshal(v, &fields) != nil || len(fields) == 0 {
		return nil
	}
	out := make(map[string][]string, len(fields))
	for k, val := range fields {
		out[k] = messagesOf(val)
	}
	return out
}

func messagesOf(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, item := range t {
			out = append(out, messagesOf(item)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, k := range slices.Sorted(maps.Keys(t)) {
			for _, m := range messagesOf(t[k]) {
				out = append(out, k+": "+m)
			}
		}
		return out
	case nil:
		return nil
	default:
		return []string{fmt.Sprint(t)}
	}
}

func jsonString(v json.RawMessage) string {
	var s string
	if len(v) == 0 || json.Unmarshal(v, &s) != nil {
		return ""
	}
	return s
}

func formatFieldErrors(errs map[string][]string) string {
	keys := slices.Sorted(maps.Keys(errs))
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+strings.Join(errs[k], " "))
	}
	return strings.Join(parts, "; ")
}

// scrubbedError returns err, or, when its text holds the token in any
// form, an error whose text is scrubbed and that unwraps to err.
func scrubbedError(err error, tok redact.Secret) error {
	if err == nil || !tok.Contains([]byte(err.Error())) {
		return err
	}
	return &scrubbed{text: tok.Text(err.Error()), err: err}
}

type scrubbed struct {
	text string
	err  error
}

func (e *scrubbed) Error() string { return e.text }
func (e *scrubbed) Unwrap() error { return e.err }

// maxQuotedValue caps, in bytes with the cut's marker, a value of the body
// quoted in an error: enough to show a malformed date ("0000-00-00 0"…),
// too little to hold a secret.
const maxQuotedValue = 15

// quietError returns err's text with each value of the body that it quotes
// cut to a short prefix. A time that does not parse is quoted whole by
// package time, however long it is, and it may hold anything a server put
// there.
func quietError(err error) string {
	text := err.Error()
	var pe *time.ParseError
	if errors.As(err, &pe) {
		text = strings.Replace(text, pe.Error(), shortParseError(pe), 1)
	}
	return text
}

// shortParseError is pe's message with its value cut to maxQuotedValue bytes.
func shortParseError(pe *time.ParseError) string {
	s := "parsing time " + textcut.Quote(pe.Value, maxQuotedValue)
	if pe.Message != "" {
		msg, _, _ := strings.Cut(pe.Message, `"`) // ": extra text: " quotes the value again
		return s + strings.TrimRight(msg, ": ")
	}
	return s + " as " + strconv.Quote(pe.Layout) + ": cannot parse " + textcut.Quote(pe.ValueElem, maxQuotedValue) + " as " + strconv.Quote(pe.LayoutElem)
}
