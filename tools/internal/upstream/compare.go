package upstream

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Difference is one fact on which openapi.yaml and Tallyfy's Swagger differ.
type Difference struct {
	// Key names the fact: `listRunTasks/parameters/query/currentTask`,
	// `Thread(Thread)/properties/id/type`, `listOrgTasks/parameters/query/sort/enum/-newest`.
	// A schema key starts with our schema and, in brackets, the Swagger
	// definition it is compared with.
	Key string
	// Upstream is what the Swagger says; "absent" when it does not have it.
	Upstream string
	// Ours is what openapi.yaml says; "absent" when it does not have it.
	Ours string
}

// String reads "key: Tallyfy's Swagger says …, openapi.yaml says …".
func (d Difference) String() string {
	return fmt.Sprintf("%s: Tallyfy's Swagger says %s, openapi.yaml says %s", d.Key, d.Upstream, d.Ours)
}

// Absent is what a Difference says for a fact one side does not have.
const Absent = "absent"

// upstreamDateTime is the Swagger's Date template: RFC 3339 in UTC, which
// OpenAPI calls date-time.
const upstreamDateTime = "YYYY-mm-ddTHH:ii:ssZ"

// Compare lists every difference between ours (openapi.yaml) and up (the
// converted extract): for each operation pair of m, the path, each upstream
// parameter (its presence, whether it is required, type, format and enum);
// for the schemas that the 200 responses reach and m's schema pairs, each
// upstream property (its presence, type, format, enum and items, and
// whether it is required), recursively. Facts only ours has (an extra
// parameter or property) are not differences, except enum values and
// required properties: an enum and a required list are closed lists, so a
// value, or an upstream property, that only one side lists is one. The
// result is sorted by key.
func Compare(ours, up *openapi3.T, m Mapping) []Difference {
	return compare(ours, up, m).diffs
}

// Additions lists the facts that only ours (openapi.yaml) has where
// Tallyfy's Swagger describes the same thing, which Compare leaves out: a
// property the Swagger's definition does not list, and each enum value of
// ours where the Swagger's schema has no enum. Each reads like a
// Difference, with Upstream "absent"; the key of an enum value is
// `<key>/enum/<value>`, as Compare writes the enum values only one side
// lists. The result is sorted by key, each key once.
//
// The reconciliation's observed entries are held to them
// (Reconciliation.CheckObserved): the facts openapi.yaml gained because
// the drift check saw the API send them, which the Swagger lacks.
func Additions(ours, up *openapi3.T, m Mapping) []Difference {
	return compare(ours, up, m).additions
}

// compare walks the two documents once, for Compare and Additions.
func compare(ours, up *openapi3.T, m Mapping) *comparer {
	c := &comparer{seen: map[string]bool{}}
	for _, pair := range m.Operations {
		c.operation(ours, up, pair)
	}
	for _, pair := range m.Schemas {
		c.enqueue(pair.Ours, pair.Upstream)
	}
	for len(c.queue) > 0 {
		pair := c.queue[0]
		c.queue = c.queue[1:]
		c.root(ours, up, pair)
	}
	sort.Slice(c.diffs, func(i, j int) bool { return c.diffs[i].Key < c.diffs[j].Key })
	sort.SliceStable(c.additions, func(i, j int) bool { return c.additions[i].Key < c.additions[j].Key })
	c.additions = slices.CompactFunc(c.additions, func(a, b Difference) bool { return a.Key == b.Key })
	return c
}

type comparer struct {
	diffs     []Difference
	additions []Difference // see Additions
	queue     [][2]string
	seen      map[string]bool
}

func (c *comparer) add(key, upstream, ours string) {
	c.diffs = append(c.diffs, Difference{Key: key, Upstream: upstream, Ours: ours})
}

func (c *comparer) enqueue(ours, up string) {
	k := ours + "(" + up + ")"
	if !c.seen[k] {
		c.seen[k] = true
		c.queue = append(c.queue, [2]string{ours, up})
	}
}

func (c *comparer) root(ours, up *openapi3.T, pair [2]string) {
	key := pair[0] + "(" + pair[1] + ")"
	o := ours.Components.Schemas[pair[0]]
	u := up.Components.Schemas[pair[1]]
	switch {
	case u == nil || u.Value == nil:
		c.add(key, Absent, "schema "+pair[0])
	case o == nil || o.Value == nil:
		c.add(key, "definition "+pair[1], Absent)
	default:
		c.value(o.Value, u.Value, key)
	}
}

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

func findOperation(doc *openapi3.T, id string) (path, method string, op *openapi3.Operation) {
	if doc.Paths == nil {
		return "", "", nil
	}
	for _, p := range doc.Paths.InMatchingOrder() {
		for m, o := range doc.Paths.Value(p).Operations() {
			if o.OperationID == id {
				return p, m, o
			}
		}
	}
	return "", "", nil
}

