package tallyfy

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"

	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

const (
	// maxErrorBodyDrain is how much more of a body is read, and dropped,
	// so that the connection can be reused.
	maxErrorBodyDrain = 64 << 10
	// maxErrorBodyExcerpt is how much of an error body APIError.Body keeps.
	maxErrorBodyExcerpt = 1 << 10
)

// newAPIError reads at most limit bytes of resp's body, closes it, and
// returns the error it describes. Any occurrence of the token is scrubbed.
// A larger body is cut, and the error says so (see APIError.Unwrap).
func newAPIError(resp *http.Response, tok secret, limit int64) *APIError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	var cut *LimitError
	if int64(len(body)) > limit {
		body, cut = body[:limit], &LimitError{Limit: "WithMaxErrorBody", Max: limit}
	}
	drainAndClose(resp.Body)
	body = tok.scrub(body)

	e := &APIError{
		Method:     resp.Request.Method,
		URL:        tok.url(resp.Request.URL.String()),
		StatusCode: resp.StatusCode,
		Header:     scrubHeader(resp.Header, tok),
		RequestID:  requestID(resp.Header, tok),
		Body:       textcut.Cut(string(body), maxErrorBodyExcerpt),
	}
	parseErrorBody(body, e)
	e.cut = cut
	return e
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

func firstHeader(h http.Header, names ...string) string {
	for _, n := range names {
		if v := h.Get(n); v != "" {
			return v
		}
	}
	return ""
}

// remaining returns the X-RateLimit-Remaining header, or -1.
func remaining(h http.Header) int { return headerCount(h, "X-RateLimit-Remaining") }

func drainAndClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, maxErrorBodyDrain))
	_ = body.Close()
}

// scrubHeader copies h with the token removed from every value, and
// without the headers whose name holds the token, in any case.
func scrubHeader(h http.Header, tok secret) http.Header {
	out := h.Clone()
	for name, values := range out {
		if tok.inName(name) { // a header named after the token says nothing else
			delete(out, name)
			continue
		}
		for i, v := range values {
			values[i] = tok.text(v)
		}
		out[name] = values
	}
	return out
}
