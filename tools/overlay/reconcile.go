package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/speakeasy-api/openapi/overlay"
	"gopkg.in/yaml.v3"

	"github.com/tallyfy-go/tallyfy/internal/textcut"
	"github.com/tallyfy-go/tallyfy/tools/internal/upstream"
)

// An overlay that tallyfy-drift --suggest writes carries, on each action,
// the extension x-tallyfy-drift (drift.OverlayExtension): the kind of
// change, the field or enum value, the day of the check and the checks or
// recordings that showed it. The reconciliation entries name those as
// their source. An action without it (an overlay written by hand) is
// named by the overlay's file and the day it was applied.

// overlayExtension is drift.OverlayExtension (tools do not import the
// checks; the round-trip tests hold the two together).
const overlayExtension = "x-tallyfy-drift"

// The kinds of change of drift.SuggestionKind that the reconciliation
// tells apart.
const (
	kindField = "add-field"
	kindEnum  = "add-enum-value"
)

// actionMeta is what an action's extension says.
type actionMeta struct {
	kind     string
	name     string // the field, or the enum value as JSON text
	value    string // the enum value as YAML writes it
	target   string
	observed string // YYYY-MM-DD
	sources  []string
	// adds are the names an update puts in: the keys of a mapping (a new
	// property), the values of a sequence (new enum values).
	adds []string
}

// source is the source of a reconciliation entry: "observed in <sources>,
// <day>".
func (m actionMeta) source() string {
	sources := m.sources
	more := ""
	if len(sources) > 3 {
		sources, more = sources[:3], fmt.Sprintf(" and %d more", len(m.sources)-3)
	}
	return textcut.Line(fmt.Sprintf("observed in %s%s, %s (tallyfy-drift --suggest, make apply-overlay)",
		strings.Join(sources, ", "), more, m.observed), 400)
}

// metadata reads each action's extension; an action without one gets the
// zero actionMeta but for its target.
func metadata(o *overlay.Overlay) []actionMeta {
	out := make([]actionMeta, len(o.Actions))
	for i, a := range o.Actions {
		out[i].target = a.Target
		switch u := a.Update; u.Kind {
		case yaml.MappingNode:
			for j := 0; j+1 < len(u.Content); j += 2 {
				out[i].adds = append(out[i].adds, u.Content[j].Value)
			}
		case yaml.SequenceNode:
			for _, v := range u.Content {
				out[i].adds = append(out[i].adds, v.Value)
			}
		}
		ext, ok := a.Extensions[overlayExtension].(map[string]any)
		if !ok {
			continue
		}
		text := func(k string) string {
			if v, ok := ext[k]; ok && v != nil {
				return fmt.Sprint(v)
			}
			return ""
		}
		out[i].kind, out[i].name, out[i].value, out[i].observed = text("kind"), text("name"), text("value"), text("observed")
		if list, ok := ext["sources"].([]any); ok {
			for _, s := range list {
				out[i].sources = append(out[i].sources, fmt.Sprint(s))
			}
		}
	}
	return out
}

// fallbackSource is the source of an entry no action's extension explains.
func fallbackSource(overlayFile string, today time.Time) actionMeta {
	return actionMeta{sources: []string{"the overlay " + filepath.Base(overlayFile)}, observed: today.UTC().Format(time.DateOnly)}
}

// plan is what the reconciliation needs after the overlay: entries to
// remove (their difference ended or changed), and entries to add.
type plan struct {
	remove   []string
	diffs    []upstream.Entry // differences with the Swagger the overlay made
	observed []upstream.Entry // facts the overlay added that the Swagger lacks
}

