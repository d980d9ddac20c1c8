package drift

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScanListLayout(t *testing.T) {
	cases := []struct {
		body  string
		items []string // nil with ok false
		ok    bool
	}{
		{`{"data":[]}`, nil, true},
		{` { "meta" : {"a":[1,"]"]}, "data" : [ {"x":"}{\"["} , [1,2] ,3, "s", null ] } `, []string{`{"x":"}{\"["}`, `[1,2]`, `3`, `"s"`, `null`}, true},
		{`{"data":[{"a":1}],"meta":{"pagination":{}}}`, []string{`{"a":1}`}, true},
		{`{}`, nil, false},
		{`[]`, nil, false},
		{`{"meta":{}}`, nil, false},
		{`{"data":{}}`, nil, false},
		{`{"data":[1],"data":[2]}`, nil, false},
		{`{"d\u0061ta":[1]}`, nil, false},
		{`{"data":[1,]}`, nil, false},
		{`{"data":[1 2]}`, nil, false},
		{`{"data":[{"a":1}]`, nil, false},
		{`{"data":[{"a":1}]} x`, nil, false},
		{`{"data":[{"a":"unterminated}]}`, nil, false},
		{`{"data" [1]}`, nil, false},
		{`{"meta":{},}`, nil, false},
		{``, nil, false},
	}
	for _, tc := range cases {
		lay, ok := scanListLayout([]byte(tc.body))
		require.Equal(t, tc.ok, ok, "%q", tc.body)
		if !ok {
			continue
		}
		var got []string
		for _, item := range lay.items {
			got = append(got, string(item))
		}
		assert.Equal(t, tc.items, got, tc.body)
		assert.Equal(t, byte('['), tc.body[lay.dataStart])
		assert.Equal(t, byte(']'), tc.body[lay.dataEnd-1])
	}
}

// An item that is not JSON makes the list check fall back to the whole
// body, which reports it as invalid JSON, as it would without the split.
func TestAMalformedItemIsInvalidJSON(t *testing.T) {
	v, err := NewValidator()
	require.NoError(t, err)
	body := listOf(20, func(i int, s string) string {
		if i == 7 {
			return `{"id":tru}`
		}
		return s
	})
	got := v.Check(context.Background(), Exchange{Method: "GET", URL: "https://go.tallyfy.com/api/organizations/5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c/tasks",
		Status: 200, ResponseHeader: http.Header{"Content-Type": {"application/json"}}, Body: []byte(body)})
	require.Len(t, got, 1)
	assert.Equal(t, RuleInvalidJSON, got[0].Rule)
	assert.Contains(t, got[0].Message, "at byte")
}
