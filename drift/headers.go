package drift

import (
	"context"
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
		c.responseErrors(err)
	}
}
