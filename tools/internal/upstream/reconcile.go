package upstream

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Entry is one reviewed difference between openapi.yaml and Tallyfy's
// Swagger, kept on purpose.
type Entry struct {
	Key      string `yaml:"key"`      // as Difference.Key
	Upstream string `yaml:"upstream"` // as Difference.Upstream
	Ours     string `yaml:"ours"`     // as Difference.Ours
	Reason   string `yaml:"reason"`   // why openapi.yaml differs
	Source   string `yaml:"source"`   // what the choice rests on
}

// Reconciliation is the reviewed list of differences (upstream/reconciliation.yaml).
type Reconciliation struct {
	Differences []Entry `yaml:"differences"` // one entry per reviewed difference
	// Observed lists facts openapi.yaml has and Tallyfy's Swagger lacks
	// (Additions) that were added because the drift check saw the API send
	// them: `make apply-overlay` appends one entry per field or enum value
	// it adds, whose source names the check or recording and the date.
	Observed []Entry `yaml:"observed,omitempty"`
}

// ParseReconciliation reads a reconciliation file. Unknown keys, a
// duplicate key, or an entry without reason or source are errors.
func ParseReconciliation(data []byte) (*Reconciliation, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var r Reconciliation
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("reconciliation: %w", err)
	}
	var problems []string
	seen := map[string]bool{}
	for i, e := range append(slices.Clone(r.Differences), r.Observed...) {
		switch {
		case strings.TrimSpace(e.Key) == "":
			problems = append(problems, fmt.Sprintf("entry %d has no key", i+1))
		case seen[e.Key]:
			problems = append(problems, fmt.Sprintf("%s is listed twice", e.Key))
		}
		seen[e.Key] = true
		if strings.TrimSpace(e.Upstream) == "" || strings.TrimSpace(e.Ours) == "" {
			problems = append(problems, fmt.Sprintf("%s: upstream and ours are required", e.Key))
		}
		if strings.TrimSpace(e.Reason) == "" || strings.TrimSpace(e.Source) == "" {
			problems = append(problems, fmt.Sprintf("%s: reason and source are required", e.Key))
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("reconciliation: %s", strings.Join(problems, "; "))
	}
	return &r, nil
}

// CheckObserved holds the observed entries against the additions of
// openapi.yaml (Additions): it returns a problem for each entry whose fact
// openapi.yaml no longer has, or Tallyfy's Swagger now has (a stale
// entry), and for each entry whose ours no longer says what the addition
// says.
func (r *Reconciliation) CheckObserved(additions []Difference) []Problem {
	byKey := make(map[string]Difference, len(additions))
	for _, a := range additions {
		byKey[a.Key] = a
	}
	var problems []Problem
	for _, e := range r.Observed {
		a, ok := byKey[e.Key]
		switch {
		case !ok:
			problems = append(problems, Problem{e.Key,
				"stale observed entry: openapi.yaml no longer has it, or Tallyfy's Swagger now lists it; remove it from upstream/reconciliation.yaml"})
		case e.Upstream != a.Upstream || e.Ours != a.Ours:
			problems = append(problems, Problem{e.Key, fmt.Sprintf(
				"the observed entry says upstream %q, ours %q; it is now upstream %q, ours %q: review the entry",
				e.Upstream, e.Ours, a.Upstream, a.Ours)})
		}
	}
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].Key < problems[j].Key })
	return problems
}

// Problem is a reason the check fails.
type Problem struct {
	Key     string // the key of the difference or entry (see Difference.Key)
	Message string // what is wrong and what to do
}

// String reads "key: message".
func (p Problem) String() string { return p.Key + ": " + p.Message }

// Check holds the differences against the reconciliation. It returns a
// problem for each difference that no entry lists, for each entry whose
// upstream or ours no longer says what the difference says, and for each
// entry whose difference no longer exists (a stale entry). No problems
// means openapi.yaml agrees with the Swagger, but for the reviewed entries.
func (r *Reconciliation) Check(diffs []Difference) []Problem {
	entries := make(map[string]Entry, len(r.Differences))
	for _, e := range r.Differences {
		entries[e.Key] = e
	}
	var problems []Problem
	found := map[string]bool{}
	for _, d := range diffs {
		found[d.Key] = true
		e, ok := entries[d.Key]
		switch {
		case !ok:
			problems = append(problems, Problem{d.Key, fmt.Sprintf(
				"Tallyfy's Swagger says %s, openapi.yaml says %s, and upstream/reconciliation.yaml does not list it. "+
					"Make openapi.yaml agree, or add the entry with its reason and source:\n%s",
				d.Upstream, d.Ours, entrySnippet(d))})
		case e.Upstream != d.Upstream || e.Ours != d.Ours:
			problems = append(problems, Problem{d.Key, fmt.Sprintf(
				"the entry says upstream %q, ours %q; the difference is now upstream %q, ours %q: review the entry",
				e.Upstream, e.Ours, d.Upstream, d.Ours)})
		}
	}
	for _, e := range r.Differences {
		if !found[e.Key] {
			problems = append(problems, Problem{e.Key,
				"stale entry: openapi.yaml and Tallyfy's Swagger no longer differ here; remove it from upstream/reconciliation.yaml"})
		}
	}
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].Key < problems[j].Key })
	return problems
}

// Err joins problems into one error, nil when there are none.
func Err(problems []Problem) error {
	if len(problems) == 0 {
		return nil
	}
	lines := make([]string, 0, len(problems)+1)
	lines = append(lines, fmt.Sprintf("openapi.yaml and Tallyfy's Swagger: %d unreconciled difference(s):", len(problems)))
	for _, p := range problems {
		lines = append(lines, "- "+p.String())
	}
	return errors.New(strings.Join(lines, "\n"))
}

func entrySnippet(d Difference) string {
	return fmt.Sprintf("  - key: %s\n    upstream: %s\n    ours: %s\n    reason: ...\n    source: ...",
		yamlScalar(d.Key), yamlScalar(d.Upstream), yamlScalar(d.Ours))
}

func yamlScalar(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(out), "\n")
}
