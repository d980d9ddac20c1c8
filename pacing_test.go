package tallyfy

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/gen"
)

// fakeClock moves only when something sleeps on it, to the end of that
// sleep. Goroutines that sleep at once move it in turn: a turn may come
// later than asked, never earlier, so what the pacer promises still holds.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps int
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Now()} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.sleeps++
	c.mu.Unlock()
	return ctx.Err()
}

// turns takes n turns from p on each of g goroutines, answering each with
// a 200, and returns when each turn came, in order.
func takeTurns(t *testing.T, p *pacer, g, n int) []time.Time {
	t.Helper()
	var mu sync.Mutex
	var at []time.Time
	var wg sync.WaitGroup
	for range g {
		wg.Go(func() {
			for range n {
				turn, err := p.wait(context.Background(), time.Minute)
				if !assert.NoError(t, err) {
					return
				}
				mu.Lock()
				at = append(at, turn.at)
				mu.Unlock()
				p.answered(turn, http.StatusOK, -1, 0, 0, nil)
			}
		})
	}
	wg.Wait()
	slices.SortFunc(at, time.Time.Compare)
	return at
}

// Turns taken from many goroutines at once keep the rolling window (never
// more than the limit in any window) and the spread (never more than a
// burst at once): a server that counts the same window never says 429.
func TestPacerKeepsTheRollingWindowAndTheSpread(t *testing.T) {
	clk := newFakeClock()
	const limit = 20
	p := newPacer(limit, time.Second, clk.now, clk.sleep)
	at := takeTurns(t, p, 6, 30)
	require.Len(t, at, 180)
	for i := 0; i+limit < len(at); i++ {
		assert.GreaterOrEqual(t, at[i+limit].Sub(at[i]), time.Second, "turns %d to %d fall in one window", i, i+limit)
	}
	interval := time.Second / limit
	for i := 0; i+p.burst+5 < len(at); i++ {
		assert.GreaterOrEqual(t, at[i+p.burst+5].Sub(at[i]), 5*interval-time.Millisecond, "past the burst, turns are spread")
	}
	assert.Equal(t, 180, p.turns)
	assert.Greater(t, p.state().Waited, time.Duration(0))
	assert.InDelta(t, 20, p.state().PerSecond, 0.01, "no 429, no low Remaining: the pace is the limit")
}

// A 429 pauses every request until its Retry-After, pacing on or off.
func TestA429PausesEveryTurn(t *testing.T) {
	for _, limit := range []int{0, 100} {
		clk := newFakeClock()
		p := newPacer(limit, time.Second, clk.now, clk.sleep)
		first, err := p.wait(context.Background(), time.Minute)
		require.NoError(t, err)
		refusal := &RateLimitError{APIError: &APIError{StatusCode: 429}}
		p.answered(first, http.StatusTooManyRequests, -1, 2*time.Second, 0, refusalOf(refusal))
		pausedUntil := p.state().PausedUntil
		require.Equal(t, first.at.Add(2*time.Second), pausedUntil, "pacing limit %d", limit)
		for _, at := range takeTurns(t, p, 3, 2) {
			assert.False(t, at.Before(pausedUntil), "pacing limit %d: a turn in the pause", limit)
		}
	}
}

// After a 429 the pace halves, the window's allowance drops to what the
// server accepted, and the pace climbs back to it, no higher.
func TestAfterA429ThePaceHalvesAndClimbsBackToWhatWasAccepted(t *testing.T) {
	clk := newFakeClock()
	p := newPacer(100, time.Second, clk.now, clk.sleep)
	var last turn
	for range 60 { // 60 accepted in the window, all at once within the burst
		turn, err := p.wait(context.Background(), time.Minute)
		require.NoError(t, err)
		p.answered(turn, http.StatusOK, -1, 0, 0, nil)
		last = turn
	}
	refused, err := p.wait(context.Background(), time.Minute)
	require.NoError(t, err)
	p.answered(refused, http.StatusTooManyRequests, -1, time.Second, 0, refusalOf(&RateLimitError{APIError: &APIError{}}))
	assert.Equal(t, 60, p.allowed, "the 60 accepted in the window")
	assert.InDelta(t, 50, p.state().PerSecond, 0.01, "half the pace refused")

	stale := last // sent before the decrease: its 429 does not halve again
	p.answered(stale, http.StatusTooManyRequests, -1, time.Second, 0, refusalOf(&RateLimitError{APIError: &APIError{}}))
	assert.InDelta(t, 50, p.state().PerSecond, 0.01)

	takeTurns(t, p, 1, 40)
	assert.InDelta(t, 60, p.state().PerSecond, 0.01, "climbed back to what the server accepted")
	for i := 1; i < 40; i++ {
		assert.LessOrEqual(t, p.state().PerSecond, 60.0)
	}
}

