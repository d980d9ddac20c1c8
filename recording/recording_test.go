package recording

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const token = "tok-1234567890-SECRET"

func validExchange() *Exchange {
	return &Exchange{
		Provenance: Provenance{Kind: KindHandMade, Source: "https://tallyfy.com/x", Note: "n"},
		Request:    Request{Method: "GET", URL: "https://go.tallyfy.com/api/organizations/x/tasks"},
		Response:   Response{Status: 200, Body: []byte(`{"data":[]}`)},
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	ex := validExchange()
	data, err := Encode(ex)
	require.NoError(t, err)
	back, err := Decode(data, "fallback")
	require.NoError(t, err)
	assert.Equal(t, "fallback", back.Name)
	assert.JSONEq(t, `{"data":[]}`, string(back.Response.BodyBytes()))
	assert.Equal(t, ex.Request, back.Request)
}

func TestDecodeRejectsIncompleteOrDishonestRecordings(t *testing.T) {
	cases := map[string]string{
		"no provenance":           `{"request":{"method":"GET","url":"u"},"response":{"status":200}}`,
		"capture without a time":  `{"provenance":{"kind":"capture","source":"s"},"request":{"method":"GET","url":"u"},"response":{"status":200}}`,
		"unknown kind":            `{"provenance":{"kind":"live-ish","source":"s"},"request":{"method":"GET","url":"u"},"response":{"status":200}}`,
		"no status":               `{"provenance":{"kind":"hand-made","source":"s"},"request":{"method":"GET","url":"u"},"response":{}}`,
		"unknown key":             `{"provenance":{"kind":"hand-made","source":"s"},"request":{"method":"GET","url":"u"},"response":{"status":200},"extra":1}`,
		"two bodies":              `{"provenance":{"kind":"hand-made","source":"s"},"request":{"method":"GET","url":"u"},"response":{"status":200,"body":{},"body_text":"x"}}`,
		"not JSON":                `<html>`,
		"a second value after it": `{"provenance":{"kind":"hand-made","source":"s"},"request":{"method":"GET","url":"u"},"response":{"status":200}}{"x":1}`,
		"garbage after it":        `{"provenance":{"kind":"hand-made","source":"s"},"request":{"method":"GET","url":"u"},"response":{"status":200}} ]`,
	}
	for name, data := range cases {
		_, err := Decode([]byte(data), name)
		assert.Error(t, err, name)
	}
}

func TestLoadDirReadsJSONFilesInOrder(t *testing.T) {
	data, err := Encode(validExchange())
	require.NoError(t, err)
	fsys := fstest.MapFS{
		"b.json":    {Data: data},
		"a.json":    {Data: data},
		"notes.txt": {Data: []byte("ignored")},
	}
	got, err := LoadDir(fsys, ".")
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "a", got[0].Name)
	assert.Equal(t, "b", got[1].Name)

	_, err = LoadDir(fstest.MapFS{"x.txt": {Data: nil}}, ".")
	assert.ErrorContains(t, err, "no recordings")
}

func TestRedactDropsCredentialsAndMapsEmails(t *testing.T) {
	ex := &Exchange{
		Request: Request{
			Method: "GET",
			URL:    "https://go.tallyfy.com/api/organizations/o/tasks?guests=ann%40acme.io,bob@corp.example.org&access_token=" + token + "&with=step,run",
			Headers: map[string]string{
				"Authorization": "Bearer " + token, "Cookie": "s=1", "Accept": "application/json", "X-Tallyfy-Client": "APIClient",
			},
		},
		Response: Response{
			Status:  200,
			Headers: map[string]string{"Content-Type": "application/json", "Set-Cookie": "s=2", "X-Debug-Token": token, "x-correlation-id": "c-17"},
			Body:    []byte(`{"data":[{"owners":{"guests":["ann@acme.io","kept@example.com"]},"note":"token ` + token + `"}]}`),
		},
	}
	red := Redact(ex, token)
	data, err := Encode(&Exchange{Provenance: Provenance{Kind: KindHandMade, Source: "s"}, Request: red.Request, Response: red.Response})
	require.NoError(t, err)
	text := string(data)

	assert.NotContains(t, text, token)
	assert.NotContains(t, text, "Bearer")
	assert.NotContains(t, text, "Cookie")
	assert.NotContains(t, text, "acme.io")
	assert.NotContains(t, text, "corp.example.org")
	assert.Contains(t, text, "kept@example.com")
	assert.Equal(t, map[string]string{"Accept": "application/json", "X-Tallyfy-Client": "APIClient"}, red.Request.Headers)
	assert.Equal(t, map[string]string{"Content-Type": "application/json", "X-Correlation-Id": "c-17"}, red.Response.Headers,
		"the request ID headers that Response.RequestID reads are kept")
	assert.Contains(t, red.Request.URL, "&with=step,run", "literal commas are kept")
	ann := exampleAddress("ann@acme.io")
	assert.Contains(t, string(red.Response.Body), ann, "the same address maps to the same replacement")
	assert.Contains(t, red.Request.URL, strings.ReplaceAll(ann, "@", "%40"))
	assert.Equal(t, ann, exampleAddress("ANN@acme.io"))
	assert.Equal(t, ex.Request.Headers["Authorization"], "Bearer "+token, "the input is not changed")
}

