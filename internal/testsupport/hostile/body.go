package hostile

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// GzipBomb is a gzip body that inflates to far more than it weighs.
type GzipBomb struct {
	Compressed []byte // the body on the wire
	Inflated   int64  // its size once inflated
}

var (
	bombsMu sync.Mutex
	bombs   = map[int64]GzipBomb{}
)

// NewGzipBomb returns a JSON page whose one task's title is inflated bytes
// of spaces, gzip-compressed (about a thousandth of its size). It is built
// once per size and kept: build it before any timed part of a test.
func NewGzipBomb(inflated int64) GzipBomb {
	bombsMu.Lock()
	defer bombsMu.Unlock()
	if b, ok := bombs[inflated]; ok {
		return b
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	head := []byte(`{"data":[{"id":"1","title":"`)
	tail := []byte(`"}],"meta":{}}`)
	_, _ = zw.Write(head)
	chunk := bytes.Repeat([]byte(" "), 64<<10)
	left := inflated - int64(len(head)+len(tail))
	for left > 0 {
		n := min(left, int64(len(chunk)))
		_, _ = zw.Write(chunk[:n])
		left -= n
	}
	_, _ = zw.Write(tail)
	_ = zw.Close()
	b := GzipBomb{Compressed: buf.Bytes(), Inflated: inflated}
	bombs[inflated] = b
	return b
}

// ServeGzipBomb answers with status and the bomb, marked Content-Encoding:
// gzip (Go's transport inflates it for a client that did not ask for an
// encoding itself).
func ServeGzipBomb(status int, bomb GzipBomb) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", strconv.Itoa(len(bomb.Compressed)))
		w.WriteHeader(status)
		_, _ = w.Write(bomb.Compressed)
	}
}

// EndlessBody answers with status and a JSON-looking body that never ends:
// prefix, then spaces, as fast as the client reads, until it hangs up.
func EndlessBody(status int, prefix string) http.HandlerFunc {
	chunk := bytes.Repeat([]byte(" "), 32<<10)
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if _, err := w.Write([]byte(prefix)); err != nil {
			return
		}
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
}

// DripBody answers with status and body, chunk bytes at a time, one chunk
// every interval: a server that is slow but never silent for long.
func DripBody(status int, body []byte, chunk int, interval time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		for len(body) > 0 {
			n := min(chunk, len(body))
			if _, err := w.Write(body[:n]); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			body = body[n:]
			select {
			case <-r.Context().Done():
				return
			case <-time.After(interval):
			}
		}
	}
}

// StallAfter answers with status and prefix, then sends nothing more until
// the client hangs up.
func StallAfter(status int, prefix string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(prefix))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}
}
