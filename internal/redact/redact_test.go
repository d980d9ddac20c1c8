package redact

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

const secret = "tok-9f8e7d6c5b4a/SECRET+x=" // long enough: removed anywhere

// jsonEscapeAll writes every character of s as \uXXXX.
func jsonEscapeAll(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, `\u%04X`, r)
	}
	return b.String()
}

func TestSecretsRemoveEveryFormOfTheSecret(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"raw", "Bearer " + secret + " echoed", "Bearer [redacted] echoed"},
		{"twice, glued to text", "a" + secret + secret + "b", "a[redacted][redacted]b"},
		{"slash escaped", `{"t":"` + strings.ReplaceAll(secret, "/", `\/`) + `"}`, `{"t":"[redacted]"}`},
		{"every character \\u-escaped", `{"t":"` + jsonEscapeAll(secret) + `"}`, `{"t":"[redacted]"}`},
		{"lower-case \\u escape of one letter", `"tok-9f8e7d6c5b4\u0061/SECRET+x="`, `"[redacted]"`},
		{"query-escaped", "?access_token=" + url.QueryEscape(secret) + "&page=2", "?access_token=[redacted]&page=2"},
		{"path-escaped", "/x/" + url.PathEscape(secret) + "/y", "/x/[redacted]/y"},
		{"lower-case percent escapes", "?t=tok-9f8e7d6c5b4a%2fSECRET%2bx%3d", "?t=[redacted]"},
		{"nothing to remove", "nothing here: tok-9f8e7d6c5b4a/SECRET", "nothing here: tok-9f8e7d6c5b4a/SECRET"},
		{"a backslash that is no escape", `\q` + secret, `\q[redacted]`},
	}
	s := New(secret)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, s.Text(tc.in))
			assert.Equal(t, tc.want, string(s.Bytes([]byte(tc.in))))
			assert.Equal(t, tc.in != tc.want, s.Contains([]byte(tc.in)))
		})
	}
}

func TestSecretsNeverGarbleAMessage(t *testing.T) {
	const msg = "tallyfy: GET /api/x: the server sent nothing for 5s (e-mail me)"
	cases := []struct {
		name, secret, in, want string
	}{
		{"one character", "e", msg, msg},
		{"white space only", " \n\t", msg, msg},
		{"short, inside words", "the", "other themes", "other themes"},
		{"short, as a whole token", "abc123", "Bearer abc123 was refused", "Bearer [redacted] was refused"},
		{"short, JSON-escaped whole token", "abc123", `{"t":"\u0061bc123"}`, `{"t":"[redacted]"}`},
		{"short, inside a longer token", "abc123", "xabc123 abc1234", "xabc123 abc1234"},
		{"pasted with a newline", secret + "\n", "echo " + secret + "\n", "echo [redacted]\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, New(tc.secret).Text(tc.in))
		})
	}
}

func TestSecretsDoNotFormatTheirValues(t *testing.T) {
	s := New(secret)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		assert.NotContains(t, fmt.Sprintf(verb, s), "SECRET", verb)
		assert.NotContains(t, fmt.Sprintf(verb, &s), "SECRET", verb)
	}
}

func TestTokenTrimsWhatNewClientTrims(t *testing.T) {
	assert.Equal(t, "abc", Token(" abc\r\n"))
	assert.Empty(t, Token("\n"))
}

func TestURLDropsCredentials(t *testing.T) {
	cases := []struct{ in, want string }{
		{"https://go.tallyfy.com/api/organizations/o/tasks?page=2", "https://go.tallyfy.com/api/organizations/o/tasks?page=2"},
		{"https://go.tallyfy.com/api/x?access_token=abc&page=2", "https://go.tallyfy.com/api/x?page=2"},
		{"https://go.tallyfy.com/api/x?page=2&token=abc&with=step,run&api_key=k", "https://go.tallyfy.com/api/x?page=2&with=step,run"},
		{"https://go.tallyfy.com/api/x?Access_Token=abc&ACCESS%5FTOKEN=def", "https://go.tallyfy.com/api/x"},
		{"https://go.tallyfy.com/api/x?token", "https://go.tallyfy.com/api/x"},
		{"https://ada:secret@go.tallyfy.com/api/x#frag", "https://go.tallyfy.com/api/x"},
		{"http://127.0.0.1:1234/custom/prefix/x?q=a%20b&tokens=1", "http://127.0.0.1:1234/custom/prefix/x?q=a%20b&tokens=1"},
		{"http://[::1]:namedport/x?token=abc", "(unparsable URL)"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got := URL(tc.in)
			assert.Equal(t, tc.want, got)
			assert.NotContains(t, got, "secret")
			assert.NotContains(t, got, "abc")
		})
	}
}

func TestURLWithoutValuesKeepsOnlyParameterNames(t *testing.T) {
	cases := []struct{ in, want string }{
		{"https://ada:pw@go.tallyfy.com/api?sig=abc&x=1#f", "https://go.tallyfy.com/api?sig=…&x=…"},
		{"http://evil.example:8443/next", "http://evil.example:8443/next"},
		{"https://go.tallyfy.com/api?", "https://go.tallyfy.com/api"},
		{"%zz", "(unparsable URL)"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, URLWithoutValues(tc.in), tc.in)
	}
}

func TestSecretsURLRemovesTheSecretFromThePath(t *testing.T) {
	got := New(secret).URL("https://h/api/" + url.PathEscape(secret) + "?q=" + url.QueryEscape(secret) + "&token=x")
	assert.Equal(t, "https://h/api/[redacted]?q=[redacted]", got)
}

// A secret made of the characters that may start an escape is found in
// every form, and a text built to make the matcher try both readings of
// each stays fast (the test would time out otherwise).
func TestSecretsOfEscapeCharacters(t *testing.T) {
	s := New(strings.Repeat(`%\`, 20))
	assert.Equal(t, "a[redacted]b", s.Text("a"+strings.Repeat(`%\`, 20)+"b"))
	assert.Equal(t, "[redacted]", s.Text(strings.Repeat(`%25%5C`, 20)))
	hostile := strings.Repeat(`%25\\`, 5000)
	assert.Contains(t, s.Text(hostile), "[redacted]")
}
