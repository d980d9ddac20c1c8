package tallyfy

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Option configures a Client.
type Option func(*config) error

type config struct {
	baseURL         string
	httpClient      *http.Client
	timeout         time.Duration
	clientName      string
	userAgent       string
	retry           RetryPolicy
	logger          *slog.Logger
	pageConcurrency int
	hook            ResponseHook // see hook.go
	hookBodyLimit   int64
	taskSizeLimit   int64
	pageBufferLimit int64
	errorBodyLimit  int64 // see WithMaxErrorBody
}

// WithBaseURL sets the API's base URL (default DefaultBaseURL). Tallyfy also
// serves the API at https://api.tallyfy.com; tests point it at a stand-in.
func WithBaseURL(baseURL string) Option {
	return func(c *config) error {
		c.baseURL = baseURL
		return nil
	}
}

// WithHTTPClient sets the *http.Client requests go through (for a proxy,
// custom TLS or tracing transport). API calls go through a copy of it that
// refuses redirects to another scheme, host or port (see RedirectError);
// its Transport, Jar and Timeout are used as they are, and its
// CheckRedirect still decides on redirects within the API's origin. hc
// itself is not changed. The client's own timeout (see WithTimeout)
// applies on top of any Timeout it has.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("tallyfy: WithHTTPClient: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithTimeout sets how long the server may keep a request waiting: for the
// response headers, and for each read of the body (default DefaultTimeout).
// Time the caller spends between reads, handling the tasks of a long
// streamed response, does not count. A request that times out is retried
// like a transport error; errors.Is(err, context.DeadlineExceeded) holds
// for its error. Zero means no timeout: the context alone bounds calls.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return errors.New("tallyfy: WithTimeout: negative duration")
		}
		c.timeout = d
		return nil
	}
}

// WithClientName sets the X-Tallyfy-Client header (default DefaultClientName).
// A value set in a call's params wins.
func WithClientName(name string) Option {
	return func(c *config) error {
		if strings.TrimSpace(name) == "" {
			return errors.New("tallyfy: WithClientName: empty name")
		}
		c.clientName = name
		return nil
	}
}

// WithUserAgent sets the User-Agent header (default names this module and its version).
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		c.userAgent = ua
		return nil
	}
}

// WithRetryPolicy sets how GET requests are retried (default
// DefaultRetryPolicy(); NoRetries() turns retries off).
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *config) error {
		c.retry = p
		return nil
	}
}

// WithLogger makes the client log its retries (at level Warn) to l. Log
// lines hold the method, the URL path, the attempt, the wait and the status,
// never the token.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithPageConcurrency lets RunTasks and OrgTasks fetch up to n pages at a
// time (default 1). Once the first page tells how many pages there are, the
// later ones are fetched n at a time, and their tasks are still yielded in
// order, with the same checks as one page at a time. At most n pages are
// in flight or held at once, each as its raw body of at most
// WithMaxPageBuffer bytes. Breaking out of the loop cancels the requests in
// flight and waits for them to end. Each request still waits out a 429's
// Retry-After, and Tallyfy rate-limits per user, so keep n small.
func WithPageConcurrency(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return errors.New("tallyfy: WithPageConcurrency: n must be at least 1")
		}
		c.pageConcurrency = n
		return nil
	}
}

const (
	// DefaultMaxTaskSize is the most bytes one task of a list response may
	// take, unless WithMaxTaskSize says otherwise: 8 MiB.
	DefaultMaxTaskSize int64 = 8 << 20
	// DefaultMaxPageBuffer is the most bytes one page fetched ahead under
	// WithPageConcurrency may take, unless WithMaxPageBuffer says
	// otherwise: 32 MiB.
	DefaultMaxPageBuffer int64 = 32 << 20
	// maxSizeLimit keeps a size limit far from int64 overflow.
	maxSizeLimit int64 = 1 << 40
)

// WithMaxTaskSize sets the most bytes one task of a list response may take
// (default DefaultMaxTaskSize). The same limit holds for any other single
// value of a list response, such as meta. A task is read up to the limit
// and no further: a larger one ends the listing with a *LimitError before
// it is held whole. Sizes count the body as decoded: the inflated size of
// a compressed body.
func WithMaxTaskSize(bytes int64) Option {
	return func(c *config) error {
		if bytes < 1 || bytes > maxSizeLimit {
			return errors.New("tallyfy: WithMaxTaskSize: bytes must be from 1 to 2^40")
		}
		c.taskSizeLimit = bytes
		return nil
	}
}

// WithMaxPageBuffer sets the most bytes one page may take when
// WithPageConcurrency fetches it ahead and holds it until its turn
// (default DefaultMaxPageBuffer). At most n pages are held at once, so
// that memory stays under n times this limit. A larger page ends the
// listing with a *LimitError. One page at a time, pages are streamed, and
// only WithMaxTaskSize applies. Sizes count the body as decoded: the
// inflated size of a compressed body.
func WithMaxPageBuffer(bytes int64) Option {
	return func(c *config) error {
		if bytes < 1 || bytes > maxSizeLimit {
			return errors.New("tallyfy: WithMaxPageBuffer: bytes must be from 1 to 2^40")
		}
		c.pageBufferLimit = bytes
		return nil
	}
}
