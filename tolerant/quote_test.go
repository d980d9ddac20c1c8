package tolerant

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestQuotePrefix(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want string
	}{
		{"short, as is", `"abc"`, `"abc"`},
		{"exactly the limit", `"0123456789012"`, `"0123456789012"`},
		{"cut to the limit, marker included", `"01234567890123456789012345"`, `"01234567890…`},
		{"cut at a rune boundary", `"0123456789€x"`, `"0123456789…`},
		{"control characters and bad UTF-8 masked", "\"a\x01b\xffc\"", `"a?b?c"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, quotePrefix([]byte(tc.in)))
		})
	}
}
