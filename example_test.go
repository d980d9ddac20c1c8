package tallyfy_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/gen"
)

// standIn is a tiny stand-in for Tallyfy's API, so that the examples run
// offline: one run with three tasks on two pages, and a 404 for anything else.
func standIn() *httptest.Server {
	task := func(id, title, status string) string {
		return `{"id":"` + id + `","increment_id":1,"title":"` + title + `","status":"` + status + `","position":1,` +
			`"owners":{"users":[1234],"guests":[],"groups":[]},"created_at":"2025-05-20T09:00:00Z","last_updated":"2025-05-20T09:00:00Z"}`
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := r.URL.Query().Get("page")
		if page == "" {
			page = "1"
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-RateLimit-Limit", "600")
		w.Header().Set("X-RateLimit-Remaining", "599")
		w.Header().Set("X-Request-Id", "req-"+page)
		switch r.URL.Path + "?" + page {
		case "/api/organizations/5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c/runs/0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f/tasks?1",
			"/api/organizations/5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c/tasks?1":
			fmt.Fprint(w, `{"data":[`+task("00000000000000000000000000000001", "Welcome call", "completed")+`,`+
				task("00000000000000000000000000000002", "Set up account", "in-progress")+`],`+
				`"meta":{"pagination":{"total":3,"count":2,"per_page":2,"current_page":1,"total_pages":2,"links":{"next":"…?page=2"}}}}`)
		case "/api/organizations/5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c/runs/0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f/tasks?2",
			"/api/organizations/5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c/tasks?2":
			fmt.Fprint(w, `{"data":[`+task("00000000000000000000000000000003", "Kick-off meeting", "not-started")+`],`+
				`"meta":{"pagination":{"total":3,"count":1,"per_page":2,"current_page":2,"total_pages":2,"links":[]}}}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":true,"message":"Resource not found","code":"RESOURCE_NOT_FOUND"}`)
		}
	}))
}

const (
	orgID = "5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c"
	runID = "0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f"
)

func ExampleNewClient() {
	// In real use: tallyfy.NewClient(os.Getenv("TALLYFY_ACCESS_TOKEN")),
	// which talks to tallyfy.DefaultBaseURL.
	c, err := tallyfy.NewClient("example-token",
		tallyfy.WithTimeout(10*time.Second),
		tallyfy.WithRetryPolicy(tallyfy.RetryPolicy{MaxAttempts: 3}),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.BaseURL())

	_, err = tallyfy.NewClient(os.Getenv("A_VARIABLE_THAT_IS_NOT_SET"))
	fmt.Println(err)
	// Output:
	// https://go.tallyfy.com/api
	// tallyfy: empty access token
}

func ExampleClient_RunTasks() {
	server := standIn()
	defer server.Close()
	c, err := tallyfy.NewClient("example-token", tallyfy.WithBaseURL(server.URL+"/api"))
	if err != nil {
		log.Fatal(err)
	}

	// Optional parameters are pointers: new(value) makes one. nil params list everything.
	params := &gen.ListRunTasksParams{
		With:    new([]gen.ListRunTasksParamsWith{gen.ListRunTasksParamsWithStep}),
		PerPage: new(2),
	}
	for task, err := range c.RunTasks(context.Background(), orgID, runID, params) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s\n", task.Title, task.Status)
	}
	// Output:
	// Welcome call: completed
	// Set up account: in-progress
	// Kick-off meeting: not-started
}

func ExampleClient_OrgTasks() {
	server := standIn()
	defer server.Close()
	c, err := tallyfy.NewClient("example-token", tallyfy.WithBaseURL(server.URL+"/api"))
	if err != nil {
		log.Fatal(err)
	}

	// Stop after the first open task: no further page is fetched.
	for task, err := range c.OrgTasks(context.Background(), orgID, nil) {
		if err != nil {
			log.Fatal(err)
		}
		if task.Status != gen.TaskStatusCompleted {
			fmt.Println("first open task:", task.Title)
			break
		}
	}
	// Output:
	// first open task: Set up account
}

func ExampleClient_ListRunTasks() {
	server := standIn()
	defer server.Close()
	c, err := tallyfy.NewClient("example-token", tallyfy.WithBaseURL(server.URL+"/api"))
	if err != nil {
		log.Fatal(err)
	}

	// One page at a time, with what the API said about it. (RunTasks does
	// this loop for you; use a page when you want the Response.)
	params := &gen.ListRunTasksParams{PerPage: new(2)}
	for {
		page, resp, err := c.ListRunTasks(context.Background(), orgID, runID, params)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("page %d of %d: %d tasks (%d requests left, request %s)\n",
			resp.CurrentPage, resp.TotalPages, len(page.Data), resp.Rate.Remaining, resp.RequestID)
		if resp.NextPage == 0 {
			break
		}
		params.Page = new(resp.NextPage)
	}
	// Output:
	// page 1 of 2: 2 tasks (599 requests left, request req-1)
	// page 2 of 2: 1 tasks (599 requests left, request req-2)
}

func ExampleClient_ListOrgTasks() {
	server := standIn()
	defer server.Close()
	c, err := tallyfy.NewClient("example-token", tallyfy.WithBaseURL(server.URL+"/api"))
	if err != nil {
		log.Fatal(err)
	}

	page, resp, err := c.ListOrgTasks(context.Background(), orgID, &gen.ListOrgTasksParams{
		Status: new(gen.ListOrgTasksParamsStatusIncomplete),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(page.Data), "tasks on this page; next page:", resp.NextPage, "of", resp.TotalPages)
	// Output:
	// 2 tasks on this page; next page: 2 of 2
}

func ExampleClient_Generated() {
	server := standIn()
	defer server.Close()
	c, err := tallyfy.NewClient("example-token", tallyfy.WithBaseURL(server.URL+"/api"))
	if err != nil {
		log.Fatal(err)
	}

	// The generated client, with the same authentication, retries and
	// typed errors: here, the raw *http.Response of one page.
	raw, err := c.Generated().ListRunTasks(context.Background(), orgID, runID, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer raw.Body.Close()
	fmt.Println(raw.StatusCode, raw.Header.Get("Content-Type"))
	// Output:
	// 200 application/json
}

func ExampleAPIError() {
	server := standIn()
	defer server.Close()
	c, err := tallyfy.NewClient("example-token", tallyfy.WithBaseURL(server.URL+"/api"))
	if err != nil {
		log.Fatal(err)
	}

	const unknownRun = "ffffffffffffffffffffffffffffffff"
	for _, err := range c.RunTasks(context.Background(), orgID, unknownRun, nil) {
		var rateLimited *tallyfy.RateLimitError
		var apiErr *tallyfy.APIError
		switch {
		case errors.As(err, &rateLimited):
			fmt.Println("still rate limited; retry after", rateLimited.RetryAfter)
		case errors.As(err, &apiErr):
			fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.Message)
		case err != nil:
			fmt.Println("other error:", err)
		}
	}
	// Output:
	// 404 RESOURCE_NOT_FOUND Resource not found
}
