package tallyfy

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Pacing: the one rate budget that every request of a Client takes its
// turn from (see WithRateLimit). The transport asks for a turn before each
// attempt and tells the pacer what the server answered; the pacer decides
// when the next request may go. It is its own file because it is the one
// piece of state that every goroutine of a Client shares.

// Pace is the state of a Client's rate budget (see WithRateLimit).
type Pace struct {
	// Limit and Per are the budget as configured: at most Limit requests
	// in any window of Per. Limit is 0 when pacing is off.
	Limit int
	Per   time.Duration
	// PerSecond is the pace in force, in requests per second: Limit/Per,
	// or less after a 429 or a low X-RateLimit-Remaining. 0 when pacing
	// is off.
	PerSecond float64
	// PausedUntil is when a 429 that paused every request of the client
	// ends; zero when no pause is in force.
	PausedUntil time.Time
	// Waited is how long requests waited for their turn: in a Response,
	// the request of that response, its retries included; from
	// Client.Pace, every request of the client so far.
	Waited time.Duration
}

// Defaults of WithRateLimit: Tallyfy's documented limit (600 requests a
// minute per user, on a rolling minute; see docs/client.md, "Rate limits").
const (
	DefaultRateLimit = 600
	DefaultRatePer   = time.Minute
)

// pacer is the rate budget of one Client. Two rules give each request its
// turn: a rolling window (at most limit requests in any window, as Tallyfy
// counts them) and a spread (the requests of a window go evenly, at most
// burst at once, so that a listing never meets the server's burst
// throttling). It adapts: a 429 pauses every request until its
// Retry-After and halves the pace (multiplicative decrease), with a
// ceiling at what the server accepted in the window it refused; each
// answer that is not a 429 climbs back a little (additive increase). A low
// X-RateLimit-Remaining spreads what is left over the window. With pacing
// off (limit 0), only the pause of a 429 is kept: it still holds every
// worker of the client, not one.
type pacer struct {
	now   func() time.Time
	sleep func(context.Context, time.Duration) error

	limit  int           // requests per window; 0: pacing off
	window time.Duration // the window
	burst  int           // requests that may go at once

	mu       sync.Mutex
	rate     float64                        // the pace in force, requests per second
	ceiling  float64                        // the pace the additive increase climbs back to
	hint     float64                        // a cap on rate from a low X-RateLimit-Remaining; 0: none
	tat      time.Time                      // when the spread lets the next request go, give or take the burst
	sent     []time.Time                    // the send times of the last limit requests, oldest first
	allowed  int                            // requests allowed in a window: limit, or what the server accepted when it refused more
	held     time.Time                      // the allowance learned from a 429 holds until then
	paused   time.Time                      // a 429 holds every request until then
	refusal  func(left time.Duration) error // the error of a request that cannot wait out the pause
	epoch    uint64                         // counts decreases: a refusal of a request sent before the last one does not decrease again
	waited   time.Duration
	inFlight int
	turns    int // turns given, for the tests that every request takes one
}

// windowMargin: a request leaves the window 1/windowMargin of a window
// late, for the delays between sending and arriving.
const windowMargin = 50

// newPacer returns the budget of limit requests per window (limit <= 0:
// pacing off, pauses only).
func newPacer(limit int, window time.Duration, now func() time.Time, sleep func(context.Context, time.Duration) error) *pacer {
	p := &pacer{now: now, sleep: sleep}
	if limit > 0 && window > 0 {
		p.limit, p.window, p.allowed = limit, window, limit
		p.rate = float64(limit) / window.Seconds()
		p.ceiling = p.rate
		// A second's worth of requests at once (10 at Tallyfy's 600 a
		// minute): small enough for its burst throttling "for a few
		// seconds", and never more than the window allows.
		p.burst = min(max(int(p.rate), 1), limit)
	}
	return p
}

// turn is one request's turn: what the pacer needs to hear back about it.
type turn struct {
	at     time.Time // when the turn came
	epoch  uint64
	waited time.Duration
}

// turnAfterDeadline is the error of a request whose turn comes after its
// context's deadline.
type turnAfterDeadline struct {
	wait   time.Duration
	reason string
}

func (e *turnAfterDeadline) Error() string {
	return fmt.Sprintf("tallyfy: the request's turn comes in %s (%s), after the context's deadline", e.wait.Round(time.Millisecond), e.reason)
}

// Is makes errors.Is(err, context.DeadlineExceeded) hold.
func (e *turnAfterDeadline) Is(target error) bool { return target == context.DeadlineExceeded }

// wait returns when the request may go, and takes its place in the
// window. A wait that would outlast ctx's deadline returns at once: the
// *RateLimitError of the 429 that paused the client, or an error that
// says when the turn would have come (errors.Is with
// context.DeadlineExceeded holds for it). maxPause is the longest pause of
// a 429 that is waited out (RetryPolicy.MaxRetryAfter).
func (p *pacer) wait(ctx context.Context, maxPause time.Duration) (turn, error) {
	var waited time.Duration
	for {
		p.mu.Lock()
		now := p.now()
		d, reason := p.delay(now)
		if d <= 0 {
			p.take(now)
			p.waited += waited
			t := turn{at: now, epoch: p.epoch, waited: waited}
			p.mu.Unlock()
			return t, nil
		}
		refusal := p.refusal
		paused := now.Before(p.paused)
		p.mu.Unlock()
		if paused && refusal != nil {
			if left := p.paused.Sub(now); left > maxPause || exceedsDeadline(ctx, now, left) {
				return turn{}, refusal(left)
			}
		}
		if exceedsDeadline(ctx, now, d) {
			return turn{}, &turnAfterDeadline{wait: d, reason: reason}
		}
		if err := p.sleep(ctx, d); err != nil {
			return turn{}, err
		}
		waited += d
	}
}

