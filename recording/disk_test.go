package recording

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func capture(body string) *Exchange {
	return &Exchange{
		Request:  Request{Method: "GET", URL: "http://127.0.0.1:1/api/organizations/o/runs/r/tasks?page=1"},
		Response: Response{Status: 200, Body: []byte(body)},
	}
}

func TestRecordingsArePrivateFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "live")
	w, err := NewWriter(dir, token)
	require.NoError(t, err)
	path, err := w.Write(capture(`{"data":[]}`), "http://127.0.0.1:1/api")
	require.NoError(t, err)
	info, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), info.Mode().Perm(), "the folder")
	info, err = os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the file")
}

func TestAWriterNeverWritesThroughAPlantedLink(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	require.NoError(t, os.WriteFile(victim, []byte("precious"), 0o600))
	w, err := NewWriter(dir, token)
	require.NoError(t, err)
	planted := filepath.Join(dir, "001-run-tasks-200.json")
	require.NoError(t, os.Symlink(victim, planted))

	path, err := w.Write(capture(`{"data":[]}`), "http://127.0.0.1:1/api")
	require.NoError(t, err)
	assert.Equal(t, "002-run-tasks-200.json", filepath.Base(path), "the planted name is skipped")
	data, err := os.ReadFile(victim)
	require.NoError(t, err)
	assert.Equal(t, "precious", string(data), "the link's target is untouched")
	target, err := os.Readlink(planted)
	require.NoError(t, err)
	assert.Equal(t, victim, target, "the link itself is left alone")
}

func TestASecondRunNumbersOnAfterTheFirst(t *testing.T) {
	dir := t.TempDir()
	var names []string
	for run := 0; run < 2; run++ {
		w, err := NewWriter(dir, token)
		require.NoError(t, err)
		for range 2 {
			path, err := w.Write(capture(`{"data":[]}`), "http://127.0.0.1:1/api")
			require.NoError(t, err)
			names = append(names, filepath.Base(path))
		}
	}
	assert.Equal(t, []string{"001-run-tasks-200.json", "002-run-tasks-200.json", "003-run-tasks-200.json", "004-run-tasks-200.json"}, names)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 4, "no capture was written over")
}

func TestRedactionCoversPeopleInEveryPlace(t *testing.T) {
	ex := &Exchange{
		Request: Request{Method: "GET", URL: "https://go.tallyfy.com/api/users/ann@acme.io/x/bob%40corp.org/tasks?q=1#eve@corp.org"},
		Response: Response{Status: 200, Body: []byte(`{"data":[` +
			`{"owner":{"full_name":"Ada Lovelace","first_name":"Ada","last_name":"Lovelace","phone":"+44 20 7946 0000",` +
			`"profile_pic":"https://cdn.tallyfy.com/u/ada.png","email":"ann\u0040acme.io","username":"ada"},` +
			`"note":"line one\nbob@corp.org","escaped":"c\u0061rl@corp.org","nobody":{"full_name":null,"profile_pic":""}},` +
			`{"author":{"Full_Name":"Ada Lovelace","profile_pic":"https:\/\/cdn.tallyfy.com\/u\/ada.png"},"title":"Call Ada"}]}`)},
	}
	red := Redact(ex, token)
	url, body := red.Request.URL, string(red.Response.Body)
	require.True(t, json.Valid(red.Response.Body), "still JSON: %s", body)
	for _, gone := range []string{"acme.io", "corp.org", "Lovelace", "7946", "cdn.tallyfy.com", `"ada"`, `"Ada"`} {
		assert.NotContains(t, url+body, gone)
	}
	assert.Equal(t, "https://go.tallyfy.com/api/users/"+exampleAddress("ann@acme.io")+"/x/"+exampleAddress("bob@corp.org")+"/tasks?q=1", url)

	var doc struct {
		Data []map[string]any `json:"data"`
	}
	require.NoError(t, json.Unmarshal(red.Response.Body, &doc))
	owner := doc.Data[0]["owner"].(map[string]any)
	author := doc.Data[1]["author"].(map[string]any)
	assert.Equal(t, owner["full_name"], author["Full_Name"], "the same person gets the same fake, whatever the key's case")
	assert.Equal(t, owner["profile_pic"], author["profile_pic"], "escaped or not")
	assert.Regexp(t, `^Person-[0-9a-f]{8}$`, owner["full_name"])
	assert.Regexp(t, `^\+1-555-01\d\d$`, owner["phone"])
	assert.Regexp(t, `^https://example\.com/avatars/[0-9a-f]{8}\.png$`, owner["profile_pic"])
	assert.Equal(t, exampleAddress("ann@acme.io"), owner["email"], "a \\u-escaped address")
	assert.Equal(t, "line one\n"+exampleAddress("bob@corp.org"), doc.Data[0]["note"])
	assert.Equal(t, exampleAddress("carl@corp.org"), doc.Data[0]["escaped"])
	assert.Equal(t, map[string]any{"full_name": nil, "profile_pic": ""}, doc.Data[0]["nobody"], "null and empty stay")
	assert.Equal(t, "Call Ada", doc.Data[1]["title"], "free text other than addresses is kept")
	assert.True(t, strings.HasPrefix(string(red.Response.Body), `{"data":[{"owner":{"full_name":"Person-`), "everything else is kept byte for byte")
}
