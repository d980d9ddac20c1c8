package tolerant_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/tallyfy-go/tallyfy/tolerant"
)

// roundTripper is what every tolerant type is: a JSON value that re-encodes.
type roundTripper interface {
	json.Unmarshaler
	json.Marshaler
}

// fuzzRoundTrip decodes data with encoding/json (which validates it and
// hands the value to UnmarshalJSON) and, when that succeeds, checks that
// the value re-encodes to what came in: exactly when exact, else as the same
// JSON value.
func fuzzRoundTrip(t *testing.T, data []byte, v roundTripper, exact bool) {
	if err := json.Unmarshal(data, v); err != nil {
		if len(err.Error()) > 200 {
			t.Fatalf("error of %d bytes: %.200s", len(err.Error()), err)
		}
		return
	}
	again, err := v.MarshalJSON()
	if err != nil {
		t.Fatalf("re-encode: %v", err)
	}
	in := bytes.TrimSpace(data)
	if bytes.Equal(in, []byte("null")) {
		return // null changes nothing: what re-encodes is the zero value
	}
	if exact {
		if !bytes.Equal(in, again) {
			t.Fatalf("re-encoded %q as %q", in, again)
		}
		return
	}
	var a, b any
	if json.Unmarshal(in, &a) != nil || json.Unmarshal(again, &b) != nil {
		t.Fatalf("re-encoded %q as %q, which does not decode", in, again)
	}
	if !bytes.Equal(mustMarshal(t, a), mustMarshal(t, b)) {
		t.Fatalf("re-encoded %q as %q", in, again)
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func FuzzTime(f *testing.F) {
	for _, s := range []string{`"2025-05-15T14:30:00.000Z"`, `"2025-04-16 09:00:00"`, `"2025-04-16 09:00:00.5+02:00"`, `null`, `"2025-02-30 09:00:00"`, `1`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRoundTrip(t, data, new(tolerant.Time), true)
	})
}

func FuzzID(f *testing.F) {
	for _, s := range []string{`"4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a99"`, `4411`, `9007199254740993`, `"a\/b"`, `4.5`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRoundTrip(t, data, new(tolerant.ID), false)
	})
}

func FuzzBool(f *testing.F) {
	for _, s := range []string{`true`, `false`, `0`, `1`, `"1"`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRoundTrip(t, data, new(tolerant.Bool), true)
	})
}

func FuzzUserRef(f *testing.F) {
	for _, s := range []string{`1234`, `{"id":1234,"full_name":"Ada","profile_pic":null}`, `{"full_name":"Ada"}`, `"1234"`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRoundTrip(t, data, new(tolerant.UserRef), true)
	})
}
