package tallyfy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/internal/redact"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/hostile"
)

// hostileToken has a "/" so that its \/ form differs from its raw form.
const hostileToken = "tok-9f8e7d6c5b4a/SECRET+do-not-print"

// hostileClient is a client of srv with hostileToken, fast retries and
// the given options.
func hostileClient(t *testing.T, srv *hostile.Server, opts ...Option) *Client {
	t.Helper()
	base := []Option{WithBaseURL(srv.BaseURL()), WithRetryPolicy(RetryPolicy{MaxAttempts: 2})}
	c, err := NewClient(hostileToken+"\n", append(base, opts...)...)
	require.NoError(t, err)
	newSleeps(time.Now()).install(c)
	return c
}

// assertNoToken fails if any form of hostileToken is in text.
func assertNoToken(t *testing.T, text, what string) {
	t.Helper()
	assert.False(t, redact.New(hostileToken).Contains([]byte(text)), "%s holds the token: %s", what, text)
}

func TestAnEchoedTokenComesBackInNoField(t *testing.T) {
	for _, status := range []int{401, 422, 429, 503} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv := hostile.Start(t, hostile.EchoTokenError(status))
			var logs bytes.Buffer
			c := hostileClient(t, srv, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			_, errs := drain(c.RunTasks(context.Background(), "o", "r", nil))
			require.Len(t, errs, 1)
			var apiErr *APIError
			require.ErrorAs(t, errs[0], &apiErr)
			assert.Equal(t, status, apiErr.StatusCode)
			assert.Equal(t, "token [redacted] refused", apiErr.Message, "the message is kept, the token is not")
			assertNoToken(t, errs[0].Error(), "Error()")
			assertNoToken(t, fmt.Sprintf("%+v %#v", apiErr, apiErr), "the formatted error")
			assertNoToken(t, apiErr.RequestID, "RequestID")
			assertNoToken(t, fmt.Sprint(apiErr.Header), "Header")
			assertNoToken(t, apiErr.Body, "Body")
			assertNoToken(t, logs.String(), "the retry log")
			require.NotEmpty(t, srv.Requests())
			assert.Equal(t, "Bearer "+hostileToken, srv.Requests()[0].Authorization, "the token is sent trimmed")
		})
	}
}

func TestATimeThatHoldsTheTokenIsQuotedShort(t *testing.T) {
	srv := hostile.Start(t, hostile.EchoTokenInTask())
	c := hostileClient(t, srv)
	_, errs := drain(c.RunTasks(context.Background(), "o", "r", nil))
	require.Len(t, errs, 1)
	assertNoToken(t, errs[0].Error(), "the iterator's error")

	_, resp, err := c.ListRunTasks(context.Background(), "o", "r", nil)
	if err != nil {
		assertNoToken(t, err.Error(), "the page method's error")
	} else {
		assertNoToken(t, resp.Request.URL.String(), "the page method's URL")
	}

	_, parseErr := time.Parse(time.RFC3339, hostileToken)
	de := &DecodeError{Method: "GET", URL: "https://h/api/x", StatusCode: 200, Err: fmt.Errorf("page 1: data[0]: %w", parseErr)}
	assertNoToken(t, de.Error(), "a DecodeError of a bad time")
	assert.Contains(t, de.Error(), `parsing time "tok-9f8e7d6c"…`, "a short prefix is quoted")
}

func TestShortParseErrorCutsEveryQuotedValue(t *testing.T) {
	_, err := time.Parse(time.RFC3339, "2026-01-01T00:00:00Z"+strings.Repeat("x", 40))
	require.Error(t, err)
	got := quietError(fmt.Errorf("data[0]: %w", err))
	assert.Equal(t, `data[0]: parsing time "2026-01-01T0"…: extra text`, got)
}

func TestRedirectsToAnotherOriginAreNotFollowed(t *testing.T) {
	elsewhere := hostile.Start(t, hostile.EchoTokenInTask())
	cases := []struct {
		name     string
		tls      bool
		location func(api *hostile.Server) string
	}{
		{"https to http", true, func(*hostile.Server) string { return elsewhere.URL + "/api/x?access_token=" + hostileToken }},
		{"another port", false, func(*hostile.Server) string { return elsewhere.URL + "/api/x" }},
		{"another host", false, func(api *hostile.Server) string {
			return strings.Replace(api.URL, "127.0.0.1", "localhost", 1) + "/api/x"
		}},
		{"another scheme, same host and port", false, func(api *hostile.Server) string {
			return strings.Replace(api.URL, "http://", "https://", 1) + "/api/x"
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var api *hostile.Server
			var opts []Option
			if tc.tls {
				api = hostile.StartTLS(t, nil)
				opts = append(opts, WithHTTPClient(api.Client()))
			} else {
				api = hostile.Start(t, nil)
			}
			api.Set(hostile.RedirectTo(http.StatusFound, tc.location(api)))
			before := len(elsewhere.Requests())
			c := hostileClient(t, api, opts...)
			_, errs := drain(c.RunTasks(context.Background(), "o", "r", nil))
			require.Len(t, errs, 1)
			var re *RedirectError
			require.ErrorAs(t, errs[0], &re)
			assert.Equal(t, RedirectOtherOrigin, re.Reason)
			assert.Equal(t, http.StatusFound, re.StatusCode)
			assert.Contains(t, errs[0].Error(), "302 Found redirects to")
			assertNoToken(t, errs[0].Error(), "the redirect error")
			assert.Len(t, api.Requests(), 1, "a refused redirect is not retried")
			assert.Len(t, elsewhere.Requests(), before, "the other origin never sees the request, nor the token")
		})
	}
}

