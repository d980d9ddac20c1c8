package contracttest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tallyfy-go/tallyfy/drift"
)

// TestRecordingsConformToTheSpec holds every embedded recording against the
// spec with the strict validator, the one CI runs: a recording is what we
// claim the API sends, so it must give no finding at all, not even a
// warning for a field the spec does not list. When one fails, either the
// spec or the recording is wrong, and the lines say exactly where.
func TestRecordingsConformToTheSpec(t *testing.T) {
	v := strictValidator(t)
	for _, rec := range embeddedRecordings(t) {
		t.Run(rec.Name, func(t *testing.T) {
			t.Parallel() // one shared Validator, checked concurrently, as callers use it
			findings := v.Check(t.Context(), drift.FromRecording(rec))
			assert.Empty(t, findings, "%s does not conform; findings (pointer: rule: message):\n%s",
				rec.Name, findingLines(findings))
		})
	}
}
