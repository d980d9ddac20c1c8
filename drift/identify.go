package drift

import (
	"net/url"
	"strings"
)

// Operation returns the operationId that a request routes to ("listRunTasks",
// "listOrgTasks"), whatever its base URL, or "" when none does (or the URL
// is longer than Check routes). Reports use
// it to name exchanges that have no findings.
func (v *Validator) Operation(method, rawURL string) string {
	if len(rawURL) > maxURLBytes {
		return ""
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	match, err := v.router.find(strings.ToUpper(method), u)
	if err != nil {
		return ""
	}
	return match.route.Operation.OperationID
}

// SafeURL returns rawURL as findings show it: without user info, fragment,
// or any query parameter named token, access_token or api_key.
func SafeURL(rawURL string) string { return safeURL(rawURL) }
