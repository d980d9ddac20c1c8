package contracttest_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Recordings live in recordings/ only, embedded there as recordings.FS() for
// these tests and for tallyfy-drift. One put in contract_test/testdata (where
// they used to be) would be checked by nothing.
func TestRecordingsLiveInOnePlace(t *testing.T) {
	stray, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	assert.Empty(t, stray, "move these recordings to recordings/ at the module root")
}
