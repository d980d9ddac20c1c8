package drift_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/tallyfy-go/tallyfy/drift"
)

// A body larger than the validator holds is not validated, and the check
// says so with a drift finding: it never passes a body it did not read.
func ExampleWithMaxBody() {
	v, err := drift.NewValidator(drift.WithMaxBody(1 << 10))
	if err != nil {
		panic(err)
	}
	findings := v.Check(context.Background(), drift.Exchange{
		Method:         http.MethodGet,
		URL:            "https://go.tallyfy.com/api/organizations/5a1e9c3b7d2f4e6a8b0c1d2e3f4a0001/tasks",
		Status:         http.StatusOK,
		ResponseHeader: http.Header{"Content-Type": {"application/json"}},
		Body:           []byte(`{"data":[],"padding":"` + strings.Repeat(" ", 2<<10) + `"}`),
	})
	for _, f := range findings {
		fmt.Printf("%s %s: %s\n", f.Severity, f.Rule, f.Message)
	}
	// Output:
	// drift limit: the body is 2072 bytes, over the 1024 the validator holds (drift.WithMaxBody): not validated
}
