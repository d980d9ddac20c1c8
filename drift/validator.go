package drift

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/tallyfy-go/tallyfy/internal/redact"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// Option configures a Validator.
type Option func(*options)

type options struct {
	strict  bool
	spec    []byte // nil: the embedded spec
	maxBody int64  // see WithMaxBody
}

// Strict makes fields that the spec does not list count as drift, not as
// warnings.
func Strict() Option {
	return func(o *options) { o.strict = true }
}

// WithSpec makes the Validator hold exchanges against document, an OpenAPI
// 3.0 document in YAML or JSON, instead of the spec embedded in package
// spec: a maintainer can replay recordings against an edited openapi.yaml
// before regenerating. NewValidator fails when document does not load, is
// not OpenAPI 3.0, or does not validate. References to other files are not
// followed.
func WithSpec(document []byte) Option {
	return func(o *options) { o.spec = document }
}

// Validator holds exchanges against the spec embedded in package spec. Build
// one with NewValidator and share it: it is safe for concurrent use.
type Validator struct {
	doc     *openapi3.T
	router  *router
	headers headerRoutes

	// undocumented is the severity of a field the spec does not list.
	undocumented Severity
	// maxBody is the largest body validated (see WithMaxBody).
	maxBody int64

	// Options of openapi3filter. Each check copies them: kin-openapi only
	// reads them, but a copy keeps one check from seeing another's.
	requestOptions  openapi3filter.Options
	responseOptions openapi3filter.Options

	// bodyOptions validate a response body as ValidateResponse would.
	bodyOptions []openapi3.SchemaValidationOption
	// matchOptions tell which alternative of a oneOf or anyOf a value takes.
	matchOptions []openapi3.SchemaValidationOption
}

// schemaOptions are the schema validation options of every check: formats
// (date-time, date) are checked, and error messages leave out the schema and
// the value. None changes kin-openapi's global state.
func schemaOptions() []openapi3.SchemaValidationOption {
	return []openapi3.SchemaValidationOption{
		openapi3.EnableFormatValidation(),
		formatValidators(),
		openapi3.DisableSchemaErrorDetails(),
	}
}

// NewValidator loads the spec (the one embedded in package spec, unless
// WithSpec gives another) and builds the router. The embedded spec is
// loaded and routed once per process, when the first Validator needs it,
// and shared by every Validator after it: they only read it. The
// Validator's copy of the spec has no servers, so that requests route the
// same under any base URL.
func NewValidator(opts ...Option) (*Validator, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	c, err := compile(o.spec)
	if err != nil {
		return nil, err
	}
	v := &Validator{
		doc:          c.doc,
		router:       c.router,
		headers:      c.headers,
		undocumented: SeverityWarning,
		maxBody:      o.maxBody,
		requestOptions: openapi3filter.Options{
			AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
			MultiError:              true,
			SkipSettingDefaults:     true,
			SchemaValidationOptions: schemaOptions(),
		},
		responseOptions: openapi3filter.Options{
			// checkResponse looks the status up itself: ValidateResponse
			// only checks headers, on routes of the exchange's status.
			IncludeResponseStatus: false,
			MultiError:            true,
			// ValidateResponse checks the headers (see headerRoutes); the
			// body is validated by checkBody, from one decoding shared with
			// the undocumented-field walk.
			ExcludeResponseBody:     true,
			SchemaValidationOptions: schemaOptions(),
		},
		// Not openapi3.VisitAsResponse(): it only adds writeOnly checks
		// (the spec has no writeOnly property; a test keeps it so) and makes
		// kin-openapi sort every object schema's property names on every
		// object it visits, about an eighth of the validation time.
		bodyOptions:  append(schemaOptions(), openapi3.MultiErrors()),
		matchOptions: append(schemaOptions(), openapi3.FailFast()),
	}
	if o.strict {
		v.undocumented = SeverityDrift
	}
	return v, nil
}

// compiled is a spec loaded and routed: what Validators share.
type compiled struct {
	doc     *openapi3.T
	router  *router
	headers headerRoutes
}

