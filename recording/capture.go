package recording

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/tallyfy-go/tallyfy/internal/inflate"
	"github.com/tallyfy-go/tallyfy/internal/progress"
)

// DefaultMaxBody is the most bytes of one response body a Transport holds,
// unless its MaxBody says otherwise: 32 MiB.
const DefaultMaxBody int64 = 32 << 20

// Transport is an http.RoundTripper that hands every exchange that passes
// through it, response body included, to OnExchange. It reads each response
// body whole (so use it for checking and recording, not for streaming), and
// gives the caller an identical body to read. A body that cannot be read to
// its end, or that is larger than MaxBody, makes the round trip fail,
// unreported.
//
// A gzip body that the transport below left compressed is inflated first
// (and handed on inflated), so that MaxBody counts the inflated bytes.
//
// The Authorization header is never copied into the Exchange: a captured
// exchange holds no credential even before it is redacted.
type Transport struct {
	// Next makes the requests; nil means http.DefaultTransport.
	Next http.RoundTripper
	// OnExchange receives each exchange, in the order responses arrive.
	OnExchange func(*Exchange)
	// MaxBody is the most bytes of one response body it reads; 0 means
	// DefaultMaxBody.
	MaxBody int64
	// TooLarge, if set, builds the error of a body larger than MaxBody
	// (package tallyfy's *LimitError, say, naming the setting a user
	// raises); by default the error names MaxBody.
	TooLarge func(max int64) error
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	next := t.Next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if err := inflate.Response(resp); err != nil {
		_ = resp.Body.Close()
		return nil, err
	}
	limit := cmp.Or(t.MaxBody, DefaultMaxBody)
	body, readErr := readBody(req.Context(), io.LimitReader(resp.Body, limit+1))
	_ = resp.Body.Close()
	if readErr == nil && int64(len(body)) > limit {
		return nil, t.tooLarge(limit)
	}
	if readErr != nil {
		// A body cut short by the connection is a failed exchange, not a
		// response to check: the caller sees a transport error.
		return nil, fmt.Errorf("reading the response body: %w", readErr)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if t.OnExchange != nil {
		t.OnExchange(FromHTTP(req, resp.StatusCode, resp.Header, body))
	}
	return resp, nil
}

// readBody reads r to its end, reporting each read that brought bytes to
// the client's timeout (package internal/progress): a body that keeps
// coming, however slowly, is not a server that sends nothing.
func readBody(ctx context.Context, r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	chunk := make([]byte, 32<<10)
	for {
		n, err := r.Read(chunk)
		if n > 0 {
			buf.Write(chunk[:n])
			progress.Report(ctx)
		}
		if err == io.EOF {
			return buf.Bytes(), nil
		}
		if err != nil {
			return buf.Bytes(), err
		}
	}
}

func (t *Transport) tooLarge(limit int64) error {
	if t.TooLarge != nil {
		return t.TooLarge(limit)
	}
	return fmt.Errorf("recording: the response body exceeds recording.Transport.MaxBody, %d bytes", limit)
}

// FromHTTP builds an Exchange from a request and a response's status,
// headers and body. A body that is valid JSON is kept as JSON, anything else
// as text; so is JSON nested so deep that the recording around it would be
// deeper than encoding/json reads (BodyBytes gives the same bytes either
// way). The Authorization header is left out.
func FromHTTP(req *http.Request, status int, header http.Header, body []byte) *Exchange {
	ex := &Exchange{
		Request: Request{
			Method:  req.Method,
			URL:     req.URL.String(),
			Headers: flatten(req.Header, "Authorization", "Cookie"),
		},
		Response: Response{
			Status:  status,
			Headers: flatten(header, "Set-Cookie"),
		},
	}
	if len(bytes.TrimSpace(body)) > 0 && json.Valid(body) && nesting(body) <= maxBodyNesting {
		ex.Response.Body = append(json.RawMessage(nil), body...)
	} else {
		ex.Response.BodyText = string(body)
	}
	return ex
}

func flatten(h http.Header, drop ...string) map[string]string {
	out := make(map[string]string, len(h))
next:
	for name, values := range h {
		for _, d := range drop {
			if strings.EqualFold(name, d) {
				continue next
			}
		}
		out[http.CanonicalHeaderKey(name)] = strings.Join(values, ", ")
	}
	return out
}

// maxBodyNesting is the deepest JSON body a recording holds as JSON: a
// recording reads back only when its exchange, response and body together
// nest no deeper than encoding/json's 10,000 levels.
const maxBodyNesting = 10000 - 2

// nesting returns how deep the objects and arrays of doc, valid JSON, nest.
func nesting(doc []byte) int {
	depth, deepest := 0, 0
	for i := 0; i < len(doc); i++ {
		switch doc[i] {
		case '"':
			end := stringEnd(doc, i)
			if end < 0 {
				return deepest
			}
			i = end - 1
		case '{', '[':
			depth++
			deepest = max(deepest, depth)
		case '}', ']':
			depth--
		}
	}
	return deepest
}
