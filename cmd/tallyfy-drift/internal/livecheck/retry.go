package livecheck

import (
	"context"
	"log/slog"
	"net/url"
	"time"
)

// Retry is one retry of the check's client: the request it tries again,
// what failed it, and how long the client waits before the next attempt.
type Retry struct {
	Check     string // the planned check whose request it is
	Operation string // the request's operationId, or "" when none matches
	Method    string // the request's method
	Path      string // the request's URL path
	// Attempt is the attempt that failed, from 1; the retry is Attempt+1.
	Attempt int
	// Status is the status that failed the attempt (429, 502, 503, 504);
	// 0 when no response came.
	Status int
	// Wait is how long the client waits before the next attempt: for a
	// 429, its Retry-After (which pauses every request of the client),
	// else the backoff.
	Wait time.Duration
	// Error says why an attempt without a response failed, without the
	// token; "" when a status failed it.
	Error string
}

// retryHandler is the slog.Handler the check gives its client
// (tallyfy.WithLogger): it turns each retry the client logs (a record at
// Warn with the attributes method, path, attempt and wait, and status or
// error) into a Retry for Config.OnRetry. Other records are dropped.
type retryHandler struct{ x *execution }

// Enabled implements slog.Handler: the client logs its retries at Warn.
func (h retryHandler) Enabled(_ context.Context, level slog.Level) bool {
	return level >= slog.LevelWarn
}

// Handle implements slog.Handler.
func (h retryHandler) Handle(_ context.Context, rec slog.Record) error {
	var r Retry
	var hasAttempt, hasWait bool
	rec.Attrs(func(a slog.Attr) bool {
		v := a.Value.Resolve()
		switch a.Key {
		case "method":
			r.Method = v.String()
		case "path":
			r.Path = v.String()
		case "attempt":
			r.Attempt, hasAttempt = int(v.Int64()), v.Kind() == slog.KindInt64
		case "wait":
			r.Wait, hasWait = v.Duration(), v.Kind() == slog.KindDuration
		case "status":
			r.Status = int(v.Int64())
		case "error":
			r.Error = v.String()
		}
		return true
	})
	if !hasAttempt || !hasWait {
		return nil // not a retry
	}
	h.x.mu.Lock()
	r.Check = h.x.current
	h.x.mu.Unlock()
	// The validator routes a request whatever its base URL: any origin
	// names the operation of a path.
	r.Operation = h.x.cfg.Validator.Operation(r.Method, (&url.URL{Scheme: "https", Host: "api.invalid", Path: r.Path}).String())
	h.x.cfg.OnRetry(r)
	return nil
}

// WithAttrs implements slog.Handler; the client's retries carry their
// attributes on the record.
func (h retryHandler) WithAttrs([]slog.Attr) slog.Handler { return h }

// WithGroup implements slog.Handler.
func (h retryHandler) WithGroup(string) slog.Handler { return h }
