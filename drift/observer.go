package drift

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/internal/retrystatus"
)

// Observer checks the responses a client receives in production against the
// spec, off the request path, and reports each new finding group once.
//
// Give its Hook to the client (tallyfy.WithResponseHook). The hook samples
// responses at the sample rate and queues the sampled ones, whole, for one
// worker goroutine, which validates them (a list body is validated task by
// task on every core). The queue is bounded: when it is full, a response is
// dropped, never waited for, and counted. Findings are grouped by operation,
// rule and PointerPattern, so one new field on every task is one group;
// each group is reported once when first seen, and again only after
// RepeatAfter has passed. Close stops it.
type Observer struct {
	v   *Validator
	cfg observerConfig

	// mu keeps the hook from sending on the queue as Close closes it.
	mu      sync.RWMutex
	closed  atomic.Bool
	queue   chan observed
	done    chan struct{} // closed when the worker has returned
	abandon atomic.Bool   // Close gave up waiting: the worker drops the rest
	close   sync.Once

	groups *grouper
	stats  observerCounters
}

// observed is one sampled response and when it arrived.
type observed struct {
	r  tallyfy.ObservedResponse
	at time.Time
}

// NewObserver returns a running Observer that validates with v. Close it
// when done.
func NewObserver(v *Validator, opts ...ObserverOption) (*Observer, error) {
	if v == nil {
		return nil, errors.New("drift: NewObserver: nil Validator")
	}
	cfg := defaultObserverConfig()
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	o := &Observer{
		v:      v,
		cfg:    cfg,
		queue:  make(chan observed, cfg.queueSize),
		done:   make(chan struct{}),
		groups: newGrouper(cfg.maxGroups, cfg.repeatAfter),
	}
	go o.run()
	return o, nil
}

// Hook returns the tallyfy.ResponseHook that feeds the Observer: pass it to
// tallyfy.WithResponseHook. It samples a response before its body is read,
// so a response left out costs the client nothing but the decision. A
// sampled response is queued once its body is complete, without waiting.
func (o *Observer) Hook() tallyfy.ResponseHook { return observerHook{o} }

type observerHook struct{ o *Observer }

// Sample implements tallyfy.ResponseHook. Gateway errors (502, 503, 504)
// are never sampled: they are the infrastructure's, not the API's, as in
// the live check, and the client retries them.
func (h observerHook) Sample(_ string, status int) bool {
	o := h.o
	o.stats.offered.Add(1)
	if o.closed.Load() || retrystatus.Transient(status) {
		return false
	}
	take := o.cfg.rate >= 1 || (o.cfg.rate > 0 && o.cfg.random() < o.cfg.rate)
	if take {
		o.stats.sampled.Add(1)
	}
	return take
}

// Observe implements tallyfy.ResponseHook.
func (h observerHook) Observe(r tallyfy.ObservedResponse) {
	o := h.o
	if r.Truncated {
		o.stats.truncated.Add(1) // a partial body would only look like malformed JSON
		return
	}
	item := observed{r: r, at: o.cfg.now()}
	o.mu.RLock()
	defer o.mu.RUnlock()
	if o.closed.Load() {
		o.stats.dropped.Add(1)
		return
	}
	select {
	case o.queue <- item:
	default:
		o.stats.dropped.Add(1)
	}
}

// run is the worker: it validates what the hook queued, in order.
func (o *Observer) run() {
	defer close(o.done)
	for item := range o.queue {
		if o.abandon.Load() {
			o.stats.dropped.Add(1)
			continue
		}
		o.validate(item)
	}
}

func (o *Observer) validate(item observed) {
	r := item.r
	findings := o.v.Check(context.Background(), Exchange{
		Method:         r.Method,
		URL:            r.URL,
		RequestHeader:  r.RequestHeader,
		Status:         r.StatusCode,
		ResponseHeader: r.Header,
		Body:           r.Body,
	})
	o.stats.validated.Add(1)
	o.stats.findings.Add(uint64(len(findings)))
	reports, ungrouped := o.groups.add(r.Operation, findings, item.at)
	o.stats.ungrouped.Add(uint64(ungrouped))
	for _, g := range reports {
		o.report(g)
	}
}

// report hands one group to the handler. A handler that panics costs its
// report, not the worker.
func (o *Observer) report(g FindingGroup) {
	defer func() {
		if recover() != nil {
			o.stats.handlerPanics.Add(1)
		}
	}()
	o.stats.reports.Add(1)
	if o.cfg.handler != nil {
		o.cfg.handler(g)
		return
	}
	logGroup(o.cfg.logger, g)
}

// Close stops sampling, lets the worker validate what is queued, and waits
// for it until ctx ends. When ctx ends first, Close returns its error, and
// the responses still queued are dropped (counted in Dropped). Close may be
// called more than once; the client keeps working without the Observer.
func (o *Observer) Close(ctx context.Context) error {
	o.close.Do(func() {
		o.mu.Lock()
		o.closed.Store(true)
		close(o.queue)
		o.mu.Unlock()
	})
	select {
	case <-o.done:
		return nil
	case <-ctx.Done():
		o.abandon.Store(true)
		return fmt.Errorf("drift: closing the observer: %w", ctx.Err())
	}
}

// Groups returns every finding group seen so far, sorted by operation, rule
// and pattern, with its Total, and as Count the findings since its last
// report.
func (o *Observer) Groups() []FindingGroup { return o.groups.snapshot() }

// ObserverStats counts what an Observer did with the responses it was
// offered. Offered is Sampled plus those left out: by the sample rate, as
// gateway errors, or after Close. Sampled is Truncated + Dropped +
// Validated, plus those still queued or being validated, and those whose
// body was never read to its end nor closed.
type ObserverStats struct {
	Offered   uint64 // responses the client offered to the hook
	Sampled   uint64 // responses the sample rate picked
	Truncated uint64 // sampled but not validated: the body was over the client's limit, or not read to its end
	Dropped   uint64 // sampled but not validated: the queue was full, or the Observer was closing
	Validated uint64 // responses validated
	Findings  uint64 // findings in the validated responses, grouped or not
	Ungrouped uint64 // findings neither grouped nor reported: MaxGroups was reached
	Groups    int    // distinct finding groups
	Reports   uint64 // reports handed to the handler
	// HandlerPanics counts reports whose handler panicked.
	HandlerPanics uint64
}

// Stats returns the Observer's counters so far.
func (o *Observer) Stats() ObserverStats {
	return ObserverStats{
		Offered:       o.stats.offered.Load(),
		Sampled:       o.stats.sampled.Load(),
		Truncated:     o.stats.truncated.Load(),
		Dropped:       o.stats.dropped.Load(),
		Validated:     o.stats.validated.Load(),
		Findings:      o.stats.findings.Load(),
		Ungrouped:     o.stats.ungrouped.Load(),
		Groups:        o.groups.len(),
		Reports:       o.stats.reports.Load(),
		HandlerPanics: o.stats.handlerPanics.Load(),
	}
}

type observerCounters struct {
	offered, sampled, truncated, dropped, validated atomic.Uint64
	findings, ungrouped, reports, handlerPanics     atomic.Uint64
}
