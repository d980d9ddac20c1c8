package tallyfy_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/tallyfy-go/tallyfy"
)

// driftingStandIn answers one page of three tasks, the second of which has
// a position that is a string, where the spec says integer.
func driftingStandIn() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		task := func(id, title, position string) string {
			return `{"id":"` + id + `","increment_id":1,"title":"` + title + `","status":"not-started","position":` + position + `,` +
				`"owners":{"users":[1234],"guests":[],"groups":[]},"created_at":"2025-05-20T09:00:00Z","last_updated":"2025-05-20T09:00:00Z"}`
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"data":[`+task("00000000000000000000000000000001", "Welcome call", "1")+`,`+
			task("00000000000000000000000000000002", "Set up account", `"second"`)+`,`+
			task("00000000000000000000000000000003", "Kick-off meeting", "3")+`],`+
			`"meta":{"pagination":{"total":3,"count":3,"per_page":10,"current_page":1,"total_pages":1,"links":[]}}}`)
	}))
}

// A task that does not fit the spec's types comes as a *TaskError; skip it
// to get every other task.
func ExampleTaskError() {
	server := driftingStandIn()
	defer server.Close()
	c, err := tallyfy.NewClient("example-token", tallyfy.WithBaseURL(server.URL+"/api"))
	if err != nil {
		log.Fatal(err)
	}

	for task, err := range c.RunTasks(context.Background(), orgID, runID, nil) {
		var taskErr *tallyfy.TaskError
		if errors.As(err, &taskErr) {
			fmt.Printf("skipped task %d of page %d: %s: want %s, got %s\n",
				taskErr.Index, taskErr.Page, taskErr.Pointer, taskErr.Expected, taskErr.Got)
			continue // taskErr.Raw holds the task's JSON
		}
		if err != nil {
			log.Fatal(err) // the listing ended
		}
		fmt.Println(task.Title)
	}
	// Output:
	// Welcome call
	// skipped task 1 of page 1: /data/1/position: want integer, got string
	// Kick-off meeting
}
