package tallyfy

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/gen"
)

func TestNewClientRejectsAnEmptyToken(t *testing.T) {
	for _, tok := range []string{"", "   "} {
		c, err := NewClient(tok)
		assert.Nil(t, c)
		assert.ErrorIs(t, err, ErrEmptyToken)
	}
}

func TestNewClientRejectsBadBaseURLs(t *testing.T) {
	for _, base := range []string{"go.tallyfy.com/api", "ftp://x/api", "https://user:pw@x/api", "https://x/api?q=1", "::"} {
		_, err := NewClient(testToken, WithBaseURL(base))
		assert.Error(t, err, base)
		if err != nil {
			assert.NotContains(t, err.Error(), "pw", "no user info in the error")
		}
	}
}

func TestNewClientDefaults(t *testing.T) {
	c, err := NewClient(testToken)
	require.NoError(t, err)
	assert.Equal(t, DefaultBaseURL, c.BaseURL())
	assert.Equal(t, DefaultTimeout, c.doer.timeout, "a default timeout, so nothing hangs forever")
	assert.Equal(t, DefaultRetryPolicy(), c.doer.retry)

	tr := bareTransport{200, "application/json", "{}"}
	jar := &cookieJar{}
	hc := &http.Client{Transport: tr, Jar: jar, Timeout: time.Minute}
	c, err = NewClient(testToken, WithHTTPClient(hc))
	require.NoError(t, err)
	assert.Equal(t, tr, c.doer.hc.Transport, "the caller's transport is used")
	assert.Same(t, jar, c.doer.hc.Jar, "and its cookie jar")
	assert.Equal(t, time.Minute, c.doer.hc.Timeout, "and its timeout")
	assert.Nil(t, hc.CheckRedirect, "the caller's client is not changed")
	assert.NotNil(t, c.doer.hc.CheckRedirect, "API calls have their own redirect policy")
	assert.Equal(t, DefaultTimeout, c.doer.timeout, "and the client's timeout still applies")
}

func TestTheTokenIsTrimmedAndChecked(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, pageJSON(1, 1, 1, 1, 10, 1, "[]"))
	})
	c, err := NewClient(" "+testToken+"\n", WithBaseURL(s.server.URL+"/api"))
	require.NoError(t, err)
	_, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	require.Empty(t, errs)
	assert.Equal(t, "Bearer "+testToken, s.requests()[0].Header.Get("Authorization"), "a pasted newline is trimmed")

	for _, bad := range []string{"two words", "tab\there", "nul\x00"} {
		_, err := NewClient(bad)
		assert.ErrorContains(t, err, "spaces or control characters", "%q", bad)
		if err != nil {
			assert.NotContains(t, err.Error(), bad)
		}
	}
}

func TestAPartialRetryPolicyKeepsTheOtherDefaults(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 3}.normalized()
	assert.Equal(t, 3, p.MaxAttempts)
	assert.Equal(t, DefaultRetryPolicy().BaseDelay, p.BaseDelay)
	assert.Equal(t, DefaultRetryPolicy().MaxDelay, p.MaxDelay)
	assert.Equal(t, DefaultRetryPolicy().MaxRetryAfter, p.MaxRetryAfter, "a 429's Retry-After is still waited out")

	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			writeJSON(w, 429, `{}`, "Retry-After", "1")
			return
		}
		writeJSON(w, 200, pageJSON(1, 1, 1, 1, 10, 1, "[]"))
	})
	c, sl := newTestClient(t, s, WithRetryPolicy(RetryPolicy{MaxAttempts: 3}))
	_, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	require.Empty(t, errs)
	assert.Equal(t, []time.Duration{time.Second}, sl.all())
}

// A RoundTripper that leaves Response.Request empty, as hand-written ones
// often do: no response path may dereference it.
type bareTransport struct {
	status      int
	contentType string
	body        string
}

func (b bareTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: b.status,
		Header:     http.Header{"Content-Type": {b.contentType}},
		Body:       io.NopCloser(strings.NewReader(b.body)),
	}, nil
}

func TestResponsesWithoutTheirRequestDoNotPanic(t *testing.T) {
	onePage := pageJSON(1, 1, 1, 1, 10, 1, "[]")
	cases := []struct {
		name        string
		transport   bareTransport
		wantTitles  []string // what the iterator yields
		wantIterErr bool     // the iterator ends with one error, naming the URL
		wantPage    bool     // ListRunTasks returns the page; else an error and no page
	}{
		{name: "404", transport: bareTransport{404, "application/json", `{"message":"Resource not found"}`}, wantIterErr: true},
		{name: "HTML 200", transport: bareTransport{200, "text/html", "<html>down</html>"}, wantIterErr: true},
		{name: "truncated 200", transport: bareTransport{200, "application/json", `{"data":[{"id":`}, wantIterErr: true},
		{name: "good 200", transport: bareTransport{200, "application/json", onePage}, wantTitles: titlesFrom(1, 1), wantPage: true},
		// The iterator reads any 2xx page; ListRunTasks wants the documented 200.
		{name: "201, JSON body", transport: bareTransport{201, "application/json", onePage}, wantTitles: titlesFrom(1, 1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewClient(testToken, WithHTTPClient(&http.Client{Transport: tc.transport}), WithRetryPolicy(NoRetries()))
			require.NoError(t, err)
			titles, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
			assert.Equal(t, tc.wantTitles, titles)
			if tc.wantIterErr {
				require.Len(t, errs, 1)
				assert.Contains(t, errs[0].Error(), "/organizations/"+testOrg)
			} else {
				assert.Empty(t, errs)
			}

			page, resp, err := c.ListRunTasks(context.Background(), testOrg, testRun, nil)
			if tc.wantPage {
				require.NoError(t, err)
				assert.Len(t, page.Data, 1)
				assert.Equal(t, 200, resp.StatusCode)
			} else {
				assert.Error(t, err)
				assert.Nil(t, page, "an error, never a page that is nil")
				assert.Nil(t, resp)
			}
		})
	}
}

