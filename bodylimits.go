package tallyfy

import (
	"errors"
	"net/http"

	"github.com/tallyfy-go/tallyfy/internal/inflate"
)

// DefaultMaxErrorBody is the most bytes of an error body (a non-2xx
// response) that are read, unless WithMaxErrorBody says otherwise: 64 KiB.
const DefaultMaxErrorBody int64 = 64 << 10

// WithMaxErrorBody sets the most bytes of an error body that are read to
// parse its message, code and field errors (default DefaultMaxErrorBody).
// Beyond it the body is cut: the *APIError is still returned, says so, and
// errors.As finds a *LimitError in it. Sizes count the body as decoded:
// the inflated size of a compressed body.
func WithMaxErrorBody(bytes int64) Option {
	return func(c *config) error {
		if bytes < 1 || bytes > maxSizeLimit {
			return errors.New("tallyfy: WithMaxErrorBody: bytes must be from 1 to 2^40")
		}
		c.errorBodyLimit = bytes
		return nil
	}
}

// inflate decodes a body the transport left gzip-compressed (see package
// internal/inflate), so that every limit counts the inflated bytes: it
// applies to the body the caller reads. Any other encoding is a
// *DecodeError, never bytes handed on as if they were JSON.
func (d *doer) inflate(resp *http.Response) (*http.Response, error) {
	err := inflate.Response(resp)
	if err == nil {
		return resp, nil
	}
	drainAndClose(resp.Body)
	return nil, &DecodeError{
		Method:      resp.Request.Method,
		URL:         d.token.url(resp.Request.URL.String()),
		StatusCode:  resp.StatusCode,
		ContentType: d.token.text(resp.Header.Get("Content-Type")),
		Err:         errors.New(d.token.text(err.Error())),
	}
}
