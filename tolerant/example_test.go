package tolerant_test

import (
	"encoding/json"
	"fmt"

	"github.com/tallyfy-go/tallyfy/tolerant"
)

// A task as Tallyfy's sources variously describe it decodes whole: a
// started_at in the "YYYY-MM-DD HH:MM:SS" shape, an ID sent as a number,
// a boolean sent as 1, owners as IDs or objects. Each value re-encodes as it
// came.
func Example() {
	body := []byte(`{
		"started_at": "2025-04-16 09:00:00",
		"deadline": "2025-04-18T17:00:00.000Z",
		"thread_id": 4411,
		"is_completable": 1,
		"users": [1234, {"id": 5678, "full_name": "Ada Lovelace", "profile_pic": null}]
	}`)
	var task struct {
		StartedAt     *tolerant.Time     `json:"started_at"`
		Deadline      *tolerant.Time     `json:"deadline"`
		ThreadID      tolerant.ID        `json:"thread_id"`
		IsCompletable *tolerant.Bool     `json:"is_completable"`
		Users         []tolerant.UserRef `json:"users"`
	}
	if err := json.Unmarshal(body, &task); err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println("started:", task.StartedAt.Format("2006-01-02 15:04 MST"))
	fmt.Println("time left:", task.Deadline.Sub(task.StartedAt.Time))
	fmt.Println("thread:", task.ThreadID)
	fmt.Println("completable:", task.IsCompletable.Bool)
	for _, u := range task.Users {
		fmt.Printf("owner %d %q\n", u.ID, u.FullName)
	}

	again, _ := json.Marshal(task.StartedAt)
	fmt.Println("re-encoded:", string(again))

	var bad tolerant.Time
	fmt.Println(json.Unmarshal([]byte(`"16/04/2025 09:00"`), &bad))
	// Output:
	// started: 2025-04-16 09:00 UTC
	// time left: 56h0m0s
	// thread: 4411
	// completable: true
	// owner 1234 ""
	// owner 5678 "Ada Lovelace"
	// re-encoded: "2025-04-16 09:00:00"
	// tolerant: time: want an RFC 3339 date-time or YYYY-MM-DD HH:MM:SS, got "16/04/2025 …
}
