package drift

import (
	"net/url"
	"strings"
)

// secretQueryParams are the query parameters that may carry a credential.
// They are dropped from the URL of every finding.
var secretQueryParams = []string{"token", "access_token", "api_key"}

// safeURL returns raw without userinfo, fragment and secret query
// parameters, keeping the order and encoding of the other parameters.
// A URL that does not parse is not echoed at all.
func safeURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.RawQuery != "" {
		kept := make([]string, 0, strings.Count(u.RawQuery, "&")+1)
		for pair := range strings.SplitSeq(u.RawQuery, "&") {
			if pair != "" && !isSecretParam(pair) {
				kept = append(kept, pair)
			}
		}
		u.RawQuery = strings.Join(kept, "&")
	}
	u.ForceQuery = false
	return u.String()
}

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
