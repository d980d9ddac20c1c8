package drift

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// OverlayVersion is the version of the OpenAPI Overlay Specification that
// WriteOverlay writes: 1.1.0, whose targets are RFC 9535 JSONPaths, and
// whose update of an object merges into it and of an array appends to it.
// It is what github.com/speakeasy-api/openapi/overlay, the library
// oapi-codegen applies overlays with, applies in strict mode.
const OverlayVersion = "1.1.0"

// OverlayExtension is the extension that each action WriteOverlay writes
// carries: its kind, name and evidence, as data, for the tool that applies
// the overlay (which writes upstream/reconciliation.yaml entries from it).
const OverlayExtension = "x-tallyfy-drift"

// OverlayInfo is what an overlay says about the check that proposed it.
type OverlayInfo struct {
	// Checked says what the check looked at: "3 recordings in testdata",
	// "the API at https://go.tallyfy.com/api".
	Checked string
	// Spec names the spec it was checked against: "0.2.0".
	Spec string
	// Apply is the command that applies the overlay, for its description;
	// "" leaves it out.
	Apply string
}

// maxDeclinedShown bounds the declined groups an overlay's description lists.
const maxDeclinedShown = 20

// WriteOverlay writes the suggestion as an OpenAPI Overlay (OverlayVersion)
// in YAML: its info says what was checked and what was not suggested, and
// each action carries its description and, under OverlayExtension, its
// kind and evidence. A suggestion without actions is an error: an overlay
// must have one.
func (s *Suggestion) WriteOverlay(w io.Writer, info OverlayInfo) error {
	if len(s.Actions) == 0 {
		return errors.New("drift: the suggestion has no actions, and an overlay needs one")
	}
	about := fmt.Sprintf("Changes of openapi.yaml that the drift check proposes, from %s against spec %s, on %s. "+
		"Each action says what it changes and what showed it; those marked breaking change the generated Go type. "+
		"Review every action, and delete the ones you do not want.",
		textcut.Line(info.Checked, 300), textcut.Line(info.Spec, 300), s.Observed)
	if info.Apply != "" {
		about += " Then apply it: " + textcut.Line(info.Apply, 300)
	}
	if lines := s.declinedLines(); lines != "" {
		about = paragraphs(about, "Not suggested:\n"+lines)
	}
	actions := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	for _, a := range s.Actions {
		actions.Content = append(actions.Content, s.actionNode(a))
	}
	doc := mapNode(
		keyValue{"overlay", strNode(OverlayVersion)},
		keyValue{"info", mapNode(
			keyValue{"title", strNode("tallyfy-drift: suggested changes of openapi.yaml")},
			keyValue{"version", strNode(s.Observed)},
			keyValue{"description", textNode(about)},
		)},
		keyValue{"actions", actions},
	)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return err
	}
	return enc.Close()
}

// declinedLines lists the declined groups, one line each, at most
// maxDeclinedShown.
func (s *Suggestion) declinedLines() string {
	var b strings.Builder
	for i, d := range s.Declined {
		if i == maxDeclinedShown {
			fmt.Fprintf(&b, "- and %d more groups\n", len(s.Declined)-i)
			break
		}
		op := d.Operation
		if op == "" {
			op = "(no operation)"
		}
		fmt.Fprintf(&b, "- %s %s %s (%s): %s\n", op, d.Rule, textcut.Line(d.Pattern, maxNameShown), plural(d.Count, "finding"), d.Reason)
	}
	return b.String()
}