func TestRedirectLoopsAreNotRetried(t *testing.T) {
	srv := hostile.Start(t, hostile.RedirectLoop())
	c := hostileClient(t, srv, WithRetryPolicy(DefaultRetryPolicy()))
	_, errs := drain(c.RunTasks(context.Background(), "o", "r", nil))
	require.Len(t, errs, 1)
	var re *RedirectError
	require.ErrorAs(t, errs[0], &re)
	assert.Equal(t, RedirectLoop, re.Reason)
	assert.Len(t, srv.Requests(), 1)
}

func TestRedirectsWithinTheOriginAreFollowed(t *testing.T) {
	srv := hostile.Start(t, nil)
	srv.Set(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/old") {
			hostile.RedirectTo(http.StatusMovedPermanently, strings.TrimPrefix(r.URL.RequestURI(), "/old"))(w, r)
			return
		}
		writeJSON(w, 200, pageJSON(1, 1, 1, 1, 10, 1, "[]"))
	})
	c, err := NewClient(hostileToken, WithBaseURL(srv.URL+"/old/api"))
	require.NoError(t, err)
	titles, errs := drain(c.RunTasks(context.Background(), "o", "r", nil))
	require.Empty(t, errs)
	assert.Equal(t, titlesFrom(1, 1), titles)
	seen := srv.Requests()
	require.Len(t, seen, 2)
	assert.Equal(t, "Bearer "+hostileToken, seen[1].Authorization)
}

func TestTooManyRedirectsWithinTheOrigin(t *testing.T) {
	srv := hostile.Start(t, nil)
	srv.Set(func(w http.ResponseWriter, r *http.Request) {
		hostile.RedirectTo(http.StatusTemporaryRedirect, r.URL.Path+"/x")(w, r)
	})
	c := hostileClient(t, srv)
	_, errs := drain(c.RunTasks(context.Background(), "o", "r", nil))
	require.Len(t, errs, 1)
	var re *RedirectError
	require.ErrorAs(t, errs[0], &re)
	assert.Equal(t, RedirectTooMany, re.Reason)
	assert.Len(t, srv.Requests(), maxRedirects+1, "the first request and the redirects followed")
}

// A call follows 10 redirects in a row within the origin, as the README
// says, and refuses the 11th.
func TestTenRedirectsAreFollowedAndTheEleventhIsNot(t *testing.T) {
	cases := []struct {
		redirects   int
		wantRefused bool
	}{{maxRedirects, false}, {maxRedirects + 1, true}}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.redirects), func(t *testing.T) {
			srv := hostile.Start(t, nil)
			srv.Set(func(w http.ResponseWriter, r *http.Request) {
				if hops := strings.Count(r.URL.Path, "/hop"); hops < tc.redirects {
					hostile.RedirectTo(http.StatusFound, "/hop"+r.URL.Path)(w, r)
					return
				}
				writeJSON(w, 200, pageJSON(1, 1, 1, 1, 10, 1, "[]"))
			})
			c := hostileClient(t, srv)
			titles, errs := drain(c.RunTasks(context.Background(), "o", "r", nil))
			var re *RedirectError
			if tc.wantRefused {
				require.Len(t, errs, 1)
				require.ErrorAs(t, errs[0], &re)
				assert.Equal(t, RedirectTooMany, re.Reason)
				return
			}
			require.Empty(t, errs)
			assert.Equal(t, titlesFrom(1, 1), titles)
			assert.Len(t, srv.Requests(), tc.redirects+1)
		})
	}
}

func TestABaseURLErrorQuotesNoUserInfoOrQueryValue(t *testing.T) {
	cases := []string{
		"https://ada:pass-SECRET@go.tallyfy.com/api",
		"https://go.tallyfy.com/api?sig=SECRET",
		"ftp://ada:pass-SECRET@go.tallyfy.com/api?sig=SECRET",
		"https://go.tallyfy.com/api#SECRET",
		"https://go.tallyfy.com:SECRET/api",
		"\x7fhttps://SECRET",
	}
	for _, base := range cases {
		_, err := NewClient(hostileToken, WithBaseURL(base))
		require.Error(t, err, base)
		assert.NotContains(t, err.Error(), "SECRET", base)
		assert.NotContains(t, err.Error(), "ada", base)
	}
}

