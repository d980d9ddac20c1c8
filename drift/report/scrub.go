package report

import (
	"slices"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/internal/redact"
)

// Scrubbed returns a copy of r with the secrets, in any form, removed
// from all its text: what was checked, the checks, the exchanges and their
// findings, the suggested actions' targets and summaries, the error and the
// notes. r is not changed.
func (r *Report) Scrubbed(s redact.Secrets) *Report {
	out := *r
	out.Target = s.Text(r.Target)
	out.Error = s.Text(r.Error)
	out.Notes = slices.Clone(r.Notes)
	for i, n := range out.Notes {
		out.Notes[i] = s.Text(n)
	}
	out.Checks = slices.Clone(r.Checks)
	for i, c := range out.Checks {
		c.Name, c.Skipped, c.Error = s.Text(c.Name), s.Text(c.Skipped), s.Text(c.Error)
		out.Checks[i] = c
	}
	out.Exchanges = slices.Clone(r.Exchanges)
	for i, e := range out.Exchanges {
		out.Exchanges[i] = e.Scrubbed(s)
	}
	if r.Suggested != nil {
		sug := &Suggested{File: s.Text(r.Suggested.File), Actions: slices.Clone(r.Suggested.Actions)}
		for i, a := range sug.Actions {
			// Only the target and summary are shown: the rest is dropped.
			sug.Actions[i] = drift.SuggestedAction{Kind: a.Kind, Target: s.Text(a.Target), Summary: s.Text(a.Summary), Breaking: a.Breaking}
		}
		out.Suggested = sug
	}
	return &out
}

// Scrubbed returns e with the secrets, in any form, removed from its text:
// its check, name and URL, and its findings' URLs, pointers and messages
// (a finding quotes a short value of the body, and a hostile server may
// put the token there). The findings of e are not changed.
func (e Exchange) Scrubbed(s redact.Secrets) Exchange {
	e.Check, e.Name = s.Text(e.Check), s.Text(e.Name)
	e.URL = s.URL(e.URL)
	if len(e.Findings) > 0 {
		findings := make([]drift.Finding, len(e.Findings))
		for i, f := range e.Findings {
			f.URL = s.URL(f.URL)
			f.Pointer = s.Text(f.Pointer)
			f.Message = s.Text(f.Message)
			findings[i] = f
		}
		e.Findings = findings
	}
	return e
}
