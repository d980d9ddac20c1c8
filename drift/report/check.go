package report

import (
	"context"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/internal/redact"
	"github.com/tallyfy-go/tallyfy/recording"
)

// Check holds one recorded or captured exchange against the spec with v and
// returns its report entry: the operation it routes to, its token-free URL,
// its status and the findings. check names the planned check the exchange
// belongs to; name is the recording's name ("" for a live exchange). The
// validator lists at most drift.MaxFindings findings of one exchange;
// MoreFindings counts the rest.
func Check(ctx context.Context, v *drift.Validator, check, name string, ex *recording.Exchange) Exchange {
	findings := v.Check(ctx, drift.FromRecording(ex))
	more := drift.OmittedFindings(findings)
	return Exchange{
		Check:        check,
		Name:         name,
		Operation:    v.Operation(ex.Request.Method, ex.Request.URL),
		Method:       ex.Request.Method,
		URL:          redact.URL(ex.Request.URL),
		Status:       ex.Response.Status,
		Findings:     findings,
		MoreFindings: more,
	}
}
