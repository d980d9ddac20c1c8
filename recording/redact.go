package recording

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"regexp"
	"strings"

	"github.com/tallyfy-go/tallyfy/internal/redact"
)

// Headers kept in a recording; every other header (Authorization, cookies,
// anything a proxy adds) is dropped before a recording is written.
var (
	keptRequestHeaders  = []string{"Accept", "X-Tallyfy-Client"}
	keptResponseHeaders = []string{"Content-Type", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-Request-Id", "X-Correlation-Id"}
)

var emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)

// Redact returns a copy of ex that is safe to write to disk:
//   - only a few harmless headers are kept (never Authorization or cookies);
//   - every secret (the access token) is replaced by "[redacted]" wherever
//     it appears, in any form (as is, JSON-escaped, URL-encoded; see package
//     internal/redact), URL and bodies included;
//   - every e-mail address is mapped to a stable one at example.com
//     (the same address always maps to the same replacement, so recordings
//     stay consistent with each other).
func Redact(ex *Exchange, secrets ...string) *Exchange {
	return redactExchange(ex, redact.New(secrets...))
}

func redactExchange(ex *Exchange, secrets redact.Secrets) *Exchange {
	out := *ex
	out.Request.Headers = keepHeaders(ex.Request.Headers, keptRequestHeaders, secrets)
	out.Response.Headers = keepHeaders(ex.Response.Headers, keptResponseHeaders, secrets)
	out.Request.URL = redactURL(ex.Request.URL, secrets)
	if len(ex.Response.Body) > 0 {
		out.Response.Body = redactJSON(secrets.Bytes(ex.Response.Body))
	}
	out.Response.BodyText = string(redactBytes([]byte(ex.Response.BodyText), secrets))
	return &out
}

func keepHeaders(in map[string]string, keep []string, secrets redact.Secrets) map[string]string {
	out := make(map[string]string)
	for name, v := range in {
		for _, k := range keep {
			if strings.EqualFold(name, k) {
				out[k] = string(redactBytes([]byte(v), secrets))
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func redactBytes(b []byte, secrets redact.Secrets) []byte {
	b = secrets.Bytes(b)
	return emailPattern.ReplaceAllFunc(b, func(addr []byte) []byte { return []byte(exampleAddress(string(addr))) })
}

// redactURL scrubs secrets and e-mail addresses from a URL: from its path
// (decoded, so %40 is an "@" too), and from its query one value (and one
// comma-joined item) at a time, keeping the query's literal commas. User
// info and fragment are dropped.
func redactURL(raw string, secrets redact.Secrets) string {
	raw = secrets.Text(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return string(redactBytes([]byte(raw), secrets))
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if red := emailPattern.ReplaceAllStringFunc(u.Path, exampleAddress); red != u.Path {
		u.Path, u.RawPath = red, ""
	}
	params := strings.Split(u.RawQuery, "&")
	for i, p := range params {
		key, value, found := strings.Cut(p, "=")
		if !found {
			continue
		}
		items := strings.Split(value, ",")
		for j, item := range items {
			plain, err := url.QueryUnescape(item)
			if err != nil || !emailPattern.MatchString(plain) {
				continue
			}
			items[j] = url.QueryEscape(string(redactBytes([]byte(plain), secrets)))
		}
		params[i] = key + "=" + strings.Join(items, ",")
	}
	u.RawQuery = strings.Join(params, "&")
	return u.String()
}

// exampleAddress maps an address to user-<hash>@example.com; addresses
// already at example.com stay as they are.
func exampleAddress(addr string) string {
	lower := strings.ToLower(addr)
	if strings.HasSuffix(lower, "@example.com") {
		return addr
	}
	sum := sha256.Sum256([]byte(lower))
	return "user-" + hex.EncodeToString(sum[:4]) + "@example.com"
}
