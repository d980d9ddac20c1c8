package tallyfy

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/tallyfy-go/tallyfy/internal/bytesize"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

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
	fmt.Fprintf(&b, "tallyfy: %s %s: %d %s", e.Method, pathOf(e.URL), e.StatusCode, http.StatusText(e.StatusCode))
	switch {
	case e.Message != "":
		b.WriteString(": " + oneLine(e.Message, 300))
	case e.Body != "":
		b.WriteString(": " + oneLine(e.Body, 120))
	}
	if e.Code != "" {
		b.WriteString(" (" + oneLine(e.Code, 80) + ")")
	}
	if len(e.Errors) > 0 {
		b.WriteString(": " + oneLine(formatFieldErrors(e.Errors), 300))
	}
	if e.RequestID != "" {
		b.WriteString(" [request " + oneLine(e.RequestID, 80) + "]")
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

// Error implements error; it says what came instead of JSON.
func (e *DecodeError) Error() string {
	prefix := fmt.Sprintf("tallyfy: %s %s: %d %s", e.Method, pathOf(e.URL), e.StatusCode, http.StatusText(e.StatusCode))
	if e.Err == nil {
		ct := e.ContentType
		if ct == "" {
			ct = "no Content-Type"
		}
		return fmt.Sprintf("%s with %s, not JSON: %s", prefix, ct, quotedLine(e.Excerpt, 80))
	}
	return fmt.Sprintf("%s: invalid JSON body: %s", prefix, oneLine(quietError(e.Err), 300))
}

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

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
		return rawURL[:i]
	}
	return rawURL
}

// oneLine squeezes whitespace and control characters and cuts s to at most
// max bytes (see textcut.Cut).
func oneLine(s string, max int) string { return textcut.Cut(squeeze(s), max) }

// quotedLine is oneLine quoted, its cut marked outside the quotes (see
// textcut.Quote).
func quotedLine(s string, max int) string { return textcut.Quote(squeeze(s), max) }

// squeeze turns control characters into spaces and every run of white
// space into one space, trimmed.
func squeeze(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)), " ")
}

func formatFieldErrors(errs map[string][]string) string {
	keys := slices.Sorted(maps.Keys(errs))
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+strings.Join(errs[k], " "))
	}
	return strings.Join(parts, "; ")
}
