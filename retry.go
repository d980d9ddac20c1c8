package tallyfy

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

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

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
// It returns 0 when the header is absent, malformed or in the past.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
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
