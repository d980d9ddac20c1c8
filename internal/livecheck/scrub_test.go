package livecheck

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/internal/hostile"
	"github.com/tallyfy-go/tallyfy/internal/redact"
	"github.com/tallyfy-go/tallyfy/internal/standin"
)

// A server that puts the token where a finding quotes it (a task's status)
// gets a report that holds it in no form.
func TestFindingsNeverQuoteTheToken(t *testing.T) {
	api := startStandIn(t, standin.Config{RunTasks: 3, OrgTasks: 4})
	srv := hostile.Start(t, hostile.EchoTokenThrough(api))
	cfg := newConfig(t, api)
	cfg.BaseURL = srv.BaseURL()
	cfg.Token = token + "\r\n"
	res, err := Run(context.Background(), cfg)
	require.NoError(t, err)
	secrets := redact.New(token)
	quoted := 0
	for _, ex := range res.Report.Exchanges {
		for _, f := range ex.Findings {
			text := fmt.Sprintf("%+v", f)
			assert.False(t, secrets.Contains([]byte(text)), "a finding holds the token: %s", text)
			if f.Pointer == "/data/0/status" {
				assert.Contains(t, f.Message, "[redacted]")
				quoted++
			}
		}
	}
	assert.Positive(t, quoted, "the status that is the token was found and scrubbed")
}
