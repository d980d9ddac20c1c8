// Package recording is the on-disk form of one HTTP exchange with Tallyfy's
// API: the request, the response, and where the pair came from.
//
// A recording is a plain JSON file. A JSON response body is stored as JSON
// (readable, diffable); any other body is stored as text. A file is never
// much larger than what it records: see Encode and MaxFileSize. Every recording
// carries its provenance: made by hand from Tallyfy's published examples
// (and which page), or captured from a live API (when, and from which base
// URL). Captures are redacted before they are written; see Redact.
package recording

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"
)

// Provenance kinds.
const (
	// KindHandMade is a recording written by hand from Tallyfy's published examples.
	KindHandMade = "hand-made"
	// KindCapture is a recording of a real exchange with a live API.
	KindCapture = "capture"
)

// Exchange is one recorded request and its response.
type Exchange struct {
	// Name identifies the recording in reports; it defaults to the file name.
	Name string `json:"name,omitempty"`
	// Provenance says where the recording came from; every recording has one.
	Provenance Provenance `json:"provenance"`
	// Request is the request that was sent.
	Request Request `json:"request"`
	// Response is what came back.
	Response Response `json:"response"`
}

// Provenance says where a recording came from.
type Provenance struct {
	Kind string `json:"kind"` // KindHandMade or KindCapture
	// Source is, for a hand-made recording, the published page(s) it is built
	// from; for a capture, the base URL it was captured from.
	Source string `json:"source"`
	// CapturedAt is the capture time (RFC 3339); empty for hand-made recordings.
	CapturedAt string `json:"captured_at,omitempty"`
	// Note says what the recording shows, or what was changed by hand.
	Note string `json:"note,omitempty"`
}

// Request is the recorded request. URL is absolute and holds no secret.
type Request struct {
	// Method is the HTTP method, GET for both task lists.
	Method string `json:"method"`
	// URL is the absolute request URL, query included, with no user info
	// and no secret.
	URL string `json:"url"`
	// Headers are the request headers kept in a recording (never
	// Authorization or cookies).
	Headers map[string]string `json:"headers,omitempty"`
}

// Response is the recorded response. A JSON body is kept in Body as is;
// any other body is kept in BodyText.
type Response struct {
	// Status is the HTTP status code.
	Status int `json:"status"`
	// Headers are the response headers kept in a recording (Content-Type,
	// the rate-limit headers, Retry-After, X-Request-Id, X-Correlation-Id).
	Headers map[string]string `json:"headers,omitempty"`
	// Body is a JSON body, as it came.
	Body json.RawMessage `json:"body,omitempty"`
	// BodyText is a body that is not JSON (an HTML error page, say).
	BodyText string `json:"body_text,omitempty"`
}

// BodyBytes returns the response body as it went over the wire.
func (r Response) BodyBytes() []byte {
	if len(r.Body) > 0 {
		return r.Body
	}
	return []byte(r.BodyText)
}

// Header returns the response headers as an http.Header.
func (r Response) Header() http.Header { return toHeader(r.Headers) }

// Header returns the request headers as an http.Header.
func (r Request) Header() http.Header { return toHeader(r.Headers) }

func toHeader(m map[string]string) http.Header {
	h := make(http.Header, len(m))
	for k, v := range m {
		h.Set(k, v)
	}
	return h
}

// Validate reports what makes a recording unusable: a missing provenance,
// method, URL or status, or a capture with no capture time.
func (e *Exchange) Validate() error {
	var problems []string
	switch e.Provenance.Kind {
	case KindHandMade:
	case KindCapture:
		if e.Provenance.CapturedAt == "" {
			problems = append(problems, "a capture needs provenance.captured_at")
		}
	default:
		problems = append(problems, fmt.Sprintf("provenance.kind is %q, want %q or %q", e.Provenance.Kind, KindHandMade, KindCapture))
	}
	if e.Provenance.Source == "" {
		problems = append(problems, "provenance.source is empty")
	}
	if e.Request.Method == "" || e.Request.URL == "" {
		problems = append(problems, "request.method and request.url are required")
	}
	if e.Response.Status < 100 || e.Response.Status > 599 {
		problems = append(problems, fmt.Sprintf("response.status %d is not an HTTP status", e.Response.Status))
	}
	if len(e.Response.Body) > 0 && e.Response.BodyText != "" {
		problems = append(problems, "response has both body and body_text")
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// Decode reads one recording: one JSON value, nothing after it but white
// space. The name defaults to fallbackName.
func Decode(data []byte, fallbackName string) (*Exchange, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var ex Exchange
	if err := dec.Decode(&ex); err != nil {
		return nil, fmt.Errorf("recording %s: %w", fallbackName, err)
	}
	// One recording is one JSON value: anything after it (a second
	// recording, a truncated edit) is refused, not silently ignored.
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("recording %s: data after the recording's JSON value", fallbackName)
	}
	if ex.Name == "" {
		ex.Name = fallbackName
	}
	if err := ex.Validate(); err != nil {
		return nil, fmt.Errorf("recording %s: %w", ex.Name, err)
	}
	return &ex, nil
}

// LoadDir reads every *.json recording directly under dir in fsys, sorted by
// file name.
func LoadDir(fsys fs.FS, dir string) ([]*Exchange, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".json") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	out := make([]*Exchange, 0, len(names))
	for _, name := range names {
		data, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		ex, err := Decode(data, strings.TrimSuffix(name, ".json"))
		if err != nil {
			return nil, err
		}
		out = append(out, ex)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no recordings (*.json) in %s", dir)
	}
	return out, nil
}
