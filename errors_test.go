package tallyfy

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNon2xxResponsesBecomeAPIErrors(t *testing.T) {
	cases := []struct {
		name        string
		status      int
		contentType string
		body        string
		headers     []string
		wantMessage string
		wantCode    string
		wantErrors  map[string][]string
		wantInError []string
	}{
		{name: "401 Laravel", status: 401, contentType: "application/json", body: `{"message":"Unauthenticated."}`,
			wantMessage: "Unauthenticated.", wantInError: []string{"401 Unauthorized", "Unauthenticated."}},
		{name: "401 OAuth", status: 401, contentType: "application/json", body: `{"error":"invalid_client"}`,
			wantCode: "invalid_client", wantInError: []string{"(invalid_client)"}},
		{name: "403", status: 403, contentType: "application/json",
			body:        `{"error":true,"message":"You don't have application's permissions for this organization!"}`,
			wantMessage: "You don't have application's permissions for this organization!", wantInError: []string{"403 Forbidden"}},
		{name: "404 endpoint", status: 404, contentType: "application/json",
			body:        `{"error":true,"message":"API endpoint not found","code":"ENDPOINT_NOT_FOUND"}`,
			wantMessage: "API endpoint not found", wantCode: "ENDPOINT_NOT_FOUND", wantInError: []string{"404 Not Found", "(ENDPOINT_NOT_FOUND)"}},
		{name: "404 resource", status: 404, contentType: "application/json",
			body:        `{"error":true,"message":"Resource not found","code":"RESOURCE_NOT_FOUND"}`,
			wantMessage: "Resource not found", wantCode: "RESOURCE_NOT_FOUND", headers: []string{"X-Request-Id", "req-42"},
			wantInError: []string{"[request req-42]"}},
		{name: "409 structured", status: 409, contentType: "application/json",
			body:        `{"error":{"code":"SEAT_POOL_EXHAUSTED","message":"No seats left","details":{}}}`,
			wantMessage: "No seats left", wantCode: "SEAT_POOL_EXHAUSTED"},
		{name: "422 Laravel", status: 422, contentType: "application/json",
			body:        `{"message":"The given data was invalid.","errors":{"per_page":["The per page must be at least 1."],"owners":"bad","deadline":{"start":["too early"]}}}`,
			wantMessage: "The given data was invalid.",
			wantErrors: map[string][]string{
				"per_page": {"The per page must be at least 1."}, "owners": {"bad"}, "deadline": {"start: too early"},
			},
			wantInError: []string{"422 Unprocessable Entity", "per_page: The per page must be at least 1."}},
		{name: "500 HTML", status: 500, contentType: "text/html", body: "<html><body><h1>Whoops, looks like something went wrong.</h1></body></html>",
			wantInError: []string{"500 Internal Server Error", "Whoops"}},
		{name: "500 empty", status: 500, wantInError: []string{"500 Internal Server Error"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
				writeBody(w, tc.status, tc.contentType, tc.body, tc.headers...)
			})
			c, _ := newTestClient(t, s)
			titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
			assert.Empty(t, titles)
			require.Len(t, errs, 1, "one error, then the iterator stops")

			var apiErr *APIError
			require.ErrorAs(t, errs[0], &apiErr, "%T", errs[0])
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Equal(t, tc.wantMessage, apiErr.Message)
			assert.Equal(t, tc.wantCode, apiErr.Code)
			assert.Equal(t, tc.wantErrors, apiErr.Errors)
			assert.Equal(t, tc.body, apiErr.Body)
			assert.Equal(t, "GET", apiErr.Method)
			for _, want := range tc.wantInError {
				assert.Contains(t, apiErr.Error(), want)
			}
			assert.Len(t, s.requests(), 1, "no retry of a %d", tc.status)
		})
	}
}

func TestErrorBodiesAreReadThroughALimit(t *testing.T) {
	huge := `{"message":"` + strings.Repeat("x", 200<<10) + `"}`
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 400, huge) })
	c, _ := newTestClient(t, s)
	_, errs := drain(c.OrgTasks(context.Background(), testOrg, nil))
	require.Len(t, errs, 1)
	var apiErr *APIError
	require.ErrorAs(t, errs[0], &apiErr)
	assert.Len(t, apiErr.Body, maxErrorBodyExcerpt, "cut to the excerpt's size, marker included")
	assert.True(t, strings.HasSuffix(apiErr.Body, "…"), "a cut body says so")
	assert.True(t, strings.HasPrefix(huge, strings.TrimSuffix(apiErr.Body, "…")))
	assert.Empty(t, apiErr.Message, "a body cut at the read limit does not parse")
	assert.Less(t, len(apiErr.Error()), 400)
}

