package tallyfy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"
)

// timeoutError is the cause of a request that the server kept waiting
// longer than the client's timeout. errors.Is(err, context.DeadlineExceeded)
// holds for it, and it is a net.Error whose Timeout() is true.
type timeoutError struct{ d time.Duration }

func (e *timeoutError) Error() string {
	return fmt.Sprintf("tallyfy: the server sent nothing for %s (the client's timeout)", e.d)
}

// Timeout reports true: this error is a timeout.
func (e *timeoutError) Timeout() bool { return true }

// Temporary reports true, as net.Error asks: a later attempt may succeed.
func (e *timeoutError) Temporary() bool { return true }

// Is makes errors.Is(err, context.DeadlineExceeded) hold.
func (e *timeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// watchdog cancels one request when the server keeps the client waiting
// longer than d: while the response headers are awaited, and during each
// read of the body. The time the caller spends between reads (handling the
// tasks already decoded) does not count, so a slow consumer of a long
// streamed response never times out, and a stalled server always does.
type watchdog struct {
	d      time.Duration
	timer  *time.Timer
	cancel context.CancelCauseFunc
}

// watch derives the context of one attempt; the timer runs at once.
func watch(parent context.Context, d time.Duration) (context.Context, *watchdog) {
	ctx, cancel := context.WithCancelCause(parent)
	w := &watchdog{d: d, cancel: cancel}
	w.timer = time.AfterFunc(d, func() { cancel(&timeoutError{d: d}) })
	return ctx, w
}

func (w *watchdog) pause()  { w.timer.Stop() }
func (w *watchdog) resume() { w.timer.Reset(w.d) }

// progress restarts a running timer: the server sent something. A timer
// that is paused or released stays so.
func (w *watchdog) progress() {
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