func (c *comparer) operation(ours, up *openapi3.T, pair OperationPair) {
	oPath, oMethod, oOp := findOperation(ours, pair.Ours)
	uPath, uMethod, uOp := findOperation(up, pair.Upstream)
	switch {
	case uOp == nil:
		c.add(pair.Ours, Absent, "operation "+pair.Ours)
		return
	case oOp == nil:
		c.add(pair.Ours, "operation "+pair.Upstream, Absent)
		return
	}
	// Path parameters are matched by position: their names are placeholders.
	oShape := oMethod + " " + pathParam.ReplaceAllString(oPath, "{}")
	uShape := uMethod + " " + pathParam.ReplaceAllString(uPath, "{}")
	if oShape != uShape {
		c.add(pair.Ours+"/path", uMethod+" "+uPath, oMethod+" "+oPath)
	}
	oPathNames := pathParam.FindAllString(oPath, -1)
	uPathNames := pathParam.FindAllString(uPath, -1)

	for _, ref := range uOp.Parameters {
		u := ref.Value
		if u == nil {
			continue
		}
		name := u.Name
		if u.In == openapi3.ParameterInPath {
			if i := slices.Index(uPathNames, "{"+u.Name+"}"); i >= 0 && i < len(oPathNames) {
				name = strings.Trim(oPathNames[i], "{}")
			}
		}
		key := pair.Ours + "/parameters/" + u.In + "/" + name
		o := findParameter(oOp, u.In, name)
		if o == nil {
			c.add(key, describe(u.Schema), Absent)
			continue
		}
		if u.Required && !o.Required {
			c.add(key+"/required", "required", "optional")
		}
		c.parameterSchema(o, u, key)
	}

	oResp, uResp := responseSchema(oOp), responseSchema(uOp)
	switch {
	case uResp == nil:
	case oResp == nil:
		c.add(pair.Ours+"/responses/200", describe(uResp), Absent)
	default:
		c.schema(oResp, uResp, pair.Ours+"/responses/200")
	}
}

func findParameter(op *openapi3.Operation, in, name string) *openapi3.Parameter {
	for _, ref := range op.Parameters {
		if ref.Value != nil && ref.Value.In == in && ref.Value.Name == name {
			return ref.Value
		}
	}
	return nil
}

func responseSchema(op *openapi3.Operation) *openapi3.SchemaRef {
	if op.Responses == nil {
		return nil
	}
	r := op.Responses.Status(200)
	if r == nil || r.Value == nil {
		return nil
	}
	mt := r.Value.Content.Get("application/json")
	if mt == nil {
		return nil
	}
	return mt.Schema
}

// parameterSchema compares a parameter's schema. A Swagger string that
// takes comma-joined values is, on the wire, our array sent as one
// comma-joined value (style form, explode false): then only the values are
// compared, the Swagger's comma-joined enum values split into single ones.
func (c *comparer) parameterSchema(o, u *openapi3.Parameter, key string) {
	if o.Schema == nil || u.Schema == nil || o.Schema.Value == nil || u.Schema.Value == nil {
		return
	}
	os, us := o.Schema.Value, u.Schema.Value
	if us.Type.Is(openapi3.TypeString) && os.Type.Is(openapi3.TypeArray) && commaJoined(o) {
		if len(us.Enum) == 0 || os.Items == nil || os.Items.Value == nil {
			return
		}
		var values []any
		for _, v := range us.Enum {
			for _, part := range strings.Split(fmt.Sprint(v), ",") {
				if !slices.Contains(values, any(part)) {
					values = append(values, part)
				}
			}
		}
		c.enum(os.Items.Value.Enum, values, key)
		return
	}
	c.value(os, us, key)
}

func commaJoined(p *openapi3.Parameter) bool {
	style := p.Style
	if style == "" {
		style = openapi3.SerializationForm
	}
	return style == openapi3.SerializationForm && p.Explode != nil && !*p.Explode
}

// schema compares two schemas at key. Where both sides name a component
// schema, the pair is compared once, on its own key.
func (c *comparer) schema(o, u *openapi3.SchemaRef, key string) {
	if o == nil || u == nil || o.Value == nil || u.Value == nil {
		return
	}
	oName, oOK := strings.CutPrefix(o.Ref, "#/components/schemas/")
	uName, uOK := strings.CutPrefix(u.Ref, "#/components/schemas/")
	if oOK && uOK {
		c.enqueue(oName, uName)
		return
	}
	c.value(o.Value, u.Value, key)
}

