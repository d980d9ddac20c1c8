package tallyfy

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tallyfy-go/tallyfy/internal/inflate"
	"github.com/tallyfy-go/tallyfy/internal/mediatype"
	"github.com/tallyfy-go/tallyfy/internal/progress"
	"github.com/tallyfy-go/tallyfy/internal/redact"
	"github.com/tallyfy-go/tallyfy/internal/retrystatus"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// The transport: every request a Client sends goes through one doer,
// which sets the headers, sends the request with a watchdog on the
// server's silences, keeps redirects within the API's origin, inflates a
// compressed body, retries what is safe to retry, and turns every answer
// that is not the promised JSON into a typed error (errors.go).

// doer is the gen.HttpRequestDoer under every generated method: it sets the
// headers, waits for the request's turn in the rate budget, retries what is
// safe to retry, and turns every non-2xx, and every 2xx that is not JSON,
// into an error.
type doer struct {
	hc         *http.Client
	timeout    time.Duration // 0: none (see watchdog)
	token      redact.Secret
	clientName string
	userAgent  string
	retry      RetryPolicy
	logger     *slog.Logger
	sleep      func(context.Context, time.Duration) error
	now        func() time.Time
	pacer      *pacer        // the rate budget every request takes its turn from
	hook       *responseHook // nil: no ResponseHook, nothing is observed
	maxErrBody int64         // see WithMaxErrorBody
	maxHeader  int64         // the transport's limit on response headers, for its *LimitError
}

// String keeps the token out of any formatted value.
func (d *doer) String() string { return "tallyfy.doer{token: " + redact.Replacement + "}" }

// Format implements fmt.Formatter for the same reason.
func (d *doer) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, d.String()) }

// Do implements gen.HttpRequestDoer.
func (d *doer) Do(req *http.Request) (*http.Response, error) {
	d.decorate(req)
	safe := req.Method == http.MethodGet || req.Method == http.MethodHead
	ctx := req.Context()
	retries := d.retryLog(req)
	waited, _ := ctx.Value(waitedKey{}).(*time.Duration)
	for attempt := 1; ; attempt++ {
		turn, err := d.pacer.wait(ctx, d.retry.MaxRetryAfter)
		if err != nil {
			return nil, err
		}
		if waited != nil {
			*waited += turn.waited
		}
		resp, err := d.attempt(ctx, req)
		last := !safe || attempt >= d.retry.MaxAttempts
		if err != nil {
			d.pacer.failed(turn)
			if ctx.Err() != nil || last || !retryable(err) {
				return nil, err
			}
			if err := d.backOff(ctx, retries, attempt, 0, err); err != nil {
				return nil, err
			}
			continue
		}
		status := resp.StatusCode
		if status >= 200 && status < 300 {
			d.pacer.answered(turn, status, remainingOf(resp), 0, 0, nil)
			return d.requireJSON(resp)
		}
		apiErr := d.apiError(resp)
		if status == http.StatusTooManyRequests {
			// The pause holds every request of the client: the next turn
			// of this one waits it out, or fails at once when it cannot.
			after := parseRetryAfter(resp.Header, d.now())
			refusal := &RateLimitError{APIError: apiErr, RetryAfter: after, Remaining: headerCount(resp.Header, "X-RateLimit-Remaining")}
			fallback := d.retry.backoff(attempt)
			d.pacer.answered(turn, status, remainingOf(resp), after, fallback, func(left time.Duration) error {
				e := *refusal // what a request that cannot wait out the pause gets
				e.RetryAfter = left
				return &e
			})
			if last || after > d.retry.MaxRetryAfter {
				return nil, refusal
			}
			retries.log(attempt, status, cmp.Or(after, fallback), nil)
			continue
		}
		d.pacer.answered(turn, status, remainingOf(resp), 0, 0, nil)
		if last || !retrystatus.Retryable(status) {
			return nil, apiErr
		}
		if err := d.backOff(ctx, retries, attempt, status, apiErr); err != nil {
			return nil, err
		}
	}
}

// remainingOf is the X-RateLimit-Remaining of resp, or -1.
func remainingOf(resp *http.Response) int { return headerCount(resp.Header, "X-RateLimit-Remaining") }

// backOff waits before attempt+1 of req, whose attempt failed with
// failure (status 0: no response). A backoff that would outlast ctx's
// deadline is not slept: failure is returned at once.
func (d *doer) backOff(ctx context.Context, retries retryLog, attempt, status int, failure error) error {
	wait := d.retry.backoff(attempt)
	if exceedsDeadline(ctx, d.now(), wait) {
		return failure
	}
	retries.log(attempt, status, wait, failure)
	return d.sleep(ctx, wait)
}

