package tallyfy

import (
	"cmp"
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
	// holds it against the Go API: see the README, "Versions and compatibility".
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
	tok := newSecret(token)
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
	}
	d.hook = newResponseHook(cfg, d.token, logger)
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

// BaseURL returns the base URL requests are made against.
func (c *Client) BaseURL() string { return c.baseURL }

// String describes the client without its token.
func (c *Client) String() string {
	return fmt.Sprintf("tallyfy.Client{baseURL: %q, token: %s}", c.baseURL, redacted)
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

func defaultUserAgent() string {
	return "tallyfy-go/" + Version + " (+https://github.com/tallyfy-go/tallyfy)"
}
