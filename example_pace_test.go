package tallyfy_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/tallyfy-go/tallyfy"
)

// A program that wants each page's Response (the request ID of a failing
// page, the rate limit, the pace in force) ranges over pages instead of
// tasks, with the same checks, read-ahead and pacing.
func ExampleClient_RunTaskPages() {
	server := standIn()
	defer server.Close()
	c, err := tallyfy.NewClient("example-token", tallyfy.WithBaseURL(server.URL+"/api"))
	if err != nil {
		log.Fatal(err)
	}
	for page, err := range c.RunTaskPages(context.Background(), orgID, runID, nil) {
		if page == nil {
			log.Fatal(err)
		}
		if err != nil {
			log.Print(err) // tasks left out of the page; the page holds the rest
		}
		fmt.Printf("page %d of %d: %d tasks, request %s, %d left in the API's window, paced at %.0f a second\n",
			page.Response.CurrentPage, page.Response.TotalPages, len(page.Data),
			page.Response.RequestID, page.Response.Rate.Remaining, page.Response.Pace.PerSecond)
	}
	// Output:
	// page 1 of 2: 2 tasks, request req-1, 599 left in the API's window, paced at 10 a second
	// page 2 of 2: 1 tasks, request req-2, 599 left in the API's window, paced at 10 a second
}

// Every request of a client takes its turn from one rate budget; a
// program that shares its token with others takes a part of Tallyfy's
// limit, and can read how long its requests waited.
func ExampleWithRateLimit() {
	server := standIn()
	defer server.Close()
	c, err := tallyfy.NewClient("example-token",
		tallyfy.WithBaseURL(server.URL+"/api"),
		tallyfy.WithRateLimit(300, time.Minute), // half of Tallyfy's 600 a minute
	)
	if err != nil {
		log.Fatal(err)
	}
	for _, err := range c.OrgTasks(context.Background(), orgID, nil) {
		if err != nil {
			log.Fatal(err)
		}
	}
	pace := c.Pace()
	fmt.Printf("%d requests per %s, %.0f a second in force\n", pace.Limit, pace.Per, pace.PerSecond)
	// Output:
	// 300 requests per 1m0s, 5 a second in force
}
