package drift

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/tallyfy-go/tallyfy/internal/jsonptr"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// A Suggester turns what a drift check found into the change of the spec
// that would make the checked exchanges conform, for a person to review:
// tallyfy-drift --suggest writes it as an OpenAPI Overlay (WriteOverlay),
// and `make apply-overlay` folds that into openapi.yaml.
//
// It proposes one action per change of the spec, not per occurrence: a
// field that every task of two listings carries is one field added to the
// component schema they share, found through the $refs the findings'
// pointers pass. What it proposes rests on every value seen, and is
// conservative:
//
//   - an undocumented field gets a schema inferred from all its values:
//     objects field by field, arrays from all their elements (an array only
//     ever seen empty is left open, and its description says so),
//     nullable when null was seen, format date-time only when every other
//     value is one (with the Go type the spec's other date-times carry),
//     number where integers and decimals mix; never required, never an
//     enum;
//   - a value outside an enum is appended to that enum;
//   - null where the schema is not nullable makes it nullable;
//   - a type the schema does not allow widens it (integer to number, or a
//     oneOf of the old type and the new ones), marked as breaking for the
//     generated Go type.
//
// Every other finding is declined, with the reason (Suggestion.Declined).
// No value of a response goes into a suggestion but enum values; each
// action's description gives its evidence: occurrences, operations, one
// example pointer, and the checks or recordings that showed it.
//
// Add may be called from several goroutines.
type Suggester struct {
	v        *Validator
	observed string     // the day of the check, YYYY-MM-DD
	dateTime []keyValue // the Go type extensions of the spec's date-times

	mu        sync.Mutex
	exchanges int // exchanges added, to count each change's exchanges once
	changes   map[string]*change
	declined  map[declineKey]*Declined
}

// SuggestionKind names the change of the spec that an action makes.
type SuggestionKind string

// The kinds of change a Suggester proposes.
const (
	// SuggestField adds a field the spec does not list to the properties of
	// the object schema that lists its siblings.
	SuggestField SuggestionKind = "add-field"
	// SuggestEnumValue appends a value to an enum.
	SuggestEnumValue SuggestionKind = "add-enum-value"
	// SuggestNullable makes a schema nullable.
	SuggestNullable SuggestionKind = "make-nullable"
	// SuggestWidening lets a schema take a type it does not allow: an
	// integer becomes a number (one action), any other type a oneOf of the
	// old type and the new ones (two actions: remove the type, then add the
	// oneOf).
	SuggestWidening SuggestionKind = "widen-type"
)

// Suggestion is what a Suggester proposes: the overlay's actions, in the
// order they apply, and the findings it proposes nothing for.
type Suggestion struct {
	// Observed is the day of the check, YYYY-MM-DD.
	Observed string
	// Actions are the overlay's actions, sorted by target; the two actions
	// of a widening stay in their order.
	Actions []SuggestedAction
	// Declined are the groups of findings no action answers, with why.
	Declined []Declined
}

// SuggestedAction is one action of an OpenAPI Overlay, with what it is for.
type SuggestedAction struct {
	// Kind is the kind of change the action is (part of).
	Kind SuggestionKind
	// Target is the RFC 9535 JSONPath of the node of the spec the action
	// updates or removes ($.components.schemas.Task.properties).
	Target string
	// Remove is set on an action that removes its target; Update is nil then.
	Remove bool
	// Update is merged into the target (a new property, a list of enum
	// values to append, {nullable: true}, ...), as Overlay 1.1.0 merges.
	Update *yaml.Node
	// Name is the field an add-field action adds, the enum value an
	// add-enum-value action appends (as JSON text), or the property
	// whose schema the others change ("" for an array's items).
	Name string
	// Summary says what the action does, on one line.
	Summary string
	// Description says what the action does and what showed it: the
	// overlay action's description.
	Description string
	// Breaking is set when the change alters the generated Go type in a way
	// that breaks its users (a value becomes a pointer, an int a float, a
	// type a union).
	Breaking bool
	// Evidence is what showed that the change is needed.
	Evidence Evidence
}

// Evidence is what showed that a change is needed.
type Evidence struct {
	// Rule is the rule of the findings (undocumented-field, enum, nullable, type).
	Rule string
	// Occurrences counts the findings; Exchanges the exchanges they came from.
	Occurrences, Exchanges int
	// Operations are the operationIds of those exchanges, sorted.
	Operations []string
	// Sources name the checks or recordings that showed it, the first
	// maxSources in the order they came; MoreSources counts the rest.
	Sources     []string
	MoreSources int
	// Example is the pointer of the first occurrence, in the first source.
	Example string
}

