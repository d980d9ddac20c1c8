package upstream_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/recording"
	"github.com/tallyfy-go/tallyfy/recordings"
	"github.com/tallyfy-go/tallyfy/tools/internal/upstream"
)

// loadRecordings returns every embedded recording (package recordings), the
// ones the contract tests and tallyfy-drift check.
func loadRecordings(t *testing.T) []*recording.Exchange {
	t.Helper()
	recs, err := recordings.Load()
	require.NoError(t, err)
	require.NotEmpty(t, recs, "the embedded recordings")
	return recs
}

// A recording derived from Tallyfy's Swagger says so, names the commit
// and the file it was derived from, and the definitions it follows; its
// note says it was not captured. The shapes that openapi.yaml holds to the
// Swagger each have at least one such recording.
func TestSchemaDerivedRecordingsNameTheSwagger(t *testing.T) {
	from := upstream.Source.Repository + "@" + upstream.Source.Commit
	covered := map[string]bool{}
	for _, ex := range loadRecordings(t) {
		source := ex.Provenance.Source
		if !strings.HasPrefix(source, "Schema-derived from Tallyfy's Swagger") {
			continue
		}
		t.Run(ex.Name, func(t *testing.T) {
			assert.Equal(t, recording.KindHandMade, ex.Provenance.Kind)
			assert.Contains(t, source, from, "the commit it was derived from")
			assert.Contains(t, source, upstream.Source.Path, "the file it was derived from")
			assert.Contains(t, ex.Provenance.Note, "schema-derived, not captured")
		})
		_, defs, ok := strings.Cut(source, "definitions ")
		require.True(t, ok, "%s: a schema-derived recording names the definitions it follows", ex.Name)
		defs, _, _ = strings.Cut(defs, ";")
		for _, d := range strings.Split(defs, ",") {
			covered[strings.TrimSpace(d)] = true
		}
	}
	for _, pair := range upstream.Tallyfy.Schemas {
		if pair.Upstream == "error" {
			continue // error bodies: the hand-made error recordings follow the documentation's examples
		}
		assert.True(t, covered[pair.Upstream], "no schema-derived recording follows the Swagger's %s", pair.Upstream)
	}
}
