package tallyfy

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestA429IsWaitedOutThenRetried(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			writeJSON(w, 429, `{"message":"Too Many Attempts.","code":"RATE_LIMIT_EXCEEDED"}`, "Retry-After", "7", "X-RateLimit-Remaining", "0")
			return
		}
		writeJSON(w, 200, pageJSON(1, 2, 1, 1, 10, 2, "[]"))
	})
	c, sl := newTestClient(t, s)
	titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	require.Empty(t, errs)
	assert.Equal(t, titlesFrom(1, 2), titles)
	assert.Equal(t, []time.Duration{7 * time.Second}, sl.all())
	reqs := s.requests()
	require.Len(t, reqs, 2)
	assertRequest(t, reqs[1], "GET", runPath, "page=1")
	assert.Equal(t, "Bearer "+testToken, reqs[1].Header.Get("Authorization"), "a retry carries the headers too")
}

func TestA429RetryAfterCanBeAnHTTPDate(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			writeJSON(w, 429, `{}`, "Retry-After", now.Add(90*time.Second).Format(http.TimeFormat))
			return
		}
		writeJSON(w, 200, pageJSON(1, 1, 1, 1, 10, 1, "[]"))
	})
	c, _ := newTestClient(t, s)
	sl := newSleeps(now)
	sl.install(c)
	_, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	require.Empty(t, errs)
	assert.Equal(t, []time.Duration{90 * time.Second}, sl.all())
}

func TestA429ThatOutlivesTheRetriesIsARateLimitError(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 429, `{"message":"Too Many Attempts.","code":"RATE_LIMIT_EXCEEDED"}`, "Retry-After", "3", "X-RateLimit-Remaining", "0")
	})
	c, sl := newTestClient(t, s)
	_, errs := drain(c.OrgTasks(context.Background(), testOrg, nil))
	require.Len(t, errs, 1)

	var rl *RateLimitError
	require.ErrorAs(t, errs[0], &rl, "%T", errs[0])
	assert.Equal(t, 3*time.Second, rl.RetryAfter)
	assert.Equal(t, 0, rl.Remaining)
	assert.Equal(t, "RATE_LIMIT_EXCEEDED", rl.Code)
	var apiErr *APIError
	assert.ErrorAs(t, errs[0], &apiErr, "a RateLimitError is also an APIError")
	assert.Equal(t, 429, apiErr.StatusCode)
	assert.Contains(t, rl.Error(), "retry after 3s")

	assert.Len(t, s.requests(), DefaultRetryPolicy().MaxAttempts)
	assert.Equal(t, []time.Duration{3 * time.Second, 3 * time.Second, 3 * time.Second}, sl.all())
}

func TestA429AskingForTooLongIsReturnedAtOnce(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 429, `{}`, "Retry-After", "3600")
	})
	c, sl := newTestClient(t, s)
	_, errs := drain(c.OrgTasks(context.Background(), testOrg, nil))
	require.Len(t, errs, 1)
	var rl *RateLimitError
	require.ErrorAs(t, errs[0], &rl)
	assert.Equal(t, time.Hour, rl.RetryAfter)
	assert.Len(t, s.requests(), 1)
	assert.Empty(t, sl.all())
}

func TestGatewayErrorsBackOffAndRecover(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 0:
			writeBody(w, 502, "text/html", "<html>Bad Gateway</html>")
		case 1:
			writeJSON(w, 503, `{"message":"maintenance"}`)
		default:
			writeJSON(w, 200, pageJSON(1, 1, 1, 1, 10, 1, "[]"))
		}
	})
	c, sl := newTestClient(t, s)
	titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	require.Empty(t, errs)
	assert.Equal(t, titlesFrom(1, 1), titles)
	waits := sl.all()
	require.Len(t, waits, 2)
	p := DefaultRetryPolicy()
	assert.InDelta(t, float64(p.BaseDelay)*0.75, float64(waits[0]), float64(p.BaseDelay)/4, "first backoff in [base/2, base]")
	assert.InDelta(t, float64(p.BaseDelay)*1.5, float64(waits[1]), float64(p.BaseDelay)/2, "second backoff in [base, 2·base]")
}

func TestGatewayErrorsThatPersistEndAsAPIErrors(t *testing.T) {
	for _, status := range []int{502, 503, 504} {
		s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, status, `{"message":"down"}`) })
		c, _ := newTestClient(t, s, WithRetryPolicy(RetryPolicy{MaxAttempts: 3}))
		_, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
		require.Len(t, errs, 1)
		var apiErr *APIError
		require.ErrorAs(t, errs[0], &apiErr)
		assert.Equal(t, status, apiErr.StatusCode)
		assert.Len(t, s.requests(), 3, "status %d: attempts are bounded", status)
	}
}

