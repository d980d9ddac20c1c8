package drift

import (
	"errors"
	"log/slog"
	"math"
	"math/rand/v2"
	"time"
)

// Defaults of an Observer.
const (
	// DefaultSampleRate is the share of responses an Observer validates
	// unless SampleRate says otherwise: one in a hundred.
	DefaultSampleRate = 0.01
	// DefaultQueueSize is how many sampled responses may wait for
	// validation before more are dropped.
	DefaultQueueSize = 16
	// DefaultRepeatAfter is how long a reported finding group stays quiet
	// before a new occurrence reports it again.
	DefaultRepeatAfter = time.Hour
	// DefaultMaxGroups bounds the distinct finding groups an Observer keeps.
	DefaultMaxGroups = 1000
)

// ObserverOption configures an Observer.
type ObserverOption func(*observerConfig) error

type observerConfig struct {
	rate        float64
	queueSize   int
	handler     func(FindingGroup)
	logger      *slog.Logger // of the default handler; nil: slog.Default() at the time of the report
	repeatAfter time.Duration
	maxGroups   int
	now         func() time.Time
	random      func() float64
}

func defaultObserverConfig() observerConfig {
	return observerConfig{
		rate:        DefaultSampleRate,
		queueSize:   DefaultQueueSize,
		repeatAfter: DefaultRepeatAfter,
		maxGroups:   DefaultMaxGroups,
		now:         time.Now,
		random:      rand.Float64,
	}
}

// observerOption returns the option that applies set when valid holds,
// and otherwise fails NewObserver with "drift: " and invalid: every option
// checks its value before it takes it.
func observerOption(valid bool, invalid string, set func(*observerConfig)) ObserverOption {
	return func(c *observerConfig) error {
		if !valid {
			return errors.New("drift: " + invalid)
		}
		set(c)
		return nil
	}
}

// SampleRate sets the share of responses validated, from 0 (none) to 1
// (every one); default DefaultSampleRate. A response that is not sampled
// costs the client one random number: its body is not even copied.
func SampleRate(rate float64) ObserverOption {
	return observerOption(!math.IsNaN(rate) && rate >= 0 && rate <= 1, "SampleRate: want a rate from 0 to 1",
		func(c *observerConfig) { c.rate = rate })
}

// QueueSize sets how many sampled responses may wait for validation
// (default DefaultQueueSize). When the queue is full, a sampled response is
// dropped, never waited for, and counted in ObserverStats.Dropped. Each
// waiting response holds its body, up to the client's observed body limit.
func QueueSize(n int) ObserverOption {
	return observerOption(n >= 1, "QueueSize: want at least 1", func(c *observerConfig) { c.queueSize = n })
}

// ReportTo hands each finding group report to h instead of logging it. h
// is called from the Observer's one worker goroutine, one report at a time.
func ReportTo(h func(FindingGroup)) ObserverOption {
	return observerOption(h != nil, "ReportTo: nil handler", func(c *observerConfig) { c.handler = h })
}

// LogTo makes the default handler log to l (default slog.Default()): one
// line per report, at level Warn for drift and Info for warnings.
func LogTo(l *slog.Logger) ObserverOption {
	return observerOption(l != nil, "LogTo: nil logger", func(c *observerConfig) { c.logger = l })
}

// RepeatAfter sets how long a reported finding group stays quiet (default
// DefaultRepeatAfter): the first occurrence after that reports it again,
// with the count since its last report. Zero reports each group once for
// the Observer's lifetime.
func RepeatAfter(d time.Duration) ObserverOption {
	return observerOption(d >= 0, "RepeatAfter: negative duration", func(c *observerConfig) { c.repeatAfter = d })
}

// MaxGroups bounds the distinct finding groups kept (default
// DefaultMaxGroups), so that a server inventing new field names cannot grow
// the Observer's memory without end. Findings of new groups beyond it are
// counted in ObserverStats.Ungrouped, not reported.
func MaxGroups(n int) ObserverOption {
	return observerOption(n >= 1, "MaxGroups: want at least 1", func(c *observerConfig) { c.maxGroups = n })
}

// ObserverClock sets the clock that stamps each observed response (default
// time.Now). Tests use it to step through RepeatAfter.
func ObserverClock(now func() time.Time) ObserverOption {
	return observerOption(now != nil, "ObserverClock: nil clock", func(c *observerConfig) { c.now = now })
}

// ObserverRandom sets the source of the sampling decisions (default
// math/rand/v2's Float64): a response is sampled when random() < rate. It
// is called from the client's goroutines, so it must be safe for concurrent
// use.
func ObserverRandom(random func() float64) ObserverOption {
	return observerOption(random != nil, "ObserverRandom: nil source", func(c *observerConfig) { c.random = random })
}
