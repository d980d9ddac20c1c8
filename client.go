package tallyfy

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/internal/redact"
)

const (
	// DefaultBaseURL is Tallyfy's production API, as in its documentation.
	DefaultBaseURL = "https://go.tallyfy.com/api"
	// DefaultClientName is the X-Tallyfy-Client header Tallyfy's documentation asks for.
	DefaultClientName = "APIClient"
	// DefaultTimeout is how long the server may keep a request waiting, for
	// its response headers or for any read of its body, unless WithTimeout
	// says otherwise. Time the caller spends between reads does not count.
	DefaultTimeout = 30 * time.Second
	// Version is this module's version, sent in the User-Agent. make api-check
	// holds it against the Go API: see docs/release-gates.md.
	Version = "0.2.0"
)

// ErrEmptyToken is returned by NewClient when the access token is empty.
var ErrEmptyToken = errors.New("tallyfy: empty access token")

// Client is a Tallyfy API client. Each listing has one method for one
// page (ListRunTasks, ListOrgTasks: the typed page and a *Response) and one
// iterator over every task of every page (RunTasks, OrgTasks). Generated
// returns the generated client beneath, for anything else. A Client is safe
// for concurrent use.
type Client struct {
	generated       *gen.ClientWithResponses
	baseURL         string
	doer            *doer
	pageConcurrency int
	taskSizeLimit   int64
	pageBufferLimit int64
	pageWorkers     *atomic.Int32 // goroutines fetching pages ahead, now (a pointer: a Client may be copied)
}

// NewClient returns a client that authenticates with token (a personal
// access token or an OAuth2 access token).
func NewClient(token string, opts ...Option) (*Client, error) {
	token = redact.Token(token) // a pasted secret often ends in a newline
	if token == "" {
		return nil, ErrEmptyToken
	}
	if strings.ContainsFunc(token, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return nil, errors.New("tallyfy: the access token holds spaces or control characters")
	}
	cfg := config{
		baseURL:    DefaultBaseURL,
		clientName: DefaultClientName,
		userAgent:  defaultUserAgent(),
		retry:      DefaultRetryPolicy(),
		timeout:    DefaultTimeout,
		rateLimit:  DefaultRateLimit,
		ratePer:    DefaultRatePer,

		taskSizeLimit:   DefaultMaxTaskSize,
		pageBufferLimit: DefaultMaxPageBuffer,
	}
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	base, err := parseBaseURL(cfg.baseURL)
	if err != nil {
		return nil, err
	}
	hc := cfg.httpClient
	if hc == nil {
		hc = &http.Client{}
	}
	tok := redact.NewSecret(token)
	logger := cfg.logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	d := &doer{
		hc:         apiClient(hc, tok),
		timeout:    cfg.timeout,
		token:      tok,
		clientName: cfg.clientName,
		userAgent:  cfg.userAgent,
		retry:      cfg.retry.normalized(),
		logger:     logger,
		sleep:      sleepContext,
		now:        time.Now,
		maxErrBody: cmp.Or(cfg.errorBodyLimit, DefaultMaxErrorBody),
		maxHeader:  maxResponseHeaderBytes(hc),
	}
	// The pacer sleeps and reads the time through the doer, so that a
	// test that replaces the doer's clock replaces the pacer's.
	d.pacer = newPacer(cfg.rateLimit, cfg.ratePer, func() time.Time { return d.now() },
		func(ctx context.Context, t time.Duration) error { return d.sleep(ctx, t) })
	d.hook = newResponseHook(cfg.hook, cmp.Or(cfg.hookBodyLimit, DefaultObservedBodyLimit), tok, logger)
	generated, err := gen.NewClientWithResponses(base, gen.WithHTTPClient(d))
	if err != nil {
		return nil, fmt.Errorf("tallyfy: %w", err)
	}
	return &Client{
		generated:       generated,
		baseURL:         base,
		doer:            d,
		pageConcurrency: max(cfg.pageConcurrency, 1),
		taskSizeLimit:   cfg.taskSizeLimit,
		pageBufferLimit: cfg.pageBufferLimit,
		pageWorkers:     new(atomic.Int32),
	}, nil
}

// Generated returns the client that oapi-codegen generated, for the rare
// call that the methods of Client do not cover (the raw *http.Response, or
// request editors). Its requests go through the same authentication,
// headers, timeout and retries, and every non-2xx response is an *APIError
// (a *RateLimitError for a 429), a 2xx that is not JSON a *DecodeError.
// Unlike ListRunTasks and ListOrgTasks, its ...WithResponse methods return
// encoding/json's own error for a JSON body that does not decode.
func (c *Client) Generated() *gen.ClientWithResponses { return c.generated }

// Pace returns the state of the client's rate budget: the limit, the pace
// in force, a 429's pause, and how long its requests have waited for
// their turn so far (see WithRateLimit).
func (c *Client) Pace() Pace { return c.doer.pacer.state() }

// BaseURL returns the base URL requests are made against.
func (c *Client) BaseURL() string { return c.baseURL }

// String describes the client without its token.
func (c *Client) String() string {
	return fmt.Sprintf("tallyfy.Client{baseURL: %q, token: %s}", c.baseURL, redact.Replacement)
}

// Format implements fmt.Formatter, so that no verb (%+v, %#v included)
// prints the token.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

