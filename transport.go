package tallyfy

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/tallyfy-go/tallyfy/internal/mediatype"
	"github.com/tallyfy-go/tallyfy/internal/progress"
	"github.com/tallyfy-go/tallyfy/internal/retrystatus"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// doer is the gen.HttpRequestDoer under every generated method: it sets the
// headers, retries what is safe to retry, and turns every non-2xx, and every
// 2xx that is not JSON, into an error.
type doer struct {
	hc         *http.Client
	timeout    time.Duration // 0: none (see watchdog)
	token      secret
	clientName string
	userAgent  string
	retry      RetryPolicy
	logger     *slog.Logger
	sleep      func(context.Context, time.Duration) error
	now        func() time.Time
	hook       *responseHook // nil: no ResponseHook, nothing is observed
	maxErrBody int64         // see WithMaxErrorBody
}

// String keeps the token out of any formatted value.
func (d *doer) String() string { return "tallyfy.doer{token: " + redacted + "}" }

// Format implements fmt.Formatter for the same reason.
func (d *doer) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, d.String()) }

// Do implements gen.HttpRequestDoer.
func (d *doer) Do(req *http.Request) (*http.Response, error) {
	d.decorate(req)
	retryable := req.Method == http.MethodGet || req.Method == http.MethodHead
	ctx := req.Context()
	for attempt := 1; ; attempt++ {
		resp, err := d.attempt(ctx, req)
		if err == nil && d.hook != nil {
			d.hook.watch(req, resp)
		}
		last := !retryable || attempt >= d.retry.MaxAttempts
		if err != nil {
			if ctx.Err() != nil || last || !retryableError(err) {
				return nil, err
			}
			wait := d.retry.backoff(attempt)
			d.logRetry(req, attempt, 0, wait, err)
			if err := d.sleep(ctx, wait); err != nil {
				return nil, err
			}
			continue
		}
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return d.requireJSON(resp)
		}

		apiErr := newAPIError(resp, d.token, d.maxErrBody)
		var result error = apiErr
		wait := d.retry.backoff(attempt)
		if resp.StatusCode == http.StatusTooManyRequests {
			after := parseRetryAfter(resp.Header, d.now())
			result = &RateLimitError{APIError: apiErr, RetryAfter: after, Remaining: remaining(resp.Header)}
			if after > d.retry.MaxRetryAfter {
				return nil, result
			}
			if after > 0 {
				wait = after
			}
		}
		if last || !retrystatus.Retryable(resp.StatusCode) {
			return nil, result
		}
		d.logRetry(req, attempt, resp.StatusCode, wait, nil)
		if err := d.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// attempt makes one request. With a timeout, a watchdog ends it when the
// server keeps it waiting too long (see watchdog). A response always knows
// its request, even from a transport that leaves Response.Request empty.
func (d *doer) attempt(ctx context.Context, req *http.Request) (*http.Response, error) {
	if d.timeout <= 0 {
		resp, err := d.hc.Do(req.Clone(ctx))
		if err != nil {
			return nil, asRedirectError(err)
		}
		return d.inflate(withRequest(resp, req))
	}
	actx, w := watch(ctx, d.timeout)
	// A transport that reads the body before it returns says that bytes
	// keep coming (see package internal/progress).
	resp, err := d.hc.Do(req.Clone(progress.With(actx, w.progress)))
	w.pause()
	if err != nil {
		w.release()
		return nil, asRedirectError(explain(actx, err))
	}
	resp.Body = &watchedBody{ReadCloser: resp.Body, ctx: actx, w: w}
	return d.inflate(withRequest(resp, req))
}

// withRequest makes req, the request the caller made, the response's
// request, even after a redirect: errors name the URL the client built,
// never one a server chose.
func withRequest(resp *http.Response, req *http.Request) *http.Response {
	if resp != nil {
		resp.Request = req
	}
	return resp
}

// decorate sets the headers every request carries. A X-Tallyfy-Client set by
// the caller (gen params) wins over the client's default.
func (d *doer) decorate(req *http.Request) {
	req.Header.Set("Authorization", "Bearer "+d.token.value)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", d.userAgent)
	if req.Header.Get("X-Tallyfy-Client") == "" {
		req.Header.Set("X-Tallyfy-Client", d.clientName)
	}
}

// requireJSON passes a 2xx response through when it is JSON: a JSON
// Content-Type, or none and a body that starts like JSON. Otherwise it
// closes the body and returns a *DecodeError saying what came instead.
func (d *doer) requireJSON(resp *http.Response) (*http.Response, error) {
	ct := resp.Header.Get("Content-Type")
	if mediatype.IsJSON(ct) {
		return resp, nil
	}
	const excerpt = 512
	// Room for the token after the excerpt, each character \u-escaped.
	peek := excerpt + 6*len(d.token.value)
	br := bufio.NewReaderSize(resp.Body, peek+16)
	head, _ := br.Peek(peek)
	if ct == "" && looksLikeJSON(head) {
		// JSON without a Content-Type: say so, for the generated parsers.
		resp.Header.Set("Content-Type", "application/json")
		resp.Body = readCloser{Reader: br, Closer: resp.Body}
		return resp, nil
	}
	drainAndClose(resp.Body)
	return nil, &DecodeError{
		Method:      resp.Request.Method,
		URL:         d.token.url(resp.Request.URL.String()),
		StatusCode:  resp.StatusCode,
		ContentType: d.token.text(ct),
		Excerpt:     textcut.Cut(string(d.token.scrub(head)), excerpt),
	}
}

func (d *doer) logRetry(req *http.Request, attempt, status int, wait time.Duration, err error) {
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Int("attempt", attempt),
		slog.Duration("wait", wait),
	}
	if status != 0 {
		attrs = append(attrs, slog.Int("status", status))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", d.token.text(err.Error())))
	}
	d.logger.LogAttrs(req.Context(), slog.LevelWarn, "tallyfy: retrying request", attrs...)
}

func looksLikeJSON(head []byte) bool {
	head = bytes.TrimLeft(head, " \t\r\n")
	return len(head) > 0 && (head[0] == '{' || head[0] == '[')
}

type readCloser struct {
	io.Reader
	io.Closer
}
