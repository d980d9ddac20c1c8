package report

import (
	"context"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/recording"
)

// Check holds one recorded or captured exchange against the spec with v and
// returns its report entry: the operation it routes to, its token-free URL,
// its status and the findings. name is the recording's name ("" for a live
// exchange).
func Check(ctx context.Context, v *drift.Validator, name string, ex *recording.Exchange) Exchange {
	return Exchange{
		Name:      name,
		Operation: v.Operation(ex.Request.Method, ex.Request.URL),
		Method:    ex.Request.Method,
		URL:       drift.SafeURL(ex.Request.URL),
		Status:    ex.Response.Status,
		Findings:  v.Check(ctx, drift.FromRecording(ex)),
	}
}
