package recording

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/internal/testsupport/hostile"
)

// A 20 KB page that holds an array nested 9,990 deep indented to 200 MB
// when a recording indented every level: a recording is now at most a
// small multiple of the body it holds, and decodes to the same body.
func TestADeeplyNestedBodyIsRecordedCompactly(t *testing.T) {
	body := hostile.DeepPage(9990)
	w, err := NewWriter(t.TempDir(), token)
	require.NoError(t, err)
	path, err := w.Write(capture(string(body)), "http://127.0.0.1:1/api")
	require.NoError(t, err)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.LessOrEqual(t, len(data), 2*len(body)+4096, "the recording is at most twice its body, and the envelope")
	back, err := Decode(data, filepath.Base(path))
	require.NoError(t, err, "the recording replays")
	var got bytes.Buffer
	require.NoError(t, json.Compact(&got, back.Response.BodyBytes()))
	assert.True(t, got.String() == string(body), "the same body comes back")
}

// Down to the indented depth, a recording is what json.Indent writes: the
// recordings of real answers read as they always did.
func TestEncodeIndentsShallowRecordingsAsJSONIndentDoes(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("..", "recordings"))
	require.NoError(t, err)
	n := 0
	for _, e := range entries {
		if filepath.Ext(e.Name()) != ".json" {
			continue
		}
		data, err := os.ReadFile(filepath.Join("..", "recordings", e.Name()))
		require.NoError(t, err)
		ex, err := Decode(data, e.Name())
		require.NoError(t, err)
		got, err := Encode(ex)
		require.NoError(t, err)
		var want bytes.Buffer
		require.NoError(t, json.Indent(&want, bytes.TrimSpace(got), "", "  "))
		assert.Equal(t, want.String()+"\n", string(got), e.Name())
		n++
	}
	assert.Positive(t, n)
}

// Whatever the body's shape, a recording is at most twice its compact
// form: deep values are compact, and a body whose indentation would more
// than double the file (a long flat list of tiny values deep in the
// document) leaves the whole recording compact. Either way it decodes to
// the same body.
func TestARecordingIsAtMostTwiceItsCompactForm(t *testing.T) {
	flatDeep := `{"data":[{"x":` + strings.Repeat("[", 12) + strings.Repeat("0,", 20000) + "0" + strings.Repeat("]", 12) + `}]}`
	cases := map[string]string{
		"9,990 deep":                  string(hostile.DeepPage(9990)),
		"deep objects":                strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000),
		"a flat list of tiny values":  `{"data":[` + strings.Repeat("0,", 50000) + `0]}`,
		"tiny values 15 levels down":  flatDeep,
		"strings with brackets in it": `{"data":["[[[{{{\"]]]", "\\\"[", "}"]}`,
	}
	for name, body := range cases {
		require.True(t, json.Valid([]byte(body)), name)
		ex := capture(body)
		ex.Provenance = Provenance{Kind: KindHandMade, Source: "s"}
		data, err := Encode(ex)
		require.NoError(t, err, name)
		var compact bytes.Buffer
		require.NoError(t, json.Compact(&compact, data))
		assert.LessOrEqual(t, len(data), 2*(compact.Len()+1), name)
		back, err := Decode(data, name)
		require.NoError(t, err, name)
		var got, want bytes.Buffer
		require.NoError(t, json.Compact(&got, back.Response.BodyBytes()), name)
		require.NoError(t, json.Compact(&want, []byte(body)), name)
		assert.True(t, got.String() == want.String(), "%s: the same body comes back", name)
		assert.Equal(t, byte('\n'), data[len(data)-1], name)
	}
}

// A body whose recording would be larger than MaxFile, even compact (its
// e-mail addresses grow threefold when redacted), is not saved: Write
// returns a *TooLargeError that says both sizes, writes no file, and the
// Writer saves the next exchange as usual.
func TestARecordingLargerThanMaxFileIsNotSaved(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, token)
	require.NoError(t, err)
	w.MaxFile = 64 << 10
	big := `{"data":[],"x":[` + strings.Repeat(`"a@b.io",`, 6000) + `"a@b.io"]}`
	require.Less(t, len(big), 64<<10)
	_, err = w.Write(capture(big), "http://127.0.0.1:1/api")
	var tooLarge *TooLargeError
	require.ErrorAs(t, err, &tooLarge)
	assert.Equal(t, int64(64<<10), tooLarge.Max)
	assert.Greater(t, tooLarge.Size, tooLarge.Max)
	assert.Contains(t, err.Error(), "recording not saved: it would be ")
	assert.Contains(t, err.Error(), "more than the 64 KiB a replay reads")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing is written")

	path, err := w.Write(capture(`{"data":[]}`), "http://127.0.0.1:1/api")
	require.NoError(t, err)
	assert.Equal(t, "001-run-tasks-200.json", filepath.Base(path))
}

// A body nested deeper than a recording around it can be read back is kept
// as text: the same bytes, in a recording that replays.
func TestABodyTooDeepForARecordingIsKeptAsText(t *testing.T) {
	for _, depth := range []int{maxBodyNesting, maxBodyNesting + 1, 10000} {
		body := strings.Repeat("[", depth) + strings.Repeat("]", depth)
		require.True(t, json.Valid([]byte(body)), depth)
		ex := FromHTTP(httptest.NewRequest("GET", "http://127.0.0.1:1/api/organizations/o/tasks", nil), 200, nil, []byte(body))
		ex.Provenance = Provenance{Kind: KindHandMade, Source: "s"}
		data, err := Encode(ex)
		require.NoError(t, err)
		back, err := Decode(data, "deep")
		require.NoError(t, err, "depth %d replays", depth)
		var got bytes.Buffer
		require.NoError(t, json.Compact(&got, back.Response.BodyBytes()), depth)
		assert.True(t, got.String() == body, "depth %d: the same body comes back", depth)
		assert.Equal(t, depth > maxBodyNesting, back.Response.BodyText != "", depth)
	}
}
