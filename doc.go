// Package tallyfy is a Go client for Tallyfy's task-list API: the tasks of a
// process run (GET /organizations/{org_id}/runs/{run_id}/tasks) and the tasks
// of an organization (GET /organizations/{org_id}/tasks).
//
// Each listing has one method for one page, one iterator over every task of
// every page, and one iterator over every page with its Response:
//
//	listing             one page                                 every task                           every page
//	a run's tasks       ListRunTasks(ctx, orgID, runID, params)  RunTasks(ctx, orgID, runID, params)  RunTaskPages(ctx, orgID, runID, params)
//	an organization's   ListOrgTasks(ctx, orgID, params)         OrgTasks(ctx, orgID, params)         OrgTaskPages(ctx, orgID, params)
//
// A page method returns the typed page (*gen.TaskList) and a *Response: the
// rate limit the API reported (Rate), the client's own pace (Pace), the
// request ID, and the paging (CurrentPage, TotalPages, PerPage, Total, and
// NextPage, 0 after the last page). An iterator yields each task as it is
// decoded, page after page; a page iterator yields each page whole, as a
// *TaskPage with its Response. Optional parameters are pointers; Go's
// new(value) makes them:
//
//	params := &gen.ListRunTasksParams{PerPage: new(100), Unassigned: new(true)}
//
// The types, and the generated client beneath (Client.Generated), come from
// openapi.yaml in package gen. This package adds authentication and
// Tallyfy's headers, one rate budget for every request, retries, typed
// errors, checked pagination, streaming and tolerant decoding, and a hook
// that hands responses to the drift check.
//
// # Where each part lives
//
// The package is one package, cut by concern into files, so that the file of
// a concern can be named before it is opened:
//
//   - client.go: the Client, NewClient and every option (WithBaseURL,
//     WithHTTPClient, WithTimeout, WithRetryPolicy, WithRateLimit,
//     WithLogger, WithClientName, WithUserAgent, WithPageConcurrency,
//     WithMaxTaskSize, WithMaxPageBuffer, WithMaxErrorBody,
//     WithResponseHook, WithObservedBodyLimit), Client.Generated and
//     Client.Pace.
//   - transport.go: the request: Tallyfy's headers, the retry loop and its
//     RetryPolicy, the timeout watchdog, the redirect policy, inflating a
//     compressed body, and turning every answer that is not the promised
//     JSON into a typed error.
//   - pacing.go: the one rate budget that every request takes its turn from
//     (WithRateLimit), and its state, Pace.
//   - errors.go: every error type (APIError, RateLimitError, DecodeError,
//     LimitError, RedirectError, TaskError, PaginationError) and
//     ErrEmptyToken, ErrInvalidID and ErrDuplicateTask.
//   - tasks.go: the listings: ListRunTasks and ListOrgTasks (one page),
//     RunTasks and OrgTasks (every task), RunTaskPages and OrgTaskPages
//     (every page).
//   - listing.go: the page walk the listings share, its pager (which page
//     comes next, and whether the page read says so soundly), read-ahead
//     (WithPageConcurrency), TaskPage and MaxPage, and the Response and
//     Rate of each page read.
//   - pagedecode.go: the streaming page decoder, and the misfit locator that
//     says which value of a task does not fit the generated types.
//   - pagescan.go: the byte scanner that finds where each value of a page
//     ends without decoding it, so that each task is decoded from its own
//     bytes. It is a file of its own because it is the one part of the
//     client that reads bytes one by one.
//   - hook.go: the response hook: ResponseHook, ResponseHookFunc and
//     ObservedResponse.
//
// # Errors
//
// Every error a call returns is one of the types of errors.go, found with
// errors.As, or an error of the context (errors.Is with context.Canceled or
// context.DeadlineExceeded):
//
//	var rateLimited *tallyfy.RateLimitError
//	var apiErr *tallyfy.APIError
//	var decodeErr *tallyfy.DecodeError
//	switch {
//	case errors.As(err, &rateLimited): // a 429 that outlived the retries
//	case errors.As(err, &apiErr): // any other non-2xx (a RateLimitError is also an APIError)
//	case errors.As(err, &decodeErr): // a 2xx that is not the promised JSON
//	}
//
// A *TaskError is one task left out: it does not fit the generated types, or
// it repeats a task already yielded (ErrDuplicateTask). The iterators go on
// after it, and a page method joins one per task left out to the page it
// returns, so skip *TaskError to get every other task. A *PaginationError,
// a *LimitError (a task, a page held for read-ahead, an error body or the
// response headers over a limit) and a *RedirectError end the call. An
// organization or run ID that is empty, "." or ".." is an error that wraps
// ErrInvalidID, and no request is sent. A timeout says what happened (the
// server sent nothing, or sent its headers too slowly) and satisfies
// errors.Is(err, context.DeadlineExceeded).
//
// # Retries
//
// GET requests are retried (DefaultRetryPolicy: 4 attempts): a 429 after its
// Retry-After, if that is at most RetryPolicy.MaxRetryAfter (2 minutes);
// 502, 503, 504 and transport errors after an exponential backoff with
// jitter, from 500 ms up to 10 s. A response over a limit, a refused
// redirect, a body that is not JSON, headers sent too slowly and a context
// that ended are not retried, and a backoff that would outlast the
// context's deadline is not begun. NoRetries turns retries off.
//
// # The rate budget
//
// Every request of a Client, from every goroutine, takes its turn from one
// budget, set by WithRateLimit: by default 600 requests a minute
// (DefaultRateLimit per DefaultRatePer), the limit Tallyfy documents per
// user on a rolling minute. The page methods, the iterators and their
// read-ahead workers, retries and calls through Generated all take turns
// from it. At most n requests go in any window (a rolling window, with a
// margin of 2% of a window for the network's delays), spread evenly with a
// burst of a second's worth. A 429 pauses every request until its
// Retry-After; then the pace halves and climbs back, held under what the
// server accepted for 10 windows when the refused window was the client's
// own doing. A low X-RateLimit-Remaining spreads what is left over the
// window. A wait that would outlast the context's deadline returns at once:
// a 429's pause as its *RateLimitError, a turn of the pace as an error that
// says when the turn would come. Two Clients do not share a budget, even on
// one token: share one Client, or give each a part of the limit.
// Response.Pace and Client.Pace say what the budget did.
//
// # Pagination
//
// The iterators follow meta.pagination, and check each page by the rules
// that would otherwise skip or repeat pages: a page without meta.pagination,
// with a current_page other than the page asked for, empty while total_pages
// says more follow, with a page number above MaxPage, or holding nothing but
// tasks already yielded ends the listing with a *PaginationError, after its
// tasks. A page method checks its page the same way. Pages are decoded as a
// stream, so memory stays flat however long the listing; WithPageConcurrency
// fetches later pages ahead and still yields them in order.
//
// # Tolerance
//
// Decoding is tolerant: an unknown status value or an undocumented field
// never fails a call, and a value in a shape one of Tallyfy's sources
// documents decodes (package tolerant: a date-time with a space, an ID sent
// as a number, a boolean as 0 or 1, an owner as an object). A task that does
// not fit costs no other task. Noticing those is the job of the drift check
// (package drift and the tallyfy-drift command). WithResponseHook lets a
// service hand its own responses to drift's Observer; this package never
// imports the validator.
//
// The access token never appears in an error, a log line or a formatted
// value. The module's docs/client.md is the long form of this reference,
// and docs/limits-and-security.md lists every limit.
package tallyfy
