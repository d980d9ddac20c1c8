package tallyfy

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/internal/testsupport/hostile"
	"github.com/tallyfy-go/tallyfy/recording"
)

// A transport that reads each body whole before it returns (the drift
// check's capture) runs inside the wait for the response. A body that keeps
// coming, slowly, for longer than the timeout is not a server that sends
// nothing; a body that stops is.
func TestACaptureTimesOutOnSilenceNotOnSlowness(t *testing.T) {
	const timeout = time.Second
	body := []byte(pageJSON(1, 200, 1, 1, 200, 200, "[]")) // built before any timed part
	chunk := len(body)/100 + 1                             // 100 chunks, 20 ms apart: twice the timeout in all
	cases := []struct {
		name        string
		behave      http.HandlerFunc
		wantTimeout bool
	}{
		{"slow but steady", hostile.DripBody(http.StatusOK, body, chunk, 20*time.Millisecond), false},
		{"silent half-way", hostile.StallAfter(http.StatusOK, string(body[:len(body)/2])), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := hostile.Start(t, tc.behave)
			captured := 0
			hc := &http.Client{Transport: &recording.Transport{OnExchange: func(*recording.Exchange) { captured++ }}}
			c := hostileClient(t, srv, WithHTTPClient(hc), WithTimeout(timeout), WithRetryPolicy(NoRetries()))
			titles, errs := drain(c.RunTasks(context.Background(), "o", "r", nil))
			if !tc.wantTimeout {
				require.Empty(t, errs)
				assert.Len(t, titles, 200)
				assert.Equal(t, 1, captured)
				return
			}
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], context.DeadlineExceeded)
			assert.ErrorContains(t, errs[0], "the server sent nothing for 1s")
			assert.Zero(t, captured)
		})
	}
}
