package main

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
)

// A live check's progress showed its exchanges but not its retries, nor
// how long a 429 made it wait: each retry is now a line, with the status
// (or the failure), the wait and the attempt it leads to.
func TestLiveProgressShowsEachRetryAndItsWait(t *testing.T) {
	s := startStandIn(t, standin.Config{Fail: func(w http.ResponseWriter, r *http.Request, n int) bool {
		switch n {
		case 0:
			w.Header().Set("Retry-After", "1")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"error":true,"message":"Too Many Attempts.","code":"RATE_LIMIT_EXCEEDED"}`))
			return true
		case 3:
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		}
		return false
	}})
	r := invoke(t, liveEnv(s))
	assert.Equal(t, exitConforms, r.code, r.stderr)
	assert.Regexp(t, regexp.MustCompile(`(?m)^  \[ 1\] listRunTasks 429 wait  \?page=1\n  retry  listRunTasks 429, waiting 1s before attempt 2$`), r.stderr)
	assert.Regexp(t, regexp.MustCompile(`(?m)^  retry  listRunTasks 503, waiting [0-9]+(µs|ms) before attempt 2$`), r.stderr, "the backoff, with its jitter")
	assert.Len(t, regexp.MustCompile(`(?m)^  retry  `).FindAllString(r.stderr, -1), 2, r.stderr)
}
