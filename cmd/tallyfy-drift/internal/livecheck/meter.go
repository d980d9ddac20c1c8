package livecheck

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/tallyfy-go/tallyfy/internal/retrystatus"
)

// meter is the transport under the client that keeps a check within its
// bounds. It tells a retry (the same request again, after an attempt that
// failed in a way the client retries) from a planned request, and counts
// each against its own allowance: retries never use up planned requests.
// A request past its allowance is not sent; the step's context is
// cancelled with a *budgetError, so that the client does not retry it.
type meter struct {
	next                   http.RoundTripper
	maxPlanned, maxRetries int // negative: no bound

	mu                 sync.Mutex
	plannedN, retriesN int
	lastKey            string
	lastFailed         bool
	stop               context.CancelCauseFunc
}

// budgetError is a request the meter refused: its allowance was spent.
type budgetError struct{ msg string }

// Error implements error.
func (e *budgetError) Error() string { return e.msg }

// startStep makes stop cancel the current step.
func (m *meter) startStep(stop context.CancelCauseFunc) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.stop = stop
}

// planned returns the planned requests sent so far.
func (m *meter) planned() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.plannedN
}

// RoundTrip implements http.RoundTripper.
func (m *meter) RoundTrip(req *http.Request) (*http.Response, error) {
	key := req.Method + " " + req.URL.String()
	m.mu.Lock()
	retry := m.lastFailed && key == m.lastKey
	var refused *budgetError
	switch {
	case retry && m.maxRetries >= 0 && m.retriesN >= m.maxRetries:
		refused = &budgetError{fmt.Sprintf("the retry allowance of %d retries was spent (the API kept failing)", m.maxRetries)}
	case !retry && m.maxPlanned >= 0 && m.plannedN >= m.maxPlanned:
		refused = &budgetError{fmt.Sprintf("the request budget of %d planned requests was reached", m.maxPlanned)}
	case retry:
		m.retriesN++
	default:
		m.plannedN++
	}
	stop := m.stop
	m.mu.Unlock()
	if refused != nil {
		if stop != nil {
			stop(refused)
		}
		return nil, refused
	}

	next := m.next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(req)
	m.mu.Lock()
	m.lastKey = key
	m.lastFailed = err != nil || retrystatus.Retryable(resp.StatusCode)
	m.mu.Unlock()
	return resp, err
}
