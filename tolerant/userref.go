package tolerant

import (
	"encoding/json"
	"strconv"
)

// UserRef is a member a task is assigned to, an item of owners.users. Most
// sources (Tallyfy's Swagger, its Python SDK, its single-task example)
// send the member's integer ID; Tallyfy's organization-task, create-task and
// update-task examples send an object {"id", "full_name", "profile_pic"}.
//
// It accepts either: an integer (u.ID set, FullName and ProfilePic empty), or
// an object with an integer "id" and an optional string (or null)
// "full_name" and "profile_pic". Anything else (a string, a fraction, an
// object without an id) is an error; JSON null leaves the value unchanged.
// Other keys of the object are not read (the drift check reports them) but
// are kept for re-encoding.
//
// A UserRef encodes as the exact text it was decoded from while ID, FullName
// and ProfilePic are unchanged. A UserRef changed or built in Go encodes as
// its ID alone, or as an object when it has a FullName or a ProfilePic; the
// zero UserRef encodes as null.
type UserRef struct {
	ID         int    // the member's ID
	FullName   string // empty unless the object form came with a name
	ProfilePic string // a URL; empty unless the object form came with one

	raw  string     // the JSON text decoded
	from userFields // what raw decoded to; raw is stale once the fields differ
}

// userFields are the exported fields of a UserRef, for telling a changed
// value from the decoded one.
type userFields struct {
	id                int
	fullName, picture string
}

func (u UserRef) fields() userFields { return userFields{u.ID, u.FullName, u.ProfilePic} }

// IsObject reports whether the member came as an object rather than a bare ID.
func (u UserRef) IsObject() bool { return u.raw != "" && u.raw[0] == '{' }

// UnmarshalJSON accepts an integer ID or a user object; null changes nothing.
func (u *UserRef) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	if len(b) > 0 && b[0] == '{' {
		return u.unmarshalObject(b)
	}
	id, err := parseUserID(b)
	if err != nil {
		return err
	}
	*u = UserRef{ID: id, raw: string(b)}
	u.from = u.fields()
	return nil
}

func (u *UserRef) unmarshalObject(b []byte) error {
	var obj struct {
		ID         json.RawMessage `json:"id"`
		FullName   json.RawMessage `json:"full_name"`
		ProfilePic json.RawMessage `json:"profile_pic"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return decodeError("user", b, "an integer or a user object")
	}
	if obj.ID == nil {
		return decodeError("user", b, `an object with an "id"`)
	}
	id, err := parseUserID(obj.ID)
	if err != nil {
		return err
	}
	name, err := optionalString(obj.FullName, "full_name")
	if err != nil {
		return err
	}
	picture, err := optionalString(obj.ProfilePic, "profile_pic")
	if err != nil {
		return err
	}
	*u = UserRef{ID: id, FullName: name, ProfilePic: picture, raw: string(b)}
	u.from = u.fields()
	return nil
}

// parseUserID reads a member ID: a JSON integer that fits an int.
func parseUserID(b []byte) (int, error) {
	if isJSONInteger(b) {
		if id, err := strconv.Atoi(string(b)); err == nil {
			return id, nil
		}
	}
	return 0, decodeError("user id", b, "an unsigned integer")
}

// optionalString reads a string member that may be absent or null.
func optionalString(b json.RawMessage, name string) (string, error) {
	if b == nil || isNull(b) {
		return "", nil
	}
	s, ok := jsonString(b)
	if !ok {
		return "", decodeError("user "+name, b, "a string or null")
	}
	return s, nil
}

// MarshalJSON re-emits the decoded text while the value is unchanged.
func (u UserRef) MarshalJSON() ([]byte, error) {
	if u.raw != "" && u.fields() == u.from {
		return []byte(u.raw), nil
	}
	if u == (UserRef{}) {
		return []byte("null"), nil
	}
	if u.FullName == "" && u.ProfilePic == "" {
		return strconv.AppendInt(nil, int64(u.ID), 10), nil
	}
	out := append([]byte(`{"id":`), strconv.Itoa(u.ID)...)
	if u.FullName != "" {
		out = appendJSONString(append(out, `,"full_name":`...), u.FullName)
	}
	if u.ProfilePic != "" {
		out = appendJSONString(append(out, `,"profile_pic":`...), u.ProfilePic)
	}
	return append(out, '}'), nil
}
