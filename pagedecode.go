package tallyfy

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tallyfy-go/tallyfy/gen"
)

// errPageShape is wrapped by errors about a page that is JSON but not a task list.
var errPageShape = errors.New("not a task list")

// decodeTaskPage reads a task-list page ({"data": [...], "meta": {...}})
// from r as a stream, handing each task of data to emit as soon as it is
// decoded, so that memory does not grow with the page. It stops early, with
// stopped true, when emit returns false. It returns meta (nil when the page
// has none). Keys other than data and meta are skipped; a page with two data
// keys is an error, since its tasks would be ambiguous.
func decodeTaskPage(r io.Reader, emit func(gen.Task) bool) (meta *gen.ListMeta, stopped bool, err error) {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return nil, false, err
	}
	sawData := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, false, err
		}
		// Keys match as encoding/json (and so the generated types) match
		// them: case-insensitively.
		key, _ := tok.(string)
		switch {
		case strings.EqualFold(key, "data"):
			if sawData {
				return nil, false, fmt.Errorf("%w: \"data\" appears twice", errPageShape)
			}
			sawData = true
			stopped, err := decodeTasks(dec, emit)
			if err != nil || stopped {
				return nil, stopped, err
			}
		case strings.EqualFold(key, "meta"):
			var m *gen.ListMeta
			if err := dec.Decode(&m); err != nil {
				return nil, false, fmt.Errorf("meta: %w", err)
			}
			meta = m
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, false, err
			}
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, false, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false, fmt.Errorf("%w: data after the top-level object", errPageShape)
	}
	if !sawData {
		return nil, false, fmt.Errorf("%w: no \"data\" key", errPageShape)
	}
	return meta, false, nil
}

func decodeTasks(dec *json.Decoder, emit func(gen.Task) bool) (stopped bool, err error) {
	tok, err := dec.Token()
	if err != nil {
		return false, err
	}
	if tok == nil { // "data": null
		return false, nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return false, fmt.Errorf("%w: \"data\" is %v, not an array", errPageShape, describeToken(tok))
	}
	for i := 0; dec.More(); i++ {
		var task gen.Task
		if err := dec.Decode(&task); err != nil {
			return false, fmt.Errorf("data[%d]: %w", i, err)
		}
		if !emit(task) {
			return true, nil
		}
	}
	return false, expectDelim(dec, ']')
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
