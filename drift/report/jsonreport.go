package report

import (
	"encoding/json"
	"io"
)

// The JSON report's shape. Its keys are pinned: CI scripts read them.
type jsonReport struct {
	Target      string         `json:"target"`
	SpecVersion string         `json:"spec_version"`
	Summary     jsonSummary    `json:"summary"`
	Exchanges   []jsonExchange `json:"exchanges"`
}

type jsonSummary struct {
	Exchanges int `json:"exchanges"`
	Drift     int `json:"drift"`    // drift findings
	Warnings  int `json:"warnings"` // warning findings
}

type jsonExchange struct {
	Name      string        `json:"name,omitempty"`
	Operation string        `json:"operation"`
	Method    string        `json:"method"`
	URL       string        `json:"url"`
	Status    int           `json:"status"`
	Findings  []jsonFinding `json:"findings"`
}

type jsonFinding struct {
	Severity string `json:"severity"`
	Pointer  string `json:"pointer"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
}

// WriteJSON writes the report as one indented JSON document:
// {"target", "spec_version", "summary": {"exchanges", "drift", "warnings"},
// "exchanges": [{"operation", "method", "url", "status", "findings":
// [{"severity", "pointer", "rule", "message"}]}]}. summary.drift and
// summary.warnings count findings.
func WriteJSON(w io.Writer, r *Report) error {
	s := r.Summary()
	out := jsonReport{
		Target:      r.Target,
		SpecVersion: r.SpecVersion,
		Summary:     jsonSummary{Exchanges: s.Exchanges, Drift: s.Drift, Warnings: s.Warnings},
		Exchanges:   make([]jsonExchange, 0, len(r.Exchanges)),
	}
	for _, ex := range r.Exchanges {
		je := jsonExchange{
			Name: ex.Name, Operation: ex.Operation, Method: ex.Method, URL: ex.URL, Status: ex.Status,
			Findings: make([]jsonFinding, 0, len(ex.Findings)),
		}
		for _, f := range ex.Findings {
			je.Findings = append(je.Findings, jsonFinding{Severity: string(f.Severity), Pointer: f.Pointer, Rule: f.Rule, Message: f.Message})
		}
		out.Exchanges = append(out.Exchanges, je)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
