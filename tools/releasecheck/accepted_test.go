package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDecisionsReadsEntriesWithSharedReasons(t *testing.T) {
	in := `# header
# more header

- change: GET /a [response-property-type-changed] the
      ` + "`id`" + ` changed
  change: GET /b [response-property-type-changed] the ` + "`id`" + ` changed
  reason: the live API sends text
    and the older Swagger says so
  source: tallyfy/documentation@5e9c7201054b

- change: GET /c [x] y
  reason: r
  source: s
`
	got, err := parseDecisions(strings.NewReader(in))
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, []string{
		"GET /a [response-property-type-changed] the `id` changed",
		"GET /b [response-property-type-changed] the `id` changed",
	}, got[0].changes)
	assert.Equal(t, "the live API sends text and the older Swagger says so", got[0].reason)
	assert.Equal(t, "tallyfy/documentation@5e9c7201054b", got[0].source)
	assert.Equal(t, []string{"GET /c [x] y"}, got[1].changes)
}

func TestParseDecisionsRejectsIncompleteEntries(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{name: "no reason", in: "- change: GET /a [x] y\n  source: s\n", wantErr: "line 1: entry has no reason"},
		{name: "no source", in: "- change: GET /a [x] y\n  reason: r\n", wantErr: "line 1: entry has no source"},
		{name: "no change", in: "- reason: r\n  source: s\n", wantErr: "line 1: entry has no change"},
		{name: "text outside an entry", in: "change: GET /a\n", wantErr: "line 1: want an entry"},
		{name: "unknown key", in: "- change: GET /a [x] y\n  why: r\n", wantErr: "line 2: want change:, reason: or source:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseDecisions(strings.NewReader(tc.in))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}
