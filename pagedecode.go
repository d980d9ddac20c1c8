package tallyfy

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/internal/jsonkind"
	"github.com/tallyfy-go/tallyfy/internal/jsonptr"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
	"github.com/tallyfy-go/tallyfy/tolerant"
)

// The streaming decoder of one page of tasks, and the locator that says
// which value of a task that does not decode is the one that does not fit.

// errPageShape is wrapped by errors about a page that is JSON but not a task list.
var errPageShape = errors.New("not a task list")

// pageElement is one element of a page's data array.
type pageElement struct {
	index int
	raw   json.RawMessage // the element as received; valid only during emit, unless err is set
	task  gen.Task        // the element decoded, when err is nil
	err   error           // why raw does not decode as a gen.Task
}

// pageTail is what a page holds besides its tasks.
type pageTail struct {
	meta    json.RawMessage // the value of "meta" (nil when the page has none)
	tasks   int             // how many elements data held
	repeats int             // how many of them repeat a task of an earlier page (set by the reader)
}

// overLimit marks a value larger than the decoder's value limit.
type overLimit struct {
	index int // index in data, or -1 for a value outside data
}

func (e *overLimit) Error() string { return "value over the size limit" }

// decodeTaskPage reads a task-list page ({"data": [...], "meta": {...}})
// from r as a stream, handing each element of data to emit as soon as it is
// read, so that memory does not grow with the page. A scanner finds where
// each value ends by its brackets and strings, and each element is then
// decoded straight from the bytes it spans, so that an element that does
// not fit gen.Task (a type error, a date that does not parse, nesting
// deeper than encoding/json reads) comes with its error and the decoding
// goes on with the next. JSON that is malformed, cut off or not a task
// list ends the decoding with an error. No single value (a task, meta, an
// unknown key's value) may take more than maxValue bytes: a larger one
// ends the decoding with an *overLimit error before it is held whole.
// Decoding stops early, with stopped true, when emit returns false. Keys
// other than data and meta are skipped; a page with two data keys is an
// error, since its tasks would be ambiguous.
func decodeTaskPage(r io.Reader, maxValue int64, emit func(*pageElement) bool) (tail pageTail, stopped bool, err error) {
	mem := decodeMemory.Get().(*pageMemory)
	defer mem.release()
	sc := &pageScanner{r: r, max: maxValue, buf: mem.buf[:0], memory: mem}
	defer func() { mem.buf = sc.buf }()
	overAt := func(err error, index int) error {
		if errors.Is(err, errOverBudget) {
			return &overLimit{index: index}
		}
		return err
	}
	if err := sc.expect('{'); err != nil {
		return tail, false, overAt(err, -1)
	}
	sawData := false
	for first := true; ; first = false {
		c, err := sc.next()
		if err != nil {
			return tail, false, overAt(err, -1)
		}
		if c == '}' {
			break
		}
		if !first {
			if c != ',' {
				return tail, false, fmt.Errorf("%w: want ',' or '}', got %s", errPageShape, describeByte(c))
			}
			sc.pos++
		}
		key, err := sc.key()
		if err != nil {
			return tail, false, overAt(err, -1)
		}
		// Keys match as encoding/json (and so the generated types) match
		// them: case-insensitively.
		switch {
		case strings.EqualFold(key, "data"):
			if sawData {
				return tail, false, fmt.Errorf("%w: \"data\" appears twice", errPageShape)
			}
			sawData = true
			n, stopped, err := decodeTasks(sc, emit)
			tail.tasks = n
			if err != nil || stopped {
				return tail, stopped, overAt(err, n)
			}
		default:
			raw, err := sc.value()
			if err != nil {
				return tail, false, overAt(fmt.Errorf("%s: %w", textcut.Quote(key, 40), err), -1)
			}
			if !json.Valid(raw) {
				return tail, false, fmt.Errorf("%s: %w", textcut.Quote(key, 40), syntaxErrorOf(raw))
			}
			if strings.EqualFold(key, "meta") {
				tail.meta = bytes.Clone(raw)
			}
		}
	}
	sc.pos++ // the closing brace
	if err := sc.end(); err != nil {
		return tail, false, overAt(err, -1)
	}
	if !sawData {
		return tail, false, fmt.Errorf("%w: no \"data\" key", errPageShape)
	}
	return tail, false, nil
}

