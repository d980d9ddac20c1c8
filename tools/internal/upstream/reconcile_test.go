package upstream_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/tools/internal/upstream"
)

func TestParseReconciliationRejectsBadEntries(t *testing.T) {
	cases := []struct {
		name, yaml, wantErr string
	}{
		{"unknown field", "differences:\n  - key: a\n    upstream: x\n    ours: y\n    reason: r\n    source: s\n    why: w\n", "field why not found"},
		{"listed twice", "differences:\n  - {key: a, upstream: x, ours: y, reason: r, source: s}\n  - {key: a, upstream: x, ours: y, reason: r, source: s}\n", "a is listed twice"},
		{"no reason", "differences:\n  - {key: a, upstream: x, ours: y, source: s}\n", "a: reason and source are required"},
		{"no source", "differences:\n  - {key: a, upstream: x, ours: y, reason: r}\n", "a: reason and source are required"},
		{"no sides", "differences:\n  - {key: a, reason: r, source: s}\n", "a: upstream and ours are required"},
		{"no key", "differences:\n  - {upstream: x, ours: y, reason: r, source: s}\n", "entry 1 has no key"},
		{"not YAML", "differences: [", "reconciliation:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := upstream.ParseReconciliation([]byte(tc.yaml))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}

func TestCheck(t *testing.T) {
	rec, err := upstream.ParseReconciliation([]byte(`differences:
  - {key: "T(T)/properties/id/type", upstream: string, ours: integer, reason: r, source: s}
  - {key: "T(T)/properties/gone", upstream: boolean, ours: absent, reason: r, source: s}
`))
	require.NoError(t, err)
	listed := upstream.Difference{Key: "T(T)/properties/id/type", Upstream: "string", Ours: "integer"}
	cases := []struct {
		name     string
		diffs    []upstream.Difference
		wantKeys []string
		wantMsgs []string
	}{
		{
			name:  "every difference listed, no entry stale",
			diffs: []upstream.Difference{listed, {Key: "T(T)/properties/gone", Upstream: "boolean", Ours: "absent"}},
		},
		{
			name:     "an unlisted difference, and the entry it left stale",
			diffs:    []upstream.Difference{listed, {Key: "T(T)/properties/new", Upstream: "string", Ours: "absent"}},
			wantKeys: []string{"T(T)/properties/gone", "T(T)/properties/new"},
			wantMsgs: []string{"stale entry", "- key: T(T)/properties/new\n    upstream: string\n    ours: absent\n    reason: ...\n    source: ..."},
		},
		{
			name: "a listed difference that changed",
			diffs: []upstream.Difference{
				{Key: "T(T)/properties/id/type", Upstream: "string", Ours: "number"},
				{Key: "T(T)/properties/gone", Upstream: "boolean", Ours: "absent"},
			},
			wantKeys: []string{"T(T)/properties/id/type"},
			wantMsgs: []string{`the difference is now upstream "string", ours "number"`},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			problems := rec.Check(tc.diffs)
			require.Len(t, problems, len(tc.wantKeys), "problems: %v", problems)
			for i, p := range problems {
				assert.Equal(t, tc.wantKeys[i], p.Key)
				assert.Contains(t, p.Message, tc.wantMsgs[i])
			}
			if len(problems) == 0 {
				assert.NoError(t, upstream.Err(problems))
			} else {
				assert.ErrorContains(t, upstream.Err(problems), tc.wantKeys[0])
			}
		})
	}
}

// An observed entry holds a fact that openapi.yaml gained from what the
// drift check saw: it must be an addition (ours has it, the Swagger lacks
// it), as its sides say.
func TestCheckObserved(t *testing.T) {
	rec, err := upstream.ParseReconciliation([]byte(`differences: []
observed:
  - {key: "T(T)/properties/priority", upstream: absent, ours: integer, reason: r, source: "observed in a.json, 2025-06-02"}
  - {key: "T(T)/properties/status/enum/paused", upstream: absent, ours: lists it, reason: r, source: "observed in a.json, 2025-06-02"}
`))
	require.NoError(t, err)
	priority := upstream.Difference{Key: "T(T)/properties/priority", Upstream: "absent", Ours: "integer"}
	paused := upstream.Difference{Key: "T(T)/properties/status/enum/paused", Upstream: "absent", Ours: "lists it"}
	other := upstream.Difference{Key: "T(T)/properties/other", Upstream: "absent", Ours: "string"}
	assert.Empty(t, rec.CheckObserved([]upstream.Difference{other, paused, priority}), "an addition need not be listed")

	problems := rec.CheckObserved([]upstream.Difference{{Key: priority.Key, Upstream: "absent", Ours: "number"}})
	require.Len(t, problems, 2)
	assert.Equal(t, priority.Key, problems[0].Key)
	assert.Contains(t, problems[0].Message, `it is now upstream "absent", ours "number": review the entry`)
	assert.Equal(t, paused.Key, problems[1].Key)
	assert.Contains(t, problems[1].Message, "stale observed entry")

	_, err = upstream.ParseReconciliation([]byte(`differences:
  - {key: a, upstream: x, ours: y, reason: r, source: s}
observed:
  - {key: a, upstream: absent, ours: y, reason: r, source: s}
`))
	assert.ErrorContains(t, err, "a is listed twice")
}
