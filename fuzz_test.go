package tallyfy

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
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
// bytes as a gen.TaskList: the same tasks, in order, and the same meta.
// When it stops early, it stops right after the task it was told to.
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
		`{"data":[` + strings.Repeat("[", 10001) + `]}`,
	} {
		f.Add([]byte(seed))
	}

	f.Fuzz(func(t *testing.T, body []byte) {
		var emitted []gen.Task
		meta, stopped, err := decodeTaskPage(bytes.NewReader(body), func(task gen.Task) bool {
			emitted = append(emitted, task)
			return true
		})
		assert.False(t, stopped, "emit never asked to stop")

		if len(emitted) > 0 {
			// Asked to stop at the first task, the decoder stops there,
			// without an error and without reading on.
			var n int
			meta, stopped, err := decodeTaskPage(bytes.NewReader(body), func(gen.Task) bool { n++; return false })
			assert.NoError(t, err)
			assert.True(t, stopped)
			assert.Nil(t, meta)
			assert.Equal(t, 1, n)
		}

		if err != nil {
			return
		}
		require.True(t, json.Valid(body), "the decoder accepted a body that is not JSON")
		var list gen.TaskList
		require.NoError(t, json.Unmarshal(body, &list), "the decoder accepted a page encoding/json rejects")
		require.Equal(t, len(list.Data), len(emitted), "tasks in data (encoding/json) vs tasks emitted")
		if len(emitted) > 0 {
			assert.Equal(t, list.Data, emitted)
		}
		assert.Equal(t, list.Meta, meta)
	})
}
