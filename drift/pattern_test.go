package drift_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tallyfy-go/tallyfy/drift"
)

func TestPointerPatternReplacesArrayIndexes(t *testing.T) {
	tests := []struct {
		pointer, want string
	}{
		{pointer: "", want: ""},
		{pointer: "/meta/pagination/count", want: "/meta/pagination/count"},
		{pointer: "/data/0/brand_new", want: "/data/*/brand_new"},
		{pointer: "/data/41/form_fields/data/7/value", want: "/data/*/form_fields/data/*/value"},
		{pointer: "/data/3/owners/users/12", want: "/data/*/owners/users/*"},
		{pointer: "/data/007/x", want: "/data/007/x"}, // a leading zero is an object key, not an index
		{pointer: "/data/1a/x", want: "/data/1a/x"},   // not all digits
		{pointer: "/taskdata/123abc/0", want: "/taskdata/123abc/*"},
		{pointer: "/data//x", want: "/data//x"}, // an empty token stays
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, drift.PointerPattern(tc.pointer), "pointer %q", tc.pointer)
	}
}
