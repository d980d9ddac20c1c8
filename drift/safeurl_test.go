package drift

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSafeURL(t *testing.T) {
	cases := []struct{ in, want string }{
		{"https://go.tallyfy.com/api/organizations/o/tasks?page=2", "https://go.tallyfy.com/api/organizations/o/tasks?page=2"},
		{"https://go.tallyfy.com/api/x?access_token=abc&page=2", "https://go.tallyfy.com/api/x?page=2"},
		{"https://go.tallyfy.com/api/x?page=2&token=abc&with=step,run&api_key=k", "https://go.tallyfy.com/api/x?page=2&with=step,run"},
		{"https://go.tallyfy.com/api/x?Access_Token=abc&ACCESS%5FTOKEN=def", "https://go.tallyfy.com/api/x"},
		{"https://go.tallyfy.com/api/x?token", "https://go.tallyfy.com/api/x"},
		{"https://ada:secret@go.tallyfy.com/api/x#frag", "https://go.tallyfy.com/api/x"},
		{"http://127.0.0.1:1234/custom/prefix/x?q=a%20b&tokens=1", "http://127.0.0.1:1234/custom/prefix/x?q=a%20b&tokens=1"},
		{"http://[::1]:namedport/x?token=abc", "(unparsable URL)"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got := safeURL(tc.in)
			assert.Equal(t, tc.want, got)
			assert.NotContains(t, got, "secret")
			assert.NotContains(t, got, "abc")
		})
	}
}
