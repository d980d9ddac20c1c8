package tolerant

import (
	"time"
)

// Time is a date-time from a response. It embeds time.Time, so it reads as
// one: t.Format(...), t.Before(u), t.Time.
//
// It accepts a JSON string in either of the shapes Tallyfy's sources give a
// date-time:
//
//   - RFC 3339, with or without a fractional second:
//     "2025-05-15T14:30:00Z", "2025-05-15T14:30:00.000Z",
//     "2025-05-15T16:30:00+02:00". Tallyfy's documentation says responses
//     use this, and its Swagger's Date type shows "YYYY-mm-ddTHH:ii:ssZ".
//   - A space instead of the "T", with an optional fractional second and an
//     optional zone: "2025-04-16 09:00:00", "2025-04-16 09:00:00.5Z",
//     "2025-04-16 11:00:00+02:00". Tallyfy's Swagger types a task's
//     started_at (and a form field's dates) as RequestDate,
//     "YYYY-mm-dd HH:ii:ss", the shape its documentation gives request
//     dates. Without a zone the time is taken as UTC: Tallyfy's
//     documentation says its dates are UTC, and its MCP server sends
//     request dates in UTC in this shape.
//
// Nothing else is accepted: not a date without a time, not a "T" form
// without a zone, not a number. JSON null leaves the value unchanged (a
// nullable field is a *Time, which null leaves nil).
//
// A Time encodes as the exact text it was decoded from while its Time is
// unchanged; a Time changed or built in Go encodes as RFC 3339 (with
// nanoseconds when it has them), and the zero Time encodes as null.
type Time struct {
	time.Time

	raw  string    // the JSON string literal decoded, quotes included
	from time.Time // what raw decoded to; raw is stale once Time differs
}

// NewTime returns t as a Time, which encodes as RFC 3339.
func NewTime(t time.Time) Time { return Time{Time: t} }

// Layouts of the shapes Time accepts, after a space separator has been
// turned into "T". time.Parse accepts a fractional second after the seconds
// even though these layouts do not show one.
const (
	layoutZoned   = time.RFC3339
	layoutNoZone  = "2006-01-02T15:04:05"
	dateTimeWidth = len(layoutNoZone) // up to the seconds
)

// UnmarshalJSON accepts the shapes listed on Time; null changes nothing.
func (t *Time) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	s, ok := jsonString(b)
	if !ok {
		return decodeError("time", b, "a date-time string")
	}
	parsed, err := parseTime(s)
	if err != nil {
		return decodeError("time", b, "an RFC 3339 date-time or YYYY-MM-DD HH:MM:SS")
	}
	*t = Time{Time: parsed, raw: string(b), from: parsed}
	return nil
}

// MarshalJSON re-emits the decoded text while the value is unchanged.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.raw != "" && t.Time == t.from {
		return []byte(t.raw), nil
	}
	if t.IsZero() {
		return []byte("null"), nil
	}
	return t.Time.MarshalJSON()
}

// UnmarshalText accepts the same shapes as UnmarshalJSON, without quotes.
// Without it, the embedded time.Time's stricter UnmarshalText would be
// promoted.
func (t *Time) UnmarshalText(text []byte) error {
	parsed, err := parseTime(string(text))
	if err != nil {
		return decodeError("time", text, "an RFC 3339 date-time or YYYY-MM-DD HH:MM:SS")
	}
	*t = Time{Time: parsed}
	return nil
}

// parseTime parses the shapes Time accepts.
func parseTime(s string) (time.Time, error) {
	if len(s) >= dateTimeWidth && s[10] == ' ' {
		s = s[:10] + "T" + s[11:]
		if !hasZone(s) {
			return time.Parse(layoutNoZone, s)
		}
	}
	return time.Parse(layoutZoned, s)
}

// hasZone reports whether the date-time s, "YYYY-MM-DDTHH:MM:SS" with an
// optional fraction, goes on with a zone.
func hasZone(s string) bool {
	rest := s[dateTimeWidth:]
	if len(rest) > 0 && rest[0] == '.' {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		rest = rest[i:]
	}
	return rest != ""
}
