package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/internal/redact"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/hostile"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
)

// A pasted secret ends in a newline, and the server echoes the token it
// was sent in every form (raw, \/ and \u escaped, URL-encoded): nothing
// the command writes, report or recording, holds the token in any form.
func TestAnEchoedPastedTokenIsInNoOutputAndNoRecording(t *testing.T) {
	for _, tok := range []string{token, "cli/tok+en-0123456789abcdef=SECRET"} {
		api := standin.Start(standin.Config{Token: tok, OrgID: org, RunID: runID, RunTasks: 12, OrgTasks: 15})
		t.Cleanup(api.Close)
		srv := hostile.Start(t, hostile.EchoTokenThrough(api))
		env := map[string]string{
			"TALLYFY_ACCESS_TOKEN": tok + "\n", "TALLYFY_ORG_ID": org, "TALLYFY_RUN_ID": runID, "TALLYFY_BASE_URL": srv.BaseURL(),
		}
		secrets := redact.New(tok)
		for _, format := range []string{"text", "json", "junit"} {
			t.Run(format, func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "live")
				r := invoke(t, env, "--record", dir, "--format", format)
				assert.Equal(t, exitDrift, r.code, "the status that is the token is drift: %s", r.stderr)
				assert.False(t, secrets.Contains([]byte(r.stdout)), "the report holds the token: %s", r.stdout)
				assert.False(t, secrets.Contains([]byte(r.stderr)), "stderr holds the token: %s", r.stderr)
				assert.Contains(t, r.stdout, "[redacted]", "the finding that quoted the token is there, scrubbed")

				files, err := filepath.Glob(filepath.Join(dir, "*.json"))
				require.NoError(t, err)
				require.NotEmpty(t, files)
				for _, f := range files {
					data, err := os.ReadFile(f)
					require.NoError(t, err)
					assert.False(t, secrets.Contains(data), "%s holds the token", filepath.Base(f))
					assert.Contains(t, string(data), `"echo_u-escaped": "[redacted]"`, "%s: the echo was recorded, scrubbed", filepath.Base(f))
				}
				for _, seen := range srv.Requests() {
					require.Equal(t, "Bearer "+tok, seen.Authorization, "the token is sent trimmed")
				}
			})
		}
	}
}

func TestMaxBodyFlagReadsSizes(t *testing.T) {
	cases := []struct {
		in   string
		want int64 // 0: an error
	}{
		{"1048576", 1 << 20}, {"64MiB", 64 << 20}, {"512kib", 512 << 10}, {"1GiB", 1 << 30}, {"2 MiB", 2 << 20}, {"100B", 100},
		{"0", 0}, {"-1MiB", 0}, {"1.5MiB", 0}, {"MiB", 0}, {"1025GiB", 0}, {"1PB", 0}, {"", 0},
	}
	for _, tc := range cases {
		var got int64
		err := maxBodyFlag{n: &got}.Set(tc.in)
		if tc.want == 0 {
			assert.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
}

// An endless body: the check stops at --max-body with exit 2 and an error
// that names the flag, not a timeout; memory stays bounded by the flag.
func TestAnEndlessBodyStopsAtMaxBody(t *testing.T) {
	srv := hostile.Start(t, hostile.EndlessBody(200, `{"data":[`))
	env := map[string]string{
		"TALLYFY_ACCESS_TOKEN": token, "TALLYFY_ORG_ID": org, "TALLYFY_RUN_ID": runID, "TALLYFY_BASE_URL": srv.BaseURL(),
	}
	r := invoke(t, env, "--max-body", "1MiB", "--timeout", "1m", "--record", filepath.Join(t.TempDir(), "rec"))
	assert.Equal(t, exitCannotCheck, r.code)
	assert.Contains(t, r.stderr, "exceeds the --max-body limit of 1 MiB")
	assert.NotContains(t, r.stderr, "sent nothing")
	assert.Len(t, srv.Requests(), 1)
}

// A --base-url with user info or a signed query: no output holds either.
func TestBaseURLsArePrintedWithoutUserInfoOrQueryValues(t *testing.T) {
	api := startStandIn(t, standin.Config{})
	cases := []string{
		strings.Replace(api.BaseURL(), "http://", "http://ada:pw-SECRET@", 1),
		api.BaseURL() + "?sig=SECRET",
		"ftp://ada:pw-SECRET@example.com/api?sig=SECRET",
		"http://127.0.0.1:SECRET/api",
	}
	for _, base := range cases {
		env := map[string]string{"TALLYFY_ACCESS_TOKEN": token, "TALLYFY_ORG_ID": org, "TALLYFY_RUN_ID": runID}
		for _, format := range []string{"text", "json"} {
			r := invoke(t, env, "--base-url", base, "--format", format)
			assert.Equal(t, exitCannotCheck, r.code, base)
			assert.NotContains(t, r.stdout+r.stderr, "SECRET", base)
			assert.NotContains(t, r.stdout+r.stderr, "ada", base)
		}
	}
}