// exceedsDeadline reports whether waiting d from now outlasts ctx.
func exceedsDeadline(ctx context.Context, now time.Time, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return ok && now.Add(d).After(deadline)
}

// delay is how long a request that asks at now must wait, and why.
func (p *pacer) delay(now time.Time) (time.Duration, string) {
	wait, reason := p.paused.Sub(now), "a 429 paused every request of the client"
	if p.limit == 0 {
		return wait, reason
	}
	if n := len(p.sent); n >= p.allowed {
		// The window holds allowed requests: the oldest of them must leave
		// it, with a margin for the network's delays, as the server counts
		// requests when they arrive.
		if d := p.sent[n-p.allowed].Add(p.window + p.window/windowMargin).Sub(now); d > wait {
			wait, reason = d, fmt.Sprintf("the rate limit of %d requests per %s", p.allowed, p.window)
		}
	}
	rate, burst := p.pace()
	interval := time.Duration(float64(time.Second) / rate)
	ready := p.tat.Add(-time.Duration(burst-1) * interval)
	if d := ready.Sub(now); d > wait {
		wait, reason = d, fmt.Sprintf("a pace of %.3g requests a second", rate)
	}
	return wait, reason
}

// pace is the rate in force and the burst it allows: under a hint of a
// low X-RateLimit-Remaining, the hint's rate one request at a time.
func (p *pacer) pace() (rate float64, burst int) {
	if p.hint > 0 && p.hint < p.rate {
		return p.hint, 1
	}
	return p.rate, p.burst
}

// take spends one request of the budget at now.
func (p *pacer) take(now time.Time) {
	p.turns++
	p.inFlight++
	if p.limit == 0 {
		return
	}
	p.sent = append(p.sent, now)
	if len(p.sent) > p.limit {
		p.sent = p.sent[len(p.sent)-p.limit:]
	}
	rate, _ := p.pace()
	p.tat = maxTime(p.tat, now).Add(time.Duration(float64(time.Second) / rate))
}

// answered tells the pacer what the server answered the request of t
// with: its status and its X-RateLimit-Remaining (-1: none); a 429 pauses
// every request until retryAfter (or fallback when the server did not
// say), and refusal gives what a request that cannot wait that long gets
// (the 429's *RateLimitError, with what is left of the pause).
func (p *pacer) answered(t turn, status, remaining int, retryAfter, fallback time.Duration, refusal func(left time.Duration) error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inFlight--
	now := p.now()
	if status == http.StatusTooManyRequests {
		pause := retryAfter
		if pause <= 0 {
			pause = fallback
		}
		if until := now.Add(pause); until.After(p.paused) {
			p.paused, p.refusal = until, refusal
		}
		if p.limit > 0 && t.epoch == p.epoch {
			p.decrease(now)
		}
		return
	}
	if p.limit == 0 {
		return
	}
	p.recover(now)
	p.rate = min(p.ceiling, p.rate+p.ceiling/16)
	p.hint = 0
	// The server says how many requests its window has left. Fewer than
	// this client's own sends leave, by more than a burst, means that
	// others spend the budget too (other programs on the same token, or
	// a lower limit than configured): spread what is left over the window.
	if remaining >= 0 && remaining < p.allowed-p.sentWithin(now)-p.burst {
		p.hint = float64(remaining+1) / p.window.Seconds()
	}
}

// sentWithin counts the requests sent in the window that ends at now.
func (p *pacer) sentWithin(now time.Time) int {
	start := now.Add(-p.window)
	i, _ := slices.BinarySearchFunc(p.sent, start, func(at, t time.Time) int { return at.Compare(t) })
	for i < len(p.sent) && !p.sent[i].After(start) {
		i++
	}
	return len(p.sent) - i
}

// failed tells the pacer that the request of t got no answer.
func (p *pacer) failed(turn) {
	p.mu.Lock()
	p.inFlight--
	p.mu.Unlock()
}

// decrease halves the pace after a 429. When the window held at least
// half of what it allows, the refusal is about this client's pace: what
// the server accepted in the window it refused (the refused request and
// those still in flight left out) becomes the window's allowance and the
// ceiling to climb back to, held for holdWindows windows. A refusal of a
// window far from full (other programs on the token, the server's burst
// throttling) teaches no allowance: the pause and the halving answer it.
func (p *pacer) decrease(now time.Time) {
	p.epoch++
	p.rate = max(p.rate/2, p.ceiling/16)
	if sent := p.sentWithin(now); 2*sent >= p.allowed {
		p.allowed = min(p.allowed, max(sent-1-p.inFlight, 1))
		p.ceiling = float64(p.allowed) / p.window.Seconds()
		p.rate = min(p.rate, p.ceiling)
		p.held = now.Add(holdWindows * p.window)
	}
}

// holdWindows is how many windows the allowance learned from a 429 holds
// before it climbs back, one request a window, to the configured limit.
const holdWindows = 10

// recover climbs the window's allowance back, one request for each
// window without a 429 once the hold is over.
func (p *pacer) recover(now time.Time) {
	if p.allowed >= p.limit || now.Before(p.held) {
		return
	}
	p.allowed++
	p.ceiling = float64(p.allowed) / p.window.Seconds()
	p.held = now.Add(p.window)
}

// state is the pace in force, for a Response or Client.Pace.
func (p *pacer) state() Pace {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := Pace{Limit: p.limit, Per: p.window, Waited: p.waited}
	if p.limit > 0 {
		s.PerSecond, _ = p.pace()
	}
	if p.now().Before(p.paused) {
		s.PausedUntil = p.paused
	}
	return s
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
