package mediatype

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIsJSON(t *testing.T) {
	cases := []struct {
		ct   string
		want bool
	}{
		{"application/json", true},
		{"application/json; charset=utf-8", true},
		{"Application/JSON ; Charset=UTF-8", true},
		{"  application/json  ", true},
		{"application/problem+json", true},
		{"application/vnd.api+json; charset=utf-8", true},
		{"application/json; charset", true}, // a broken parameter; the type is JSON
		{"", false},
		{"text/html", false},
		{"text/plain; charset=utf-8", false},
		{"json", false},
		{"application/", false},
		{"/json", false},
		{"application/+json", false},
		{"application/jsonp", false},
		{"application/json-seq", false},
		{"application/x-json-stream", false},
		{"application/ json", false},
		{"text/html; note=application/json", false},
		{"application/json, text/html", false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, IsJSON(tc.ct), "%q", tc.ct)
	}
}
