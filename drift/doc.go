// Package drift holds one HTTP exchange with Tallyfy's API (the request and
// its response) against the OpenAPI document embedded in package spec (or
// another, given WithSpec), and says precisely where they differ.
//
// A Validator is built once per process (the spec is loaded and the router
// built in NewValidator) and is safe for concurrent use. Check returns one
// Finding per difference: the operation, the JSON pointer of the value in the
// response body, the JSON-schema keyword that failed, and a short message.
// Messages never carry the schema, and quote at most a short scalar of the
// body, so reports can go to CI logs.
//
//	v, err := drift.NewValidator() // once per process
//	...
//	findings := v.Check(ctx, drift.Exchange{Method: "GET", URL: url, Status: 200, ResponseHeader: h, Body: body})
//	if drift.HasDrift(findings) { ... }
//
// Additive changes (a field the spec does not list) are warnings unless the
// Validator is built with Strict; every other difference is drift.
//
// An Observer does the same in production, from a service's own calls: given
// to a client as its response hook (tallyfy.WithResponseHook), it validates
// a sample of the responses on a worker goroutine, through a bounded queue
// that drops rather than blocks, and reports each finding group (operation,
// rule, PointerPattern) once. The reports of package drift/report group
// findings by the same key, into the same FindingGroup.
//
// # What Check holds an exchange to
//
// The route (an operation of the spec, whatever base URL the
// request went to: the spec's servers, a stand-in, a custom base), the
// request's parameters, the response's status, content type and documented
// headers, the body against its schema, the fields its schema does not list,
// and the pagination rules OpenAPI 3.0 cannot state (meta.pagination agrees
// with itself, with the page's items and with the page asked for; the rules
// the client's pager follows, from internal/pagination). A list body is
// checked item by item, the items in parallel.
//
// Its work is linear in the size of the exchange and what it returns is
// bounded: a body over WithMaxBody (DefaultMaxBody, 32 MiB) is one limit
// finding, never a pass; a URL over 8 KB is not routed and an object key
// over 256 bytes not walked (each a RuleLimit finding); pointers and
// messages are cut; and one exchange lists at most MaxFindings findings,
// the last of rule RuleFindingsOmitted counting the rest (OmittedFindings).
//
// # Where each part lives
//
//   - validator.go: Validator, NewValidator, Check, and the options Strict
//     and WithSpec; maxbody.go: WithMaxBody and DefaultMaxBody; specdoc.go:
//     loading and checking a spec given with WithSpec.
//   - exchange.go: Exchange, and FromRecording for a recording.
//   - finding.go: Finding, Severity, the rules that are not a schema keyword,
//     HasDrift and OmittedFindings; limits.go: MaxFindings and the bounds;
//     message.go and schemaerror.go: findings and their short messages from
//     the schema's errors.
//   - route.go: routing an exchange to its operation under any base URL;
//     request.go: the request's parameters; response.go: status, content
//     type and body; headers.go: each documented response header on its
//     own.
//   - jsonbody.go and fastjson.go: decoding a body once, numbers exact;
//     listbody.go and listscan.go: a list body, item by item, in parallel;
//     formats.go: the string formats the spec uses; undocumented.go: fields
//     a schema does not list; pagination.go: the pagination rules.
//   - group.go and pattern.go: GroupKey, FindingGroup and PointerPattern,
//     the grouping that the Observer and the reports share.
//   - observer.go, observer_options.go and observer_groups.go: the Observer,
//     its options (SampleRate, QueueSize, ReportTo, LogTo, RepeatAfter,
//     MaxGroups) and its finding groups.
//
// The tallyfy-drift command is this package run over recordings or the live
// API; the module's docs/drift-check.md is its reference, and says how to
// watch drift in production with an Observer.
//
// A Suggester closes the loop from drift to a reviewed change of the spec:
// given the checked exchanges and their findings, it proposes the change of
// openapi.yaml that would make them conform (a field to add, an enum value
// to append, a schema to make nullable or to widen), one action per change,
// and writes it as an OpenAPI Overlay for a person to review
// (tallyfy-drift --suggest; `make apply-overlay` folds it in).
package drift