// A 429 of a window far from full is not about this client's pace alone:
// the pause and the halving answer it, and no allowance is learned.
func TestAnEarly429TeachesNoAllowance(t *testing.T) {
	clk := newFakeClock()
	p := newPacer(600, time.Minute, clk.now, clk.sleep)
	turn, err := p.wait(context.Background(), time.Minute)
	require.NoError(t, err)
	p.answered(turn, http.StatusTooManyRequests, -1, time.Second, 0, refusalOf(&RateLimitError{APIError: &APIError{}}))
	assert.Equal(t, 600, p.allowed)
	assert.InDelta(t, 5, p.state().PerSecond, 0.01, "halved")
	assert.False(t, p.state().PausedUntil.IsZero(), "the pause holds")
	takeTurns(t, p, 1, 20)
	assert.InDelta(t, 10, p.state().PerSecond, 0.01, "climbed back to the limit")
}

// A low X-RateLimit-Remaining, lower than this client's own sends
// explain, spreads what is left over the window; a high one lifts it.
func TestALowRemainingSpreadsWhatIsLeft(t *testing.T) {
	clk := newFakeClock()
	p := newPacer(600, time.Minute, clk.now, clk.sleep)
	turn, err := p.wait(context.Background(), time.Minute)
	require.NoError(t, err)
	p.answered(turn, http.StatusOK, 5, 0, 0, nil)
	assert.InDelta(t, 6.0/60, p.state().PerSecond, 0.001, "6 requests over the minute")

	turn, err = p.wait(context.Background(), time.Minute)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, clk.sleeps, 1, "the next turn waited")
	p.answered(turn, http.StatusOK, 590, 0, 0, nil)
	assert.InDelta(t, 10, p.state().PerSecond, 0.01, "lifted")
}

// A wait that would outlast the context returns at once: the 429 that
// paused the client, with how long is left, or an error that says when
// the turn would come and is a context.DeadlineExceeded.
func TestATurnAfterTheDeadlineReturnsAtOnce(t *testing.T) {
	clk := newFakeClock()
	p := newPacer(1, time.Minute, clk.now, clk.sleep)
	ctx, cancel := context.WithDeadline(context.Background(), clk.now().Add(time.Second))
	defer cancel()

	turn, err := p.wait(ctx, time.Minute)
	require.NoError(t, err)
	p.answered(turn, http.StatusOK, -1, 0, 0, nil)
	_, err = p.wait(ctx, time.Minute)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorContains(t, err, "the request's turn comes in")
	assert.ErrorContains(t, err, "the rate limit of 1 requests per 1m0s")

	refusal := &RateLimitError{APIError: &APIError{StatusCode: 429}, RetryAfter: 5 * time.Second}
	p.answered(turn, http.StatusTooManyRequests, -1, 5*time.Second, 0, refusalOf(refusal))
	_, err = p.wait(ctx, time.Minute)
	var rl *RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, 5*time.Second, rl.RetryAfter, "how long the pause still holds")
	assert.Zero(t, clk.sleeps, "nothing was slept")

	_, err = p.wait(context.Background(), 2*time.Second)
	require.ErrorAs(t, err, &rl, "a pause longer than MaxRetryAfter is not waited out either")
	assert.False(t, errors.Is(err, context.DeadlineExceeded))
}

