// Package tallyfy is a Go client for Tallyfy's task-list API: the tasks of a
// process run (GET /organizations/{org_id}/runs/{run_id}/tasks) and the tasks
// of an organization (GET /organizations/{org_id}/tasks).
//
// Each listing has one method for one page and one iterator over every
// task of every page:
//
//	listing               one page                                  every task
//	a run's tasks         ListRunTasks(ctx, orgID, runID, params)   RunTasks(ctx, orgID, runID, params)
//	an organization's     ListOrgTasks(ctx, orgID, params)          OrgTasks(ctx, orgID, params)
//
// A page method returns the typed page (*gen.TaskList) and a *Response: the
// rate limit (Rate), the request ID, and the paging (CurrentPage,
// TotalPages, PerPage, Total, and NextPage, 0 after the last page). An
// iterator yields each task as it is decoded, page after page. A task whose
// JSON does not fit the types, or that comes again on a later page, is
// yielded as a *TaskError and the iteration goes on; any other error ends
// it (see RunTasks).
//
// Optional parameters are pointers; Go's new(value) makes them:
//
//	params := &gen.ListRunTasksParams{PerPage: new(100), Unassigned: new(true)}
//
// The types, and the generated client beneath, come from openapi.yaml in
// package gen. This package adds:
//
//   - NewClient sets the base URL, the bearer token and Tallyfy's required
//     headers on every request, with a default timeout.
//   - Every non-2xx response becomes an *APIError (a 429 that outlives the
//     retries, a *RateLimitError); a 2xx that is not the promised JSON becomes
//     a *DecodeError. Use errors.As.
//   - GET requests are retried: 429 after Retry-After, 502/503/504 and
//     transport errors with exponential backoff and jitter.
//
// Client.Generated returns the generated client, with the same
// authentication, retries and typed errors, for what the methods above do
// not cover.
//
// Decoding is tolerant: an unknown status value or an undocumented field
// never fails a call. Noticing those is the job of the drift check
// (package drift and the tallyfy-drift command). WithResponseHook lets a
// service hand its own responses to drift's Observer; this package never
// imports the validator.
//
// The access token never appears in an error, a log line or a formatted value.
package tallyfy