// decodeTasks reads the value of data, element by element, each decoded
// from the bytes the scanner found it in. The elements that the bytes
// already read hold whole are decoded together, in one call of
// encoding/json (whose cost per call would otherwise be paid per task);
// when that fails, each of them is decoded on its own, so that one that
// does not fit costs no other. n is how many elements it read (and, on an
// error, the index of the element it failed on).
func decodeTasks(sc *pageScanner, emit func(*pageElement) bool) (n int, stopped bool, err error) {
	c, err := sc.next()
	if err != nil {
		return 0, false, err
	}
	if c == 'n' { // "data": null
		raw, err := sc.value()
		if err != nil || string(raw) != "null" {
			return 0, false, fmt.Errorf("%w: \"data\" is not an array", errPageShape)
		}
		return 0, false, nil
	}
	if c != '[' {
		return 0, false, fmt.Errorf("%w: \"data\" is %s, not an array", errPageShape, describeByte(c))
	}
	sc.pos++
	b := batch{tasks: sc.memory.tasks}
	defer func() { sc.memory.tasks = b.tasks }()
	for i := 0; ; {
		// The elements read whole already, together.
		spans, ended, err := sc.held(i)
		if err != nil {
			return i + len(spans), false, fmt.Errorf("data[%d]: %w", i+len(spans), err)
		}
		n, stopped, err := b.decode(sc.buf, spans, i, emit)
		i += n
		if err != nil || stopped || ended {
			return i, stopped, err
		}
		// The element that the read so far cuts, on its own.
		c, err := sc.next()
		if err != nil {
			return i, false, err
		}
		if c == ']' {
			sc.pos++
			return i, false, nil
		}
		if i > 0 {
			if c != ',' {
				return i, false, fmt.Errorf("data[%d]: %w: want ',' or ']', got %s", i, errPageShape, describeByte(c))
			}
			sc.pos++
		}
		raw, err := sc.value()
		if err != nil {
			return i, false, fmt.Errorf("data[%d]: %w", i, err)
		}
		el, err := decodeElement(raw, i)
		if err != nil {
			return i, false, err
		}
		i++
		if !emit(el) {
			return i, true, nil
		}
	}
}

// pageMemory is what decoding a page needs and lets go when it is done:
// the scanner's buffer and the batch's tasks, kept in a pool so that a
// listing of many pages does not allocate them page after page.
type pageMemory struct {
	buf   []byte
	tasks []gen.Task
}

// maxPooled is the largest buffer that goes back to the pool: a page that
// made it grow past this (a task near WithMaxTaskSize) gives it back to
// the garbage collector.
const maxPooled = 1 << 20

var decodeMemory = sync.Pool{New: func() any { return new(pageMemory) }}

func (m *pageMemory) release() {
	if cap(m.buf) > maxPooled {
		m.buf = nil
	}
	clear(m.tasks[:cap(m.tasks)]) // no task of this page stays reachable
	m.tasks = m.tasks[:0]
	decodeMemory.Put(m)
}

// batch decodes elements together, in one array.
type batch struct {
	tasks []gen.Task // reused: cleared before each decode
}

// decode decodes the elements of buf at spans, the first of them element
// first of data, and emits each: together when they all decode as tasks,
// else each on its own.
func (b *batch) decode(buf []byte, spans []span, first int, emit func(*pageElement) bool) (n int, stopped bool, err error) {
	if len(spans) == 0 {
		return 0, false, nil
	}
	together := b.together(buf, spans)
	var one pageElement // one element at a time: emit keeps none of it
	for k, sp := range spans {
		raw := buf[sp.start:sp.end]
		el := &one
		if together {
			one = pageElement{index: first + k, raw: raw, task: b.tasks[k]}
		} else if el, err = decodeElement(raw, first+k); err != nil {
			return k, false, err
		}
		if !emit(el) {
			return k + 1, true, nil
		}
	}
	return len(spans), false, nil
}

