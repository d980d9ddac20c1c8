package drift

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/tallyfy-go/tallyfy/internal/jsonnum"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// decodeJSON decodes a whole body once, numbers as json.Number (as
// kin-openapi does, so integers keep their precision), and rejects trailing
// data, which kin-openapi's own decoder ignores. Its errors say where the
// body breaks, never what it holds.
func decodeJSON(body []byte) (any, error) { return decodeJSONSized(body, nil) }

// decodeJSONSized is decodeJSON with the object sizes of earlier calls
// (see fastDecode).
func decodeJSONSized(body []byte, sizes *objectSizes) (any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, errors.New("the body is empty, not JSON")
	}
	if value, ok := fastDecode(body, sizes); ok {
		return value, nil
	}
	value, err := jsonnum.Decode(body)
	if err != nil {
		return nil, jsonError(err)
	}
	return value, nil
}

// jsonError describes a decoding error by its kind and offset.
func jsonError(err error) error {
	var syntax *json.SyntaxError
	var trailing *jsonnum.TrailingDataError
	switch {
	case errors.As(err, &trailing):
		return fmt.Errorf("the body is not JSON: data after the value, at byte %d", trailing.Offset)
	case errors.As(err, &syntax):
		// The message names at most one character ("invalid character '<'
		// looking for beginning of value"): enough to tell HTML from JSON.
		return fmt.Errorf("the body is not JSON: %s, at byte %d", textcut.Cut(syntax.Error(), 80), syntax.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the body is not JSON: it ends in the middle of a value")
	default:
		return errors.New("the body is not JSON")
	}
}
