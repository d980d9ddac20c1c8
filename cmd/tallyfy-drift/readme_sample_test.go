package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheREADMESampleIsTheGoldenReport holds the text report that the
// README's drift check section shows (from --replay
// cmd/tallyfy-drift/testdata/replay, run at the repository's root) to the
// golden file of that replay, so that the sample never shows a stale spec
// version, line or count.
func TestTheREADMESampleIsTheGoldenReport(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "\n## The drift check: tallyfy-drift\n")
	require.True(t, ok, "the README has the drift check section")
	section, _, _ = strings.Cut(section, "\n## ")
	const start = "```\nmode: replay ("
	_, sample, ok := strings.Cut(section, start)
	require.True(t, ok, "the section shows a text report of a replay")
	sample, _, ok = strings.Cut("mode: replay ("+sample, "```")
	require.True(t, ok)

	golden, err := os.ReadFile(filepath.Join("testdata", "golden", "replay.text"))
	require.NoError(t, err)
	want := strings.Replace(string(golden), "in testdata/replay)", "in cmd/tallyfy-drift/testdata/replay)", 1)
	assert.Equal(t, want, sample, "README.md's sample report is stale: copy testdata/golden/replay.text into it (with the folder as run from the repository's root)")
}