// together decodes the elements at spans as one array into b.tasks, and
// reports whether they all decoded as tasks. The array is the bytes of buf
// themselves, from the byte before the first element (a bracket, a comma
// or white space, read over with '[' for the call) to the byte after the
// last (read over with ']'): nothing is copied.
func (b *batch) together(buf []byte, spans []span) bool {
	first, last := spans[0], spans[len(spans)-1]
	if len(spans) == 1 || first.start == 0 {
		return false // one element: decodeElement costs the same
	}
	for _, sp := range spans {
		if buf[sp.start] != '{' {
			return false // null or a scalar decodes without an error, but is no task
		}
	}
	before, after := buf[first.start-1], buf[last.end]
	buf[first.start-1], buf[last.end] = '[', ']'
	clear(b.tasks[:cap(b.tasks)]) // encoding/json decodes into what a slice's capacity holds
	b.tasks = b.tasks[:0]
	err := json.Unmarshal(buf[first.start-1:last.end+1], &b.tasks)
	buf[first.start-1], buf[last.end] = before, after
	return err == nil && len(b.tasks) == len(spans)
}

// decodeElement decodes element i of data from raw, its bytes. An element
// that is JSON but does not fit gen.Task, or is nested deeper than
// encoding/json reads, comes with its error, and a copy of raw; JSON that
// is malformed is an error that ends the page.
func decodeElement(raw []byte, i int) (*pageElement, error) {
	el := &pageElement{index: i, raw: raw}
	if err := json.Unmarshal(raw, &el.task); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) && !isMaxDepth(err) {
			return nil, fmt.Errorf("data[%d]: %w", i, err)
		}
		el.err = err // valid JSON (or nested too deep) that does not fit: the next element can still be read
	} else if raw[0] != '{' { // null decodes into a zero task, but is none
		el.err = &json.UnmarshalTypeError{Value: jsonkind.Of(raw), Type: taskType}
	}
	if el.err != nil {
		el.task = gen.Task{}
		el.raw = bytes.Clone(raw) // handed on with the error
	}
	return el, nil
}

// isMaxDepth reports whether err is encoding/json's error for a value
// nested deeper than it reads (10000 levels): such an element is balanced,
// so the elements after it can still be read.
func isMaxDepth(err error) bool {
	var syntax *json.SyntaxError
	return errors.As(err, &syntax) && strings.HasSuffix(syntax.Error(), "exceeded max depth")
}

// syntaxErrorOf is encoding/json's error for raw, which is not valid JSON.
func syntaxErrorOf(raw []byte) error {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	return errors.New("not valid JSON")
}

var taskType = reflect.TypeFor[gen.Task]()

// readTaskID reads the id of a task that does not decode: a string, or the
// text of a number; "" when there is none.
func readTaskID(raw []byte) string {
	var probe struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(raw, &probe) != nil || len(probe.ID) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(probe.ID, &s) == nil {
		return s
	}
	if jsonkind.Of(probe.ID) == "number" {
		return string(probe.ID)
	}
	return ""
}

// misfit is the first value of a JSON document that does not unmarshal
// into the Go type meant for it.
type misfit struct {
	pointer  string // JSON pointer, relative to the document
	expected string // what the Go type wants there
	got      string // what kind of JSON value came
}

// misfitOf is where the element el, which does not decode, goes wrong.
func misfitOf(el *pageElement) misfit {
	if isMaxDepth(el.err) {
		return misfit{expected: "JSON nested at most 10000 levels deep (encoding/json's limit)", got: "deeper nesting"}
	}
	return locateMisfit(el.raw, taskType)
}

// maxLocateDepth bounds the walk; encoding/json itself stops at 10000.
const maxLocateDepth = 64

// locateMisfit finds, in raw (valid JSON that does not unmarshal into a
// value of type t), the deepest first value in document order that does not
// fit. encoding/json names the failing field without array indexes (and a
// *time.ParseError names nothing), so the walk unmarshals sub-values again
// until it reaches the one that fails by itself. It only runs for tasks that
// failed, and costs a few decodes of that task.
func locateMisfit(raw []byte, t reflect.Type) misfit {
	if m, ok := locate(raw, t, 0); ok {
		return m
	}
	return misfit{expected: describeType(t), got: jsonkind.Of(raw)}
}

