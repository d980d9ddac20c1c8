package tallyfy_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/tallyfy-go/tallyfy"
)

// A server whose error body is far larger than any error needs: the client
// reads it up to WithMaxErrorBody, and says so.
func ExampleWithMaxErrorBody() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"message":"`+strings.Repeat("x", 1<<20)+`"}`)
	}))
	defer srv.Close()

	c, err := tallyfy.NewClient("example-token", tallyfy.WithBaseURL(srv.URL+"/api"), tallyfy.WithMaxErrorBody(16<<10))
	if err != nil {
		panic(err)
	}
	_, _, err = c.ListOrgTasks(context.Background(), orgID, nil)
	var apiErr *tallyfy.APIError
	var limitErr *tallyfy.LimitError
	fmt.Println(errors.As(err, &apiErr), apiErr.StatusCode)
	fmt.Println(errors.As(err, &limitErr), limitErr.Limit, limitErr.Max)
	// Output:
	// true 400
	// true WithMaxErrorBody 16384
}

// An API that redirects to another host or port: the token does not
// follow, and the call says why.
func ExampleRedirectError() {
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("elsewhere got a request") // never printed
	}))
	defer elsewhere.Close()
	api := httptest.NewServer(http.RedirectHandler(elsewhere.URL+"/api/x?sig=abc", http.StatusFound))
	defer api.Close()

	c, err := tallyfy.NewClient("example-token", tallyfy.WithBaseURL(api.URL+"/api"))
	if err != nil {
		panic(err)
	}
	_, _, err = c.ListOrgTasks(context.Background(), orgID, nil)
	var re *tallyfy.RedirectError
	if errors.As(err, &re) {
		fmt.Println(re.StatusCode, re.Reason)
		fmt.Println(strings.HasSuffix(re.Location, "/api/x?sig=…"))
	}
	// Output:
	// 302 it leads to another scheme, host or port
	// true
}