// The page methods and the generated client use the same client: a
// refused redirect is a *RedirectError there too.
func TestThePageMethodsAndTheGeneratedClientRefuseRedirectsToo(t *testing.T) {
	elsewhere := hostile.Start(t, nil)
	srv := hostile.Start(t, hostile.RedirectTo(http.StatusSeeOther, elsewhere.URL))
	c := hostileClient(t, srv)
	var re *RedirectError
	_, _, err := c.ListOrgTasks(context.Background(), "o", &gen.ListOrgTasksParams{})
	require.ErrorAs(t, err, &re)
	_, err = c.Generated().ListOrgTasksWithResponse(context.Background(), "o", &gen.ListOrgTasksParams{})
	require.ErrorAs(t, err, &re)
	assert.Empty(t, elsewhere.Requests())
}

// A server that sends the token as a task's id, in the body and in the
// Content-Type: the *TaskError of the task that does not fit, and the
// *DecodeError of a body cut short, hold it in no field.
func TestATokenEchoedAsATaskIsInNoTaskOrDecodeError(t *testing.T) {
	for _, concurrency := range []int{1, 8} {
		t.Run(fmt.Sprint("concurrency ", concurrency), func(t *testing.T) {
			srv := hostile.Start(t, hostile.EchoTokenAsTaskID(false))
			c := hostileClient(t, srv, WithPageConcurrency(concurrency))
			_, errs := drain(c.RunTasks(context.Background(), "o", "r", nil))
			require.Len(t, errs, 1)
			var te *TaskError
			require.ErrorAs(t, errs[0], &te)
			assert.Equal(t, "[redacted]", te.ID)
			assert.Equal(t, "/data/0/title", te.Pointer)
			assertNoToken(t, te.Error(), "the task error")
			assertNoToken(t, string(te.Raw), "the task's raw JSON")
			assert.True(t, json.Valid(te.Raw), "the raw JSON stays JSON: %s", te.Raw)

			_, _, err := c.ListRunTasks(context.Background(), "o", "r", nil)
			require.ErrorAs(t, err, &te)
			assertNoToken(t, fmt.Sprintf("%v %+v", err, te), "the page method's task error")

			srv.Set(hostile.EchoTokenAsTaskID(true))
			for _, err := range []error{
				func() error {
					_, errs := drain(c.RunTasks(context.Background(), "o", "r", nil))
					return errors.Join(errs...)
				}(),
				func() error { _, _, err := c.ListRunTasks(context.Background(), "o", "r", nil); return err }(),
			} {
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				assertNoToken(t, de.ContentType, "the DecodeError's ContentType")
				assertNoToken(t, fmt.Sprintf("%v %+v", err, de), "the DecodeError")
			}
		})
	}
}

// A token of 16 bytes (the shortest scrubbed wherever it occurs) echoed as
// a task's created_at: no error of the chain under the *TaskError, which
// a caller may print, quotes it whole.
func TestAShortTokenInATaskIsQuotedInNoErrorOfTheChain(t *testing.T) {
	const short = "0123456789abcdef"
	require.Len(t, short, redact.MinLength)
	srv := hostile.Start(t, hostile.EchoTokenInTask())
	c, err := NewClient(short, WithBaseURL(srv.BaseURL()))
	require.NoError(t, err)
	_, errs := drain(c.RunTasks(context.Background(), "o", "r", nil))
	require.Len(t, errs, 1)
	var te *TaskError
	require.ErrorAs(t, errs[0], &te)
	assert.Equal(t, "/data/0/created_at", te.Pointer)
	for e := error(te); e != nil; e = errors.Unwrap(e) {
		assert.NotContains(t, e.Error(), short)
	}
}

// A header named after the token (a JWT or a hex token is a valid header
// name, which Go may only change in case): an *APIError's Header leaves it
// out, and so does what a ResponseHook sees.
func TestAHeaderNamedAfterTheTokenIsLeftOut(t *testing.T) {
	for _, tok := range []string{"0123456789abcdef0123456789abcdef", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-Nature_x"} {
		t.Run(tok[:8], func(t *testing.T) {
			srv := hostile.Start(t, hostile.EchoTokenAsHeaderName(http.StatusUnauthorized))
			var observed []http.Header
			c, err := NewClient(tok, WithBaseURL(srv.BaseURL()), WithResponseHook(ResponseHookFunc(func(r ObservedResponse) {
				observed = append(observed, r.Header)
			})))
			require.NoError(t, err)
			_, _, err = c.ListRunTasks(context.Background(), "o", "r", nil)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			require.Len(t, observed, 1)
			for what, h := range map[string]http.Header{"the error's Header": apiErr.Header, "the hook's Header": observed[0]} {
				assert.Equal(t, "application/json", h.Get("Content-Type"), "%s keeps the other headers", what)
				assert.NotContains(t, strings.ToLower(fmt.Sprint(h)), strings.ToLower(tok), what)
			}
			assert.NotContains(t, strings.ToLower(fmt.Sprintf("%v %+v", err, apiErr)), strings.ToLower(tok))
		})
	}
}
