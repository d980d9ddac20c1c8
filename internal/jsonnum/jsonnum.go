// Package jsonnum decodes untyped JSON the one way the checks read it:
// numbers kept as written, as json.Number (a float64 would round large
// integers and lose "25.0" against "25"), and exactly one value per input.
package jsonnum

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// ErrNoValue is the error for an input that is empty or only white space.
var ErrNoValue = errors.New("no JSON value")

// TrailingDataError is the error for an input with more than white space
// after its value: encoding/json's Decoder would stop at the value and
// leave the rest unread.
type TrailingDataError struct {
	// Offset is where the data after the value starts, in bytes.
	Offset int64
}

// Error says where the data after the value starts.
func (e *TrailingDataError) Error() string {
	return fmt.Sprintf("data after the JSON value, at byte %d", e.Offset)
}

// Decode decodes data, one JSON value and nothing after it but white
// space, into map[string]any, []any, string, json.Number, bool or nil.
// Its errors are ErrNoValue, a *TrailingDataError, or encoding/json's
// (a *json.SyntaxError, io.ErrUnexpectedEOF for a value cut short).
func Decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var value any
	if err := dec.Decode(&value); err != nil {
		if len(trimSpace(data)) == 0 {
			return nil, ErrNoValue
		}
		return nil, err
	}
	end := dec.InputOffset()
	if rest := trimSpace(data[end:]); len(rest) > 0 {
		return nil, &TrailingDataError{Offset: int64(len(data) - len(rest))}
	}
	return value, nil
}

// trimSpace drops JSON's white space (space, tab, CR, LF) from the start
// of b.
func trimSpace(b []byte) []byte { return bytes.TrimLeft(b, " \t\r\n") }
