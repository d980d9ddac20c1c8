package redact

import (
	"net/url"
	"strings"
)

// secretQueryParams are the query parameters that may carry a credential.
var secretQueryParams = []string{"token", "access_token", "api_key"}

// URL returns raw as it may be shown: without user info, fragment and the
// query parameters that carry credentials (token, access_token, api_key),
// keeping the order and encoding of the other parameters. A URL that does
// not parse is not shown at all.
func URL(raw string) string {
	return shown(raw, func(pair string) string {
		if isSecretParam(pair) {
			return ""
		}
		return pair
	})
}

// URLWithoutValues returns raw with no user info, no fragment and no query
// values: only the names of its query parameters are kept. It is the form
// of a URL that the client did not build itself (a base URL given to it, a
// redirect's Location), whose query may hold anything.
func URLWithoutValues(raw string) string {
	return shown(raw, func(pair string) string {
		if name, _, _ := strings.Cut(pair, "="); name != "" {
			return name + "=…"
		}
		return ""
	})
}

// shown returns raw without user info and fragment, each "name=value"
// pair of its query replaced by what keep makes of it ("": dropped).
func shown(raw string, keep func(pair string) string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.RawQuery != "" {
		kept := make([]string, 0, strings.Count(u.RawQuery, "&")+1)
		for pair := range strings.SplitSeq(u.RawQuery, "&") {
			if k := keep(pair); pair != "" && k != "" {
				kept = append(kept, k)
			}
		}
		u.RawQuery = strings.Join(kept, "&")
	}
	u.ForceQuery = false
	return u.String()
}

// URL returns raw as URL shows it, with the secrets also removed from its
// path and the query it keeps.
func (s Secrets) URL(raw string) string { return s.Text(URL(raw)) }

// isSecretParam reports whether the raw "name=value" pair names a secret.
func isSecretParam(pair string) bool {
	name, _, _ := strings.Cut(pair, "=")
	if unescaped, err := url.QueryUnescape(name); err == nil {
		name = unescaped
	}
	for _, secret := range secretQueryParams {
		if strings.EqualFold(name, secret) {
			return true
		}
	}
	return false
}