// embedded is the spec built into package spec, compiled once per process.
var embedded = sync.OnceValues(func() (*compiled, error) { return compileDocument(nil) })

// compile returns the embedded spec's compiled form when document is nil,
// shared; else document's, of its own.
func compile(document []byte) (*compiled, error) {
	if document == nil {
		return embedded()
	}
	return compileDocument(document)
}

func compileDocument(document []byte) (*compiled, error) {
	doc, err := loadSpec(document)
	if err != nil {
		return nil, err
	}
	// Both loaders give a fresh document on every call: this one is ours.
	doc.Servers = nil
	r, err := newRouter(doc)
	if err != nil {
		return nil, err
	}
	return &compiled{doc: doc, router: r, headers: newHeaderRoutes(doc)}, nil
}

// SpecVersion returns info.version of the spec.
func (v *Validator) SpecVersion() string {
	if v.doc.Info == nil {
		return ""
	}
	return v.doc.Info.Version
}

// Check holds ex against the spec and returns what differs, sorted by
// pointer then rule; nil when ex conforms. It checks the route, the request's
// parameters, the response status, content type and headers, the body
// against its schema, and fields the schema does not list.
//
// Its work is linear in the size of ex. It lists at most MaxFindings
// findings: the first ones in the order it checks (request, response
// headers, the body's envelope, then the list items in order), sorted;
// when there were more, a last finding of rule RuleFindingsOmitted counts
// them.
func (v *Validator) Check(ctx context.Context, ex Exchange) []Finding {
	c := check{
		v:        v,
		ex:       ex,
		template: Finding{Method: textcut.Cut(ex.Method, maxMethodBytes), URL: textcut.Cut(redact.URL(ex.URL), maxURLShown), Status: ex.Status},
	}
	c.run(ctx)
	if len(c.findings) == 0 && c.omitted.total() == 0 {
		return nil
	}
	sortFindings(c.findings)
	if c.omitted.total() > 0 {
		c.findings = append(c.findings, c.omitted.finding(c.template))
	}
	return c.findings
}

// check is the state of one Check call.
type check struct {
	v        *Validator
	ex       Exchange
	template Finding      // the exchange's fields of every finding
	rawQuery string       // the request's query, as sent
	findings []Finding    // at most MaxFindings
	omitted  omittedCount // the findings past MaxFindings
}

// room is how many more findings the check lists.
func (c *check) room() int { return MaxFindings - len(c.findings) }

func (c *check) add(severity Severity, is issue) {
	if c.room() <= 0 {
		c.omitted.add(severity)
		return
	}
	f := c.template
	f.Pointer, f.Rule, f.Message, f.Severity = textcut.Cut(is.pointer, maxPointerBytes), is.rule, textcut.Line(is.message, maxMessage), severity
	c.findings = append(c.findings, f)
}

func (c *check) drift(is issue) { c.add(SeverityDrift, is) }

func (c *check) run(ctx context.Context) {
	method := strings.ToUpper(c.ex.Method)
	if method == "" {
		c.drift(issue{rule: RuleRoute, message: "the request has no method"})
		return
	}
	match, why := c.v.router.route(method, c.ex.URL)
	if match == nil {
		c.drift(why)
		return
	}
	u := match.url
	c.template.Operation = match.route.Operation.OperationID
	c.rawQuery = u.RawQuery

	req, err := http.NewRequestWithContext(ctx, method, "/", http.NoBody)
	if err != nil {
		c.drift(issue{rule: RuleRoute, message: "the request method is not valid"})
		return
	}
	req.URL = &url.URL{Path: match.path, RawQuery: u.RawQuery}
	req.Host = u.Host
	if c.ex.RequestHeader != nil {
		req.Header = c.ex.RequestHeader.Clone()
	}
	reqOpts := c.v.requestOptions
	input := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: match.pathParams,
		Route:      match.route,
		Options:    &reqOpts,
	}
	c.checkRequest(ctx, input)
	c.checkResponse(ctx, input)
}
