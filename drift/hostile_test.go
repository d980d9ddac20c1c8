package drift_test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
)

// Hostile exchanges cost work and memory in proportion to their size, and
// give a bounded list of findings. Allocation is measured, never time.

// allocatedBy returns the findings of checking ex and the bytes the check
// allocated. The test must not run in parallel with others.
func allocatedBy(tb testing.TB, ex drift.Exchange) ([]drift.Finding, uint64) {
	tb.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	findings := validator.Check(context.Background(), ex)
	runtime.ReadMemStats(&after)
	return findings, after.TotalAlloc - before.TotalAlloc
}

// assertBounded checks what every finding of a hostile exchange keeps to.
func assertBounded(t *testing.T, findings []drift.Finding) {
	t.Helper()
	assert.LessOrEqual(t, len(findings), drift.MaxFindings+1)
	for _, f := range findings {
		assert.LessOrEqual(t, len(f.Pointer), 512, "pointer cut, marker included")
		assert.LessOrEqual(t, len(f.Message), 200, "message cut, marker included")
		assert.LessOrEqual(t, len(f.URL), 2048, "URL cut, marker included")
	}
}

func TestCheckHostileURL(t *testing.T) {
	cases := []struct {
		name      string
		url       string
		want      []at
		maxFactor uint64 // bytes allocated per byte of URL, at most
	}{
		{name: "16k slashes", url: prodBase + strings.Repeat("/", 16_000) + runTasksPath,
			want: []at{drifted("", drift.RuleLimit)}, maxFactor: 8},
		{name: "16k slashes, no path after them", url: prodBase + strings.Repeat("/", 16_000),
			want: []at{drifted("", drift.RuleLimit)}, maxFactor: 8},
		{name: "a long query", url: prodBase + runTasksPath + "?" + strings.Repeat("page=1&", 3000),
			want: []at{drifted("", drift.RuleLimit)}, maxFactor: 8},
		// Under the URL limit, routing is linear: a few candidates, whatever
		// the number of segments.
		{name: "8000 slashes, routed", url: prodBase + strings.Repeat("/", 8000) + runTasksPath,
			want: []at{}, maxFactor: 64},
		{name: "4000 segments, no route", url: prodBase + strings.Repeat("/a", 4000),
			want: []at{drifted("", drift.RuleRoute)}, maxFactor: 64},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ex := runTasks(t, http.StatusOK, page(1))
			ex.URL = tc.url
			findings, allocated := allocatedBy(t, ex)
			assert.Equal(t, tc.want, project(findings))
			assertBounded(t, findings)
			// The page's own decoding and validation are a fixed cost.
			const pageCost = 256 << 10
			assert.LessOrEqual(t, allocated, pageCost+tc.maxFactor*uint64(len(tc.url)), "bytes allocated")
		})
	}
}

func TestCheckHugeKeys(t *testing.T) {
	huge := strings.Repeat("k", 300_000)
	cases := []struct {
		name string
		edit func(p map[string]any)
		want []at
	}{
		{name: "an undocumented key of 300 KB", edit: func(p map[string]any) { dataTask(p, 0)[huge] = 1 },
			want: []at{drifted("/data/0/"+strings.Repeat("k", 512-len("/data/0/")-len("…"))+"…", drift.RuleLimit)}},
		{name: "a 300 KB key in an open object", edit: func(p map[string]any) {
			dataTask(p, 1)["taskdata"] = map[string]any{huge: map[string]any{"x": 1}}
		}, want: []at{drifted("/data/1/taskdata/"+strings.Repeat("k", 512-len("/data/1/taskdata/")-len("…"))+"…", drift.RuleLimit)}},
		{name: "many keys of 200 bytes", edit: func(p map[string]any) {
			for i := range 1500 {
				dataTask(p, 1)[fmt.Sprintf("%s%04d", strings.Repeat("x", 196), i)] = i
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := page(2)
			tc.edit(p)
			ex := runTasks(t, http.StatusOK, p)
			findings, allocated := allocatedBy(t, ex)
			if tc.want != nil {
				assert.Equal(t, tc.want, project(findings))
			} else {
				require.Len(t, findings, drift.MaxFindings+1)
				assert.Equal(t, 1500-drift.MaxFindings, drift.OmittedFindings(findings))
				assert.Equal(t, drift.SeverityWarning, findings[drift.MaxFindings].Severity, "the omitted findings are warnings")
			}
			assertBounded(t, findings)
			assert.LessOrEqual(t, allocated, 16*uint64(len(ex.Body)), "bytes allocated")
		})
	}
}

// A body of 24 KB of empty tasks: each task misses every required field,
// so that the findings are many times MaxFindings. The findings listed
// stop at MaxFindings; the rest are counted, exactly, and memory grows
// with the body, not with the findings. (Past a few thousand tasks a
// bigger body proves nothing more: the cost per byte is flat.)
func TestCheckHostileEmptyTasks(t *testing.T) {
	perTask := len(validator.Check(context.Background(), runTasks(t, http.StatusOK, map[string]any{"data": []any{map[string]any{}}}))) - 1
	require.Positive(t, perTask, "an empty task has findings (besides the missing meta)")

	body := func(tasks int) []byte {
		return []byte(`{"data":[` + strings.Repeat(`{},`, tasks-1) + `{}]}`)
	}
	const tasks = 8_000
	require.Greater(t, tasks*perTask, 8*drift.MaxFindings, "the findings are many times the cap")
	ex := runTasks(t, http.StatusOK, nil)
	ex.Body = body(tasks)
	findings, allocated := allocatedBy(t, ex)

	require.Len(t, findings, drift.MaxFindings+1)
	assertBounded(t, findings)
	last := findings[drift.MaxFindings]
	assert.Equal(t, drift.RuleFindingsOmitted, last.Rule)
	assert.Equal(t, drift.SeverityDrift, last.Severity)
	all := tasks*perTask + 1 // and the missing meta
	assert.Equal(t, all-drift.MaxFindings, drift.OmittedFindings(findings))
	assert.Contains(t, last.Message, fmt.Sprint(all-drift.MaxFindings))
	assert.Contains(t, pointers(findings), "/meta", "the envelope is checked first, so its findings are listed")
	assert.Contains(t, pointers(findings), "/data/0/title", "the first items are listed")

	// Linear: half the body costs about half as much. Counting a finding
	// past the cap costs kin-openapi's error value, not a listed finding.
	ex.Body = body(tasks / 2)
	_, half := allocatedBy(t, ex)
	assert.Less(t, allocated, 3*half, "allocation grows linearly with the body")
	assert.Less(t, allocated, 2000*uint64(len(body(tasks))), "bytes allocated per byte of body")
}
