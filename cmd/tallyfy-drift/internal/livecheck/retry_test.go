package livecheck

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
)

// Each retry of the client reaches OnRetry, with the check it belongs to,
// the operation, what failed it (a status, or a connection cut without
// one) and the wait, even when the caller's options set a logger.
func TestOnRetryIsToldOfEachRetry(t *testing.T) {
	s := startStandIn(t, standin.Config{RunTasks: 3, OrgTasks: 3, Fail: func(w http.ResponseWriter, r *http.Request, n int) bool {
		switch n {
		case 0:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return true
		case 2, 3: // twice: Go's transport tries a reused connection again by itself
			conn, _, err := w.(http.Hijacker).Hijack()
			require.NoError(t, err)
			_ = conn.Close()
			return true
		}
		return false
	}})
	cfg := newConfig(t, s)
	cfg.ClientOptions = append(cfg.ClientOptions, tallyfy.WithLogger(slog.New(slog.DiscardHandler)))
	var mu sync.Mutex
	var got []Retry
	cfg.OnRetry = func(r Retry) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, r)
	}
	res, err := Run(context.Background(), cfg)
	require.NoError(t, err, res.String())
	require.Len(t, got, 2)
	assert.Equal(t, Retry{Check: "run tasks, every page", Operation: "listRunTasks", Method: "GET",
		Path: "/api/organizations/" + org + "/runs/" + run + "/tasks", Attempt: 1, Status: 429, Wait: time.Second}, got[0])
	assert.Equal(t, "run tasks, every page at per_page=100", got[1].Check)
	assert.Equal(t, 0, got[1].Status)
	assert.NotEmpty(t, got[1].Error, "a connection cut without a response says why")
	assert.NotContains(t, got[1].Error, token)
}