func TestTransportCapturesWithoutCredentials(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Set-Cookie", "session=abc")
		_, _ = w.Write([]byte(`{"data":[]}`))
	}))
	defer srv.Close()

	var got []*Exchange
	hc := &http.Client{Transport: &Transport{OnExchange: func(ex *Exchange) { got = append(got, ex) }}}
	req, err := http.NewRequest("GET", srv.URL+"/api/organizations/o/tasks?page=1", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := hc.Do(req)
	require.NoError(t, err)
	body := readAll(t, resp)
	assert.Equal(t, `{"data":[]}`, body, "the caller still reads the whole body")

	require.Len(t, got, 1)
	assert.Equal(t, 200, got[0].Response.Status)
	assert.Equal(t, `{"data":[]}`, string(got[0].Response.Body))
	assert.NotContains(t, got[0].Request.Headers, "Authorization")
	assert.NotContains(t, got[0].Response.Headers, "Set-Cookie")
}

func TestFromHTTPKeepsNonJSONBodiesAsText(t *testing.T) {
	req := httptest.NewRequest("GET", "https://x/api/organizations/o/tasks", nil)
	ex := FromHTTP(req, 200, http.Header{"Content-Type": {"text/html"}}, []byte("<html>down</html>"))
	assert.Empty(t, ex.Response.Body)
	assert.Equal(t, "<html>down</html>", ex.Response.BodyText)
	assert.Equal(t, []byte("<html>down</html>"), ex.Response.BodyBytes())
}

func TestWriterSavesRedactedCaptures(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(filepath.Join(dir, "live"), token)
	require.NoError(t, err)
	w.now = func() time.Time { return time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC) }
	ex := &Exchange{
		Request:  Request{Method: "GET", URL: "http://127.0.0.1:1/api/organizations/o/runs/r/tasks?page=1", Headers: map[string]string{"Authorization": "Bearer " + token}},
		Response: Response{Status: 200, Body: []byte(`{"data":[],"by":"eve@corp.io"}`)},
	}
	path, err := w.Write(ex, "http://127.0.0.1:1/api")
	require.NoError(t, err)
	assert.Equal(t, "001-run-tasks-200.json", filepath.Base(path))

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.NotContains(t, string(data), token)
	assert.NotContains(t, string(data), "corp.io")
	back, err := Decode(data, "x")
	require.NoError(t, err)
	assert.Equal(t, KindCapture, back.Provenance.Kind)
	assert.Equal(t, "2026-11-29T10:00:00Z", back.Provenance.CapturedAt)
	assert.Equal(t, "http://127.0.0.1:1/api", back.Provenance.Source)
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var b strings.Builder
	_, err := io.Copy(&b, resp.Body)
	require.NoError(t, err)
	return b.String()
}

func TestTransportFailsOnABodyCutShort(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		_, _ = w.Write([]byte(`{"data":[`))
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			_ = conn.Close()
		}
	}))
	defer srv.Close()
	called := false
	hc := &http.Client{Transport: &Transport{OnExchange: func(*Exchange) { called = true }}}
	_, err := hc.Get(srv.URL)
	assert.ErrorContains(t, err, "reading the response body")
	assert.False(t, called, "an exchange cut short is not handed on")
}
