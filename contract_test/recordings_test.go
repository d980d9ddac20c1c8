package contracttest_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/recording"
	"github.com/tallyfy-go/tallyfy/recordings"
)

const apiOrgPrefix = "https://go.tallyfy.com/api/organizations/"

// recordingFiles returns the embedded *.json files by name.
func recordingFiles(t *testing.T) map[string][]byte {
	t.Helper()
	entries, err := fs.ReadDir(recordings.FS(), ".")
	require.NoError(t, err)
	files := make(map[string][]byte)
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		data, err := fs.ReadFile(recordings.FS(), e.Name())
		require.NoError(t, err)
		files[e.Name()] = data
	}
	return files
}

func loadRecordings(t *testing.T) []*recording.Exchange {
	t.Helper()
	recs, err := recordings.Load()
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(recs), 16, "want at least 16 recordings")
	return recs
}

// Every recording says where it came from: hand-made from Tallyfy's
// published examples (no capture time), or a real capture with its time.
func TestRecordingsSayWhereTheyCameFrom(t *testing.T) {
	for _, ex := range loadRecordings(t) {
		t.Run(ex.Name, func(t *testing.T) {
			assert.NotEmpty(t, strings.TrimSpace(ex.Provenance.Source), "provenance.source")
			assert.NotEmpty(t, strings.TrimSpace(ex.Provenance.Note), "provenance.note")
			switch ex.Provenance.Kind {
			case recording.KindHandMade:
				assert.Empty(t, ex.Provenance.CapturedAt, "a hand-made recording has no capture time")
				assert.Contains(t, ex.Provenance.Source, "tallyfy.com", "a hand-made recording names the published page")
			case recording.KindCapture:
				_, err := time.Parse(time.RFC3339, ex.Provenance.CapturedAt)
				assert.NoError(t, err, "a capture has its capture time")
			default:
				t.Errorf("provenance.kind %q", ex.Provenance.Kind)
			}
		})
	}
}

func TestRecordingsHoldNoCredentials(t *testing.T) {
	for _, ex := range loadRecordings(t) {
		for name := range ex.Request.Headers {
			assert.NotEqual(t, "authorization", strings.ToLower(name), "%s: request header %q", ex.Name, name)
		}
	}
	for name, data := range recordingFiles(t) {
		assert.False(t, bytes.Contains(bytes.ToLower(data), []byte("bearer")), "%s mentions Bearer", name)
	}
}

func TestRecordingRequestsAreOrganizationURLs(t *testing.T) {
	for _, ex := range loadRecordings(t) {
		assert.Equal(t, http.MethodGet, ex.Request.Method, "%s: method", ex.Name)
		assert.True(t, strings.HasPrefix(ex.Request.URL, apiOrgPrefix), "%s: URL %s", ex.Name, ex.Request.URL)
		u, err := url.Parse(ex.Request.URL)
		if assert.NoError(t, err, ex.Name) {
			assert.Empty(t, u.User, "%s: URL carries user info", ex.Name)
		}
	}
}

func TestRecordingNamesAreUnique(t *testing.T) {
	seen := make(map[string]string)
	for name := range recordingFiles(t) {
		key := strings.ToLower(name) // also unique on case-insensitive file systems
		if prev, ok := seen[key]; ok {
			t.Errorf("file names %s and %s collide", prev, name)
		}
		seen[key] = name
	}
	names := make(map[string]bool)
	for _, ex := range loadRecordings(t) {
		assert.False(t, names[ex.Name], "recording name %s is used twice", ex.Name)
		names[ex.Name] = true
	}
}

type listBody struct {
	Meta *struct {
		Pagination *struct {
			Links json.RawMessage `json:"links"`
		} `json:"pagination"`
	} `json:"meta"`
}

type errorBody struct {
	Code string `json:"code"`
}

func TestRecordingsCoverTheCases(t *testing.T) {
	recs := loadRecordings(t)

	statuses := make(map[int]int)
	notFoundCodes := make(map[string]bool)
	includes := make(map[string]bool)
	var emptyLinks, withoutPagination, retryAfter bool

	for _, ex := range recs {
		statuses[ex.Response.Status]++
		u, err := url.Parse(ex.Request.URL)
		require.NoError(t, err, ex.Name)
		q := u.Query()
		for _, w := range q["with"] {
			for _, inc := range strings.Split(w, ",") {
				includes[inc] = true
			}
		}
		if q.Get("without_pagination") == "true" {
			withoutPagination = true
		}
		switch ex.Response.Status {
		case http.StatusOK:
			var b listBody
			require.NoError(t, json.Unmarshal(ex.Response.BodyBytes(), &b), ex.Name)
			if b.Meta != nil && b.Meta.Pagination != nil && string(compact(t, b.Meta.Pagination.Links)) == "[]" {
				emptyLinks = true
			}
		case http.StatusNotFound:
			var b errorBody
			require.NoError(t, json.Unmarshal(ex.Response.BodyBytes(), &b), ex.Name)
			notFoundCodes[b.Code] = true
		case http.StatusTooManyRequests:
			if ex.Response.Header().Get("Retry-After") != "" {
				retryAfter = true
			}
		}
	}

	for _, status := range []int{200, 401, 403, 422, 429} {
		assert.NotZero(t, statuses[status], "no recording with status %d", status)
	}
	assert.GreaterOrEqual(t, statuses[404], 2, "want two 404 recordings")
	assert.True(t, notFoundCodes["ENDPOINT_NOT_FOUND"], "no 404 with code ENDPOINT_NOT_FOUND")
	assert.True(t, notFoundCodes["RESOURCE_NOT_FOUND"], "no 404 with code RESOURCE_NOT_FOUND")
	assert.True(t, retryAfter, "no 429 with a Retry-After header")
	assert.True(t, emptyLinks, "no 200 whose meta.pagination.links is []")
	assert.True(t, withoutPagination, "no request with without_pagination=true")
	for _, inc := range []string{"step", "form_fields", "threads", "assets", "run", "summary", "tags"} {
		assert.True(t, includes[inc], "no request with with=%s", inc)
	}
}

func compact(t *testing.T, raw json.RawMessage) []byte {
	t.Helper()
	if len(raw) == 0 {
		return nil
	}
	var buf bytes.Buffer
	require.NoError(t, json.Compact(&buf, raw))
	return buf.Bytes()
}
