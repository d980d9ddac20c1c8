package drift

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// router finds the operation of a request whatever base URL it was sent to.
//
// kin-openapi's routers match the spec's servers too, so a request to a
// stand-in (http://127.0.0.1:port/...) or to a custom base finds no route.
// router is built from a spec without servers, which routes on the path
// alone, and tries the ends of the request path that have as many segments
// as a path of the spec, longest first: /api/organizations/... and
// /custom/prefix/organizations/... both route as /organizations/.... Those
// are a few candidates whatever the path, so routing stays linear.
type router struct {
	routes  routers.Router
	methods []string // every method the spec documents, to tell a wrong method from a wrong path
	// segments are the segment counts of the spec's paths, largest first.
	segments []int
}

// newRouter builds the router once. doc must have no servers.
func newRouter(doc *openapi3.T) (*router, error) {
	if len(doc.Servers) > 0 {
		return nil, errors.New("drift: the router needs a spec without servers")
	}
	routes, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("drift: building the router: %w", err)
	}
	r := &router{routes: routes}
	for path, item := range doc.Paths.Map() {
		if n := strings.Count(path, "/"); !slices.Contains(r.segments, n) {
			r.segments = append(r.segments, n)
		}
		for method := range item.Operations() {
			if !slices.Contains(r.methods, method) {
				r.methods = append(r.methods, method)
			}
		}
	}
	slices.Sort(r.methods)
	slices.Sort(r.segments)
	slices.Reverse(r.segments)
	return r, nil
}

// Operation returns the operationId that a request routes to ("listRunTasks",
// "listOrgTasks"), whatever its base URL, or "" when none does (or the URL
// is longer than Check routes). Reports use it to name exchanges that have
// no findings.
func (v *Validator) Operation(method, rawURL string) string {
	if match, _ := v.router.route(strings.ToUpper(method), rawURL); match != nil {
		return match.route.Operation.OperationID
	}
	return ""
}

// routeMatch is the route of a request, with the request path below the base.
type routeMatch struct {
	route      *routers.Route
	pathParams map[string]string
	path       string   // the path the route matched, base stripped
	url        *url.URL // the request URL, parsed
}

// route returns the route of method (upper case) and rawURL; nil and the
// issue that says why when there is none: the URL is longer than the
// check routes, does not parse, or matches no operation.
func (r *router) route(method, rawURL string) (*routeMatch, issue) {
	if len(rawURL) > maxURLBytes {
		return nil, issue{rule: RuleLimit, message: shortMessage("the request URL is %d bytes, over the %d the check routes", len(rawURL), maxURLBytes)}
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, issue{rule: RuleRoute, message: "the request URL does not parse"}
	}
	match, err := r.find(method, u)
	if err != nil {
		return nil, issue{rule: RuleRoute, message: err.Error()}
	}
	match.url = u
	return match, issue{}
}

// find returns the route of method and u, or an error saying why there is none.
func (r *router) find(method string, u *url.URL) (*routeMatch, error) {
	candidates := r.candidates(u.Path)
	for _, path := range candidates {
		if route, params, ok := r.match(method, path); ok {
			return &routeMatch{route: route, pathParams: params, path: path}, nil
		}
	}
	// Tell "wrong method" from "unknown path": the legacy router only does
	// so for paths without parameters.
	for _, other := range r.methods {
		if other == method {
			continue
		}
		for _, path := range candidates {
			if route, _, ok := r.match(other, path); ok {
				return nil, fmt.Errorf("method %s is not documented for %s (only %s)",
					textcut.Cut(method, 10), route.Path, strings.Join(r.pathMethods(path), ", "))
			}
		}
	}
	return nil, errors.New("no operation of the spec matches this path")
}

// pathMethods lists the documented methods of the path.
func (r *router) pathMethods(path string) []string {
	var out []string
	for _, m := range r.methods {
		if _, _, ok := r.match(m, path); ok {
			out = append(out, m)
		}
	}
	return out
}

// routeRequest is the request the router sees: a method and a path.
func routeRequest(method, path string) *http.Request {
	return &http.Request{Method: method, URL: &url.URL{Path: path}}
}

func (r *router) match(method, path string) (*routers.Route, map[string]string, bool) {
	req := routeRequest(method, path)
	route, params, err := r.routes.FindRoute(req)
	return route, params, err == nil
}

// candidates returns the ends of path that have as many segments as a
// path of the spec, longest first: sub-strings of path, found in one scan
// from its end.
func (r *router) candidates(path string) []string {
	if path == "" {
		path = "/"
	}
	out := make([]string, 0, len(r.segments))
	slashes := 0
	next := len(r.segments) - 1 // r.segments[next] is the smallest count not yet reached
	for i := len(path) - 1; i >= 0 && next >= 0; i-- {
		if path[i] != '/' {
			continue
		}
		slashes++
		if slashes == r.segments[next] {
			out = append(out, path[i:])
			next--
		}
	}
	slices.Reverse(out)
	return out
}