func TestA200ThatIsNotJSONIsADecodeError(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeBody(w, 200, "text/html; charset=UTF-8", "<!DOCTYPE html><html><title>Down for maintenance</title></html>")
	})
	c, _ := newTestClient(t, s)

	_, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	require.Len(t, errs, 1)
	var de *DecodeError
	require.ErrorAs(t, errs[0], &de, "%T", errs[0])
	assert.Equal(t, 200, de.StatusCode)
	assert.Equal(t, "text/html; charset=UTF-8", de.ContentType)
	assert.Contains(t, de.Error(), "text/html")
	assert.Contains(t, de.Error(), "Down for maintenance", "says what came instead")

	page, resp, err := c.ListRunTasks(context.Background(), testOrg, testRun, nil)
	assert.Nil(t, page)
	assert.Nil(t, resp)
	assert.ErrorAs(t, err, &de, "a page gets the same error")

	generated, err := c.Generated().ListRunTasksWithResponse(context.Background(), testOrg, testRun, nil)
	assert.Nil(t, generated)
	assert.ErrorAs(t, err, &de, "the generated client gets the same error")
}

func TestALongPageThatIsNotJSONIsCutWithAMarker(t *testing.T) {
	page := "<html>" + strings.Repeat("é", 2000) + "</html>"
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { writeBody(w, 200, "text/html", page) })
	c, _ := newTestClient(t, s)

	_, _, err := c.ListRunTasks(context.Background(), testOrg, testRun, nil)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.LessOrEqual(t, len(de.Excerpt), 512)
	assert.Greater(t, len(de.Excerpt), 512-4, "cut at most one rune short of the limit")
	assert.True(t, utf8.ValidString(de.Excerpt), "no rune is split")
	assert.True(t, strings.HasPrefix(page, strings.TrimSuffix(de.Excerpt, "…")))
	assert.True(t, strings.HasSuffix(de.Excerpt, "…"))
	assert.True(t, strings.HasSuffix(de.Error(), `"<html>`+strings.Repeat("é", 35)+`"…`),
		"the message quotes 80 bytes of the page, marked as cut after the quote: %s", de.Error())
}

func TestA200WithoutContentTypeIsAcceptedWhenItIsJSON(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header()["Content-Type"] = nil // stop net/http from sniffing one
		writeBody(w, 200, "", pageJSON(1, 2, 1, 1, 10, 2, "[]"))
	})
	c, _ := newTestClient(t, s)
	titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	assert.Empty(t, errs)
	assert.Equal(t, titlesFrom(1, 2), titles)
}

func TestTruncatedAndMalformedJSONAreDecodeErrors(t *testing.T) {
	full := pageJSON(1, 3, 1, 1, 10, 3, "[]")
	cases := map[string]struct {
		body       string
		wantTitles []string
		wantIn     string
	}{
		"truncated mid-task": {full[:len(full)/2], titlesFrom(1, 1), "unexpected EOF"},
		"empty body":         {"", nil, "unexpected EOF"},
		"not JSON":           {"Service Unavailable", nil, "invalid character"},
		"data not an array":  {`{"data":{"id":"x"}}`, nil, `"data" is "{", not an array`},
		"no data":            {`{"meta":{}}`, nil, `no "data" key`},
		"trailing garbage":   {pageJSON(1, 1, 1, 1, 10, 1, "[]") + `{"x":1}`, titlesFrom(1, 1), "data after"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, tc.body) })
			c, _ := newTestClient(t, s)
			titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
			assert.Equal(t, tc.wantTitles, titles, "the tasks before the damage are kept")
			require.Len(t, errs, 1)
			var de *DecodeError
			require.ErrorAs(t, errs[0], &de, "%T: %v", errs[0], errs[0])
			assert.Contains(t, de.Error(), tc.wantIn)
		})
	}
}

func TestTruncatedJSONMatchesErrUnexpectedEOF(t *testing.T) {
	body := pageJSON(1, 3, 1, 1, 10, 3, "[]")
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, body[:len(body)-10]) })
	c, _ := newTestClient(t, s)
	_, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], io.ErrUnexpectedEOF)

	_, _, err := c.ListRunTasks(context.Background(), testOrg, testRun, nil)
	var de *DecodeError
	assert.ErrorAs(t, err, &de)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

func TestPageKeysMatchAsEncodingJSONMatchesThem(t *testing.T) {
	cases := map[string]struct {
		body       string
		wantTitles []string
		wantErr    string
	}{
		"keys in another case":  {`{"DATA":[` + taskJSON(1) + `],"Meta":{"pagination":{"total":1,"count":1,"per_page":10,"current_page":1,"total_pages":1}}}`, titlesFrom(1, 1), ""},
		"data twice":            {`{"data":[` + taskJSON(1) + `],"data":[` + taskJSON(2) + `]}`, titlesFrom(1, 1), `"data" appears twice`},
		"data twice, two cases": {`{"data":[],"Data":[]}`, nil, `"data" appears twice`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, tc.body) })
			c, _ := newTestClient(t, s)
			titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
			assert.Equal(t, tc.wantTitles, titles)
			if tc.wantErr == "" {
				assert.Empty(t, errs)
				return
			}
			require.Len(t, errs, 1)
			assert.ErrorContains(t, errs[0], tc.wantErr)
		})
	}
}