// waitedKey is the context key of a *time.Duration that the doer adds
// the request's waits for its turn to (see Pace.Waited).
type waitedKey struct{}

// attempt makes one request. With a timeout, a watchdog ends it when the
// server keeps it waiting too long (see watchdog). The response's Request
// is req, the request the caller made, even after a redirect: errors name
// the URL the client built, never one a server chose. The response hook
// sees the request that answered.
func (d *doer) attempt(ctx context.Context, req *http.Request) (*http.Response, error) {
	resp, err := d.send(ctx, req)
	if err != nil {
		return nil, d.limitOrSelf(err)
	}
	answered := resp.Request
	if answered == nil {
		answered = req
	}
	resp.Request = req
	if err := inflate.Response(resp); err != nil {
		drainAndClose(resp.Body)
		return nil, newDecodeError(resp, d.token, err, nil)
	}
	if d.hook != nil {
		d.hook.offer(answered, resp)
	}
	return resp, nil
}

// send sends one request, with the watchdog when there is a timeout.
func (d *doer) send(ctx context.Context, req *http.Request) (*http.Response, error) {
	if d.timeout <= 0 {
		resp, err := d.hc.Do(req.Clone(ctx))
		return resp, asRedirectError(err)
	}
	actx, w := startWatchdog(ctx, d.timeout)
	// A transport that reads the body before it returns says that bytes
	// keep coming (see package internal/progress); the first byte of the
	// response headers tells a slow header from a silent server.
	resp, err := d.hc.Do(req.Clone(w.traced(progress.With(actx, w.progress))))
	w.pause()
	if err != nil {
		w.release()
		return nil, asRedirectError(explain(actx, err))
	}
	resp.Body = &watchedBody{ReadCloser: resp.Body, ctx: actx, w: w}
	return resp, nil
}

// limitOrSelf returns a *LimitError for a transport error that says the
// response headers were larger than the transport reads; err otherwise.
func (d *doer) limitOrSelf(err error) error {
	if err != nil && strings.Contains(err.Error(), "server response headers exceeded") {
		return fmt.Errorf("%w: %s", &LimitError{Limit: "http.Transport.MaxResponseHeaderBytes", Max: d.maxHeader}, d.token.Text(err.Error()))
	}
	return err
}

// decorate sets the headers every request carries. A X-Tallyfy-Client set by
// the caller (gen params) wins over the client's default.
func (d *doer) decorate(req *http.Request) {
	req.Header.Set("Authorization", "Bearer "+d.token.Value())
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
	// Room for the token after the excerpt, each character \u-escaped.
	peek := maxDecodeExcerpt + 6*len(d.token.Value())
	br := bufio.NewReaderSize(resp.Body, peek+16)
	head, _ := br.Peek(peek)
	if ct == "" && looksLikeJSON(head) {
		// JSON without a Content-Type: say so, for the generated parsers.
		resp.Header.Set("Content-Type", "application/json")
		resp.Body = readCloser{Reader: br, Closer: resp.Body}
		return resp, nil
	}
	drainAndClose(resp.Body)
	return nil, newDecodeError(resp, d.token, nil, head)
}

// retryLog logs the retries of one request (see WithLogger): never the
// token, and a path cut short.
type retryLog struct {
	ctx          context.Context
	logger       *slog.Logger
	token        redact.Secret
	method, path string
}

func (d *doer) retryLog(req *http.Request) retryLog {
	return retryLog{ctx: req.Context(), logger: d.logger, token: d.token, method: req.Method, path: req.URL.Path}
}

// log logs that attempt failed (with status, or err) and the request is
// made again after wait.
func (l retryLog) log(attempt, status int, wait time.Duration, err error) {
	attrs := []slog.Attr{
		slog.String("method", l.method),
		slog.String("path", textcut.Cut(l.path, 300)),
		slog.Int("attempt", attempt),
		slog.Duration("wait", wait),
	}
	if status != 0 {
		attrs = append(attrs, slog.Int("status", status))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", l.token.Text(err.Error())))
	}
	l.logger.LogAttrs(l.ctx, slog.LevelWarn, "tallyfy: retrying request", attrs...)
}

