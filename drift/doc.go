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
// A Suggester closes the loop from drift to a reviewed change of the spec:
// given the checked exchanges and their findings, it proposes the change of
// openapi.yaml that would make them conform (a field to add, an enum value
// to append, a schema to make nullable or to widen), one action per change,
// and writes it as an OpenAPI Overlay for a person to review
// (tallyfy-drift --suggest; `make apply-overlay` folds it in).
package drift
