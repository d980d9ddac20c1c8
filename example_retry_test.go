package tallyfy_test

import (
	"fmt"
	"log"
	"time"

	"github.com/tallyfy-go/tallyfy"
)

func ExampleDefaultRetryPolicy() {
	// A fresh value each call: changing it changes no other client.
	p := tallyfy.DefaultRetryPolicy()
	fmt.Println(p.MaxAttempts, p.BaseDelay, p.MaxDelay, p.MaxRetryAfter)

	// Fields left zero keep their default: 6 attempts, the default waits.
	c, err := tallyfy.NewClient("example-token", tallyfy.WithRetryPolicy(tallyfy.RetryPolicy{
		MaxAttempts:   6,
		MaxRetryAfter: 30 * time.Second, // a 429 asking for longer fails at once
	}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.BaseURL())
	// Output:
	// 4 500ms 10s 2m0s
	// https://go.tallyfy.com/api
}

func ExampleNoRetries() {
	// Every request is made once; a 429 or 503 is returned at once.
	c, err := tallyfy.NewClient("example-token", tallyfy.WithRetryPolicy(tallyfy.NoRetries()))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tallyfy.NoRetries().MaxAttempts, c.BaseURL())
	// Output:
	// 1 https://go.tallyfy.com/api
}