func TestAJSON200WithoutContentTypeDecodes(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header()["Content-Type"] = nil
		writeBody(w, 200, "", pageJSON(1, 2, 1, 1, 10, 2, "[]"))
	})
	c, _ := newTestClient(t, s)
	page, _, err := c.ListOrgTasks(context.Background(), testOrg, nil)
	require.NoError(t, err)
	assert.Len(t, page.Data, 2)

	generated, err := c.Generated().ListOrgTasksWithResponse(context.Background(), testOrg, nil)
	require.NoError(t, err)
	require.NotNil(t, generated.JSON200, "the generated parser is told it is JSON")
	assert.Len(t, generated.JSON200.Data, 2)
}

func TestEveryRequestCarriesAuthAndTallyfyHeaders(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, pageJSON(1, 1, 1, 1, 10, 1, "[]"))
	})
	c, _ := newTestClient(t, s)
	_, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	require.Empty(t, errs)

	reqs := s.requests()
	require.Len(t, reqs, 1)
	assertRequest(t, reqs[0], "GET", runPath, "page=1")
	h := reqs[0].Header
	assert.Equal(t, "Bearer "+testToken, h.Get("Authorization"))
	assert.Equal(t, "application/json", h.Get("Accept"))
	assert.Equal(t, "APIClient", h.Get("X-Tallyfy-Client"))
	assert.True(t, strings.HasPrefix(h.Get("User-Agent"), "tallyfy-go/"+Version), h.Get("User-Agent"))
}

func TestClientNameCanBeOverridden(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, pageJSON(1, 1, 1, 1, 10, 1, "[]"))
	})
	c, _ := newTestClient(t, s, WithClientName("MyIntegration"), WithUserAgent("my-app/2"))
	_, errs := drain(c.OrgTasks(context.Background(), testOrg, nil))
	require.Empty(t, errs)
	name := "PerCall"
	_, errs = drain(c.OrgTasks(context.Background(), testOrg, &gen.ListOrgTasksParams{XTallyfyClient: &name}))
	require.Empty(t, errs)

	reqs := s.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "MyIntegration", reqs[0].Header.Get("X-Tallyfy-Client"))
	assert.Equal(t, "my-app/2", reqs[0].Header.Get("User-Agent"))
	assert.Equal(t, "PerCall", reqs[1].Header.Get("X-Tallyfy-Client"), "a value in params wins")
}

func TestTheGeneratedClientIsAuthenticatedAndTyped(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			writeJSON(w, 200, pageJSON(1, 2, 1, 1, 10, 2, "[]"))
			return
		}
		writeJSON(w, 404, `{"error":true,"message":"Resource not found","code":"RESOURCE_NOT_FOUND"}`)
	})
	c, _ := newTestClient(t, s)
	resp, err := c.Generated().ListRunTasksWithResponse(context.Background(), testOrg, testRun, nil)
	require.NoError(t, err)
	require.NotNil(t, resp.JSON200)
	assert.Len(t, resp.JSON200.Data, 2)
	assert.Equal(t, "Bearer "+testToken, s.requests()[0].Header.Get("Authorization"))
	assert.Equal(t, "APIClient", s.requests()[0].Header.Get("X-Tallyfy-Client"))

	raw, err := c.Generated().ListRunTasks(context.Background(), testOrg, testRun, nil)
	assert.Nil(t, raw)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr, "a 404 is an error, not a response with JSON200 == nil")
	assert.Equal(t, "RESOURCE_NOT_FOUND", apiErr.Code)
}

func TestTheTokenIsNeverPrinted(t *testing.T) {
	var logs strings.Builder
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		// A server that echoes the Authorization header back, in its error body and a header.
		writeJSON(w, 503, `{"message":"bad header `+r.Header.Get("Authorization")+`"}`, "X-Echo", r.Header.Get("Authorization"))
	})
	c, _ := newTestClient(t, s, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	_, _, err := c.ListOrgTasks(context.Background(), testOrg, nil)
	require.Error(t, err)

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	printed := []string{
		err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", apiErr), apiErr.Body, apiErr.Message,
		fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%s", c),
		fmt.Sprintf("%+v", *c), fmt.Sprintf("%+v", c.doer), fmt.Sprintf("%#v", c.doer.token), fmt.Sprint(apiErr.Header),
		logs.String(),
	}
	for _, p := range printed {
		assert.NotContains(t, p, testToken)
		assert.NotContains(t, p, "SECRET")
	}
	assert.Contains(t, logs.String(), "retrying", "the retries were logged")
}

// cookieJar is a jar that keeps nothing, to tell one jar from another.
type cookieJar struct{ _ int }

func (*cookieJar) SetCookies(*url.URL, []*http.Cookie) {}
func (*cookieJar) Cookies(*url.URL) []*http.Cookie     { return nil }
