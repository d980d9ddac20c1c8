package tallyfy_test

import (
	"context"
	"fmt"
	"log"

	"github.com/tallyfy-go/tallyfy"
)

// A hook that prints what each response was, once its body has been read.
// Package drift's Observer is the hook that checks responses against the
// spec; see its example.
func ExampleWithResponseHook() {
	srv := standIn()
	defer srv.Close()

	hook := tallyfy.ResponseHookFunc(func(r tallyfy.ObservedResponse) {
		fmt.Printf("%s %d, %d bytes, truncated: %v, Authorization seen: %v\n",
			r.Operation, r.StatusCode, len(r.Body), r.Truncated, r.RequestHeader.Get("Authorization") != "")
	})
	c, err := tallyfy.NewClient("example-token", tallyfy.WithBaseURL(srv.URL+"/api"), tallyfy.WithResponseHook(hook))
	if err != nil {
		log.Fatal(err)
	}
	for _, err := range c.RunTasks(context.Background(), orgID, runID, nil) {
		if err != nil {
			log.Fatal(err)
		}
	}
	// Output:
	// listRunTasks 200, 614 bytes, truncated: false, Authorization seen: false
	// listRunTasks 200, 357 bytes, truncated: false, Authorization seen: false
}
