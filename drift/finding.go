package drift

import (
	"cmp"
	"slices"
)

// Severity says whether a finding fails a drift check.
type Severity string

const (
	// SeverityDrift marks a response (or request) that breaks the spec.
	SeverityDrift Severity = "drift"
	// SeverityWarning marks an additive difference, such as a field the spec
	// does not list, that existing users do not notice.
	SeverityWarning Severity = "warning"
)

// Rules of the findings that are not about a JSON-schema keyword. Body
// findings carry the keyword that failed ("required", "enum", "type", ...).
const (
	RuleRoute             = "route"              // no operation of the spec matches the request
	RuleRequest           = "request"            // the request breaks the operation's parameters
	RuleStatus            = "status"             // the response status is not documented
	RuleContentType       = "content-type"       // the response content type is not documented
	RuleHeader            = "header"             // a documented response header is missing or wrong
	RuleInvalidJSON       = "invalid-json"       // the body of a JSON response does not parse
	RuleUndocumentedField = "undocumented-field" // the body has a field its schema does not list
	// RulePagination: a list's meta.pagination contradicts itself, the
	// page's items or the page asked for (checks OpenAPI 3.0 cannot state).
	RulePagination = "pagination"
	// RuleLimit: the exchange goes past a bound the check keeps to stay
	// linear (a URL over 8 KB, an object key over 256 bytes); the part past
	// the bound is not checked.
	RuleLimit = "limit"
	// RuleFindingsOmitted: the last finding of an exchange that had more
	// than MaxFindings; its Omitted field counts the findings not listed.
	RuleFindingsOmitted = "findings-omitted"
)

// Rules of findings that should not occur with this spec: kin-openapi
// failed in a way this package does not classify.
const (
	ruleResponse = "response" // the response fails in an unclassified way
	ruleSchema   = "schema"   // a schema could not be applied, or failed on no keyword
)

// Finding is one difference between an exchange and the spec.
type Finding struct {
	// Operation is the operationId of the route, e.g. "listRunTasks"; empty
	// when no route matches.
	Operation string
	// Method is the request method.
	Method string
	// URL is the request URL without userinfo and without any query
	// parameter named token, access_token or api_key.
	URL string
	// Status is the response status.
	Status int
	// Pointer is the JSON pointer of the value in the response body
	// ("/data/3/status"), the header name for header findings, or "". A
	// pointer is cut to 512 bytes, ending in "…".
	Pointer string
	// Rule is a short machine word: one of the Rule* constants, or the
	// JSON-schema keyword that failed ("required", "enum", "type",
	// "nullable", "format", "pattern", "oneOf", "minimum", "maxItems", ...).
	Rule string
	// Message says what is wrong, in a few words. It never holds the schema,
	// and quotes at most a short scalar of the body. It is one line, safe
	// to print (white space folded, control and format characters escaped
	// as \uXXXX), cut to 200 bytes, ending in "…".
	Message string
	// Severity says whether the finding fails a drift check.
	Severity Severity
	// Omitted is set on a finding of rule RuleFindingsOmitted only: how many
	// findings past MaxFindings the exchange had and Check did not list.
	// That finding is a drift finding when any of them is.
	Omitted int
}

// OmittedFindings returns how many findings of an exchange Check counted
// but did not list (past MaxFindings): the Omitted count of its last
// finding, 0 when the list is complete.
func OmittedFindings(findings []Finding) int {
	if n := len(findings); n > 0 && findings[n-1].Rule == RuleFindingsOmitted {
		return findings[n-1].Omitted
	}
	return 0
}

// HasDrift reports whether any finding has SeverityDrift.
func HasDrift(findings []Finding) bool {
	return slices.ContainsFunc(findings, func(f Finding) bool { return f.Severity == SeverityDrift })
}

// sortFindings orders findings by pointer, then rule, then message, so that
// reports and golden files are stable.
func sortFindings(findings []Finding) {
	slices.SortFunc(findings, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Pointer, b.Pointer),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Message, b.Message),
		)
	})
}
