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

func TestSplit(t *testing.T) {
	cases := []struct {
		ptr    string
		tokens []string
		ok     bool
	}{
		{"", nil, true},
		{"/", []string{""}, true},
		{"/data/0/title", []string{"data", "0", "title"}, true},
		{"/a~1b/c~0d", []string{"a/b", "c~d"}, true},
		{"/~01", []string{"~1"}, true},
		{"/data//x", []string{"data", "", "x"}, true},
		{"data", nil, false},
		{"/a~2", nil, false},
		{"/a~", nil, false},
	}
	for _, tc := range cases {
		tokens, ok := Split(tc.ptr)
		assert.Equal(t, tc.ok, ok, "%q", tc.ptr)
		assert.Equal(t, tc.tokens, tokens, "%q", tc.ptr)
		if tc.ok {
			assert.Equal(t, tc.ptr, Join(tokens...), "Split undoes Join")
		}
	}
}
