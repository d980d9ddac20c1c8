package report

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/internal/redact"
)

const scrubToken = "report-token-0123456789-SECRET"

// Scrubbed removes the token, in any form, from every text of a report,
// and leaves the report it was given as it was.
func TestScrubbedReportHoldsNoToken(t *testing.T) {
	encoded := url.QueryEscape(scrubToken + "/")
	r := &Report{
		Mode: ModeLive, Target: "the API at https://" + scrubToken + "@go.tallyfy.com/api", SpecVersion: "0.2.0",
		Checks: []PlannedCheck{{Name: "run tasks, " + scrubToken, Skipped: "not run: " + scrubToken, Error: "refused " + scrubToken}},
		Error:  "the check ended: " + scrubToken,
	}
	add(r, "run tasks, "+scrubToken, "listRunTasks", base+"/tasks?q="+encoded, 200, drift.Finding{
		Severity: drift.SeverityDrift, URL: base + "/tasks?q=" + encoded, Pointer: "/data/0/" + scrubToken,
		Rule: "enum", Message: `value "` + scrubToken + `" is not one of the allowed values`,
	})
	r.Exchanges[0].Name = scrubToken + ".json"

	out := r.Scrubbed(redact.New(scrubToken))
	text := fmt.Sprintf("%+v", *out)
	assert.NotContains(t, text, scrubToken)
	assert.NotContains(t, text, "SECRET")
	assert.Equal(t, "the check ended: [redacted]", out.Error)
	assert.Equal(t, "run tasks, [redacted]", out.Checks[0].Name)
	assert.Equal(t, out.Checks[0].Name, out.Exchanges[0].Check, "the exchange still belongs to its check")
	assert.Equal(t, "/data/0/[redacted]", out.Exchanges[0].Findings[0].Pointer)
	assert.Equal(t, `value "[redacted]" is not one of the allowed values`, out.Exchanges[0].Findings[0].Message)
	assert.Equal(t, 1, out.ExchangesOf(out.Checks[0].Name), "the exchange is counted under its check")

	assert.Contains(t, fmt.Sprintf("%+v", *r), scrubToken, "the original is not changed")
	assert.Contains(t, r.Exchanges[0].Findings[0].Message, scrubToken)
}

// An exchange's Scrubbed gives new findings, and leaves the exchange's
// own as they were.
func TestScrubbedExchangeCopiesItsFindings(t *testing.T) {
	e := Exchange{Check: "c", URL: base + "/tasks", Findings: []drift.Finding{{Message: "got " + scrubToken}}}
	out := e.Scrubbed(redact.New(scrubToken))
	assert.Equal(t, "got [redacted]", out.Findings[0].Message)
	assert.Equal(t, "got "+scrubToken, e.Findings[0].Message)
	assert.Equal(t, e.URL, out.URL)
}
