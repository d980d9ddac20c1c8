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
	"time"

	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/internal/jsonkind"
	"github.com/tallyfy-go/tallyfy/internal/jsonptr"
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
// read, so that memory does not grow with the page. An element that is JSON
// but does not fit gen.Task comes with its error and the decoding goes on;
// JSON that is malformed, or not a task list, ends it with an error. No
// single value (a task, meta, an unknown key's value) may take more than
// maxValue bytes: a larger one ends the decoding with an *overLimit error
// before it is held whole. Decoding stops early, with stopped true, when
// emit returns false. Keys other than data and meta are skipped; a page with
// two data keys is an error, since its tasks would be ambiguous.
func decodeTaskPage(r io.Reader, maxValue int64, emit func(*pageElement) bool) (tail pageTail, stopped bool, err error) {
	br := &budgetReader{r: r}
	dec := json.NewDecoder(br)
	// allow lets the decoder read one more value of at most maxValue bytes.
	allow := func() { br.mark(dec.InputOffset(), maxValue) }
	overAt := func(err error, index int) error {
		if errors.Is(err, errOverBudget) {
			return &overLimit{index: index}
		}
		return err
	}

	allow()
	if err := expectDelim(dec, '{'); err != nil {
		return tail, false, overAt(err, -1)
	}
	sawData := false
	for {
		allow()
		if !dec.More() {
			break
		}
		tok, err := dec.Token()
		if err != nil {
			return tail, false, overAt(err, -1)
		}
		// Keys match as encoding/json (and so the generated types) match
		// them: case-insensitively.
		key, _ := tok.(string)
		switch {
		case strings.EqualFold(key, "data"):
			if sawData {
				return tail, false, fmt.Errorf("%w: \"data\" appears twice", errPageShape)
			}
			sawData = true
			n, stopped, err := decodeTasks(dec, br, allow, emit)
			tail.tasks = n
			if err != nil || stopped {
				return tail, stopped, overAt(err, n)
			}
		case strings.EqualFold(key, "meta"):
			var m json.RawMessage
			allow()
			if err := dec.Decode(&m); err != nil {
				return tail, false, overAt(fmt.Errorf("meta: %w", err), -1)
			}
			tail.meta = m
		default:
			var skip json.RawMessage
			allow()
			if err := dec.Decode(&skip); err != nil {
				return tail, false, overAt(err, -1)
			}
		}
	}
	allow()
	if err := expectDelim(dec, '}'); err != nil {
		return tail, false, overAt(err, -1)
	}
	allow()
	if _, err := dec.Token(); err != io.EOF {
		if errors.Is(err, errOverBudget) {
			return tail, false, &overLimit{index: -1}
		}
		return tail, false, fmt.Errorf("%w: data after the top-level object", errPageShape)
	}
	if !sawData {
		return tail, false, fmt.Errorf("%w: no \"data\" key", errPageShape)
	}
	return tail, false, nil
}

// decodeTasks reads the value of data, element by element. n is how many
// elements it read (and, on an error, the index of the element it failed on).
//
// Each element is decoded straight into a gen.Task, in one pass as
// encoding/json's Decoder does it. When that fails after the element was
// read whole (a type error, a date that does not parse), the element's bytes
// come from what br recorded, and the stream is still in step: the next
// element can be decoded. When the element could not be read whole (the
// JSON is malformed, cut off, or over the limit), the error ends the page.
func decodeTasks(dec *json.Decoder, br *budgetReader, allow func(), emit func(*pageElement) bool) (n int, stopped bool, err error) {
	allow()
	tok, err := dec.Token()
	if err != nil {
		return 0, false, err
	}
	if tok == nil { // "data": null
		return 0, false, nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return 0, false, fmt.Errorf("%w: \"data\" is %v, not an array", errPageShape, describeToken(tok))
	}
	for i := 0; ; i++ {
		allow()
		if !dec.More() {
			break
		}
		start := dec.InputOffset()
		el := pageElement{index: i}
		decodeErr := dec.Decode(&el.task)
		el.raw = trimElement(br.since(start, dec.InputOffset()))
		switch {
		case decodeErr != nil && !json.Valid(el.raw): // not read whole
			return i, false, fmt.Errorf("data[%d]: %w", i, decodeErr)
		case decodeErr != nil:
			el.err = decodeErr
		case el.raw[0] != '{': // null decodes into a zero task, but is none
			el.err = &json.UnmarshalTypeError{Value: jsonkind.Of(el.raw), Type: taskType}
		}
		if el.err != nil {
			el.task = gen.Task{}
			el.raw = bytes.Clone(el.raw) // handed on with the error
		}
		n = i + 1
		if !emit(&el) {
			return n, true, nil
		}
	}
	allow()
	return n, false, expectDelim(dec, ']')
}

// trimElement cuts the separator the decoder consumed before an element.
func trimElement(raw []byte) []byte {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) > 0 && raw[0] == ',' {
		raw = bytes.TrimLeft(raw[1:], " \t\r\n")
	}
	return bytes.TrimRight(raw, " \t\r\n")
}

var taskType = reflect.TypeFor[gen.Task]()

// errOverBudget is what a budgetReader says past its limit.
var errOverBudget = errors.New("over the read budget")

// budgetReader hands on at most limit bytes in all, so that a decoder
// reading through it cannot buffer more than one bounded value ahead. It
// also keeps what it handed on since the last mark, so that the bytes of
// the value being decoded can be had back (since).
type budgetReader struct {
	r     io.Reader
	read  int64 // bytes handed on
	limit int64 // read may not pass this

	rec     []byte // bytes handed on, from offset recBase to read
	recBase int64
	keep    int // index in rec of the last mark's offset
}

func (b *budgetReader) Read(p []byte) (int, error) {
	left := b.limit - b.read
	if left <= 0 {
		return 0, errOverBudget
	}
	if int64(len(p)) > left {
		p = p[:left]
	}
	n, err := b.r.Read(p)
	b.rec = append(b.rec, p[:n]...)
	b.read += int64(n)
	return n, err
}

// mark lets the reader hand on max bytes past offset (the decoder's
// position), and forgets what it recorded before offset.
func (b *budgetReader) mark(offset, max int64) {
	b.limit = offset + max
	b.keep = int(offset - b.recBase)
	if b.keep > len(b.rec)/2 && b.keep >= 4096 { // compact now and then: linear in all
		n := copy(b.rec, b.rec[b.keep:])
		b.rec = b.rec[:n]
		b.recBase = offset
		b.keep = 0
	}
}

// since returns the bytes recorded from offset from to offset to, both at
// or after the last mark; it is valid until the next Read or mark.
func (b *budgetReader) since(from, to int64) []byte {
	return b.rec[from-b.recBase : to-b.recBase]
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return io.ErrUnexpectedEOF
		}
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("%w: want %q, got %v", errPageShape, want, describeToken(tok))
	}
	return nil
}

func describeToken(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		return fmt.Sprintf("%q", t.String())
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", tok)
}

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