func parseBaseURL(raw string) (string, error) {
	// Errors never quote raw: it may hold a password or a signed query.
	u, err := url.Parse(raw)
	if err != nil {
		return "", errors.New("tallyfy: base URL: not a valid URL")
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("tallyfy: base URL %q: want an absolute http or https URL", redact.URLWithoutValues(raw))
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("tallyfy: base URL %q: want no user info, query or fragment", redact.URLWithoutValues(raw))
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// maxResponseHeaderBytes is the limit on response headers of hc's
// transport, as http.Transport keeps it.
func maxResponseHeaderBytes(hc *http.Client) int64 {
	if t, ok := hc.Transport.(*http.Transport); ok && t.MaxResponseHeaderBytes > 0 {
		return t.MaxResponseHeaderBytes
	}
	return 1 << 20 // net/http's default
}

func defaultUserAgent() string {
	return "tallyfy-go/" + Version + " (+https://github.com/tallyfy-go/tallyfy)"
}

// Option configures a Client.
type Option func(*config) error

type config struct {
	baseURL         string
	httpClient      *http.Client
	timeout         time.Duration
	clientName      string
	userAgent       string
	retry           RetryPolicy
	rateLimit       int
	ratePer         time.Duration
	logger          *slog.Logger
	pageConcurrency int
	hook            ResponseHook
	hookBodyLimit   int64
	taskSizeLimit   int64
	pageBufferLimit int64
	errorBodyLimit  int64
}

// WithBaseURL sets the API's base URL (default DefaultBaseURL). Tallyfy also
// serves the API at https://api.tallyfy.com; tests point it at a stand-in.
// An empty baseURL (an environment variable that is not set) means the
// default.
func WithBaseURL(baseURL string) Option {
	return func(c *config) error {
		c.baseURL = cmp.Or(strings.TrimSpace(baseURL), DefaultBaseURL)
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

// WithRateLimit sets the client's rate budget: at most n requests in any
// window of per (default DefaultRateLimit per DefaultRatePer, Tallyfy's
// documented 600 a minute per user), spread evenly with a small burst.
// Every request the client sends takes its turn from this one budget: the
// page methods, the iterators and their read-ahead workers, retries, and
// calls through Generated, from every goroutine that shares the client.
// A 429 pauses every request until its Retry-After, then the pace resumes
// at half the rate and climbs back, no higher than what the server
// accepted; a low X-RateLimit-Remaining (other programs spending the same
// token's budget) spreads what is left over the window. n <= 0 turns
// pacing off; a 429 still pauses every request of the client.
//
// Two clients built with the same token do not share a budget: share one
// Client, or give each a part of the limit (for example WithRateLimit(300,
// time.Minute) each). A wait for a turn that would outlast the context's
// deadline returns at once with an error that says so.
func WithRateLimit(n int, per time.Duration) Option {
	return func(c *config) error {
		if n > 0 && per <= 0 {
			return errors.New("tallyfy: WithRateLimit: per must be a positive duration")
		}
		c.rateLimit, c.ratePer = max(n, 0), per
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
	return sizeLimit("WithMaxTaskSize", bytes, func(c *config) { c.taskSizeLimit = bytes })
}

// WithMaxPageBuffer sets the most bytes one page may take when
// WithPageConcurrency fetches it ahead and holds it until its turn
// (default DefaultMaxPageBuffer). At most n pages are held at once, so
// that memory stays under n times this limit. A larger page ends the
// listing with a *LimitError. One page at a time, pages are streamed, and
// only WithMaxTaskSize applies. Sizes count the body as decoded: the
// inflated size of a compressed body.
func WithMaxPageBuffer(bytes int64) Option {
	return sizeLimit("WithMaxPageBuffer", bytes, func(c *config) { c.pageBufferLimit = bytes })
}

// DefaultMaxErrorBody is the most bytes of an error body (a non-2xx
// response) that are read, unless WithMaxErrorBody says otherwise: 64 KiB.
const DefaultMaxErrorBody int64 = 64 << 10

// WithMaxErrorBody sets the most bytes of an error body that are read to
// parse its message, code and field errors (default DefaultMaxErrorBody).
// Beyond it the body is cut: the *APIError is still returned, says so, and
// errors.As finds a *LimitError in it. Sizes count the body as decoded:
// the inflated size of a compressed body.
func WithMaxErrorBody(bytes int64) Option {
	return sizeLimit("WithMaxErrorBody", bytes, func(c *config) { c.errorBodyLimit = bytes })
}

// DefaultObservedBodyLimit is the largest body a ResponseHook receives
// whole, unless WithObservedBodyLimit says otherwise. A larger body reaches
// the hook as Truncated, without its bytes.
const DefaultObservedBodyLimit = 4 << 20

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
	return sizeLimit("WithObservedBodyLimit", n, func(c *config) { c.hookBodyLimit = n })
}

// sizeLimit is the option named name that calls set when bytes is a size
// limit from 1 byte to 2^40.
func sizeLimit(name string, bytes int64, set func(*config)) Option {
	return func(c *config) error {
		if bytes < 1 || bytes > maxSizeLimit {
			return fmt.Errorf("tallyfy: %s: the limit must be from 1 byte to 2^40", name)
		}
		set(c)
		return nil
	}
}
