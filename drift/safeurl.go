package drift

import "github.com/tallyfy-go/tallyfy/internal/redact"

// safeURL returns raw without userinfo, fragment and the query parameters
// that carry credentials (token, access_token, api_key), keeping the order
// and encoding of the other parameters. A URL that does not parse is not
// echoed at all. The rule lives in package redact, with every other rule
// about secrets.
func safeURL(raw string) string { return redact.URL(raw) }
