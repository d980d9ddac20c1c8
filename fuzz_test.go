package tallyfy

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/recording"
)

// fuzzRecordedPages returns the body of every recorded 200 (the task-list
// pages), read from the recordings' folder. It reads the files rather than
// importing package contracttest, so that the root package's tests stay
// free of an import cycle whatever that package comes to import.
func fuzzRecordedPages(tb testing.TB) [][]byte {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("recordings", "*.json"))
	require.NoError(tb, err)
	require.NotEmpty(tb, files, "no recordings to seed from")
	var pages [][]byte
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(tb, err)
		ex, err := recording.Decode(data, strings.TrimSuffix(filepath.Base(file), ".json"))
		require.NoError(tb, err)
		if ex.Response.Status == http.StatusOK {
			pages = append(pages, ex.Response.BodyBytes())
		}
	}
	require.NotEmpty(tb, pages, "no recorded 200 page")
	return pages
}

// FuzzDecodeTaskPage feeds the streaming page decoder arbitrary bytes. The
// decoder reads whatever the API (or a proxy in front of it) answers on a
// 200, so it must never panic. When it accepts a body, that body must be
// JSON, and what it emitted must be what encoding/json makes of the same
// bytes: one element per element of data, in order, each the task
// encoding/json decodes from it or an error where it decodes none, and the
// same meta. When it stops early, it stops right after the element it was
// told to. Under a small size limit it either agrees with the unlimited
// decoder or says the limit was passed.
func FuzzDecodeTaskPage(f *testing.F) {
	for _, page := range fuzzRecordedPages(f) {
		f.Add(page)
		f.Add(page[:len(page)/2])                 // cut in the middle of a task
		f.Add(page[:len(page)-1])                 // the last brace missing
		f.Add(append(bytes.Clone(page), "{}"...)) // a second value after the page
	}
	for _, seed := range []string{
		"", " ", "{", "}", "[]", "null", `"data"`, "{}",
		`{"data":null}`, `{"data":{}}`, `{"data":[]}`, `{"data":[1]}`, `{"data":[null]}`,
		`{"data":[],"meta":null}`, `{"data":[],"meta":[]}`, `{"meta":{"pagination":{}}}`,
		`{"data":[{}],"data":[{},{}]}`, `{"Data":[{}]}`, `{"data":[],"DATA":[{}]}`,
		`{"data":[{"id":"x","status":"brand-new","owners":{"users":[1,{"id":2}]}}]}`,
		`{"data":[{"created_at":"not a time"}]}`, `{"data":[]} x`, `{"data":[],}`,
		`{"data":[{"id":"a","position":"1"},{"id":"b"}]}`,
		`{"data":[` + strings.Repeat("[", 10001) + `]}`,
		`{"data":[{"id":"a"},{"x":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `},{"id":"c"}]}`,
	} {
		f.Add([]byte(seed))
	}

	type element struct {
		raw  []byte
		task gen.Task
		err  error
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		decode := func(limit int64) ([]element, pageTail, error) {
			var got []element
			tail, stopped, err := decodeTaskPage(bytes.NewReader(body), limit, func(el *pageElement) bool {
				got = append(got, element{raw: bytes.Clone(el.raw), task: el.task, err: el.err})
				return true
			})
			assert.False(t, stopped, "emit never asked to stop")
			return got, tail, err
		}
		emitted, tail, err := decode(DefaultMaxTaskSize)

		if len(emitted) > 0 {
			// Asked to stop at the first element, the decoder stops there,
			// without an error and without reading on.
			var n int
			_, stopped, err := decodeTaskPage(bytes.NewReader(body), DefaultMaxTaskSize, func(*pageElement) bool { n++; return false })
			assert.NoError(t, err)
			assert.True(t, stopped)
			assert.Equal(t, 1, n)
		}

		limited, _, limitedErr := decode(64)
		var over *overLimit
		switch {
		case limitedErr == nil:
			require.NoError(t, err, "accepted under a limit, rejected without")
			assert.Equal(t, len(emitted), len(limited))
		case !errors.As(limitedErr, &over):
			assert.Error(t, err, "rejected under a limit for another reason than the limit, accepted without")
		}

		if err != nil {
			return
		}
		if slices.ContainsFunc(emitted, func(e element) bool { return isMaxDepth(e.err) }) {
			// One element nested deeper than encoding/json reads is an
			// error of its own, and the others are read: encoding/json
			// rejects the whole body, so there is nothing to compare with.
			return
		}
		require.True(t, json.Valid(body), "the decoder accepted a body that is not JSON")
		var page struct {
			Data []json.RawMessage `json:"data"`
			Meta json.RawMessage   `json:"meta"`
		}
		require.NoError(t, json.Unmarshal(body, &page), "the decoder accepted a page encoding/json rejects")
		require.Equal(t, len(page.Data), len(emitted), "elements in data (encoding/json) vs elements emitted")
		assert.Equal(t, len(page.Data), tail.tasks)
		for i, raw := range page.Data {
			assert.Equal(t, compactJSON(t, raw), compactJSON(t, emitted[i].raw), "element %d as received", i)
			var want gen.Task
			wantErr := json.Unmarshal(raw, &want)
			if wantErr == nil && bytes.TrimSpace(raw)[0] == '{' {
				assert.NoError(t, emitted[i].err, "element %d decodes", i)
				assert.Equal(t, want, emitted[i].task, "element %d", i)
			} else {
				assert.Error(t, emitted[i].err, "element %d is not a task", i)
			}
		}
		if page.Meta == nil {
			assert.Nil(t, tail.meta)
		} else {
			assert.Equal(t, compactJSON(t, page.Meta), compactJSON(t, tail.meta))
		}
	})
}

func compactJSON(t *testing.T, raw []byte) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, json.Compact(&b, raw))
	return b.String()
}
