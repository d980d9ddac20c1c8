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
		{"same number, exponent", `{"n":[2.5e1,2500E-2,0.25e+2]}`, `{"n":[25,25,25]}`, nil},
		{"zero in every spelling", `{"n":[-0,0.0,0e9,-0.000]}`, `{"n":[0,0,0,0]}`, nil},
		{"an integer past float64's precision", `{"n":9007199254740993}`, `{"n":9007199254740992}`, []string{"/n: changed"}},
		{"a fraction past float64's precision", `{"n":0.10000000000000000001}`, `{"n":0.1}`, []string{"/n: changed"}},
		{"a sign lost", `{"n":-5}`, `{"n":5}`, []string{"/n: changed"}},
		{"a power of ten lost", `{"n":1e300}`, `{"n":1e30}`, []string{"/n: changed"}},
		{"huge exponents compare as written", `{"n":[1e999999999999999999,1e999999999999999999]}`, `{"n":[1e999999999999999999,2e999999999999999999]}`, []string{"/n/1: changed"}},
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
	cases := []struct {
		name                string
		original, reencoded string
		says                string
	}{
		{"original cut short", `{"a":`, `{}`, "original"},
		{"data after the original", `{"a":1} {"b":2}`, `{"a":1}`, "original: data after the JSON value"},
		{"data after the re-encoding", `{"a":1}`, `{"a":1}]`, "re-encoded: data after the JSON value"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Lost([]byte(tc.original), []byte(tc.reencoded))
			assert.ErrorContains(t, err, tc.says)
		})
	}
	_, err := Lost([]byte("{\"a\":1}\n\t "), []byte(`{"a":1}`))
	assert.NoError(t, err, "trailing white space is not data")
}
