package livecheck

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/internal/redact"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/hostile"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
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

// A token longer than a finding's quote is not left there as a prefix:
// the body is scrubbed before it is checked, not the finding after its cut.
func TestFindingsNeverQuoteTheStartOfALongToken(t *testing.T) {
	long := strings.Repeat("0123456789abcdef", 8) // 128 bytes, longer than any quote
	api := startStandIn(t, standin.Config{RunTasks: 3, OrgTasks: 4, Token: long})
	srv := hostile.Start(t, hostile.EchoTokenThrough(api))
	cfg := newConfig(t, api)
	cfg.BaseURL = srv.BaseURL()
	cfg.Token = long
	res, err := Run(context.Background(), cfg)
	require.NoError(t, err)
	quoted := 0
	for _, ex := range res.Report.Exchanges {
		for _, f := range ex.Findings {
			text := fmt.Sprintf("%+v", f)
			assert.NotContains(t, text, long[:12], "a finding holds the start of the token: %s", text)
			if f.Pointer == "/data/0/status" {
				quoted++
			}
		}
	}
	assert.Positive(t, quoted, "the status that is the token was found")
}

// An endless body ends the check with an error that names the limit, not a
// timeout, and memory stays bounded by the limit.
func TestAnEndlessBodyEndsTheCheckAtTheLimit(t *testing.T) {
	srv := hostile.Start(t, hostile.EndlessBody(200, `{"data":[`))
	api := startStandIn(t, standin.Config{})
	cfg := newConfig(t, api)
	cfg.BaseURL = srv.BaseURL()
	cfg.MaxBody, cfg.MaxBodyName = 1<<20, "--max-body"
	cfg.Timeout = time.Minute // only the limit can end the read
	res, err := Run(context.Background(), cfg)
	var abort *AbortError
	require.ErrorAs(t, err, &abort)
	var limitErr *tallyfy.LimitError
	require.ErrorAs(t, err, &limitErr)
	assert.Equal(t, "--max-body", limitErr.Limit)
	assert.Equal(t, int64(1<<20), limitErr.Max)
	assert.Contains(t, abort.Error(), "exceeds the --max-body limit of 1 MiB")
	assert.NotContains(t, abort.Error(), "sent nothing")
	assert.Len(t, srv.Requests(), 1, "a limit is not retried")
	assert.NotNil(t, res)
}