// Every request a client sends takes its turn from its one budget: the
// page methods, the iterators and their read-ahead workers, retries, and
// calls through Generated, from goroutines that share the client.
func TestEveryRequestTakesItsTurnFromOneBudget(t *testing.T) {
	var failed sync.Map
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if _, again := failed.LoadOrStore(r.URL.RawQuery, true); !again && r.URL.Query().Get("status") == "hasproblem" {
			writeJSON(w, 503, `{}`) // the first request of each such page is retried
			return
		}
		page := max(atoiOr(r.URL.Query().Get("page"), 1), 1)
		writeJSON(w, 200, pageJSON(page, 1, page, 3, 1, 3, linksJSON(page-1, page+1)))
	})
	c, sl := newTestClient(t, s, WithRateLimit(4, time.Second), WithPageConcurrency(2))
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			_, _, err := c.ListRunTasks(ctx, testOrg, testRun, nil)
			assert.NoError(t, err)
			_, errs := drain(c.RunTasks(ctx, testOrg, testRun, nil))
			assert.Empty(t, errs)
			_, errs = drain(c.RunTasks(ctx, testOrg, testRun, &gen.ListRunTasksParams{Status: new(gen.ListRunTasksParamsStatusHasproblem)}))
			assert.Empty(t, errs)
			resp, err := c.Generated().ListOrgTasks(ctx, testOrg, nil)
			if assert.NoError(t, err) {
				_ = resp.Body.Close()
			}
		})
	}
	wg.Wait()
	requests := len(s.requests())
	require.Greater(t, requests, 20)
	c.doer.pacer.mu.Lock()
	turns := c.doer.pacer.turns
	c.doer.pacer.mu.Unlock()
	assert.Equal(t, requests, turns, "one turn per request that reached the server, retries included")
	assert.NotEmpty(t, sl.all(), "past the burst of 4, requests waited")
	assert.Greater(t, c.Pace().Waited, time.Duration(0))

	var waited []time.Duration
	for range 6 { // past the burst of 4, one after another
		_, resp, err := c.ListRunTasks(ctx, testOrg, testRun, nil)
		require.NoError(t, err)
		assert.Equal(t, 4, resp.Pace.Limit)
		assert.InDelta(t, 4, resp.Pace.PerSecond, 0.01, "the pace in force")
		waited = append(waited, resp.Pace.Waited)
	}
	assert.Positive(t, waited[4]+waited[5], "past the burst, a page's Response says how long it waited: %v", waited)
}

// With pacing off, a 429 still pauses every worker of a listing, not only
// the one that got it: no request reaches the server during the pause.
func TestA429PausesEveryWorkerOfAListing(t *testing.T) {
	var mu sync.Mutex
	var refusedAt time.Time
	var arrivals []time.Time
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		page := max(atoiOr(r.URL.Query().Get("page"), 1), 1)
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		first429 := page == 3 && refusedAt.IsZero()
		if first429 {
			refusedAt = time.Now()
		}
		mu.Unlock()
		if first429 {
			writeJSON(w, 429, `{"message":"Too Many Attempts."}`, "Retry-After", "1")
			return
		}
		writeJSON(w, 200, pageJSON(page, 1, page, 12, 1, 12, linksJSON(page-1, page+1)))
	})
	c, err := NewClient(testToken, WithBaseURL(s.server.URL+"/api"), WithRateLimit(0, 0), WithPageConcurrency(4))
	require.NoError(t, err)
	titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	require.Empty(t, errs)
	assert.Len(t, titles, 12)
	mu.Lock()
	defer mu.Unlock()
	require.False(t, refusedAt.IsZero())
	// Requests already on their way when the 429 went out may arrive just
	// after it; every other one waits out the pause.
	for _, at := range arrivals {
		if d := at.Sub(refusedAt); d > 200*time.Millisecond {
			assert.GreaterOrEqual(t, d, 900*time.Millisecond, "a request arrived %s after the 429, inside its 1s pause", d)
		}
	}
}

// refusalOf is the pacer's refusal of a 429 whose error is e.
func refusalOf(e *RateLimitError) func(time.Duration) error {
	return func(left time.Duration) error {
		c := *e
		c.RetryAfter = left
		return &c
	}
}