func (c *comparer) value(o, u *openapi3.Schema, key string) {
	ut := upstreamType(u)
	branch := o
	if ut != "" {
		ots, anyType := acceptedTypes(o)
		if anyType {
			c.add(key+"/type", ut, "any type")
			return
		}
		if !slices.Contains(ots, ut) {
			ours := strings.Join(ots, " or ")
			if ours == "" {
				ours = "no type of its own (allOf)"
			}
			c.add(key+"/type", ut, ours)
			return
		}
		branch = branchFor(o, ut)
	}
	if u.Format != "" {
		want := u.Format
		if want == upstreamDateTime {
			want = "date-time"
		}
		if branch.Format != want {
			c.add(key+"/format", u.Format, orAbsent(branch.Format))
		}
	}
	if len(u.Enum) > 0 {
		c.enum(branch.Enum, u.Enum, key)
	} else {
		for _, v := range branch.Enum {
			c.additions = append(c.additions, Difference{Key: fmt.Sprintf("%s/enum/%v", key, v), Upstream: Absent, Ours: "lists it"})
		}
	}
	if ut == openapi3.TypeArray && u.Items != nil {
		if branch.Items == nil || branch.Items.Value == nil {
			// An array of anything has lost the Swagger's item type.
			c.add(key+"/items", describe(u.Items), "any items")
		} else {
			c.schema(branch.Items, u.Items, key+"/items")
		}
	}
	for _, name := range slices.Sorted(maps.Keys(u.Properties)) {
		pkey := key + "/properties/" + name
		op, ok := branch.Properties[name]
		if !ok {
			c.add(pkey, describe(u.Properties[name]), Absent)
			continue
		}
		c.schema(op, u.Properties[name], pkey)
	}
	if ut == openapi3.TypeObject {
		for _, name := range slices.Sorted(maps.Keys(branch.Properties)) {
			if _, ok := u.Properties[name]; !ok {
				c.additions = append(c.additions, Difference{Key: key + "/properties/" + name, Upstream: Absent, Ours: describe(branch.Properties[name])})
			}
		}
	}
	c.required(branch, u, key)
}

// required compares whether each property the Swagger states (in its
// properties or its required list) is required. Swagger 2.0 and OpenAPI
// 3.0 alike make a property optional unless a required list names it, so
// a property only one side requires is a difference, either way: ours
// requiring more makes the drift check flag answers the Swagger allows;
// less lets a missing field pass. A property of the Swagger's that ours
// does not have is left to its own difference.
func (c *comparer) required(o, u *openapi3.Schema, key string) {
	names := slices.Concat(slices.Collect(maps.Keys(u.Properties)), u.Required)
	slices.Sort(names)
	for _, name := range slices.Compact(names) {
		up, ours := slices.Contains(u.Required, name), slices.Contains(o.Required, name)
		_, listed := u.Properties[name]
		if _, has := o.Properties[name]; up == ours || (listed && !has && !ours) {
			continue
		}
		c.add(key+"/properties/"+name+"/required", requiredWord(up), requiredWord(ours))
	}
}

// requiredWord says whether a property or parameter is required.
func requiredWord(required bool) string {
	if required {
		return "required"
	}
	return "optional"
}

func (c *comparer) enum(ours, up []any, key string) {
	if len(ours) == 0 {
		c.add(key+"/enum", fmt.Sprint(up), "any value")
		return
	}
	for _, v := range up {
		if !slices.Contains(ours, v) {
			c.add(fmt.Sprintf("%s/enum/%v", key, v), "lists it", Absent)
		}
	}
	for _, v := range ours {
		if !slices.Contains(up, v) {
			c.add(fmt.Sprintf("%s/enum/%v", key, v), Absent, "lists it")
		}
	}
}

// upstreamType is the Swagger schema's type; a definition with properties
// and no type is an object. "" when it states none.
func upstreamType(s *openapi3.Schema) string {
	if s.Type != nil && len(s.Type.Slice()) > 0 {
		return s.Type.Slice()[0]
	}
	if len(s.Properties) > 0 {
		return openapi3.TypeObject
	}
	return ""
}

// acceptedTypes lists the JSON types a schema of ours accepts, through its
// oneOf and anyOf branches; anyType when it accepts every type.
func acceptedTypes(s *openapi3.Schema) (types []string, anyType bool) {
	if s.Type != nil && len(s.Type.Slice()) > 0 {
		types = append(types, s.Type.Slice()...)
	} else if len(s.Properties) > 0 {
		types = append(types, openapi3.TypeObject)
	}
	branches := append(slices.Clone(s.OneOf), s.AnyOf...)
	for _, b := range branches {
		if b.Value == nil {
			continue
		}
		bt, bAny := acceptedTypes(b.Value)
		if bAny {
			return nil, true
		}
		for _, t := range bt {
			if !slices.Contains(types, t) {
				types = append(types, t)
			}
		}
	}
	return types, len(types) == 0 && len(s.AllOf) == 0
}

// branchFor returns the schema, or the first of its oneOf/anyOf branches,
// that has type t.
func branchFor(s *openapi3.Schema, t string) *openapi3.Schema {
	if upstreamType(s) == t {
		return s
	}
	for _, b := range append(slices.Clone(s.OneOf), s.AnyOf...) {
		if b.Value == nil {
			continue
		}
		if types, _ := acceptedTypes(b.Value); slices.Contains(types, t) {
			return branchFor(b.Value, t)
		}
	}
	return s
}

// describe says in a few words what a schema is: its type, format and item type.
func describe(ref *openapi3.SchemaRef) string {
	if ref == nil || ref.Value == nil {
		return "any"
	}
	s := ref.Value
	t := upstreamType(s)
	if t == "" {
		t = "any"
	}
	if s.Format != "" {
		t += " (" + s.Format + ")"
	}
	if t == openapi3.TypeArray && s.Items != nil {
		t += " of " + describe(s.Items)
	}
	return t
}

func orAbsent(s string) string {
	if s == "" {
		return Absent
	}
	return s
}
