package drift_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/recording"
	"github.com/tallyfy-go/tallyfy/spec"
)

func TestFromRecording(t *testing.T) {
	p := page(2)
	dataTask(p, 1)["status"] = "skipped"
	rec := &recording.Exchange{
		Name:       "run-tasks-skipped",
		Provenance: recording.Provenance{Kind: recording.KindHandMade, Source: "test"},
		Request: recording.Request{
			Method:  http.MethodGet,
			URL:     prodBase + runTasksPath + "?page=1",
			Headers: map[string]string{"x-tallyfy-client": "APIClient"},
		},
		Response: recording.Response{
			Status:  http.StatusOK,
			Headers: map[string]string{"content-type": "application/json"},
			Body:    json.RawMessage(mustJSON(t, p)),
		},
	}

	ex := drift.FromRecording(rec)
	assert.Equal(t, http.MethodGet, ex.Method)
	assert.Equal(t, rec.Request.URL, ex.URL)
	assert.Equal(t, "APIClient", ex.RequestHeader.Get("X-Tallyfy-Client"))
	assert.Equal(t, http.StatusOK, ex.Status)
	assert.Equal(t, "application/json", ex.ResponseHeader.Get("Content-Type"))
	assert.JSONEq(t, string(rec.Response.Body), string(ex.Body))

	findings := validator.Check(context.Background(), ex)
	assert.Equal(t, []at{drifted("/data/1/status", "enum")}, project(findings))
}

func TestFromRecordingTextBody(t *testing.T) {
	rec := &recording.Exchange{
		Request:  recording.Request{Method: http.MethodGet, URL: prodBase + runTasksPath},
		Response: recording.Response{Status: http.StatusOK, Headers: map[string]string{"Content-Type": "text/html"}, BodyText: "<html></html>"},
	}
	ex := drift.FromRecording(rec)
	assert.Equal(t, []byte("<html></html>"), ex.Body)
	assert.Equal(t, []at{drifted("", "content-type")}, project(validator.Check(context.Background(), ex)))
}

func TestHasDrift(t *testing.T) {
	assert.False(t, drift.HasDrift(nil))
	assert.False(t, drift.HasDrift([]drift.Finding{{Severity: drift.SeverityWarning}}))
	assert.True(t, drift.HasDrift([]drift.Finding{{Severity: drift.SeverityWarning}, {Severity: drift.SeverityDrift}}))
}

func TestSpecVersion(t *testing.T) {
	doc, err := spec.GetSpec()
	require.NoError(t, err)
	require.NotEmpty(t, doc.Info.Version)
	assert.Equal(t, doc.Info.Version, validator.SpecVersion())
}

// NewValidator must not change the spec others load from package spec.
func TestNewValidatorLeavesTheSpecAlone(t *testing.T) {
	_ = mustValidator()
	doc, err := spec.GetSpec()
	require.NoError(t, err)
	assert.NotEmpty(t, doc.Servers)
}