// planReconciliation compares openapi.yaml with Tallyfy's Swagger before
// and after the overlay, and plans the entries that keep the
// reconciliation whole.
func planReconciliation(before, after, up *openapi3.T, rec *upstream.Reconciliation, metas []actionMeta, fallback actionMeta) plan {
	var p plan
	listed := func(entries []upstream.Entry, key string) *upstream.Entry {
		i := slices.IndexFunc(entries, func(e upstream.Entry) bool { return e.Key == key })
		if i < 0 {
			return nil
		}
		return &entries[i]
	}
	step := func(was, is []upstream.Difference, entries []upstream.Entry, add *[]upstream.Entry, why func(upstream.Difference) string, wanted func(upstream.Difference) bool) {
		old := map[string]upstream.Difference{}
		for _, d := range was {
			old[d.Key] = d
		}
		now := map[string]bool{}
		for _, d := range is {
			now[d.Key] = true
			prev, existed := old[d.Key]
			if existed && prev == d {
				continue
			}
			e := listed(entries, d.Key)
			if e != nil && e.Upstream == d.Upstream && e.Ours == d.Ours {
				continue // reviewed already
			}
			if e != nil {
				p.remove = append(p.remove, d.Key)
			}
			if !wanted(d) {
				continue
			}
			m := sourceOf(d.Key, metas, fallback)
			reason := why(d)
			if m.kind == "" {
				reason = "openapi.yaml differs here since the overlay named in source was applied: write why, and what it rests on."
			}
			*add = append(*add, upstream.Entry{Key: d.Key, Upstream: d.Upstream, Ours: d.Ours, Reason: reason, Source: m.source()})
		}
		for _, d := range was {
			if !now[d.Key] && listed(entries, d.Key) != nil {
				p.remove = append(p.remove, d.Key)
			}
		}
	}
	step(upstream.Compare(before, up, upstream.Tallyfy), upstream.Compare(after, up, upstream.Tallyfy), rec.Differences, &p.diffs,
		func(d upstream.Difference) string {
			return "The drift check saw the API send values that Tallyfy's Swagger does not allow here (see source); " +
				"openapi.yaml takes them, from the check's suggestion, after review."
		}, func(upstream.Difference) bool { return true })
	step(upstream.Additions(before, up, upstream.Tallyfy), upstream.Additions(after, up, upstream.Tallyfy), rec.Observed, &p.observed,
		func(d upstream.Difference) string {
			what := "this field"
			if strings.Contains(d.Key, "/enum/") {
				what = "this value"
			}
			return "The drift check saw the API send " + what + " (see source), and Tallyfy's Swagger does not list it; " +
				"openapi.yaml gained it from the check's suggestion, after review."
		}, func(d upstream.Difference) bool { return addedByOverlay(d.Key, metas) })
	slices.Sort(p.remove)
	p.remove = slices.Compact(p.remove)
	return p
}

// addedByOverlay reports whether an addition of openapi.yaml (a property
// or enum value only it has) is one the overlay put in, rather than one
// the comparison reaches anew: its name is a key or value an update adds.
// Only those get an observed entry; the others need none.
func addedByOverlay(key string, metas []actionMeta) bool {
	name := key[strings.LastIndex(key, "/")+1:]
	return slices.ContainsFunc(metas, func(m actionMeta) bool { return slices.Contains(m.adds, name) })
}

// sourceOf finds the action a reconciliation key comes from: the field it
// adds, the enum value it appends, or the property it changes (preferring
// an action on the key's schema), else fallback.
func sourceOf(key string, metas []actionMeta, fallback actionMeta) actionMeta {
	schema, _, _ := strings.Cut(key, "(")
	var matches []actionMeta
	for _, m := range metas {
		if m.kind == "" {
			continue
		}
		switch {
		case m.kind == kindEnum && strings.HasSuffix(key, "/enum/"+m.value):
		case m.kind == kindField && strings.HasSuffix(key, "/properties/"+m.name):
		case m.kind != kindEnum && m.name != "" && strings.Contains(key, "/properties/"+m.name+"/"):
		default:
			continue
		}
		matches = append(matches, m)
	}
	if len(matches) == 0 {
		return fallback
	}
	for _, m := range matches {
		if strings.HasPrefix(m.target, "$.components.schemas."+schema+".") {
			return m
		}
	}
	return matches[0]
}

// stillWhole holds the new reconciliation to the differences and additions
// after the overlay: every problem it has, but those it had before the
// overlay, is an error.
func stillWhole(oldData, newData []byte, before, after, up *openapi3.T) error {
	problems := func(data []byte, doc *openapi3.T) ([]upstream.Problem, error) {
		rec, err := upstream.ParseReconciliation(data)
		if err != nil {
			return nil, err
		}
		ps := rec.Check(upstream.Compare(doc, up, upstream.Tallyfy))
		return append(ps, rec.CheckObserved(upstream.Additions(doc, up, upstream.Tallyfy))...), nil
	}
	old, err := problems(oldData, before)
	if err != nil {
		return err
	}
	now, err := problems(newData, after)
	if err != nil {
		return fmt.Errorf("the edited file does not parse: %w", err)
	}
	var added []upstream.Problem
	for _, p := range now {
		if !slices.ContainsFunc(old, func(q upstream.Problem) bool { return q.Key == p.Key }) {
			added = append(added, p)
		}
	}
	return upstream.Err(added)
}

