package tolerant

// Bool is a boolean that a source documents as the integer 0 or 1: the
// Swagger copy kept by Microsoft's Power Platform connectors types a
// standalone task's is_completable as an integer, where Tallyfy's own
// Swagger and every other source say boolean. Read it as b.Bool, the way
// database/sql's NullBool reads.
//
// It accepts true, false, 0 and 1 (JSON numbers). Nothing else: not "0" or
// "1" as strings, not 2, not "true", which no source documents. JSON null
// leaves the value unchanged (a nullable field is a *Bool, which null
// leaves nil).
//
// A Bool encodes in the shape it came in (a 0 or 1 as a number, also after
// Bool is changed); one built in Go encodes as true or false.
type Bool struct {
	Bool bool // the value, whichever shape it came in

	numeric bool // it came as 0 or 1
}

// NewBool returns v as a Bool, which encodes as true or false.
func NewBool(v bool) Bool { return Bool{Bool: v} }

// IsNumeric reports whether the value came as 0 or 1.
func (b Bool) IsNumeric() bool { return b.numeric }

// UnmarshalJSON accepts true, false, 0 and 1; null changes nothing.
func (b *Bool) UnmarshalJSON(data []byte) error {
	switch string(data) {
	case "null":
	case "true":
		*b = Bool{Bool: true}
	case "false":
		*b = Bool{Bool: false}
	case "1":
		*b = Bool{Bool: true, numeric: true}
	case "0":
		*b = Bool{Bool: false, numeric: true}
	default:
		return decodeError("bool", data, "true, false, 0 or 1")
	}
	return nil
}

// MarshalJSON encodes the value in the shape it came in.
func (b Bool) MarshalJSON() ([]byte, error) {
	switch {
	case b.numeric && b.Bool:
		return []byte("1"), nil
	case b.numeric:
		return []byte("0"), nil
	case b.Bool:
		return []byte("true"), nil
	}
	return []byte("false"), nil
}
