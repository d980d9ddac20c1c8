package contracttest_test

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tallyfy-go/tallyfy/drift"
)

// TestRecordingsConformToTheSpec holds every embedded recording against the
// spec with the strict validator, the one CI runs: a recording is what we
// claim the API sends, so it must give no finding at all, not even a
// warning for a field the spec does not list. When recordings do not
// conform, one failure lists the findings grouped by operation, rule and
// pointer pattern, with the recordings of each group: a field dropped from
// the spec is one line, not a failure per recording. Either the spec or the
// recording is wrong, and the lines say exactly where.
func TestRecordingsConformToTheSpec(t *testing.T) {
	v := strictValidator(t)
	recs := embeddedRecordings(t)
	findings := make([][]drift.Finding, len(recs))
	var wg sync.WaitGroup
	for i, rec := range recs {
		// One shared Validator, checked concurrently, as callers use it.
		wg.Go(func() { findings[i] = v.Check(t.Context(), drift.FromRecording(rec)) })
	}
	wg.Wait()

	type group struct {
		count      int
		recordings []string
		example    string
	}
	groups := map[drift.GroupKey]*group{}
	for i, rec := range recs {
		for _, f := range findings[i] {
			k := drift.GroupKeyOf(f, "")
			g := groups[k]
			if g == nil {
				g = &group{example: fmt.Sprintf("%s in %s: %s", f.Pointer, rec.Name, f.Message)}
				groups[k] = g
			}
			g.count++
			if !slices.Contains(g.recordings, rec.Name) {
				g.recordings = append(g.recordings, rec.Name)
			}
		}
	}
	if len(groups) == 0 {
		return
	}
	keys := slices.SortedFunc(maps.Keys(groups), func(a, b drift.GroupKey) int {
		return cmp.Or(strings.Compare(a.Operation, b.Operation), strings.Compare(a.Rule, b.Rule), strings.Compare(a.Pattern, b.Pattern))
	})
	var b strings.Builder
	for _, k := range keys {
		g := groups[k]
		fmt.Fprintf(&b, "  %s %s %s: %d finding(s) in %d recording(s) (%s)\n    first %s\n",
			k.Operation, k.Rule, k.Pattern, g.count, len(g.recordings), strings.Join(g.recordings, ", "), g.example)
	}
	t.Errorf("the recordings do not conform to openapi.yaml; the findings, grouped by operation, rule and pointer pattern:\n%s\n"+
		"A recording is what Tallyfy sends (its provenance says from where), so the spec or the recording is wrong.\n"+
		"If the spec is, change openapi.yaml: a field the recordings show needs its property, a value its type or enum\n"+
		"(README, \"Changing the spec and regenerating\"). If a recording is, fix it from its source. Then run\n"+
		"go test ./contract_test -run TestRecordingsConformToTheSpec", b.String())
}
