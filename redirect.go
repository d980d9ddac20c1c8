package tallyfy

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/tallyfy-go/tallyfy/internal/redact"
)

// maxRedirects is how many redirects within the API's origin a call follows.
const maxRedirects = 10

// Reasons a redirect is not followed (RedirectError.Reason).
const (
	RedirectOtherOrigin = "it leads to another scheme, host or port"
	RedirectLoop        = "it leads back to a URL already visited"
	RedirectTooMany     = "too many redirects"
)

// RedirectError is a redirect that an API call did not follow: one that
// leads to another scheme, host or port (where the access token must not
// go), a redirect loop, or more than 10 redirects in a row. It is never
// retried: the server would redirect again.
type RedirectError struct {
	Method     string // method of the request that was redirected
	URL        string // the request URL the client built
	StatusCode int    // the redirect's status (301, 302, 303, 307 or 308)
	// Location is where the redirect leads, without user info, fragment or
	// query values (only the names of its query parameters are kept).
	Location string
	Reason   string // one of the Redirect* constants
}

// Error implements error.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("tallyfy: %s %s: %d %s redirects to %s: not followed: %s",
		e.Method, pathOf(e.URL), e.StatusCode, http.StatusText(e.StatusCode), e.Location, e.Reason)
}

// apiClient returns a copy of hc (the caller's client stays as it is) whose
// redirect policy keeps the token within the API's origin: see
// RedirectError. Within the origin, hc's own CheckRedirect, if any, still
// decides.
func apiClient(hc *http.Client, tok secret) *http.Client {
	api := *hc
	next := hc.CheckRedirect
	api.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if reason := refuseRedirect(req, via); reason != "" {
			first := via[0]
			status := 0
			if req.Response != nil {
				status = req.Response.StatusCode
			}
			return &RedirectError{
				Method:     first.Method,
				URL:        tok.url(first.URL.String()),
				StatusCode: status,
				Location:   redact.URLWithoutValues(tok.text(req.URL.String())),
				Reason:     reason,
			}
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
	return &api
}

// refuseRedirect says why req, a redirect after the requests in via, is
// not followed; "" when it may be.
func refuseRedirect(req *http.Request, via []*http.Request) string {
	if !sameOrigin(req.URL, via[0].URL) {
		return RedirectOtherOrigin
	}
	target := req.URL.String()
	for _, v := range via {
		if v.URL.String() == target {
			return RedirectLoop
		}
	}
	if len(via) > maxRedirects { // via holds the first request and each redirect followed
		return RedirectTooMany
	}
	return ""
}

// sameOrigin reports whether a and b have the same scheme, host and port
// (a missing port is the scheme's default).
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		portOf(a) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// asRedirectError returns the *RedirectError inside err (the *url.Error of
// http.Client.Do, whose URL would show the redirect's query), or err.
func asRedirectError(err error) error {
	var re *RedirectError
	if errors.As(err, &re) {
		return re
	}
	return err
}
