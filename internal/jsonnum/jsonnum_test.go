package jsonnum

import (
	"encoding/json"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecode(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want any
	}{
		{"an object", `{"a":1,"b":[true,null,"x"]}`, map[string]any{"a": json.Number("1"), "b": []any{true, nil, "x"}}},
		{"a big integer keeps its digits", `12345678901234567890123`, json.Number("12345678901234567890123")},
		{"a number as written", `25.0`, json.Number("25.0")},
		{"an exponent as written", `1e400`, json.Number("1e400")},
		{"white space around", " \t\r\n[1] \n", []any{json.Number("1")}},
		{"a string", `"€"`, "€"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decode([]byte(tc.in))
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	cases := []struct {
		name       string
		in         string
		wantIs     error // errors.Is, when set
		wantOffset int64 // the *TrailingDataError's offset, when > 0
		wantSyntax bool  // a *json.SyntaxError
	}{
		{name: "empty", in: "", wantIs: ErrNoValue},
		{name: "only white space", in: " \n\t", wantIs: ErrNoValue},
		{name: "a second value", in: `{"a":1} {"b":2}`, wantOffset: 8},
		{name: "a stray bracket", in: `{"a":1}]`, wantOffset: 7},
		{name: "garbage after white space", in: "[1]\n\nxyz", wantOffset: 5},
		{name: "a value cut short", in: `{"a":`, wantIs: io.ErrUnexpectedEOF},
		{name: "not JSON", in: `<html>`, wantSyntax: true},
		{name: "white space, then not JSON", in: "  <html>", wantSyntax: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decode([]byte(tc.in))
			require.Error(t, err)
			assert.Nil(t, got)
			if tc.wantIs != nil {
				assert.ErrorIs(t, err, tc.wantIs)
			}
			var trailing *TrailingDataError
			if tc.wantOffset > 0 {
				require.ErrorAs(t, err, &trailing)
				assert.Equal(t, tc.wantOffset, trailing.Offset)
			} else {
				assert.NotErrorAs(t, err, &trailing)
			}
			var syntax *json.SyntaxError
			if tc.wantSyntax {
				assert.ErrorAs(t, err, &syntax)
			} else {
				assert.NotErrorAs(t, err, &syntax)
			}
		})
	}
}