// actionNode is one action of the overlay.
func (s *Suggestion) actionNode(a SuggestedAction) *yaml.Node {
	e := a.Evidence
	meta := mapNode(
		keyValue{"kind", strNode(string(a.Kind))},
		keyValue{"name", strNode(a.Name)},
	)
	if a.Kind == SuggestEnumValue {
		setKey(meta, "value", a.Update.Content[0])
	}
	for _, kv := range []keyValue{
		keyValue{"breaking", boolNode(a.Breaking)},
		keyValue{"observed", strNode(s.Observed)},
		keyValue{"rule", strNode(e.Rule)},
		keyValue{"occurrences", intNode(e.Occurrences)},
		keyValue{"exchanges", intNode(e.Exchanges)},
		keyValue{"operations", flowStrings(e.Operations)},
		keyValue{"sources", flowStrings(e.Sources)},
	} {
		setKey(meta, kv.key, anyNode(kv.value))
	}
	if e.MoreSources > 0 {
		setKey(meta, "more_sources", intNode(e.MoreSources))
	}
	setKey(meta, "example", strNode(e.Example))
	n := mapNode(
		keyValue{"target", strNode(a.Target)},
		keyValue{"description", textNode(a.Description)},
		keyValue{OverlayExtension, meta},
	)
	if a.Remove {
		setKey(n, "remove", boolNode(true))
	} else {
		setKey(n, "update", a.Update)
	}
	return n
}

// keyValue is a member of a YAML mapping, in order.
type keyValue struct {
	key   string
	value any // a *yaml.Node, or a value anyNode writes
}

// mapNode is a YAML mapping of pairs, in their order.
func mapNode(pairs ...keyValue) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for _, kv := range pairs {
		setKey(n, kv.key, anyNode(kv.value))
	}
	return n
}

// setKey adds key to the mapping n, before the first of the keys in
// before that n has, else last.
func setKey(n *yaml.Node, key string, value *yaml.Node, before ...string) {
	pair := []*yaml.Node{strNode(key), value}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if slices.Contains(before, n.Content[i].Value) {
			n.Content = slices.Insert(n.Content, i, pair...)
			return
		}
	}
	n.Content = append(n.Content, pair...)
}

func strNode(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func boolNode(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}

func intNode(i int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(i)}
}

// flowStrings is a sequence of strings written on one line.
func flowStrings(ss []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
	for _, s := range ss {
		n.Content = append(n.Content, strNode(s))
	}
	return n
}

// valueNode writes a JSON scalar (an enum value) as YAML of the same type.
func valueNode(v any) *yaml.Node {
	switch v := v.(type) {
	case json.Number:
		tag := "!!float"
		if isIntegerText(string(v)) {
			tag = "!!int"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: string(v)}
	case bool:
		return boolNode(v)
	case string:
		return strNode(v)
	}
	return anyNode(v)
}

// anyNode writes a value decoded from JSON or YAML (a spec's extension) as
// a YAML node, map keys sorted; a *yaml.Node is returned as it is.
func anyNode(v any) *yaml.Node {
	switch v := v.(type) {
	case *yaml.Node:
		return v
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	case string:
		return strNode(v)
	case bool:
		return boolNode(v)
	case json.Number:
		return valueNode(v)
	case float64:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: strconv.FormatFloat(v, 'g', -1, 64)}
	case int:
		return intNode(v)
	case map[string]any:
		n := mapNode()
		for _, k := range slices.Sorted(maps.Keys(v)) {
			setKey(n, k, anyNode(v[k]))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, item := range v {
			n.Content = append(n.Content, anyNode(item))
		}
		return n
	}
	return strNode(fmt.Sprint(v))
}

// textWidth is where textNode wraps a description, as openapi.yaml does.
const textWidth = 76

// textNode is a description: one plain line when it is short, else a
// literal block wrapped at textWidth, its paragraphs and list items kept.
func textNode(text string) *yaml.Node {
	wrapped := wrap(text, textWidth)
	if !strings.Contains(wrapped, "\n") {
		return strNode(wrapped)
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: wrapped + "\n", Style: yaml.LiteralStyle}
}

// wrap breaks each line of text at spaces so that it fits width, where it
// can; a line that starts with "- " continues indented under its text.
func wrap(text string, width int) string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		indent := ""
		if strings.HasPrefix(line, "- ") {
			indent = "  "
		}
		parts := textcut.Wrap(line, width-len(indent))
		if len(parts) == 0 {
			out = append(out, "")
		}
		for i, part := range parts {
			if i > 0 {
				part = indent + part
			}
			out = append(out, part)
		}
	}
	return strings.Join(out, "\n")
}