func looksLikeJSON(head []byte) bool {
	head = bytes.TrimLeft(head, " \t\r\n")
	return len(head) > 0 && (head[0] == '{' || head[0] == '[')
}

type readCloser struct {
	io.Reader
	io.Closer
}

// apiError reads the body of resp, a non-2xx response, up to the
// WithMaxErrorBody limit, closes it, and returns the error it describes.
func (d *doer) apiError(resp *http.Response) *APIError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, d.maxErrBody+1))
	var cut *LimitError
	if int64(len(body)) > d.maxErrBody {
		body, cut = body[:d.maxErrBody], &LimitError{Limit: "WithMaxErrorBody", Max: d.maxErrBody}
	}
	drainAndClose(resp.Body)
	return newAPIError(resp, body, cut, d.token)
}

// maxDrain is how much more of a body is read, and dropped, before it is
// closed, so that the connection can be reused.
const maxDrain = 64 << 10

func drainAndClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, maxDrain))
	_ = body.Close()
}

// retryable reports whether a failed attempt may succeed when made
// again: not when a response broke one of the client's limits, was in an
// encoding the client does not decode, or was a refused redirect.
func retryable(err error) bool {
	var limitErr *LimitError
	var redirectErr *RedirectError
	var decodeErr *DecodeError
	var timeout *timeoutError
	if errors.As(err, &timeout) && timeout.slowHeaders {
		return false // the same server would drip its headers again
	}
	return !errors.As(err, &limitErr) && !errors.As(err, &redirectErr) && !errors.As(err, &decodeErr)
}

// RetryPolicy says how GET requests are retried. Other methods are never
// retried. Fields left zero take their value from DefaultRetryPolicy().
// Retried are: 429 (after Retry-After, or the backoff when the API does not
// say), 502, 503 and 504, and transport errors (connection refused
// or reset, timeouts), but not an expired or cancelled context.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, first included. 1 (or
	// a negative number) disables retries; 0 takes the default.
	MaxAttempts int
	// BaseDelay is the backoff before the second attempt; it doubles each time.
	BaseDelay time.Duration
	// MaxDelay caps one backoff.
	MaxDelay time.Duration
	// MaxRetryAfter is the longest Retry-After that is waited out; a 429
	// asking for longer is returned at once as a *RateLimitError.
	MaxRetryAfter time.Duration
}

// DefaultRetryPolicy returns the policy NewClient uses unless
// WithRetryPolicy says otherwise: 4 attempts, a backoff from 500 ms capped
// at 10 s, and a Retry-After of up to 2 minutes waited out.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:   4,
		BaseDelay:     500 * time.Millisecond,
		MaxDelay:      10 * time.Second,
		MaxRetryAfter: 2 * time.Minute,
	}
}

// NoRetries returns a policy that makes every request once.
func NoRetries() RetryPolicy { return RetryPolicy{MaxAttempts: 1} }

// normalized fills the fields left zero from DefaultRetryPolicy, so that
// RetryPolicy{MaxAttempts: 3} means "the defaults, with 3 attempts".
func (p RetryPolicy) normalized() RetryPolicy {
	d := DefaultRetryPolicy()
	switch {
	case p.MaxAttempts == 0:
		p.MaxAttempts = d.MaxAttempts
	case p.MaxAttempts < 0:
		p.MaxAttempts = 1
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = d.BaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = max(d.MaxDelay, p.BaseDelay)
	}
	if p.MaxDelay < p.BaseDelay {
		p.MaxDelay = p.BaseDelay
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = d.MaxRetryAfter
	}
	return p
}

// backoff returns the wait before attempt n+1 after n failed attempts:
// BaseDelay·2^(n-1), capped at MaxDelay, with "equal jitter" (a random
// point in its upper half), so that clients do not retry in lockstep.
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	if d > p.MaxDelay {
		d = p.MaxDelay
	}
	half := d / 2
	return half + rand.N(half+1)
}

// maxRetryAfter caps a Retry-After: a server may ask for anything.
const maxRetryAfter = 24 * time.Hour

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
// It returns 0 when the header is absent, malformed or in the past, and at
// most maxRetryAfter: a number of seconds too large for any integer type
// is that cap, not a header to ignore.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if v != "" && strings.Trim(v, "0123456789") == "" { // delay-seconds
		secs, err := strconv.ParseInt(v, 10, 64)
		switch {
		case err != nil || secs > int64(maxRetryAfter/time.Second):
			return maxRetryAfter // too large to parse is as large as it gets
		case secs <= 0:
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, maxRetryAfter)
		}
	}
	return 0
}

