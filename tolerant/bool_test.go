package tolerant_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/tolerant"
)

func TestBoolAcceptsBooleansAndZeroOrOne(t *testing.T) {
	cases := []struct {
		json    string
		want    bool
		numeric bool
	}{
		{`true`, true, false},
		{`false`, false, false},
		{`1`, true, true},
		{`0`, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.json, func(t *testing.T) {
			var b tolerant.Bool
			require.NoError(t, json.Unmarshal([]byte(tc.json), &b))
			assert.Equal(t, tc.want, b.Bool)
			assert.Equal(t, tc.numeric, b.IsNumeric())
			again, err := json.Marshal(b)
			require.NoError(t, err)
			assert.Equal(t, tc.json, string(again), "re-encodes in the shape it came in")
		})
	}
}

func TestBoolRejectsUndocumentedShapes(t *testing.T) {
	for _, in := range []string{`"1"`, `"0"`, `"true"`, `2`, `-1`, `1.0`, `{}`, `[]`} {
		t.Run(in, func(t *testing.T) {
			b := tolerant.NewBool(true)
			err := json.Unmarshal([]byte(in), &b)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "tolerant: bool: want true, false, 0 or 1, got ")
			assert.Equal(t, tolerant.NewBool(true), b, "a rejected value changes nothing")
		})
	}
}

func TestBoolNullAndChanges(t *testing.T) {
	var field struct {
		Ptr *tolerant.Bool `json:"ptr"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"ptr":null}`), &field))
	assert.Nil(t, field.Ptr)

	var b tolerant.Bool
	require.NoError(t, json.Unmarshal([]byte(`0`), &b))
	b.Bool = true
	again, err := json.Marshal(b)
	require.NoError(t, err)
	assert.Equal(t, `1`, string(again), "a changed value keeps the numeric shape")

	built, err := json.Marshal(tolerant.NewBool(false))
	require.NoError(t, err)
	assert.Equal(t, `false`, string(built))
}
