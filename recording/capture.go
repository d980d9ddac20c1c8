package recording

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Transport is an http.RoundTripper that hands every exchange that passes
// through it, response body included, to OnExchange. It reads each response
// body whole (so use it for checking and recording, not for streaming), and
// gives the caller an identical body to read. A body that cannot be read to
// its end makes the round trip fail, unreported.
//
// The Authorization header is never copied into the Exchange: a captured
// exchange holds no credential even before it is redacted.
type Transport struct {
	// Next makes the requests; nil means http.DefaultTransport.
	Next http.RoundTripper
	// OnExchange receives each exchange, in the order responses arrive.
	OnExchange func(*Exchange)
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
	body, readErr := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
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

// FromHTTP builds an Exchange from a request and a response's status,
// headers and body. A body that is valid JSON is kept as JSON, anything else
// as text. The Authorization header is left out.
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
	if len(bytes.TrimSpace(body)) > 0 && json.Valid(body) {
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
