package livecheck

import (
	"slices"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/drift/report"
	"github.com/tallyfy-go/tallyfy/internal/redact"
	"github.com/tallyfy-go/tallyfy/recording"
)

// withoutSecrets returns ex, or a copy of it with the token, in any form,
// replaced in its URL, headers and body, for the validator to check. A
// finding quotes a cut value of the body, and scrubbing after the cut would
// leave the start of a long token in it; scrubbing before the check leaves
// nothing to cut. A body without the token is not copied.
func withoutSecrets(ex *recording.Exchange, secrets redact.Secrets) *recording.Exchange {
	out := *ex
	out.Request.URL = secrets.Text(ex.Request.URL)
	out.Request.Headers = scrubHeaders(ex.Request.Headers, secrets)
	out.Response.Headers = scrubHeaders(ex.Response.Headers, secrets)
	out.Response.Body = secrets.Bytes(ex.Response.Body)
	out.Response.BodyText = secrets.Text(ex.Response.BodyText)
	return &out
}

func scrubHeaders(in map[string]string, secrets redact.Secrets) map[string]string {
	if len(in) == 0 {
		return in
	}
	out := make(map[string]string, len(in))
	for name, v := range in {
		out[secrets.Text(name)] = secrets.Text(v)
	}
	return out
}

// scrubEntry removes the token, in any form, from the text of a checked
// exchange: a finding quotes a short value of the body, and a hostile
// server may put the token there.
func scrubEntry(e report.Exchange, secrets redact.Secrets) report.Exchange {
	e.URL = secrets.URL(e.URL)
	if len(e.Findings) > 0 {
		findings := make([]drift.Finding, len(e.Findings))
		for i, f := range e.Findings {
			f.URL = secrets.URL(f.URL)
			f.Pointer = secrets.Text(f.Pointer)
			f.Message = secrets.Text(f.Message)
			findings[i] = f
		}
		e.Findings = findings
	}
	return e
}

// ScrubReport returns a copy of r with the token, in any form, removed
// from all its text: what was checked, the checks, the exchanges and their
// findings, and the error. r is not changed.
func ScrubReport(r *report.Report, secrets redact.Secrets) *report.Report {
	out := *r
	out.Target = secrets.Text(r.Target)
	out.Error = secrets.Text(r.Error)
	out.Checks = slices.Clone(r.Checks)
	for i, c := range out.Checks {
		c.Name, c.Skipped, c.Error = secrets.Text(c.Name), secrets.Text(c.Skipped), secrets.Text(c.Error)
		out.Checks[i] = c
	}
	out.Exchanges = slices.Clone(r.Exchanges)
	for i, e := range out.Exchanges {
		e.Check, e.Name = secrets.Text(e.Check), secrets.Text(e.Name)
		out.Exchanges[i] = scrubEntry(e, secrets)
	}
	return &out
}
