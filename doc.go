// Package tallyfy is a Go client for Tallyfy's task-list API: the tasks of a
// process run (GET /organizations/{org_id}/runs/{run_id}/tasks) and the tasks
// of an organization (GET /organizations/{org_id}/tasks).
//
// The types and the raw client are generated from openapi.yaml into package
// gen. This package wraps them:
//
//   - NewClient sets the base URL, the bearer token and Tallyfy's required
//     headers on every request, with a default timeout.
//   - Every non-2xx response becomes an *APIError (a 429 that outlives the
//     retries, a *RateLimitError); a 2xx that is not the promised JSON becomes
//     a *DecodeError. Use errors.As.
//   - GET requests are retried: 429 after Retry-After, 502/503/504 and
//     transport errors with exponential backoff and jitter.
//   - RunTasks and OrgTasks iterate over every task of every page, decoding
//     each page as a stream.
//
// Decoding is tolerant: an unknown status value or an undocumented field
// never fails a call. Noticing those is the job of the drift check
// (package drift and the tallyfy-drift command).
//
// The access token never appears in an error, a log line or a formatted value.
package tallyfy