// sleepContext waits for d, or until ctx is done (then it returns ctx's error).
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// watchdog cancels one request when the server keeps the client waiting
// longer than d: while the response headers are awaited, and during each
// read of the body. The time the caller spends between reads (handling the
// tasks already decoded) does not count, so a slow consumer of a long
// streamed response never times out, and a stalled server always does.
type watchdog struct {
	d      time.Duration
	timer  *time.Timer
	cancel context.CancelCauseFunc
	// phase is where the response stands: awaited, its headers begun
	// (their first byte arrived, they are not all there), or past them
	// (the body is read, or a transport said bytes of it came). A timeout
	// in the middle phase is headers sent too slowly, not silence.
	phase atomic.Int32
}

// The phases of a watched response.
const (
	phaseAwaited int32 = iota
	phaseHeaders
	phaseBody
)

// startWatchdog derives the context of one attempt; the timer runs at once.
func startWatchdog(parent context.Context, d time.Duration) (context.Context, *watchdog) {
	ctx, cancel := context.WithCancelCause(parent)
	w := &watchdog{d: d, cancel: cancel}
	w.timer = time.AfterFunc(d, func() { cancel(&timeoutError{d: d, slowHeaders: w.phase.Load() == phaseHeaders}) })
	return ctx, w
}

// traced returns ctx with a trace that tells w when the response headers
// begin to arrive.
func (w *watchdog) traced(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotFirstResponseByte: func() { w.phase.CompareAndSwap(phaseAwaited, phaseHeaders) }})
}

func (w *watchdog) pause() {
	w.timer.Stop()
	w.phase.Store(phaseBody)
}
func (w *watchdog) resume() { w.timer.Reset(w.d) }

// progress restarts a running timer: the server sent something. A timer
// that is paused or released stays so.
func (w *watchdog) progress() {
	w.phase.Store(phaseBody)
	if w.timer.Stop() {
		w.timer.Reset(w.d)
	}
}

// release stops the watchdog for good and frees its context.
func (w *watchdog) release() {
	w.timer.Stop()
	w.cancel(context.Canceled)
}

// explain replaces the "context canceled" of an attempt that the watchdog
// ended with the timeout that caused it.
func explain(ctx context.Context, err error) error {
	var te *timeoutError
	if err == nil || !errors.As(context.Cause(ctx), &te) {
		return err
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: ue.URL, Err: te}
	}
	return te
}

// watchedBody runs the watchdog only during reads of the body.
type watchedBody struct {
	io.ReadCloser
	ctx context.Context
	w   *watchdog
}

func (b *watchedBody) Read(p []byte) (int, error) {
	b.w.resume()
	n, err := b.ReadCloser.Read(p)
	b.w.pause()
	if err != nil && err != io.EOF {
		err = explain(b.ctx, err)
	}
	return n, err
}

func (b *watchedBody) Close() error {
	err := b.ReadCloser.Close()
	b.w.release()
	return err
}

// maxRedirects is how many redirects within the API's origin a call follows.
const maxRedirects = 10

// apiClient returns a copy of hc (the caller's client stays as it is) whose
// redirect policy keeps the token within the API's origin: see
// RedirectError. Within the origin, hc's own CheckRedirect, if any, still
// decides.
func apiClient(hc *http.Client, tok redact.Secret) *http.Client {
	api := *hc
	next := hc.CheckRedirect
	api.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if reason := refuseRedirect(req, via); reason != "" {
			return newRedirectError(req, via, reason, tok)
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
	return &api
}

// refuseRedirect says why req, a redirect after the requests in via, is
// not followed; "" when it may be.
func refuseRedirect(req *http.Request, via []*http.Request) string {
	if !sameOrigin(req.URL, via[0].URL) {
		return RedirectOtherOrigin
	}
	target := req.URL.String()
	for _, v := range via {
		if v.URL.String() == target {
			return RedirectLoop
		}
	}
	if len(via) > maxRedirects { // via holds the first request and each redirect followed
		return RedirectTooMany
	}
	return ""
}

// sameOrigin reports whether a and b have the same scheme, host and port
// (a missing port is the scheme's default).
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		portOf(a) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// asRedirectError returns the *RedirectError inside err (the *url.Error of
// http.Client.Do, whose URL would show the redirect's query), or err.
func asRedirectError(err error) error {
	var re *RedirectError
	if errors.As(err, &re) {
		return re
	}
	return err
}
