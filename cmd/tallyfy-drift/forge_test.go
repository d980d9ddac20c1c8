package main

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/recording"
)

// evil tries to start a fake report line, issue GitHub runner commands and
// drive a terminal.
const evil = "x\n::error::forged\r\n::add-mask::abc\x1b[31m\u202e"

// A folder of recordings is untrusted: its name, a file name, a recording's name,
// its provenance and the values it holds print with their control
// characters escaped, in every format, on stdout, stderr and in the
// --summary file.
func TestReplayedTextCannotForgeReportLines(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dir"+evil)
	require.NoError(t, os.Mkdir(dir, 0o700))
	data, err := os.ReadFile(filepath.Join("testdata", "replay", "b-drifted.json"))
	require.NoError(t, err)
	ex, err := recording.Decode(data, "b")
	require.NoError(t, err)
	ex.Name = "name" + evil
	ex.Provenance.Source += evil
	ex.Provenance.Note = "note" + evil
	ex.Request.URL += "?q=" + url.QueryEscape(evil)
	ex.Response.Headers["X-Request-Id"] = "::error::header"
	id, err := json.Marshal(evil)
	require.NoError(t, err)
	ex.Response.Body = []byte(`{"data":[{"id":` + string(id) + `,"status":"::error::status\u001b[31m\n::warning::x"}]}`)
	out, err := recording.Encode(ex)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "file"+evil+".json"), out, 0o600))

	for _, format := range []string{"text", "json", "junit", "markdown"} {
		t.Run(format, func(t *testing.T) {
			summary := filepath.Join(t.TempDir(), "summary.md")
			r := invokeBounded(t, nil, "--replay", dir, "--format", format, "--summary", summary)
			assert.Equal(t, exitDrift, r.code, r.stderr)
			md, err := os.ReadFile(summary)
			require.NoError(t, err)
			assert.Contains(t, string(md), "::error::status", "the drifted value is reported, escaped")
			for what, text := range map[string]string{"stdout": r.stdout, "stderr": r.stderr, "summary": string(md)} {
				assert.NotContains(t, text, "\x1b", "%s: no raw escape", what)
				assert.NotContains(t, text, "\r", what)
				assert.NotContains(t, text, "\u202e", "%s: no bidi override", what)
				for _, line := range strings.Split(text, "\n") {
					assert.False(t, strings.HasPrefix(strings.TrimSpace(line), "::"), "%s: a line a CI runner reads as a command: %q", what, line)
				}
			}
		})
	}
}