func locate(raw []byte, t reflect.Type, depth int) (misfit, bool) {
	raw = bytes.TrimSpace(raw)
	for t.Kind() == reflect.Pointer {
		if jsonkind.Of(raw) == "null" {
			return misfit{}, false
		}
		t = t.Elem()
	}
	if fits(raw, t) {
		return misfit{}, false
	}
	leaf := misfit{expected: describeType(t), got: jsonkind.Of(raw)}
	if depth >= maxLocateDepth || hasCustomUnmarshal(t) {
		return leaf, true
	}
	var child func(key string) (reflect.Type, bool)
	switch t.Kind() {
	case reflect.Struct:
		child = func(key string) (reflect.Type, bool) { return fieldType(t, key) }
	case reflect.Map:
		child = func(string) (reflect.Type, bool) { return t.Elem(), true }
	case reflect.Slice, reflect.Array:
		child = func(string) (reflect.Type, bool) { return t.Elem(), true }
	default:
		return leaf, true
	}
	found := false
	var inner misfit
	eachMember(raw, func(key string, value []byte) bool {
		ct, ok := child(key)
		if !ok {
			return true
		}
		if m, bad := locate(value, ct, depth+1); bad {
			inner, found = m, true
			inner.pointer = jsonptr.Join(key) + m.pointer
			return false
		}
		return true
	})
	if found {
		return inner, true
	}
	return leaf, true
}

// fits reports whether raw unmarshals into a new value of type t.
func fits(raw []byte, t reflect.Type) bool {
	return json.Unmarshal(raw, reflect.New(t).Interface()) == nil
}

var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func hasCustomUnmarshal(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return pt.Implements(jsonUnmarshalerType) || pt.Implements(textUnmarshalerType)
}

// eachMember calls fn with the key and value of each member of a JSON
// object, or the index and value of each element of an array, in document
// order, until fn returns false. raw is valid JSON.
func eachMember(raw []byte, fn func(key string, value []byte) bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil {
		return
	}
	switch tok {
	case json.Delim('{'):
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return
			}
			key, _ := tok.(string)
			var value json.RawMessage
			if dec.Decode(&value) != nil || !fn(key, value) {
				return
			}
		}
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			var value json.RawMessage
			if dec.Decode(&value) != nil || !fn(strconv.Itoa(i), value) {
				return
			}
		}
	}
}

// fieldType returns the type of the struct field that encoding/json fills
// from key: an exact name match first, then a case-insensitive one.
func fieldType(t reflect.Type, key string) (reflect.Type, bool) {
	var folded reflect.Type
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("json"); ok {
			tagName, _, _ := strings.Cut(tag, ",")
			if tagName == "-" {
				continue
			}
			if tagName != "" {
				name = tagName
			}
		} else if f.Anonymous && f.Type.Kind() == reflect.Struct {
			continue // its fields are promoted, and listed on their own
		}
		if name == key {
			return f.Type, true
		}
		if folded == nil && strings.EqualFold(name, key) {
			folded = f.Type
		}
	}
	return folded, folded != nil
}

// tolerantAccepts says in JSON terms what each type of package tolerant
// accepts (its documentation has the sources).
var tolerantAccepts = map[reflect.Type]string{
	reflect.TypeFor[tolerant.Time]():    "a date-time (RFC 3339, or YYYY-MM-DD HH:MM:SS)",
	reflect.TypeFor[tolerant.ID]():      "a string or an unsigned integer",
	reflect.TypeFor[tolerant.Bool]():    "true, false, 0 or 1",
	reflect.TypeFor[tolerant.UserRef](): "an integer or a user object",
}

// describeType says in JSON terms what a Go type accepts.
func describeType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[time.Time]() {
		return "an RFC 3339 date-time"
	}
	if accepts, ok := tolerantAccepts[t]; ok {
		return accepts
	}
	if hasCustomUnmarshal(t) {
		return "a value " + t.String() + " accepts"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.String:
		return "string"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return t.String()
}
