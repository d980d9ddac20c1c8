package tolerant

// ID is an identifier that Tallyfy's sources type as a string in one place
// and as an integer in another: a thread's id (an integer in the Swagger
// copy kept by Microsoft's Power Platform connectors, a string in Tallyfy's
// own Swagger and its MCP server), a step's id (an integer in the former, a
// string elsewhere), a form field's id (a string in Tallyfy's examples, an
// integer in its Swagger's Capture), an asset subject's id (an integer in
// Tallyfy's Swagger), a task owner group's id (32 hex characters per
// Tallyfy's MCP server, an integer in an older model of its Python SDK).
//
// It accepts a JSON string (any text) or a JSON number written as an
// integer without a sign, and keeps the number's text exactly as sent (no
// float64 rounding, so 9007199254740993 stays 9007199254740993). It prints
// (String) as that text either way. Anything else (a fraction, an exponent,
// a negative number, true, an object) is an error. JSON null leaves the
// value unchanged.
//
// An ID encodes in the shape it came in: a string as a string, a number as
// a number. The zero ID encodes as null.
type ID struct {
	text string
	kind idKind
}

type idKind uint8

const (
	idUnset idKind = iota
	idString
	idNumber
)

// NewID returns the ID whose text is s; it encodes as a JSON string.
func NewID(s string) ID { return ID{text: s, kind: idString} }

// String returns the ID's text: the string sent, or the number's digits.
func (id ID) String() string { return id.text }

// IsNumber reports whether the ID came as a JSON number.
func (id ID) IsNumber() bool { return id.kind == idNumber }

// IsZero reports whether the ID was never set (decoded or built).
func (id ID) IsZero() bool { return id.kind == idUnset }

// UnmarshalJSON accepts a string or an unsigned integer; null changes nothing.
func (id *ID) UnmarshalJSON(b []byte) error {
	switch {
	case isNull(b):
		return nil
	case isJSONInteger(b):
		*id = ID{text: string(b), kind: idNumber}
		return nil
	}
	s, ok := jsonString(b)
	if !ok {
		return decodeError("id", b, "a string or an unsigned integer")
	}
	*id = ID{text: s, kind: idString}
	return nil
}

// MarshalJSON encodes the ID in the shape it came in.
func (id ID) MarshalJSON() ([]byte, error) {
	switch id.kind {
	case idNumber:
		return []byte(id.text), nil
	case idString:
		return appendJSONString(nil, id.text), nil
	}
	return []byte("null"), nil
}
