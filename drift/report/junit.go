package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/tallyfy-go/tallyfy/drift"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes the report as JUnit XML, as GitHub and GitLab CI read
// it: one testsuite, one testcase per exchange (classname: the operation),
// a <failure> listing the drift findings, and warnings in <system-out>.
func WriteJUnit(w io.Writer, r *Report) error {
	s := r.Summary()
	suite := junitSuite{
		Name:     "tallyfy-drift",
		Tests:    s.Exchanges,
		Failures: s.DriftExchanges,
		Properties: []junitProperty{
			{Name: "target", Value: r.Target},
			{Name: "spec_version", Value: r.SpecVersion},
		},
	}
	for _, ex := range r.Exchanges {
		name := fmt.Sprintf("%s %s -> %d", ex.Method, ex.Path(), ex.Status)
		if q := ex.Query(); q != "" {
			name = fmt.Sprintf("%s %s?%s -> %d", ex.Method, ex.Path(), q, ex.Status)
		}
		if ex.Name != "" {
			name = ex.Name + ": " + name
		}
		c := junitCase{Name: name, Classname: ex.operationLabel()}
		var failures, warnings []string
		for _, f := range ex.Findings {
			line := pointerLabel(f.Pointer) + ": " + f.Rule + ": " + f.Message
			if f.Severity == drift.SeverityDrift {
				failures = append(failures, line)
			} else {
				warnings = append(warnings, "warning "+line)
			}
		}
		if len(failures) > 0 {
			c.Failure = &junitFailure{
				Message: fmt.Sprintf("%d drift finding(s)", len(failures)),
				Type:    "drift",
				Text:    strings.Join(failures, "\n"),
			}
		}
		c.SystemOut = strings.Join(warnings, "\n")
		suite.Cases = append(suite.Cases, c)
	}
	doc := junitSuites{Name: "tallyfy-drift", Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