func TestNoRetriesPolicy(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 503, `{}`) })
	c, _ := newTestClient(t, s, WithRetryPolicy(NoRetries()))
	_, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	require.Len(t, errs, 1)
	assert.Len(t, s.requests(), 1)
}

func TestTransportErrorsAreRetried(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 { // drop the connection without an answer
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		writeJSON(w, 200, pageJSON(1, 1, 1, 1, 10, 1, "[]"))
	})
	c, sl := newTestClient(t, s)
	titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	require.Empty(t, errs)
	assert.Equal(t, titlesFrom(1, 1), titles)
	assert.Len(t, sl.all(), 1)
}

func TestConnectionRefusedEndsAfterTheRetries(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now

	c, err := NewClient(testToken, WithBaseURL("http://"+addr+"/api"))
	require.NoError(t, err)
	sl := newSleeps(time.Now())
	sl.install(c)
	_, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	require.Len(t, errs, 1)
	var opErr *net.OpError
	assert.ErrorAs(t, errs[0], &opErr, "%T: %v", errs[0], errs[0])
	assert.Len(t, sl.all(), DefaultRetryPolicy().MaxAttempts-1)
	assert.NotContains(t, errs[0].Error(), testToken)
}

func TestACancelledContextEndsTheBackoff(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 429, `{}`, "Retry-After", "100")
	})
	c, _ := newTestClient(t, s)
	c.doer.sleep = sleepContext // really wait, until the context ends
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for len(s.requests()) == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, errs := drain(c.RunTasks(ctx, testOrg, testRun, nil))
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Len(t, s.requests(), 1)
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := map[string]time.Duration{
		"":     0,
		"12":   12 * time.Second,
		" 5 ":  5 * time.Second,
		"0":    0,
		"-3":   0,
		"soon": 0,
		now.Add(time.Minute).Format(http.TimeFormat):  time.Minute,
		now.Add(-time.Minute).Format(http.TimeFormat): 0,
		"99999999999":          24 * time.Hour,
		"99999999999999999999": 24 * time.Hour, // overflows int64: still the cap, never "absent"
		"+5":                   0,              // not delay-seconds, not a date
		now.Add(48 * time.Hour).Format(http.TimeFormat): 24 * time.Hour,
	}
	for v, want := range cases {
		h := http.Header{}
		if v != "" {
			h.Set("Retry-After", v)
		}
		assert.Equal(t, want, parseRetryAfter(h, now), "Retry-After %q", v)
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 10, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}.normalized()
	for n, ceiling := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 5: time.Second, 9: time.Second} {
		for range 50 {
			d := p.backoff(n)
			assert.GreaterOrEqual(t, d, ceiling/2, "attempt %d", n)
			assert.LessOrEqual(t, d, ceiling, "attempt %d", n)
		}
	}
}

func TestARetryPolicysZeroFieldsTakeTheDefaults(t *testing.T) {
	d := DefaultRetryPolicy()
	cases := []struct {
		name   string
		policy RetryPolicy
		want   RetryPolicy
	}{
		{name: "the zero policy is the default", policy: RetryPolicy{}, want: d},
		{name: "NoRetries makes one attempt", policy: NoRetries(),
			want: RetryPolicy{MaxAttempts: 1, BaseDelay: d.BaseDelay, MaxDelay: d.MaxDelay, MaxRetryAfter: d.MaxRetryAfter}},
		{name: "a negative MaxAttempts makes one attempt", policy: RetryPolicy{MaxAttempts: -3},
			want: RetryPolicy{MaxAttempts: 1, BaseDelay: d.BaseDelay, MaxDelay: d.MaxDelay, MaxRetryAfter: d.MaxRetryAfter}},
		{name: "a MaxDelay below BaseDelay is raised to it",
			policy: RetryPolicy{MaxAttempts: 2, BaseDelay: time.Minute, MaxDelay: time.Second},
			want:   RetryPolicy{MaxAttempts: 2, BaseDelay: time.Minute, MaxDelay: time.Minute, MaxRetryAfter: d.MaxRetryAfter}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.policy.normalized())
		})
	}
}

func TestTheZeroRetryPolicyRetries(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			writeJSON(w, 503, `{"message":"Service Unavailable"}`)
			return
		}
		writeJSON(w, 200, pageJSON(1, 1, 1, 1, 10, 1, "[]"))
	})
	c, _ := newTestClient(t, s, WithRetryPolicy(RetryPolicy{}))
	_, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	require.Empty(t, errs)
	assert.Len(t, s.requests(), 2, "the 503 was retried, as the default policy retries it")
}
