package tallyfy

import (
	"bytes"
	"encoding"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"reflect"
	"strconv"
	"strings"
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
	sc := &pageScanner{r: r, max: maxValue}
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
	var b batch
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

// span is where one element lies in the scanner's buffer.
type span struct{ start, end int }

// held scans the elements that the bytes read so far hold whole, from
// element i on, without reading more: their spans, and whether the array
// ended among them. What it cannot finish it leaves unread.
func (s *pageScanner) held(i int) (spans []span, ended bool, err error) {
	for {
		at := s.pos
		c, ok := s.skipHeld()
		if !ok {
			return spans, false, nil
		}
		if c == ']' {
			s.pos++
			return spans, true, nil
		}
		if i+len(spans) > 0 {
			if c != ',' {
				return spans, false, fmt.Errorf("%w: want ',' or ']', got %s", errPageShape, describeByte(c))
			}
			s.pos++
			if _, ok := s.skipHeld(); !ok {
				s.pos = at
				return spans, false, nil
			}
		}
		start := s.pos
		end, err := s.scan(start)
		if err != nil {
			return spans, false, err
		}
		if end < 0 || end == len(s.buf) { // cut by the read, or a literal that may go on
			s.pos = at
			return spans, false, nil
		}
		s.pos = end
		spans = append(spans, span{start, end})
	}
}

// skipHeld skips white space without reading more; ok is false when the
// bytes read so far end first, or hold more white space than a value may
// take.
func (s *pageScanner) skipHeld() (c byte, ok bool) {
	for i := s.pos; i < len(s.buf) && int64(i-s.pos) <= s.max; i++ {
		switch c := s.buf[i]; c {
		case ' ', '\t', '\n', '\r':
		default:
			s.pos = i
			return c, true
		}
	}
	return 0, false
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
	for k, sp := range spans {
		raw := buf[sp.start:sp.end]
		var el *pageElement
		if together {
			el = &pageElement{index: first + k, raw: raw, task: b.tasks[k]}
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

// errOverBudget is what a pageScanner says of a value past its limit.
var errOverBudget = errors.New("over the read budget")

// pageScanner reads a page's JSON from r and finds where each value ends,
// by its brackets and strings, without decoding it: the cheap half of a
// JSON scan, which leaves the validation to the decoding of the value.
// It holds at most one value (of at most max bytes) and what one read
// brought beyond it.
type pageScanner struct {
	r    io.Reader
	max  int64  // the most bytes of one value, and of the white space before it
	buf  []byte // buf[pos:] is read and not yet consumed
	pos  int
	rerr error // the reader's error, once met
}

// scanChunk is the least room the scanner's buffer keeps for a read, and
// maxRead the most one read asks for: past a value's limit, the scanner
// reads at most maxRead bytes more before it says so.
const (
	scanChunk = 64 << 10
	maxRead   = 64 << 10
)

// more reads more of the stream into buf, keeping buf[keep:] and dropping
// what is before it; it returns how far the kept bytes moved. At the end
// of the stream it returns the reader's error (io.EOF).
func (s *pageScanner) more(keep int) (shift int, err error) {
	if s.rerr != nil {
		return 0, s.rerr
	}
	if keep > 0 {
		n := copy(s.buf, s.buf[keep:])
		s.buf = s.buf[:n]
		s.pos -= keep
	}
	if cap(s.buf)-len(s.buf) < scanChunk/2 {
		grown := make([]byte, len(s.buf), max(2*cap(s.buf), len(s.buf)+scanChunk))
		copy(grown, s.buf)
		s.buf = grown
	}
	n, err := s.r.Read(s.buf[len(s.buf):min(cap(s.buf), len(s.buf)+maxRead)])
	s.buf = s.buf[:len(s.buf)+n]
	if err != nil {
		s.rerr = err
		if n > 0 {
			err = nil
		}
	}
	if n == 0 && err == nil {
		return keep, nil // a reader that read nothing: ask again
	}
	return keep, err
}

// next skips white space and returns the next byte, not consuming it. At
// the end of the stream it returns io.ErrUnexpectedEOF.
func (s *pageScanner) next() (byte, error) {
	start := s.pos
	for {
		for s.pos < len(s.buf) {
			switch c := s.buf[s.pos]; c {
			case ' ', '\t', '\n', '\r':
				s.pos++
			default:
				return c, nil
			}
		}
		if int64(s.pos-start) > s.max {
			return 0, errOverBudget
		}
		shift, err := s.more(s.pos)
		start -= shift
		if err == io.EOF {
			return 0, io.ErrUnexpectedEOF
		}
		if err != nil {
			return 0, err
		}
	}
}

// expect consumes the byte c, after white space.
func (s *pageScanner) expect(c byte) error {
	got, err := s.next()
	if err != nil {
		return err
	}
	if got != c {
		if !strings.ContainsRune(`{["-0123456789tfn`, rune(got)) {
			return fmt.Errorf("invalid character %s looking for beginning of value", strconv.QuoteRune(rune(got)))
		}
		return fmt.Errorf("%w: want %q, got %s", errPageShape, string(c), describeByte(got))
	}
	s.pos++
	return nil
}

// key reads an object key and the colon after it.
func (s *pageScanner) key() (string, error) {
	c, err := s.next()
	if err != nil {
		return "", err
	}
	if c != '"' {
		return "", fmt.Errorf("%w: want a key, got %s", errPageShape, describeByte(c))
	}
	raw, err := s.value()
	if err != nil {
		return "", err
	}
	var key string
	if err := json.Unmarshal(raw, &key); err != nil {
		return "", err
	}
	return key, s.expect(':')
}

// end checks that nothing but white space follows the page.
func (s *pageScanner) end() error {
	c, err := s.next()
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil
	case err != nil:
		return err
	}
	return fmt.Errorf("%w: data after the top-level object, starting with %s", errPageShape, describeByte(c))
}

// value returns the bytes of the next value, after white space: an object
// or an array to its closing bracket, a string to its closing quote, a
// number or a literal to the byte that ends it. They are valid until the
// next call. Brackets must balance, whatever is between them: the value
// is checked when it is decoded.
func (s *pageScanner) value() ([]byte, error) {
	if _, err := s.next(); err != nil {
		return nil, err
	}
	start := s.pos
	end, err := s.scanFrom(&start)
	if err != nil {
		return nil, err
	}
	s.pos = end
	return s.buf[start:end], nil
}

// scanFrom scans the value at *start, reading more as it needs (and
// keeping *start in step when the buffer moves), and returns where it
// ends. It is linear in the value: a scan cut by a read goes on where it
// stopped.
func (s *pageScanner) scanFrom(start *int) (int, error) {
	st := scanState{i: *start}
	for {
		end, err := s.scanAt(*start, &st)
		if err != errMore {
			return end, err
		}
		if int64(len(s.buf)-*start) > s.max {
			return 0, errOverBudget
		}
		shift, err := s.more(*start)
		*start -= shift
		st.i -= shift
		switch {
		case err == io.EOF && st.depth == 0 && !st.inString && s.literalAt(*start):
			return st.i, nil // a number or a literal that ends the stream
		case err == io.EOF:
			return 0, io.ErrUnexpectedEOF
		case err != nil:
			return 0, err
		}
	}
}

// scan scans the value at start within the bytes read so far, and returns
// where it ends; -1 when it goes on past them.
func (s *pageScanner) scan(start int) (int, error) {
	st := scanState{i: start}
	end, err := s.scanAt(start, &st)
	if err == errMore {
		return -1, nil
	}
	return end, err
}

// errMore says that a value goes on past the bytes read so far.
var errMore = errors.New("the value goes on")

// literalAt reports whether the value at start is a number or a literal,
// which the end of the stream ends.
func (s *pageScanner) literalAt(start int) bool {
	c := s.buf[start]
	return c != '"' && c != '{' && c != '['
}

// scanState is where a scan of one value stands, so that a scan cut by a
// read goes on where it stopped.
type scanState struct {
	i        int  // the next byte to look at
	depth    int  // brackets open
	inString bool // i is inside a string
	escaped  bool // buf[i] is escaped by the backslash before it
}

// scanAt goes on with the scan st of the value that starts at start, and
// returns where the value ends, or errMore when the bytes read so far end
// first. No value, and no white space before it, takes more than s.max
// bytes.
func (s *pageScanner) scanAt(start int, st *scanState) (int, error) {
	end, err := s.scanOn(start, st)
	if err == nil && int64(end-start) > s.max {
		return 0, errOverBudget
	}
	return end, err
}

func (s *pageScanner) scanOn(start int, st *scanState) (int, error) {
	buf := s.buf
	i := st.i
	defer func() { st.i = i }()
	for {
		if int64(i-start) > s.max {
			return 0, errOverBudget
		}
		if st.inString {
			end, escaped, ok := stringEnd(buf, i, st.escaped)
			if !ok {
				i, st.escaped = len(buf), escaped
				return 0, errMore
			}
			i, st.inString = end, false
			if st.depth == 0 {
				return i, nil
			}
		}
		// The bytes outside strings, up to the next one the scan stops at.
		for i < len(buf) && scanClass[buf[i]] == 0 {
			i++
		}
		if i == len(buf) {
			if int64(i-start) > s.max {
				return 0, errOverBudget
			}
			return 0, errMore
		}
		switch b := buf[i]; {
		case b == '"':
			st.inString = true
			i++
		case b == '{' || b == '[':
			st.depth++
			i++
		case b == '}' || b == ']':
			if st.depth == 0 { // a scalar ends at its container's close
				return i, nil
			}
			st.depth--
			i++
			if st.depth == 0 {
				return i, nil
			}
		case st.depth == 0: // a comma or white space ends a number or a literal
			return i, nil
		default:
			i++
		}
	}
}

// stringEnd finds the quote that closes a string whose content goes on at
// buf[i] (escaped: buf[i] is escaped by a backslash before it), and returns
// the index just past it; ok is false when buf ends first, and escaped
// then says whether the byte after buf's end is escaped.
//
// It looks at eight bytes at a time: a byte of a word equals c exactly
// where the word XOR c has a zero byte, which the lowest set bit of
// (y - 0x01…01) &^ y & 0x80…80 marks.
func stringEnd(buf []byte, i int, escaped bool) (end int, stillEscaped, ok bool) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for {
		if escaped {
			if i >= len(buf) {
				return 0, true, false
			}
			escaped = false
			i++
		}
		for ; i+8 <= len(buf); i += 8 {
			w := binary.LittleEndian.Uint64(buf[i:])
			q, b := w^(ones*'"'), w^(ones*'\\')
			if m := ((q - ones) &^ q & highs) | ((b - ones) &^ b & highs); m != 0 {
				i += bits.TrailingZeros64(m) / 8
				break
			}
		}
		for ; i < len(buf) && buf[i] != '"' && buf[i] != '\\'; i++ {
		}
		if i == len(buf) {
			return 0, false, false
		}
		if buf[i] == '"' {
			return i + 1, false, true
		}
		escaped = true // a backslash
		i++
	}
}

// scanClass marks the bytes the scanner stops at: quotes, brackets, and
// what ends a number or a literal.
var scanClass = func() (t [256]uint8) {
	for _, b := range []byte("\"{}[], \t\n\r") {
		t[b] = 1
	}
	return t
}()

// describeByte names the byte a page had where it should not.
func describeByte(c byte) string {
	switch {
	case c == '"':
		return "a string"
	case c == '-' || (c >= '0' && c <= '9'):
		return "a number"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c > ' ' && c < 0x7f:
		return strconv.Quote(string(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
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
