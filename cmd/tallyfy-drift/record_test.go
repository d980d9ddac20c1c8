package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/internal/testsupport/hostile"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
)

// firstThen answers the first request with first, and every other one with
// then (a stand-in of the API).
func firstThen(first http.HandlerFunc, then http.Handler) http.HandlerFunc {
	var n atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			first(w, r)
			return
		}
		then.ServeHTTP(w, r)
	}
}

// recordedFiles returns the recordings in dir and their sizes.
func recordedFiles(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	out := map[string]int64{}
	for _, e := range entries {
		info, err := e.Info()
		require.NoError(t, err)
		out[e.Name()] = info.Size()
	}
	return out
}

// A server whose 20 KB page holds an array nested 9,990 deep made --record
// write a 200 MB file, over what --replay reads: the recording is now a
// small multiple of the body, and everything recorded replays.
func TestADeepPageIsRecordedSmallAndReplays(t *testing.T) {
	page := hostile.DeepPage(9990)
	api := startStandIn(t, standin.Config{})
	srv := hostile.Start(t, firstThen(hostile.ServeJSON(200, page), api))
	env := liveEnv(api)
	env["TALLYFY_BASE_URL"] = srv.BaseURL()
	dir := filepath.Join(t.TempDir(), "live")

	r := invoke(t, env, "--record", dir)
	require.Equal(t, exitConforms, r.code, r.stdout)
	files := recordedFiles(t, dir)
	require.Len(t, files, len(srv.Requests()), "every exchange is saved")
	first := files["001-run-tasks-200.json"]
	assert.LessOrEqual(t, first, int64(3*len(page)), "the deep page's recording is a small multiple of its %d bytes", len(page))

	r = invoke(t, nil, "--replay", dir)
	assert.Equal(t, exitConforms, r.code, "every recording replays: %s", r.stdout)
	assert.Contains(t, r.stdout, "pass   001-run-tasks-200.json (1 exchange)")
}

// A body whose recording would be larger than --replay reads (its e-mail
// addresses triple in length when redacted) is not saved: the exchange is
// still checked, the run goes on, the report and stderr name what was not
// saved, and the exit code is the check's.
func TestARecordingTooLargeToReplayIsNotSavedAndTheRunGoesOn(t *testing.T) {
	api := startStandIn(t, standin.Config{})
	body, err := standin.RunTasksJSON(standin.Config{Token: token, OrgID: org, RunID: runID, RunTasks: 1, OrgTasks: 1}, "")
	require.NoError(t, err)
	var page map[string]any
	require.NoError(t, json.Unmarshal(body, &page))
	var addresses []string
	for range 6000 {
		addresses = append(addresses, "a@b.io")
	}
	page["x"] = addresses
	body, err = json.Marshal(page)
	require.NoError(t, err)
	require.Less(t, len(body), 64<<10, "the body is within --max-body")

	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			srv := hostile.Start(t, firstThen(hostile.ServeJSON(200, body), api))
			env := liveEnv(api)
			env["TALLYFY_BASE_URL"] = srv.BaseURL()
			dir := filepath.Join(t.TempDir(), "live")
			r := invoke(t, env, "--record", dir, "--max-body", "64KiB", "--format", format)
			assert.Equal(t, exitConforms, r.code, "a recording not saved does not change the verdict: %s", r.stderr)
			assert.Contains(t, r.stderr, "run tasks, every page: recording not saved: it would be ")
			assert.Contains(t, r.stderr, "more than the 128 KiB a replay reads (twice --max-body)")
			assert.Contains(t, r.stdout, "recording not saved: it would be ", "the report says so")
			if format == "json" {
				var doc struct {
					Notes   []string `json:"notes"`
					Summary struct {
						Verdict string `json:"verdict"`
					} `json:"summary"`
				}
				require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
				assert.Equal(t, "conforms", doc.Summary.Verdict)
				require.Len(t, doc.Notes, 1)
			}
			files := recordedFiles(t, dir)
			assert.Len(t, files, len(srv.Requests())-1, "every other exchange is saved")
			first, err := os.ReadFile(filepath.Join(dir, "001-run-tasks-200.json"))
			require.NoError(t, err)
			assert.Contains(t, string(first), "per_page=100", "the first recording is of the second exchange")
			assert.Contains(t, r.stderr, "saved "+strconv.Itoa(len(files))+" redacted recordings")
			r = invoke(t, nil, "--replay", dir, "--max-body", "64KiB")
			assert.Equal(t, exitConforms, r.code, "what was saved replays: %s", r.stdout)
			assert.False(t, strings.Contains(r.stdout, "ERROR"), r.stdout)
		})
	}
}
