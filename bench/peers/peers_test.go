package peers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
)

const (
	benchOrg = "5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c"
	benchRun = "0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f"
	pageURL  = "https://go.tallyfy.com/api/organizations/" + benchOrg + "/runs/" + benchRun +
		"/tasks?per_page=100&with=step,run,form_fields,threads,summary"
	specFile = "../../openapi.yaml"
)

// benchPage is the page of the root package's BenchmarkValidatePage: 100
// tasks with the step, run, form_fields, threads and summary includes.
var benchPage = sync.OnceValue(func() []byte {
	body, err := standin.RunTasksJSON(standin.Config{OrgID: benchOrg, RunID: benchRun, RunTasks: 100},
		"per_page=100&with=step,run,form_fields,threads,summary")
	if err != nil {
		panic(err)
	}
	return body
})

func pageRequest(b *testing.B) *http.Request {
	b.Helper()
	req, err := http.NewRequest(http.MethodGet, pageURL, http.NoBody)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Tallyfy-Client", "APIClient")
	return req
}

func pageResponse(req *http.Request, body []byte) *http.Response {
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(bytes.NewReader(body)),
		Request:    req,
	}
}

// processCPU is the CPU time of the process on every thread: on a loaded
// machine it moves far less than wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// run runs one validator over the page, reporting cpu-ns/op besides time.
func run(b *testing.B, once func() error) {
	b.Helper()
	if err := once(); err != nil {
		b.Fatalf("the page does not pass: %v", err)
	}
	b.SetBytes(int64(len(benchPage())))
	b.ReportAllocs()
	start := processCPU()
	for b.Loop() {
		if err := once(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
}

// BenchmarkPeers validates the same 100-task exchange with each validator,
// after the plain typed decode every ratio is taken against.
func BenchmarkPeers(b *testing.B) {
	page := benchPage()
	b.Run("decode-baseline", func(b *testing.B) {
		run(b, func() error {
			var list gen.TaskList
			return json.Unmarshal(page, &list)
		})
	})
	b.Run("drift", func(b *testing.B) {
		v, err := drift.NewValidator()
		if err != nil {
			b.Fatal(err)
		}
		ex := drift.Exchange{
			Method: http.MethodGet, URL: pageURL,
			RequestHeader:  http.Header{"Accept": {"application/json"}, "X-Tallyfy-Client": {"APIClient"}},
			Status:         http.StatusOK,
			ResponseHeader: http.Header{"Content-Type": {"application/json"}},
			Body:           page,
		}
		run(b, func() error {
			if findings := v.Check(context.Background(), ex); len(findings) > 0 {
				return fmt.Errorf("%d findings, the first %s: %s", len(findings), findings[0].Pointer, findings[0].Message)
			}
			return nil
		})
	})
	b.Run("kin-openapi", func(b *testing.B) {
		router := kinRouter(b)
		req := pageRequest(b)
		run(b, func() error { return kinValidate(router, req, page) })
	})
	b.Run("libopenapi-validator", func(b *testing.B) {
		v := libopenapiValidator(b)
		req := pageRequest(b)
		run(b, func() error {
			ok, errs := v.ValidateHttpResponse(req, pageResponse(req, page))
			if !ok {
				return fmt.Errorf("%d errors, the first: %v", len(errs), errs[0].Message)
			}
			return nil
		})
	})
	b.Run("jsonschema-v6", func(b *testing.B) {
		schema := taskListSchema(b)
		run(b, func() error {
			instance, err := jsonschema.UnmarshalJSON(bytes.NewReader(page))
			if err != nil {
				return err
			}
			return schema.Validate(instance)
		})
	})
}

// kinRouter is kin-openapi as its README shows it: the spec loaded and
// validated, a router over its servers.
func kinRouter(b *testing.B) routers.Router {
	b.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile(specFile)
	if err != nil {
		b.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		b.Fatal(err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		b.Fatal(err)
	}
	return router
}

// kinValidate finds the route, validates the request, then the response
// with its body, with kin-openapi's default options.
func kinValidate(router routers.Router, req *http.Request, body []byte) error {
	ctx := context.Background()
	route, params, err := router.FindRoute(req)
	if err != nil {
		return err
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		return err
	}
	return openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 http.StatusOK,
		Header:                 http.Header{"Content-Type": {"application/json"}},
		Body:                   io.NopCloser(bytes.NewReader(body)),
	})
}

func libopenapiValidator(b *testing.B) validator.Validator {
	b.Helper()
	spec, err := os.ReadFile(specFile)
	if err != nil {
		b.Fatal(err)
	}
	doc, err := libopenapi.NewDocument(spec)
	if err != nil {
		b.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	return v
}

// taskListSchema compiles the spec's TaskList schema as JSON Schema: the
// spec as JSON, with OpenAPI 3.0's nullable written as JSON Schema's
// "null" type.
func taskListSchema(b *testing.B) *jsonschema.Schema {
	b.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile(specFile)
	if err != nil {
		b.Fatal(err)
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		b.Fatal(err)
	}
	resource, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		b.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("spec.json", nullableAsType(resource)); err != nil {
		b.Fatal(err)
	}
	schema, err := c.Compile("spec.json#/components/schemas/TaskList")
	if err != nil {
		b.Fatal(err)
	}
	return schema
}

// nullableAsType rewrites {"type": T, "nullable": true} as
// {"type": [T, "null"]}, adding null to an enum, everywhere in v.
func nullableAsType(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if v["nullable"] == true {
			delete(v, "nullable")
			if t, ok := v["type"].(string); ok {
				v["type"] = []any{t, "null"}
			}
			if enum, ok := v["enum"].([]any); ok {
				v["enum"] = append(enum, nil)
			}
		}
		for k, child := range v {
			v[k] = nullableAsType(child)
		}
	case []any:
		for i, child := range v {
			v[i] = nullableAsType(child)
		}
	}
	return v
}
