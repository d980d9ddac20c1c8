package standin

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Window is a rate limit on a rolling window, as Tallyfy documents its
// own: at most Limit requests in any window of Per, counted as they
// arrive. A request over the limit gets a 429 with Retry-After (whole
// seconds until a slot frees) and X-RateLimit-Remaining 0; every other
// response says X-RateLimit-Remaining. Use Fail as a Config's Fail.
type Window struct {
	Limit int
	Per   time.Duration

	mu       sync.Mutex
	arrivals []time.Time
	refused  int
}

// NewWindow returns a rolling window of limit requests per per.
func NewWindow(limit int, per time.Duration) *Window { return &Window{Limit: limit, Per: per} }

// Fail answers a request over the limit with a 429, and lets the stand-in
// answer any other.
func (w *Window) Fail(rw http.ResponseWriter, _ *http.Request, _ int) bool {
	now := time.Now()
	w.mu.Lock()
	start := 0
	for start < len(w.arrivals) && now.Sub(w.arrivals[start]) >= w.Per {
		start++
	}
	w.arrivals = w.arrivals[start:]
	if len(w.arrivals) >= w.Limit {
		w.refused++
		wait := w.arrivals[0].Add(w.Per).Sub(now)
		w.mu.Unlock()
		rw.Header().Set("Content-Type", "application/json")
		rw.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		rw.Header().Set("X-RateLimit-Remaining", "0")
		rw.WriteHeader(http.StatusTooManyRequests)
		_, _ = rw.Write([]byte(`{"message":"Too Many Attempts.","code":"RATE_LIMIT_EXCEEDED"}`))
		return true
	}
	w.arrivals = append(w.arrivals, now)
	remaining := w.Limit - len(w.arrivals)
	w.mu.Unlock()
	rw.Header().Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	return false
}

// Refused returns how many requests got a 429.
func (w *Window) Refused() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.refused
}
