package tallyfy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/tallyfy-go/tallyfy/gen"
)

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
	meta  json.RawMessage // the value of "meta" (nil when the page has none)
	tasks int             // how many elements data held
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
	allow := func() { br.limit = dec.InputOffset() + maxValue }
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
			n, stopped, err := decodeTasks(dec, allow, emit)
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
func decodeTasks(dec *json.Decoder, allow func(), emit func(*pageElement) bool) (n int, stopped bool, err error) {
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
	var buf json.RawMessage // reused from one task to the next
	for i := 0; ; i++ {
		allow()
		if !dec.More() {
			break
		}
		buf = buf[:0]
		if err := dec.Decode(&buf); err != nil {
			return i, false, fmt.Errorf("data[%d]: %w", i, err)
		}
		el := pageElement{index: i, raw: buf}
		if el.err = decodeTask(buf, &el.task); el.err != nil {
			el.raw = bytes.Clone(buf) // handed on with the error
		}
		n = i + 1
		if !emit(&el) {
			return n, true, nil
		}
	}
	allow()
	return n, false, expectDelim(dec, ']')
}

// decodeTask unmarshals one element of data. Anything but an object (null
// included) is not a task.
func decodeTask(raw []byte, task *gen.Task) error {
	if kind := jsonKind(raw); kind != "object" {
		return &json.UnmarshalTypeError{Value: kind, Type: taskType}
	}
	return json.Unmarshal(raw, task)
}

var taskType = reflect.TypeFor[gen.Task]()

// errOverBudget is what a budgetReader says past its limit.
var errOverBudget = errors.New("over the read budget")

// budgetReader hands on at most limit bytes in all, so that a decoder
// reading through it cannot buffer more than one bounded value ahead.
type budgetReader struct {
	r     io.Reader
	read  int64
	limit int64
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
	b.read += int64(n)
	return n, err
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
