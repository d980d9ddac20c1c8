package contracttest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/recording"
	"github.com/tallyfy-go/tallyfy/recordings"
)

// The embedded recordings and the validators are loaded once per test
// binary (and once per fuzz worker): loading the spec and building the
// router is the expensive part of a check, and the design asks for one
// validator per configuration and process. A Validator is safe for
// concurrent use, so parallel subtests share them.
var (
	sharedRecordings = sync.OnceValues(recordings.Load)
	sharedStrict     = sync.OnceValues(func() (*drift.Validator, error) { return drift.NewValidator(drift.Strict()) })
	sharedDefault    = sync.OnceValues(func() (*drift.Validator, error) { return drift.NewValidator() })
)

// embeddedRecordings returns every embedded recording. Callers must not
// change them: they are shared by every test of the binary.
func embeddedRecordings(tb testing.TB) []*recording.Exchange {
	tb.Helper()
	recs, err := sharedRecordings()
	require.NoError(tb, err)
	require.NotEmpty(tb, recs)
	return recs
}

// embeddedRecording returns the embedded recording called name.
func embeddedRecording(tb testing.TB, name string) *recording.Exchange {
	tb.Helper()
	for _, rec := range embeddedRecordings(tb) {
		if rec.Name == name {
			return rec
		}
	}
	require.FailNow(tb, "no embedded recording named "+name)
	return nil
}

// strictValidator is the validator the contract holds recordings to:
// a field the spec does not list is drift, not a warning.
func strictValidator(tb testing.TB) *drift.Validator {
	tb.Helper()
	v, err := sharedStrict()
	require.NoError(tb, err)
	return v
}

// defaultValidator is the validator users get without options: a field the
// spec does not list is a warning.
func defaultValidator(tb testing.TB) *drift.Validator {
	tb.Helper()
	v, err := sharedDefault()
	require.NoError(tb, err)
	return v
}

// exchangeOf returns the exchange rec holds, with a body of its own, so that
// a test may change the exchange without changing the shared recording.
// (drift.FromRecording already builds fresh header maps.)
func exchangeOf(rec *recording.Exchange) drift.Exchange {
	ex := drift.FromRecording(rec)
	ex.Body = bytes.Clone(ex.Body)
	return ex
}

// findingLines prints findings one a line as "pointer: rule: message", so
// that a failure says where each finding is and why.
func findingLines(findings []drift.Finding) string {
	var b strings.Builder
	for _, f := range findings {
		fmt.Fprintf(&b, "%s: %s: %s\n", f.Pointer, f.Rule, f.Message)
	}
	return b.String()
}

// decodeJSONValue decodes a whole JSON document with numbers as
// json.Number, so that re-encoding it keeps every number as written.
func decodeJSONValue(tb testing.TB, data []byte) any {
	tb.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	require.NoError(tb, dec.Decode(&v))
	return v
}

// pointerTokens splits a JSON pointer (RFC 6901) into unescaped tokens.
func pointerTokens(tb testing.TB, ptr string) []string {
	tb.Helper()
	require.True(tb, strings.HasPrefix(ptr, "/"), "JSON pointer %q", ptr)
	tokens := strings.Split(ptr[1:], "/")
	for i, tok := range tokens {
		tokens[i] = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
	}
	return tokens
}

// valueAt returns the value at ptr in doc, failing the test when there is none.
func valueAt(tb testing.TB, doc any, ptr string) any {
	tb.Helper()
	if ptr == "" {
		return doc
	}
	cur := doc
	for _, tok := range pointerTokens(tb, ptr) {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[tok]
			require.True(tb, ok, "no member %q on the way to %s", tok, ptr)
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			require.NoError(tb, err, "index %q on the way to %s", tok, ptr)
			require.True(tb, i >= 0 && i < len(c), "index %d out of range on the way to %s", i, ptr)
			cur = c[i]
		default:
			require.FailNow(tb, fmt.Sprintf("%s: %T has no member %q", ptr, cur, tok))
		}
	}
	return cur
}

// parentOf returns the container that holds the value at ptr, and the last
// token of ptr.
func parentOf(tb testing.TB, doc any, ptr string) (any, string) {
	tb.Helper()
	i := strings.LastIndexByte(ptr, '/')
	require.GreaterOrEqual(tb, i, 0, "JSON pointer %q", ptr)
	tokens := pointerTokens(tb, ptr)
	return valueAt(tb, doc, ptr[:i]), tokens[len(tokens)-1]
}

// setAt sets the value at ptr in doc; the member need not exist yet.
func setAt(tb testing.TB, doc any, ptr string, value any) {
	tb.Helper()
	parent, last := parentOf(tb, doc, ptr)
	switch p := parent.(type) {
	case map[string]any:
		p[last] = value
	case []any:
		i, err := strconv.Atoi(last)
		require.NoError(tb, err)
		require.True(tb, i >= 0 && i < len(p), "index %d out of range at %s", i, ptr)
		p[i] = value
	default:
		require.FailNow(tb, fmt.Sprintf("%s: cannot set a member of %T", ptr, parent))
	}
}

// deleteAt removes the object member at ptr, which must exist.
func deleteAt(tb testing.TB, doc any, ptr string) {
	tb.Helper()
	parent, last := parentOf(tb, doc, ptr)
	obj, ok := parent.(map[string]any)
	require.True(tb, ok, "%s: the parent is %T, not an object", ptr, parent)
	_, ok = obj[last]
	require.True(tb, ok, "%s: no such member to delete", ptr)
	delete(obj, last)
}

// withBody returns the JSON document body with edit applied, re-encoded:
// the body is decoded with UseNumber, so every value the edit leaves alone
// is re-encoded as the recording has it.
func withBody(tb testing.TB, body []byte, edit func(tb testing.TB, doc any)) []byte {
	tb.Helper()
	doc := decodeJSONValue(tb, body)
	edit(tb, doc)
	out, err := json.Marshal(doc)
	require.NoError(tb, err)
	return out
}