// example is the example pointer and where it was seen.
func (e Evidence) example() string {
	if len(e.Sources) == 0 {
		return e.Example
	}
	return e.Example + " in " + e.Sources[0]
}

// Declined is a group of findings that no action answers: same rule,
// operation and pointer pattern, and the same reason.
type Declined struct {
	Rule      string // the findings' rule
	Operation string // their operation ("" when no route matched)
	Pattern   string // their pointer pattern (PointerPattern)
	Count     int    // how many findings
	Reason    string // why no change is proposed for them
}

type declineKey struct{ rule, operation, pattern, reason string }

// The bounds of a suggestion: what a response puts in it stays small.
const (
	// maxSources is how many sources an action names.
	maxSources = 5
	// maxActions bounds the changes of one suggestion.
	maxActions = 200
	// maxEnumValueBytes is the longest value appended to an enum: a longer
	// one is text, not a member of a closed list.
	maxEnumValueBytes = 100
	// maxNewEnumValues is the most values appended to one enum: more look
	// like free text.
	maxNewEnumValues = 20
	// maxNameShown caps a field name or a pointer in a summary or description.
	maxNameShown = 120
)

// NewSuggester returns a Suggester of what checks with v find; observed is
// the day of the check, which the suggested descriptions name.
func NewSuggester(v *Validator, observed time.Time) *Suggester {
	return &Suggester{
		v:        v,
		observed: observed.UTC().Format(time.DateOnly),
		dateTime: dateTimeExtensions(v.doc),
		changes:  map[string]*change{},
		declined: map[declineKey]*Declined{},
	}
}

// change is one change of the spec, with everything seen for it.
type change struct {
	kind     SuggestionKind
	target   string // JSONPath of the node the action updates
	name     string // field name, or the enum value as JSON text
	schema   string // a short label of the schema changed ("Task", "Task.title")
	at       spot   // where the finding led (enum, nullable, widening)
	value    any    // the enum value (add-enum-value)
	values   shape  // every value seen (add-field, widening)
	evidence evidence
}

// evidence gathers an Evidence.
type evidence struct {
	Evidence
	lastExchange int
	operations   map[string]bool
	sources      map[string]bool
}

func (e *evidence) add(exchange int, f Finding, source string) {
	e.Occurrences++
	if e.lastExchange != exchange {
		e.lastExchange = exchange
		e.Exchanges++
	}
	if e.operations == nil {
		e.operations, e.sources = map[string]bool{}, map[string]bool{}
		e.Rule = f.Rule
		e.Example = textcut.Cut(f.Pointer, maxNameShown)
	}
	if f.Operation != "" {
		e.operations[f.Operation] = true
	}
	if !e.sources[source] {
		e.sources[source] = true
		if len(e.Sources) < maxSources {
			e.Sources = append(e.Sources, source)
		} else {
			e.MoreSources++
		}
	}
}

func (e *evidence) done() Evidence {
	out := e.Evidence
	out.Operations = nil
	for op := range e.operations {
		out.Operations = append(out.Operations, op)
	}
	slices.Sort(out.Operations)
	return out
}

