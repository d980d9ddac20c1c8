package tallyfy

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
)

// responseHook is a ResponseHook as the doer runs it: with its body limit,
// the token to scrub, and the logger its panics go to.
type responseHook struct {
	h      ResponseHook
	limit  int64
	token  secret
	logger *slog.Logger
}

// newResponseHook returns nil when cfg sets no hook: the doer then skips
// every step of observing.
func newResponseHook(cfg config, token secret, logger *slog.Logger) *responseHook {
	if cfg.hook == nil {
		return nil
	}
	return &responseHook{
		h:      cfg.hook,
		limit:  cmp.Or(cfg.hookBodyLimit, DefaultObservedBodyLimit),
		token:  token,
		logger: logger,
	}
}

// Headers that never reach a hook: credentials of the request, and session
// cookies a server may set.
var (
	hiddenRequestHeaders  = []string{"Authorization", "Proxy-Authorization", "Cookie"}
	hiddenResponseHeaders = []string{"Set-Cookie"}
)

// watch offers resp, just arrived for req, to the hook. When the hook
// samples it, resp.Body is replaced by a tee that hands the body to the hook
// once it has been read to its end or closed. The headers are copied now,
// as they arrived, before anything on the way to the caller changes them.
func (rh *responseHook) watch(req *http.Request, resp *http.Response) {
	op := operationOf(req)
	if !rh.sample(op, resp.StatusCode) {
		return
	}
	b := &observedBody{
		ReadCloser: resp.Body,
		hook:       rh,
		seen: ObservedResponse{
			Operation:     op,
			Method:        req.Method,
			URL:           req.URL.String(),
			RequestHeader: withoutHeaders(scrubHeader(req.Header, rh.token), hiddenRequestHeaders),
			StatusCode:    resp.StatusCode,
			Header:        withoutHeaders(scrubHeader(resp.Header, rh.token), hiddenResponseHeaders),
		},
	}
	switch n := resp.ContentLength; {
	case n > rh.limit:
		b.over = true // known too large: not a byte is copied
	case n > 0:
		b.buf = make([]byte, 0, n)
	}
	resp.Body = b
}

func (rh *responseHook) sample(op string, status int) (ok bool) {
	defer func() {
		if p := recover(); p != nil {
			rh.logPanic("Sample", p)
			ok = false
		}
	}()
	return rh.h.Sample(op, status)
}

func (rh *responseHook) observe(r ObservedResponse) {
	defer func() {
		if p := recover(); p != nil {
			rh.logPanic("Observe", p)
		}
	}()
	rh.h.Observe(r)
}

func (rh *responseHook) logPanic(method string, p any) {
	rh.logger.LogAttrs(context.Background(), slog.LevelError, "tallyfy: response hook panicked; the response is unaffected",
		slog.String("hook_method", method),
		slog.String("panic", string(rh.token.scrub([]byte(fmt.Sprint(p))))))
}

// withoutHeaders deletes names from h (a copy) and returns it.
func withoutHeaders(h http.Header, names []string) http.Header {
	for _, n := range names {
		h.Del(n)
	}
	return h
}

// observedBody copies a response body, up to the hook's limit, as the
// caller reads it, and hands it to the hook once: at the end of the body or
// when it is closed, whichever comes first.
type observedBody struct {
	io.ReadCloser
	hook *responseHook

	mu   sync.Mutex // a body may be closed while another goroutine reads it
	seen ObservedResponse
	buf  []byte
	over bool // the body is larger than the limit; buf is dropped
	done bool
}

func (b *observedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.mu.Lock()
	if n > 0 && !b.over && !b.done {
		if int64(len(b.buf)+n) > b.hook.limit {
			b.over, b.buf = true, nil
		} else {
			b.buf = appendDoubling(b.buf, p[:n], b.hook.limit)
		}
	}
	b.mu.Unlock()
	if err == io.EOF {
		b.finish(true)
	}
	return n, err
}

func (b *observedBody) Close() error {
	err := b.ReadCloser.Close()
	b.finish(false)
	return err
}

// finish hands the response to the hook, the first time only. Only a body
// read to its end within the limit is handed over.
func (b *observedBody) finish(atEOF bool) {
	b.mu.Lock()
	if b.done {
		b.mu.Unlock()
		return
	}
	b.done = true
	r := b.seen
	if atEOF && !b.over {
		body := b.buf // handed over: b.buf is let go below
		if body == nil {
			body = []byte{}
		}
		r.Body = b.hook.token.scrub(body)
	} else {
		r.Truncated = true
	}
	b.buf = nil
	b.mu.Unlock()
	b.hook.observe(r)
}

// appendDoubling appends p to buf, doubling its capacity (up to limit) when
// it is full: a body of unknown length costs about twice its size in
// allocations, where append's gentler growth for large slices costs five.
func appendDoubling(buf, p []byte, limit int64) []byte {
	if need := len(buf) + len(p); need > cap(buf) {
		grown := make([]byte, len(buf), min(max(2*cap(buf), need, 4096), int(limit)))
		copy(grown, buf)
		buf = grown
	}
	return append(buf, p...)
}
