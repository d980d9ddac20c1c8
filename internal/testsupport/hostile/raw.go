package hostile

import (
	"bufio"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// ManyHeaders answers 200 with n headers of size bytes each before its
// body: response headers far larger than a client should hold.
func ManyHeaders(n, size int) http.HandlerFunc {
	value := strings.Repeat("h", size)
	return func(w http.ResponseWriter, r *http.Request) {
		for i := range n {
			w.Header()[fmt.Sprintf("X-Pad-%d", i)] = []string{value}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":[]}`))
	}
}

// DripHeaders answers with response headers that arrive one byte every
// interval, from the status line on, written to the raw connection: a
// server that is never silent for long, yet never done with its headers.
// It stops when the client hangs up.
func DripHeaders(interval time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		head := "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + strings.Repeat("X-Slow: "+strings.Repeat("s", 64)+"\r\n", 1000)
		drip(buf, head, interval)
	}
}

func drip(buf *bufio.ReadWriter, s string, interval time.Duration) {
	for i := range len(s) {
		if buf.WriteByte(s[i]) != nil || buf.Flush() != nil {
			return
		}
		time.Sleep(interval)
	}
}

// CutAfter answers 200 with the first n bytes of body, announcing all of
// it in Content-Length, then closes the connection: a body cut by a
// connection that failed half-way.
func CutAfter(body []byte, n int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body))
		_, _ = buf.Write(body[:min(n, len(body))])
		_ = buf.Flush()
	}
}
