package jsonptr

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEscape(t *testing.T) {
	cases := []struct{ in, want string }{
		{"title", "title"},
		{"", ""},
		{"a/b", "a~1b"},
		{"c~d", "c~0d"},
		{"~1", "~01"}, // a literal "~1" is not a slash
		{"/~", "~1~0"},
		{"~/", "~0~1"},
		{"ünï/cødé", "ünï~1cødé"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, Escape(tc.in), "%q", tc.in)
	}
}

func TestJoin(t *testing.T) {
	cases := []struct {
		tokens []string
		want   string
	}{
		{nil, ""},
		{[]string{""}, "/"},
		{[]string{"data", "0", "title"}, "/data/0/title"},
		{[]string{"a/b", "c~d"}, "/a~1b/c~0d"},
		{[]string{"data", "", "x"}, "/data//x"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, Join(tc.tokens...), "%q", tc.tokens)
	}
}

func TestAppend(t *testing.T) {
	cases := []struct{ ptr, token, want string }{
		{"", "data", "/data"},
		{"/data/3", "run", "/data/3/run"},
		{"/taskdata", "a/b~c", "/taskdata/a~1b~0c"},
		{"/x", "", "/x/"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, Append(tc.ptr, tc.token))
		assert.Equal(t, tc.want, tc.ptr+Join(tc.token), "Append is Join of one more token")
	}
}
