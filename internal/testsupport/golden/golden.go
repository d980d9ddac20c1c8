// Package golden is the one place that compares test output with a golden
// file: a stale file fails with the command that rewrites it, and with the
// rewrite flag (-update) the file is written instead.
package golden

import (
	"os"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// T is what Check needs of a test (a *testing.T), so that a test can catch
// what a comparison reports.
type T interface {
	Helper()
	Errorf(format string, args ...any)
	FailNow()
}

// Check compares got with the file at path. With update set, it writes got
// there first. rewrite is the command that rewrites the file
// ("go test ./drift/report -update"); a missing or stale file fails with it.
func Check(t T, path string, got []byte, update bool, rewrite string) {
	t.Helper()
	if update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run %s to create it", rewrite)
	assert.Equal(t, string(want), string(got), "%s is stale; if the change is intended, rewrite it with: %s", path, rewrite)
}
