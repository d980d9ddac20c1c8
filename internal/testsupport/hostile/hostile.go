// Package hostile is a server that attacks its clients, for tests: it
// echoes the bearer token back in every form, sends gzip bombs and endless
// bodies, and redirects to other schemes, hosts and ports or in loops. Each
// behaviour is a switchable http.HandlerFunc, so a test states the attack
// it defends against, and the case stays fixed.
//
// It listens on 127.0.0.1 only and stops when the test ends.
package hostile

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Seen is what the server saw of one request.
type Seen struct {
	Method        string      // the request method
	URL           string      // path and query
	Authorization string      // the Authorization header, to prove it never arrived
	Header        http.Header // every request header, as received
}

// Server is a running hostile server.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	behave   http.HandlerFunc
	requests []Seen
}

// Start starts a plain HTTP server that answers with behave (nil: 404).
func Start(t testing.TB, behave http.HandlerFunc) *Server {
	s := &Server{behave: behave}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// StartTLS starts an HTTPS server; give clients s.Client() (it trusts the
// server's certificate).
func StartTLS(t testing.TB, behave http.HandlerFunc) *Server {
	s := &Server{behave: behave}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Set switches the behaviour.
func (s *Server) Set(behave http.HandlerFunc) {
	s.mu.Lock()
	s.behave = behave
	s.mu.Unlock()
}

// BaseURL is the API base URL to give a client.
func (s *Server) BaseURL() string { return s.URL + "/api" }

// Requests returns what the server has seen so far.
func (s *Server) Requests() []Seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Seen(nil), s.requests...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, Seen{
		Method: r.Method, URL: r.URL.RequestURI(), Authorization: r.Header.Get("Authorization"), Header: r.Header.Clone(),
	})
	behave := s.behave
	s.mu.Unlock()
	if behave == nil {
		http.NotFound(w, r)
		return
	}
	behave(w, r)
}

// BearerToken returns the token of r's Authorization header, as sent.
func BearerToken(r *http.Request) string {
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
}
