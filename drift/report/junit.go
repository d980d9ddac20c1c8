package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

type junitSuites struct {
	XMLName xml.Name `xml:"testsuites"`
	Name    string   `xml:"name,attr"`
	junitCounts
	Suites []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name string `xml:"name,attr"`
	junitCounts
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

// junitCounts are the counts of test cases that <testsuites> and
// <testsuite> both carry.
type junitCounts struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Skipped  int `xml:"skipped,attr"`
}

// count counts c.
func (n *junitCounts) count(c junitCase) {
	n.Tests++
	switch {
	case c.Error != nil:
		n.Errors++
	case c.Failure != nil:
		n.Failures++
	case c.Skipped != nil:
		n.Skipped++
	}
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// junitError is an <error> that says why, as one line.
func junitError(why string) *junitProblem {
	msg := textcut.Line(why, maxErrorLen)
	return &junitProblem{Message: msg, Type: "error", Text: msg}
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes the report as JUnit XML, as GitHub and GitLab CI read
// it: one testsuite, one testcase per planned check. Drift becomes a
// <failure> listing the check's finding groups; a skipped check a
// <skipped> with its reason; a check that could not be completed an
// <error>. A check that could not start at all (bad usage, a refused
// token) is still a valid document: one testcase with an <error>.
// Warnings go to <system-out>; each note is a "note" property.
func WriteJUnit(w io.Writer, r *Report) error {
	suite := junitSuite{
		Name: "tallyfy-drift",
		Properties: []junitProperty{
			{Name: "mode", Value: string(orNone(r.Mode))},
			{Name: "target", Value: textcut.Line(r.Target, maxTargetLen)},
			{Name: "spec_version", Value: textcut.Line(r.SpecVersion, maxNameLen)},
		},
	}
	if r.SpecFile != "" {
		suite.Properties = append(suite.Properties, junitProperty{Name: "spec_file", Value: textcut.Line(r.SpecFile, maxTargetLen)})
	}
	if r.Pace != nil {
		suite.Properties = append(suite.Properties, junitProperty{Name: "pace", Value: textcut.Line(r.PaceLine(), maxTargetLen)})
	}
	for _, n := range r.Notes {
		suite.Properties = append(suite.Properties, junitProperty{Name: "note", Value: textcut.Line(n, maxErrorLen)})
	}
	classname := "tallyfy-drift." + string(orNone(r.Mode))
	errorShown := false
	for _, c := range r.Checks {
		jc := junitCase{Name: textcut.Line(c.Name, maxNameLen), Classname: classname}
		exchanges := r.exchangesOf(c.Name)
		failures, warnings := junitLines(exchanges)
		switch r.Outcome(c) {
		case Errored:
			errorShown = true
			jc.Error = junitError(c.Error)
		case Drifted:
			jc.Failure = &junitProblem{Message: fmt.Sprintf("%d drift finding(s)", driftCount(exchanges)), Type: "drift", Text: strings.Join(failures, "\n")}
		case Skipped:
			jc.Skipped = &junitSkipped{Message: textcut.Line(c.Skipped, maxErrorLen)}
		}
		jc.SystemOut = strings.Join(warnings, "\n")
		suite.Cases = append(suite.Cases, jc)
	}
	if r.Error != "" && !errorShown {
		suite.Cases = append(suite.Cases, junitCase{Name: "the check could not be completed", Classname: classname,
			Error: junitError(r.Error)})
	}
	for _, c := range suite.Cases {
		suite.count(c)
	}
	doc := junitSuites{Name: "tallyfy-drift", junitCounts: suite.junitCounts, Suites: []junitSuite{suite}}
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

// junitLines is one line per finding group of exchanges: drift ones and
// warnings apart, at most MaxGroupsShown in all.
func junitLines(exchanges []Exchange) (failures, warnings []string) {
	shown, moreGroups := shownGroups(groupFindings(exchanges))
	for _, g := range shown {
		line := fmt.Sprintf("%s %s %s: %s, first %s: %s", textcut.Line(operationLabel(g.Operation), maxNameLen), textcut.Line(g.Rule, maxNameLen),
			textcut.Line(pointerLabel(g.Pattern), maxPointerLen), occurrences(g), textcut.Line(pointerLabel(g.Example.Pointer), maxPointerLen),
			textcut.Line(g.Example.Message, maxMessageLen))
		if g.Severity == drift.SeverityDrift {
			failures = append(failures, line)
		} else {
			warnings = append(warnings, "warning "+line)
		}
	}
	var notes []string
	if moreGroups != "" {
		notes = append(notes, moreGroups)
	}
	more := 0
	for _, ex := range exchanges {
		more += ex.MoreFindings
	}
	if more > 0 {
		notes = append(notes, moreFindings(more))
	}
	// The notes go where they are read: with the drift, else with the warnings.
	if len(failures) > 0 {
		return append(failures, notes...), warnings
	}
	return failures, append(warnings, notes...)
}

func driftCount(exchanges []Exchange) int {
	n := 0
	for _, ex := range exchanges {
		for _, f := range ex.Findings {
			if f.Severity == drift.SeverityDrift {
				n++
			}
		}
	}
	return n
}
