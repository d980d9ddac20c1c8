package retrystatus

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestStatuses(t *testing.T) {
	cases := []struct {
		code               int
		retried, transient bool
	}{
		{200, false, false},
		{304, false, false},
		{400, false, false},
		{401, false, false},
		{404, false, false},
		{408, false, false},
		{422, false, false},
		{429, true, false},
		{500, false, false},
		{501, false, false},
		{502, true, true},
		{503, true, true},
		{504, true, true},
		{505, false, false},
		{0, false, false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.retried, Retryable(tc.code), "Retryable(%d)", tc.code)
		assert.Equal(t, tc.transient, Transient(tc.code), "Transient(%d)", tc.code)
	}
}
