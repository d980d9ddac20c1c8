// Package report gathers the results of a drift check and writes them as
// text (for people), JSON (for scripts) or JUnit XML (for CI systems).
package report

import (
	"net/url"

	"github.com/tallyfy-go/tallyfy/drift"
)

// Report is the result of one drift check.
type Report struct {
	// Target says what was checked: "embedded recordings", a folder of
	// recordings, or the base URL of a live API.
	Target string
	// SpecVersion is info.version of the spec the check used.
	SpecVersion string
	// Exchanges are the checked exchanges, in the order they were checked.
	Exchanges []Exchange
}

// Exchange is one checked request and response, with what the check found.
type Exchange struct {
	Name      string // recording name, or empty for a live exchange
	Operation string // operationId, or "" when no route matched
	Method    string
	URL       string // token-free
	Status    int
	Findings  []drift.Finding
}

// Summary counts a report's exchanges and findings.
type Summary struct {
	Exchanges      int // exchanges checked
	DriftExchanges int // exchanges with at least one drift finding
	Drift          int // drift findings
	Warnings       int // warning findings
}

// Summary counts the report.
func (r *Report) Summary() Summary {
	s := Summary{Exchanges: len(r.Exchanges)}
	for _, ex := range r.Exchanges {
		if ex.HasDrift() {
			s.DriftExchanges++
		}
		for _, f := range ex.Findings {
			if f.Severity == drift.SeverityDrift {
				s.Drift++
			} else {
				s.Warnings++
			}
		}
	}
	return s
}

// HasDrift reports whether any exchange drifted from the spec.
func (r *Report) HasDrift() bool { return r.Summary().Drift > 0 }

// HasDrift reports whether the exchange has a drift finding.
func (e Exchange) HasDrift() bool { return drift.HasDrift(e.Findings) }

// Query returns the exchange's query string ("" if none), for short labels.
func (e Exchange) Query() string {
	u, err := url.Parse(e.URL)
	if err != nil {
		return ""
	}
	return u.RawQuery
}

// Path returns the exchange's URL path.
func (e Exchange) Path() string {
	u, err := url.Parse(e.URL)
	if err != nil {
		return e.URL
	}
	return u.Path
}

// operationLabel is the operation, or "(no route)".
func (e Exchange) operationLabel() string {
	if e.Operation == "" {
		return "(no route)"
	}
	return e.Operation
}