// editReconciliation returns the reconciliation file with p's entries
// removed and added: differences at the end of the differences list,
// observed entries at the end of the observed list (which it starts at the
// end of the file when there is none). Every other line stays as it is.
func editReconciliation(data []byte, p plan) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("not a mapping of lists")
	}
	lines := strings.SplitAfter(string(data), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	drop := map[int]bool{}
	inserts := map[int][]string{} // before line i (len(lines): at the end)
	top := root.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		name, list := top.Content[i].Value, top.Content[i+1]
		var add []upstream.Entry
		switch name {
		case "differences":
			add = p.diffs
		case "observed":
			add = p.observed
		default:
			continue
		}
		if list.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("%s is not a list", name)
		}
		end := top.Content[i].Line // the line after which to add, 1-based
		for _, item := range list.Content {
			first := item.Line - 1
			last := entryEnd(lines, first)
			end = last + 1
			if key := entryKey(item); slices.Contains(p.remove, key) {
				for l := first; l <= last; l++ {
					drop[l] = true
				}
			}
		}
		if len(add) == 0 {
			continue
		}
		if list.Style == yaml.FlowStyle {
			if len(list.Content) > 0 {
				return nil, fmt.Errorf("%s is a flow list: write it as a block list to add to it", name)
			}
			at := top.Content[i].Line - 1
			lines[at] = strings.Replace(lines[at], "[]", "", 1)
			lines[at] = strings.TrimRight(lines[at], " \n") + "\n"
		}
		for _, e := range add {
			inserts[end] = append(inserts[end], entryText(e))
		}
	}
	if len(p.observed) > 0 && !hasKey(top, "observed") {
		block := "\nobserved:\n"
		for _, e := range p.observed {
			block += entryText(e)
		}
		inserts[len(lines)] = append(inserts[len(lines)], block)
	}
	var out strings.Builder
	for i := 0; i <= len(lines); i++ {
		for _, s := range inserts[i] {
			out.WriteString(s)
		}
		if i < len(lines) && !drop[i] {
			if i == len(lines)-1 && !strings.HasSuffix(lines[i], "\n") {
				out.WriteString(lines[i] + "\n")
				continue
			}
			out.WriteString(lines[i])
		}
	}
	return []byte(out.String()), nil
}

// entryEnd returns the last line (0-based) of the list entry that starts
// at line first: the lines after it that are indented by four spaces or
// more, and blank lines between them.
func entryEnd(lines []string, first int) int {
	last := first
	for l := first + 1; l < len(lines); l++ {
		switch {
		case strings.HasPrefix(lines[l], "    "):
			last = l
		case strings.TrimSpace(lines[l]) == "":
			continue
		default:
			return last
		}
	}
	return last
}

// entryKey is the key of a list entry.
func entryKey(item *yaml.Node) string {
	for i := 0; i+1 < len(item.Content); i += 2 {
		if item.Content[i].Value == "key" {
			return item.Content[i+1].Value
		}
	}
	return ""
}

func hasKey(m *yaml.Node, key string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return true
		}
	}
	return false
}

// entryText writes an entry as the reconciliation's entries are written.
func entryText(e upstream.Entry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  - key: %s\n    upstream: %s\n    ours: %s\n    reason: >-\n", scalar(e.Key), scalar(e.Upstream), scalar(e.Ours))
	for _, line := range textcut.Wrap(e.Reason, 72) {
		b.WriteString("      " + line + "\n")
	}
	fmt.Fprintf(&b, "    source: %s\n", scalar(e.Source))
	return b.String()
}

// scalar writes s as a YAML scalar on one line, quoted when it must be.
func scalar(s string) string {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	out, err := yaml.Marshal(n)
	if err != nil || strings.Count(strings.TrimSuffix(string(out), "\n"), "\n") > 0 {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(out), "\n")
}
