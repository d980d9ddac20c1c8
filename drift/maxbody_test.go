package drift_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
)

func TestABodyOverMaxBodyIsALimitFindingNotAPass(t *testing.T) {
	ex := runTasks(t, 200, page(3))
	size := int64(len(ex.Body))
	cases := []struct {
		name    string
		max     int64
		limited bool
	}{
		{"under the limit", size, false},
		{"over the limit", size - 1, true},
		{"the default", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := mustValidator(drift.WithMaxBody(tc.max))
			findings := v.Check(context.Background(), ex)
			if !tc.limited {
				assert.Empty(t, findings)
				return
			}
			require.Len(t, findings, 1)
			assert.Equal(t, drift.RuleLimit, findings[0].Rule)
			assert.Equal(t, drift.SeverityDrift, findings[0].Severity)
			assert.Contains(t, findings[0].Message, "drift.WithMaxBody")
		})
	}
}
