package recording

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// personalFields are the JSON keys whose string values identify a person,
// each with the stable fake that replaces them. Keys match in any case.
// "name" is not among them: in Tallyfy's answers it names runs, steps and
// groups, not people.
var personalFields = map[string]func(string) string{
	"first_name":      fakeText("Given"),
	"firstname":       fakeText("Given"),
	"last_name":       fakeText("Family"),
	"lastname":        fakeText("Family"),
	"full_name":       fakeText("Person"),
	"fullname":        fakeText("Person"),
	"display_name":    fakeText("Person"),
	"username":        fakeText("user"),
	"initials":        func(string) string { return "XX" },
	"phone":           fakePhone,
	"phone_number":    fakePhone,
	"mobile":          fakePhone,
	"mobile_number":   fakePhone,
	"profile_pic":     fakePicture,
	"profile_picture": fakePicture,
	"avatar":          fakePicture,
	"avatar_url":      fakePicture,
	"photo":           fakePicture,
	"photo_url":       fakePicture,
}

// fingerprint is a short stable hash of a value: the same value always gets
// the same fake, so recordings stay consistent with each other.
func fingerprint(v string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(v))))
	return hex.EncodeToString(sum[:4])
}

func fakeText(prefix string) func(string) string {
	return func(v string) string { return prefix + "-" + fingerprint(v) }
}

// fakePhone maps a number into 555-0100 to 555-0199, set aside for fiction.
func fakePhone(v string) string {
	sum := sha256.Sum256([]byte(v))
	return fmt.Sprintf("+1-555-01%02d", int(sum[0])%100)
}

func fakePicture(v string) string { return "https://example.com/avatars/" + fingerprint(v) + ".png" }

// redactJSON maps, in a JSON document, every e-mail address to one at
// example.com and every value of a personalFields key to its fake, string
// by string: an escaped string (\u0040 for "@", say) is decoded first and
// written back escaped as JSON needs, so that nothing escapes the patterns
// and the document stays valid JSON. Everything else is kept byte for byte.
func redactJSON(doc []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(doc))
	last := 0
	for i := 0; i < len(doc); i++ {
		if doc[i] != '"' {
			continue
		}
		end := stringEnd(doc, i)
		if end < 0 {
			break // not JSON: leave the rest as it is
		}
		literal := doc[i:end]
		value := literal
		// A key: its value, if a string, is the next literal after ':'.
		if j := skipSpace(doc, end); j < len(doc) && doc[j] == ':' {
			if k := skipSpace(doc, j+1); k < len(doc) && doc[k] == '"' {
				if fake, ok := personalFields[strings.ToLower(decodeString(literal))]; ok {
					vEnd := stringEnd(doc, k)
					if vEnd < 0 {
						break
					}
					if v := decodeString(doc[k:vEnd]); v != "" {
						out.Write(doc[last:k])
						out.Write(encodeString(fake(v)))
						last, i = vEnd, vEnd-1
						continue
					}
				}
			}
		}
		text := decodeString(value)
		if red := emailPattern.ReplaceAllStringFunc(text, exampleAddress); red != text {
			out.Write(doc[last:i])
			out.Write(encodeString(red))
			last = end
		}
		i = end - 1
	}
	if last == 0 {
		return doc
	}
	out.Write(doc[last:])
	return out.Bytes()
}

// stringEnd returns the index just past the JSON string literal that starts
// at doc[start] ('"'); -1 when it does not end.
func stringEnd(doc []byte, start int) int {
	for i := start + 1; i < len(doc); i++ {
		switch doc[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

func skipSpace(doc []byte, i int) int {
	for i < len(doc) && (doc[i] == ' ' || doc[i] == '\t' || doc[i] == '\n' || doc[i] == '\r') {
		i++
	}
	return i
}

// decodeString returns the text of a JSON string literal ("" if invalid).
func decodeString(literal []byte) string {
	if bytes.IndexByte(literal, '\\') < 0 {
		return string(literal[1 : len(literal)-1])
	}
	var s string
	_ = json.Unmarshal(literal, &s)
	return s
}

// encodeString writes s as a JSON string literal, HTML characters as they are.
func encodeString(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
