package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// decision is one entry of an accepted-breaks file: one or more breaking
// changes (of the spec, as specChange.key writes them; of the Go API, as
// apidiff writes them), why they were accepted, and where that is written
// down.
type decision struct {
	line    int      // where the entry starts, for messages
	changes []string // normalised change keys
	reason  string
	source  string
}

// parseDecisions reads an accepted-breaks file (release/accepted-breaking.txt
// for the spec, release/accepted-api-breaks.txt for the Go API). Its format,
// kept simple enough to review in a diff:
//
//	# a comment
//	- change: GET /organizations/{org_id}/tasks [response-property-type-changed] the ...
//	  change: GET /organizations/{org_id}/runs/{run_id}/tasks [response-property-type-changed] the ...
//	  reason: why users are better off with the change
//	  source: where the fact comes from
//
// A line indented deeper than its key continues that key's value.
func parseDecisions(r io.Reader) ([]decision, error) {
	var (
		out  []decision
		cur  *decision
		last *string // the value a continuation line extends
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		raw := sc.Text()
		trimmed := strings.TrimSpace(raw)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			last = nil
			continue
		}
		if strings.HasPrefix(trimmed, "- ") {
			out = append(out, decision{line: n})
			cur = &out[len(out)-1]
			trimmed = strings.TrimSpace(strings.TrimPrefix(trimmed, "- "))
		} else if cur == nil {
			return nil, fmt.Errorf("line %d: want an entry starting with \"- change:\"", n)
		}
		key, value, ok := strings.Cut(trimmed, ":")
		switch {
		case ok && key == "change":
			cur.changes = append(cur.changes, normalizeSpace(value))
			last = &cur.changes[len(cur.changes)-1]
		case ok && key == "reason":
			cur.reason = strings.TrimSpace(value)
			last = &cur.reason
		case ok && key == "source":
			cur.source = strings.TrimSpace(value)
			last = &cur.source
		case last != nil && strings.HasPrefix(raw, "    "):
			*last = normalizeSpace(*last + " " + trimmed)
		default:
			return nil, fmt.Errorf("line %d: want change:, reason: or source:, got %s", n, textcut.Quote(trimmed, 60))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, d := range out {
		switch {
		case len(d.changes) == 0:
			return nil, fmt.Errorf("line %d: entry has no change:", d.line)
		case d.reason == "":
			return nil, fmt.Errorf("line %d: entry has no reason: (say why users are better off)", d.line)
		case d.source == "":
			return nil, fmt.Errorf("line %d: entry has no source: (say where the fact comes from)", d.line)
		}
	}
	return out, nil
}

// readDecisions reads and parses an accepted-breaks file.
func readDecisions(path string) ([]decision, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("accepted breaking changes: %w", err)
	}
	defer f.Close()
	decisions, err := parseDecisions(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return decisions, nil
}

// normalizeSpace trims s and folds every run of white space into one space,
// so that a change wrapped over lines matches the one-line key.
func normalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
