package roundtrip

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLost(t *testing.T) {
	cases := []struct {
		name      string
		original  string
		reencoded string
		want      []string
	}{
		{"identical", `{"a":1,"b":[true,"x"]}`, `{"b":[true,"x"],"a":1}`, nil},
		{"null comes back absent", `{"a":null,"b":1}`, `{"b":1}`, nil},
		{"same instant, other spelling", `{"t":"2025-05-21T10:15:00.000Z"}`, `{"t":"2025-05-21T10:15:00Z"}`, nil},
		{"same number, other spelling", `{"n":25.0}`, `{"n":25}`, nil},
		{"undeclared field dropped", `{"data":[{"id":"x","new_field":3}]}`, `{"data":[{"id":"x"}]}`, []string{"/data/0/new_field: missing"}},
		{"value changed", `{"a":"x"}`, `{"a":"y"}`, []string{"/a: changed"}},
		{"array shortened", `{"a":[1,2]}`, `{"a":[1]}`, []string{"/a: changed"}},
		{"type changed", `{"a":{"b":1}}`, `{"a":[]}`, []string{"/a: changed"}},
		{"key with slash", `{"a/b":1}`, `{}`, []string{"/a~1b: missing"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			diffs, err := Lost([]byte(tc.original), []byte(tc.reencoded))
			require.NoError(t, err)
			var got []string
			for _, d := range diffs {
				got = append(got, d.String())
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestLostRejectsInvalidJSON(t *testing.T) {
	_, err := Lost([]byte(`{"a":`), []byte(`{}`))
	assert.ErrorContains(t, err, "original")
}