// Add takes one checked exchange: source names where it came from (a
// recording's file name, a live check's name), findings are what Check
// returned for it. Only findings of an exchange's body can be answered;
// the body's values are read at their pointers, and never kept but for an
// enum value.
func (s *Suggester) Add(source string, ex Exchange, findings []Finding) {
	source = textcut.Line(source, maxNameShown)
	var wanted []Finding
	for _, f := range findings {
		if reason := declineReason(f); reason != "" {
			s.decline(f, reason)
			continue
		}
		wanted = append(wanted, f)
	}
	if len(wanted) == 0 {
		return
	}
	root, why := s.v.bodyRoot(ex)
	if why != "" {
		for _, f := range wanted {
			s.decline(f, why)
		}
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.exchanges++
	for _, f := range wanted {
		s.take(f, source, root)
	}
}

// decline counts f among the findings no action answers.
func (s *Suggester) decline(f Finding, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.declineLocked(f, reason)
}

func (s *Suggester) declineLocked(f Finding, reason string) {
	k := declineKey{f.Rule, f.Operation, PointerPattern(f.Pointer), reason}
	d := s.declined[k]
	if d == nil {
		d = &Declined{Rule: k.rule, Operation: k.operation, Pattern: textcut.Cut(k.pattern, maxNameShown), Reason: reason}
		s.declined[k] = d
	}
	if f.Rule == RuleFindingsOmitted {
		d.Count += f.Omitted
	} else {
		d.Count++
	}
}

// declineReason says why no change of the spec is proposed for a finding
// of its rule; "" for the rules a Suggester answers.
func declineReason(f Finding) string {
	switch f.Rule {
	case RuleUndocumentedField, "enum", "nullable", "type":
		if strings.HasSuffix(f.Pointer, "…") {
			return "its pointer was cut: the value cannot be found"
		}
		if _, ok := jsonptr.Split(f.Pointer); !ok {
			return "its pointer is not a JSON pointer"
		}
		return ""
	case "required":
		return "a field that is missing may be Tallyfy's bug, and making it optional turns its Go value into a pointer: left to a person"
	case "format", "pattern":
		return "a value that breaks the spec's " + f.Rule + " may be Tallyfy's bug; loosening a " + f.Rule + " is left to a person"
	case "oneOf", "anyOf", "allOf", "not":
		return "the value fits none of the schema's alternatives: which one to widen is left to a person"
	case RulePagination:
		return "a rule of pagination, which OpenAPI cannot state"
	case RuleStatus, RuleContentType, RuleHeader:
		return "a change of the response's " + f.Rule + " is left to a person"
	case RuleInvalidJSON:
		return "the body is not JSON: there is nothing to describe"
	case RuleRoute, RuleRequest:
		return "a finding about the request, not the response"
	case RuleLimit:
		return "the check did not look past a bound"
	case RuleFindingsOmitted:
		return "findings past the check's cap are not listed, so their values are not seen"
	}
	return "no change of the spec is suggested for rule " + textcut.Line(f.Rule, 40)
}

// take turns one finding into (part of) a change.
func (s *Suggester) take(f Finding, source string, root spot) {
	tokens, _ := jsonptr.Split(f.Pointer)
	var (
		c     *change
		value any
		why   string
	)
	switch f.Rule {
	case RuleUndocumentedField:
		c, value, why = s.fieldChange(root, tokens)
	case "enum":
		c, why = s.enumChange(root, tokens)
	case "nullable":
		c, why = s.nullableChange(root, tokens)
	case "type":
		c, value, why = s.wideningChange(root, tokens)
	}
	if why == "" {
		if c = s.lookup(c); c == nil {
			why = fmt.Sprintf("the suggestion already proposes %d changes, the most it holds", maxActions)
		}
	}
	if why != "" {
		s.declineLocked(f, why)
		return
	}
	if c.kind == SuggestField || c.kind == SuggestWidening {
		c.values.add(value, 0)
	}
	c.evidence.add(s.exchanges, f, source)
}

// changeKey names a change once, whatever exchange shows it.
func changeKey(c *change) string {
	return string(c.kind) + "\x00" + c.target + "\x00" + c.name
}

// lookup returns the change of c's key, adding c when it is new; nil when
// the suggestion already has maxActions changes.
func (s *Suggester) lookup(c *change) *change {
	k := changeKey(c)
	if old := s.changes[k]; old != nil {
		return old
	}
	if len(s.changes) >= maxActions {
		return nil
	}
	s.changes[k] = c
	return c
}

// Suggestion returns what the exchanges added so far call for. It may be
// called again after more are added.
func (s *Suggester) Suggestion() *Suggestion {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := &Suggestion{Observed: s.observed}
	changes := make([]*change, 0, len(s.changes))
	for _, c := range s.changes {
		changes = append(changes, c)
	}
	slices.SortFunc(changes, func(a, b *change) int {
		return cmp.Or(cmp.Compare(a.target, b.target), cmp.Compare(a.kind, b.kind), cmp.Compare(a.name, b.name))
	})
	for _, c := range changes {
		out.Actions = append(out.Actions, s.actions(c)...)
	}
	for _, d := range s.declined {
		out.Declined = append(out.Declined, *d)
	}
	slices.SortFunc(out.Declined, func(a, b Declined) int {
		return cmp.Or(cmp.Compare(a.Operation, b.Operation), cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Pattern, b.Pattern), cmp.Compare(a.Reason, b.Reason))
	})
	return out
}

// evidenceText says what showed a change, in a sentence or two.
func (s *Suggester) evidenceText(e Evidence) string {
	where := strings.Join(e.Sources, ", ")
	if e.MoreSources > 0 {
		where += fmt.Sprintf(" and %d more", e.MoreSources)
	}
	ops := "no operation"
	if len(e.Operations) > 0 {
		ops = strings.Join(e.Operations, " and ")
	}
	return fmt.Sprintf("Evidence: %s in %s of %s, e.g. %s. Seen by the drift check (rule %s) on %s in %s.",
		plural(e.Occurrences, "occurrence"), plural(e.Exchanges, "exchange"), ops, e.example(), e.Rule, s.observed, where)
}

// plural writes "1 occurrence", "3 occurrences".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// jsonText writes a scalar as JSON text, for names and messages.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
