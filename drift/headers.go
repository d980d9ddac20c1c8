package drift

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// headerRoutes lets every documented response header be checked on its own.
//
// ValidateResponse stops at the first response header that fails, so a 429
// without Retry-After would hide a malformed X-RateLimit-Remaining. For each
// documented response with headers, headerRoutes holds one route per header
// whose operation documents that response with that header alone (and no
// body); ValidateResponse runs once per header. They are built once, keyed
// by the resolved response, which $refs share between operations.
type headerRoutes map[*openapi3.Response][]headerRoute

type headerRoute struct {
	name  string
	route *routers.Route
}

func newHeaderRoutes(doc *openapi3.T) headerRoutes {
	out := headerRoutes{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.Responses == nil {
				continue
			}
			for key, ref := range op.Responses.Map() {
				resp := ref.Value
				if resp == nil || len(resp.Headers) == 0 {
					continue
				}
				if _, done := out[resp]; done {
					continue
				}
				var routes []headerRoute
				for _, name := range slices.Sorted(maps.Keys(resp.Headers)) {
					if http.CanonicalHeaderKey(name) == "Content-Type" {
						continue // ignored by OpenAPI, and by ValidateResponse
					}
					one := *resp
					one.Headers = openapi3.Headers{name: resp.Headers[name]}
					one.Content = nil
					responses := openapi3.NewResponses()
					responses.Set(key, &openapi3.ResponseRef{Value: &one})
					routes = append(routes, headerRoute{name: name, route: &routers.Route{
						Spec:      doc,
						Operation: &openapi3.Operation{OperationID: op.OperationID, Responses: responses},
					}})
				}
				out[resp] = routes
			}
		}
	}
	return out
}

// checkHeaders holds the response headers against those documented for the
// response, each on its own, with ValidateResponse.
func (c *check) checkHeaders(ctx context.Context, resp *openapi3.Response, req *http.Request) {
	header := c.ex.ResponseHeader
	if header == nil {
		header = http.Header{}
	}
	for _, hr := range c.v.headers[resp] {
		respOpts := c.v.responseOptions
		err := openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, Route: hr.route},
			Status:                 c.ex.Status,
			Header:                 header,
			Body:                   http.NoBody,
			Options:                &respOpts,
		})
		for _, is := range headerIssues(hr.name, header, err) {
			c.drift(is)
		}
	}
}

// headerIssues turns the error of ValidateResponse on the route of the one
// header name into issues. It classifies by error type and fields, never by
// message text, which kin-openapi may reword in any release: the route has
// that header only, so any ResponseError is about it; one with no cause
// (Err nil) on a header the response lacks is a missing required header;
// its cause then tells a schema violation from a value that does not parse.
func headerIssues(name string, header http.Header, err error) []issue {
	switch e := err.(type) {
	case nil:
		return nil
	case openapi3.MultiError:
		var out []issue
		for _, inner := range e {
			out = append(out, headerIssues(name, header, inner)...)
		}
		return out
	case *openapi3filter.ResponseError:
		var parseErr *openapi3filter.ParseError
		leaves, _ := schemaLeaves(e.Err, nil, nil)
		switch {
		case e.Err == nil && len(header.Values(name)) == 0:
			return []issue{{pointer: name, rule: RuleHeader, message: shortMessage("required header %q is missing", name)}}
		case len(leaves) > 0:
			out := make([]issue, 0, len(leaves))
			for _, se := range leaves {
				out = append(out, issue{pointer: name, rule: RuleHeader, message: shortMessage("header %q: %s", name, schemaMessage(se))})
			}
			return out
		case errors.As(e.Err, &parseErr):
			return []issue{{pointer: name, rule: RuleHeader, message: shortMessage("header %q %s", name, parseReason(parseErr))}}
		default:
			return []issue{{pointer: name, rule: RuleHeader, message: shortMessage("header %q does not match the spec", name)}}
		}
	default:
		return []issue{{rule: ruleResponse, message: "the response does not match the spec"}}
	}
}
