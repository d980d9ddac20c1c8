package drift_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/drift"
)

// A service watches for drift in its own traffic: an Observer validates a
// sample of the client's responses in the background and reports each new
// finding group once. Here Tallyfy's stand-in has started sending a field
// the spec does not list, on every task (x_example_only: a name no spec
// will have, so that the example holds whatever the spec gains).
func ExampleObserver() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		task := func(id string) string {
			return `{"id":"` + id + `","increment_id":1,"title":"Welcome call","status":"completed","position":1,` +
				`"owners":{"users":[1234],"guests":[],"groups":[]},"created_at":"2025-05-20T09:00:00Z",` +
				`"last_updated":"2025-05-20T09:00:00Z","x_example_only":30}`
		}
		fmt.Fprint(w, `{"data":[`+task("00000000000000000000000000000001")+`,`+task("00000000000000000000000000000002")+`],`+
			`"meta":{"pagination":{"total":2,"count":2,"per_page":10,"current_page":1,"total_pages":1,"links":[]}}}`)
	}))
	defer srv.Close()

	v, err := drift.NewValidator() // once per process
	if err != nil {
		log.Fatal(err)
	}
	obs, err := drift.NewObserver(v,
		drift.SampleRate(1), // every response; a busy service samples fewer (the default is 0.01)
		drift.ReportTo(func(g drift.FindingGroup) { // the default logs with slog
			fmt.Printf("%s %s %s %s: %d (e.g. %s)\n", g.Severity, g.Operation, g.Rule, g.Pattern, g.Count, g.Example.Pointer)
		}),
	)
	if err != nil {
		log.Fatal(err)
	}
	c, err := tallyfy.NewClient("example-token", tallyfy.WithBaseURL(srv.URL+"/api"), tallyfy.WithResponseHook(obs.Hook()))
	if err != nil {
		log.Fatal(err)
	}

	for range 3 { // the same listing three times: one report
		for _, err := range c.RunTasks(context.Background(), "5a1e9c3b7d2f4e6a8b0c1d2e3f4a0001", "5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c", nil) {
			if err != nil {
				log.Fatal(err)
			}
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := obs.Close(ctx); err != nil { // validates what is queued
		log.Fatal(err)
	}
	st := obs.Stats()
	fmt.Printf("validated %d responses, dropped %d, %d findings in %d group\n", st.Validated, st.Dropped, st.Findings, st.Groups)
	// Output:
	// warning listRunTasks undocumented-field /data/*/x_example_only: 2 (e.g. /data/0/x_example_only)
	// validated 3 responses, dropped 0, 6 findings in 1 group
}
