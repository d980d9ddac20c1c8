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

// skippingStandIn answers page 1 of three, and then, asked for page 2,
// answers with current_page 4: two pages would be lost without a word.
func skippingStandIn() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := 1
		if r.URL.Query().Get("page") == "2" {
			page = 4
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"data":[{"id":"%032x","increment_id":%d,"title":"Task on page %d","status":"not-started","position":1,`+
			`"owners":{"users":[],"guests":[],"groups":[]},"created_at":"2025-05-20T09:00:00Z","last_updated":"2025-05-20T09:00:00Z"}],`+
			`"meta":{"pagination":{"total":5,"count":1,"per_page":1,"current_page":%d,"total_pages":5,"links":[]}}}`, page, page, page, page)
	}))
}

// A page whose pagination cannot be followed ends the listing with a
// *PaginationError, after that page's tasks, rather than skipping or
// repeating pages.
func ExamplePaginationError() {
	server := skippingStandIn()
	defer server.Close()
	c, err := tallyfy.NewClient("example-token", tallyfy.WithBaseURL(server.URL+"/api"))
	if err != nil {
		log.Fatal(err)
	}

	for task, err := range c.RunTasks(context.Background(), orgID, runID, nil) {
		var pagErr *tallyfy.PaginationError
		if errors.As(err, &pagErr) {
			fmt.Printf("the listing ended at page %d: %s\n", pagErr.Page, pagErr.Problem)
			break // it is the last value anyway
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(task.Title)
	}
	// Output:
	// Task on page 1
	// Task on page 4
	// the listing ended at page 2: current_page is 4, but the request asked for page 2
}
