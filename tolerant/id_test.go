package tolerant_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/tolerant"
)

func TestIDAcceptsAStringOrAnInteger(t *testing.T) {
	cases := []struct {
		name     string
		json     string
		text     string
		isNumber bool
		again    string // the re-encoding; the input itself when empty
	}{
		{"32 hex characters", `"4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a99"`, "4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a99", false, ""},
		{"a numeric string stays a string", `"4411"`, "4411", false, ""},
		{"an integer", `4411`, "4411", true, ""},
		{"zero", `0`, "0", true, ""},
		{"beyond float64 precision, exactly", `9007199254740993`, "9007199254740993", true, ""},
		{"beyond int64", `123456789012345678901234567890`, "123456789012345678901234567890", true, ""},
		{"empty string", `""`, "", false, ""},
		{"escaped string", `"a\/b"`, "a/b", false, `"a/b"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var id tolerant.ID
			require.NoError(t, json.Unmarshal([]byte(tc.json), &id))
			assert.Equal(t, tc.text, id.String())
			assert.Equal(t, tc.isNumber, id.IsNumber())
			assert.False(t, id.IsZero())

			again, err := id.MarshalJSON()
			require.NoError(t, err)
			want := tc.again
			if want == "" {
				want = tc.json
			}
			assert.Equal(t, want, string(again), "re-encodes in the shape it came in")
		})
	}
}

func TestIDRejectsOtherShapes(t *testing.T) {
	cases := []struct {
		name string
		json string
	}{
		{"a fraction", `44.5`},
		{"an exponent", `4e3`},
		{"a negative number", `-4411`},
		{"true", `true`},
		{"an object", `{"id":4411}`},
		{"an array", `["4411"]`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var id tolerant.ID
			err := json.Unmarshal([]byte(tc.json), &id)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "tolerant: id: want a string or an unsigned integer, got ")
			assert.True(t, id.IsZero(), "a rejected value leaves the ID unset")
		})
	}
}

func TestIDErrorQuotesOnlyAPrefix(t *testing.T) {
	var id tolerant.ID
	err := json.Unmarshal([]byte(`{"k":"`+strings.Repeat("y", 40)+`SECRET"}`), &id)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "SECRET")
}

func TestIDNullAndZero(t *testing.T) {
	var field struct {
		Ptr *tolerant.ID `json:"ptr"`
		Val tolerant.ID  `json:"val"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"ptr":null,"val":null}`), &field))
	assert.Nil(t, field.Ptr)
	assert.True(t, field.Val.IsZero())
	again, err := json.Marshal(field)
	require.NoError(t, err)
	assert.JSONEq(t, `{"ptr":null,"val":null}`, string(again), "the zero ID encodes as null")
}

func TestNewIDEncodesAsAString(t *testing.T) {
	b, err := json.Marshal(tolerant.NewID("4411"))
	require.NoError(t, err)
	assert.Equal(t, `"4411"`, string(b))
	assert.Equal(t, tolerant.NewID("x"), tolerant.NewID("x"), "IDs compare with ==")
}
