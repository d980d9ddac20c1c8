package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/internal/redact"
)

// The Markdown report shows the spec changes a check proposed in a folded
// block: each overlay action's target and summary, and the command that
// applies them; text from the body (a field name, an enum value) is shown
// as code, so it can neither format the page nor end a table cell.
func TestMarkdownShowsTheSuggestedActionsFolded(t *testing.T) {
	r := sample()
	r.Suggested = &Suggested{File: "drift.overlay.yaml", Actions: []drift.SuggestedAction{
		{Kind: drift.SuggestField, Target: "$.components.schemas.Task.properties", Summary: `add field "priority" to Task (integer, nullable)`},
		{Kind: drift.SuggestEnumValue, Target: "$.components.schemas.TaskStatus.enum", Summary: "append \"<b>|x\u202e\" to the enum of TaskStatus"},
	}}
	var b bytes.Buffer
	require.NoError(t, WriteMarkdown(&b, r))
	md := b.String()
	assert.Contains(t, md, "\n<details><summary>Proposed spec changes: 2 overlay actions in `drift.overlay.yaml`</summary>\n\n| target | change |\n|---|---|\n"+
		"| `$.components.schemas.Task.properties` | `add field \"priority\" to Task (integer, nullable)` |\n"+
		"| `$.components.schemas.TaskStatus.enum` | `append \"<b>\\|x\\u202e\" to the enum of TaskStatus` |\n"+
		"\nReview the overlay, then fold it into openapi.yaml: `make apply-overlay OVERLAY=drift.overlay.yaml`.\n\n</details>\n")
	assert.Less(t, strings.Index(md, "Proposed spec changes"), strings.Index(md, "planned checks</summary>"), "before the list of every check")

	r.Suggested = nil
	b.Reset()
	require.NoError(t, WriteMarkdown(&b, r))
	assert.NotContains(t, b.String(), "Proposed spec changes", "no block without a suggestion")
}

// A long suggestion is cut at MaxGroupsShown actions, with a note.
func TestMarkdownCutsALongSuggestion(t *testing.T) {
	r := sample()
	r.Suggested = &Suggested{File: "o.yaml"}
	for i := range MaxGroupsShown + 3 {
		r.Suggested.Actions = append(r.Suggested.Actions, drift.SuggestedAction{Target: fmt.Sprintf("$.x%d", i), Summary: "s"})
	}
	var b bytes.Buffer
	require.NoError(t, WriteMarkdown(&b, r))
	assert.Contains(t, b.String(), fmt.Sprintf("`$.x%d`", MaxGroupsShown-1))
	assert.NotContains(t, b.String(), fmt.Sprintf("`$.x%d`", MaxGroupsShown))
	assert.Contains(t, b.String(), "… 3 more actions (the overlay lists every one).")
}

// Scrubbing a report removes the token from the suggested actions too.
func TestScrubbedRemovesTheTokenFromTheSuggestion(t *testing.T) {
	const token = "tok-0123456789abcdef-secret"
	r := sample()
	r.Suggested = &Suggested{File: "o.yaml", Actions: []drift.SuggestedAction{{Target: "$.a", Summary: "append \"" + token + "\""}}}
	out := r.Scrubbed(redact.New(token))
	assert.Equal(t, "append \"[redacted]\"", out.Suggested.Actions[0].Summary)
	assert.Contains(t, r.Suggested.Actions[0].Summary, token, "the original is not changed")
}
