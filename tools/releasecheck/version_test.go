package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAllowsBreakingFollowsGoModuleVersionRules(t *testing.T) {
	tests := []struct {
		released, current string
		want              bool
	}{
		{released: "0.1.0", current: "0.1.0", want: false},
		{released: "0.1.0", current: "0.1.1", want: false},
		{released: "0.1.0", current: "0.2.0", want: true},
		{released: "0.1.3", current: "1.0.0", want: true},
		{released: "1.2.0", current: "1.3.0", want: false}, // from v1 on, a minor bump promises compatibility
		{released: "1.2.0", current: "2.0.0", want: true},
	}
	for _, tc := range tests {
		released, err := parseSemver(tc.released)
		require.NoError(t, err)
		current, err := parseSemver(tc.current)
		require.NoError(t, err)
		assert.Equal(t, tc.want, current.allowsBreaking(released), "%s -> %s", tc.released, tc.current)
	}
}

func TestBreakingBumpOf(t *testing.T) {
	assert.Equal(t, "0.2.0", breakingBumpOf(semver{0, 1, 4}).String())
	assert.Equal(t, "2.0.0", breakingBumpOf(semver{1, 7, 0}).String())
}

func TestParseSemverRejectsWhatIsNotAVersion(t *testing.T) {
	for _, s := range []string{"", "1", "1.2", "1.2.x", "01.2.3", "1.-2.3", "1.2.3.4"} {
		_, err := parseSemver(s)
		assert.Error(t, err, "%q", s)
	}
	v, err := parseSemver("v1.2.3-rc.1")
	require.NoError(t, err)
	assert.Equal(t, semver{1, 2, 3}, v)
}

func TestModuleVersionFindsTheVersionConstant(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.go"), "package x\n\nconst Other = \"9.9.9\"\n")
	write(t, filepath.Join(dir, "a_test.go"), "package x\n\nconst Version = \"7.7.7\"\n")
	write(t, filepath.Join(dir, "b.go"), "package x\n\nconst (\n\tName    = \"x\"\n\tVersion = \"0.3.1\"\n)\n")
	v, file, err := moduleVersion(dir)
	require.NoError(t, err)
	assert.Equal(t, "0.3.1", v)
	assert.Equal(t, "b.go", file)

	_, _, err = moduleVersion(t.TempDir())
	assert.ErrorContains(t, err, "no `const Version")
}

func write(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}
