package recording

import "github.com/tallyfy-go/tallyfy/internal/redact"

// Scrubbed returns a copy of ex with the secrets, in any form, replaced in
// its URL, its headers (names and values) and its body, for a check that
// quotes what it finds. A finding quotes a cut value of the body, and
// scrubbing after the cut would leave the start of a long token in it;
// scrubbing before the check leaves nothing to cut.
//
// Unlike Redact, which makes an exchange safe to write to disk, it removes
// the secrets and nothing else: every header and e-mail address stays. ex
// is not changed, and a body that holds no secret is not copied.
func (ex *Exchange) Scrubbed(s redact.Secrets) *Exchange {
	out := *ex
	out.Request.URL = s.Text(ex.Request.URL)
	out.Request.Headers = scrubHeaders(ex.Request.Headers, s)
	out.Response.Headers = scrubHeaders(ex.Response.Headers, s)
	out.Response.Body = s.Bytes(ex.Response.Body)
	out.Response.BodyText = s.Text(ex.Response.BodyText)
	return &out
}

// scrubHeaders returns a copy of headers with the secrets replaced in
// every name and value.
func scrubHeaders(in map[string]string, s redact.Secrets) map[string]string {
	if len(in) == 0 {
		return in
	}
	out := make(map[string]string, len(in))
	for name, v := range in {
		out[s.Text(name)] = s.Text(v)
	}
	return out
}
