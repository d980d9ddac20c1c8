package contracttest_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tallyfy-go/tallyfy/drift"
)

// fuzzURL is the run-tasks request every fuzzed response answers: a valid
// request, so that every finding is about the response.
const fuzzURL = "https://go.tallyfy.com/api/organizations/4f1d2c3b5a6e47f8901a2b3c4d5e6f70/runs/a1b2c3d4e5f60718293a4b5c6d7e8f90/tasks?page=1&per_page=10"

// maxFuzzBody keeps the work per input small: a body past it says nothing a
// smaller one does not, and would only slow the fuzzer down.
const maxFuzzBody = 64 << 10

// maxMessageBytes bounds a finding message: findings go to CI logs and
// JUnit reports, whatever the API sends.
const maxMessageBytes = 300

// clampStatus maps any fuzzed int onto an HTTP status, 100 to 599.
func clampStatus(status int) int {
	if status >= 100 && status <= 599 {
		return status
	}
	m := status % 500
	if m < 0 {
		m += 500
	}
	return 100 + m
}

// FuzzValidator feeds the validator responses it was never meant to see
// (any status, any content type, any bytes) on a valid run-tasks request.
// The live check runs it on whatever the API answers, so it must never
// panic, and every finding must stay usable in a report: a rule, a known
// severity, a short message, the request's operation and the response's
// status, in sorted order.
func FuzzValidator(f *testing.F) {
	v := strictValidator(f)
	for _, rec := range embeddedRecordings(f) {
		f.Add(rec.Response.Status, rec.Response.Header().Get("Content-Type"), rec.Response.BodyBytes())
	}
	const jsonCT = "application/json"
	for _, seed := range []struct {
		status      int
		contentType string
		body        string
	}{
		{200, jsonCT, ""},
		{200, jsonCT, "[]"},
		{200, jsonCT, "null"},
		{200, jsonCT, `{"data":null}`},
		{200, jsonCT, `{"data":[{}],"meta":{"pagination":{"links":[[]]}}}`},
		{200, jsonCT, strings.Repeat("[", 10001) + strings.Repeat("]", 10001)}, // past encoding/json's depth limit
		{200, jsonCT, `{"data":[{"taskdata":` + strings.Repeat("[", 9990) + strings.Repeat("]", 9990) + `}]}`},
		{200, "application/json; charset=utf-8", `{"data":[{"status":"` + strings.Repeat("é", 400) + `"}]}`},
		{200, "text/html", "<html></html>"},
		{422, "application/problem+json", `{"errors":[]}`},
		{429, "", `{"message":"Too Many Attempts."}`},
		{304, jsonCT, "{}"},
	} {
		f.Add(seed.status, seed.contentType, []byte(seed.body))
	}

	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if len(body) > maxFuzzBody {
			t.Skip("body too large to be worth the time")
		}
		status = clampStatus(status)
		ex := drift.Exchange{
			Method:         http.MethodGet,
			URL:            fuzzURL,
			RequestHeader:  http.Header{"Accept": {"application/json"}, "X-Tallyfy-Client": {"APIClient"}},
			Status:         status,
			ResponseHeader: http.Header{},
			Body:           body,
		}
		if contentType != "" {
			ex.ResponseHeader.Set("Content-Type", contentType)
		}

		findings := v.Check(t.Context(), ex)

		for _, fd := range findings {
			assert.NotEmpty(t, fd.Rule, "finding without a rule: %+v", fd)
			assert.Contains(t, []drift.Severity{drift.SeverityDrift, drift.SeverityWarning}, fd.Severity, "finding %+v", fd)
			assert.Less(t, len(fd.Message), maxMessageBytes, "message of %s: %s", fd.Pointer, fd.Rule)
			assert.Equal(t, "listRunTasks", fd.Operation, "the request routes whatever the response")
			assert.Equal(t, status, fd.Status)
		}
		assert.True(t, slices.IsSortedFunc(findings, func(a, b drift.Finding) int {
			return strings.Compare(a.Pointer, b.Pointer)
		}), "findings are sorted by pointer")
	})
}
