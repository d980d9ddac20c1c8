package tallyfy_test

// Benchmarks of the client and the validator, side by side in one run, on
// fixed deterministic payloads from the stand-in. `make bench` runs them
// with -count 6 and prints a benchstat table; BENCHMARKS.md reads it.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
	"github.com/tallyfy-go/tallyfy/spec"
)

const (
	benchOrg = "5a1e9c3b7d2f4e6a8b0c1d2e3f4a5b6c"
	benchRun = "0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f"
)

// benchPage is one page of 100 tasks with the step, run, form_fields,
// threads and summary includes (about 150 KB, like a real page with includes).
var benchPage = sync.OnceValue(func() []byte {
	body, err := standin.RunTasksJSON(standin.Config{OrgID: benchOrg, RunID: benchRun, RunTasks: 100},
		"per_page=100&with=step,run,form_fields,threads,summary")
	if err != nil {
		panic(err)
	}
	return body
})

// memoryTransport answers every request with body, without sockets.
type memoryTransport struct{ body func() io.Reader }

func (m memoryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: http.StatusOK,
		Status:     "200 OK",
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(m.body()),
		Request:    req,
	}, nil
}

func memoryClient(b *testing.B, body func() io.Reader, opts ...tallyfy.Option) *tallyfy.Client {
	b.Helper()
	c, err := tallyfy.NewClient("bench-token", append([]tallyfy.Option{
		tallyfy.WithHTTPClient(&http.Client{Transport: memoryTransport{body: body}}),
		tallyfy.WithRateLimit(0, 0), // the decode is measured, not the pace
	}, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkRunTasksPage is the client side: RunTasks over one 100-task page
// through an in-memory transport: request building, headers, the retrying
// doer, and the streaming decode.
func BenchmarkRunTasksPage(b *testing.B) {
	page := benchPage()
	c := memoryClient(b, func() io.Reader { return bytes.NewReader(page) })
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		listPage(b, c)
	}
}

func listPage(b *testing.B, c *tallyfy.Client) {
	n := 0
	for _, err := range c.RunTasks(context.Background(), benchOrg, benchRun, nil) {
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
	if n != 100 {
		b.Fatalf("%d tasks", n)
	}
}

// BenchmarkDecodeTaskListBaseline is a plain encoding/json decode of the same
// page into the generated list type: the floor the client is measured against.
func BenchmarkDecodeTaskListBaseline(b *testing.B) {
	page := benchPage()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	defer startCPU().report(b)
	for b.Loop() {
		var list gen.TaskList
		if err := json.Unmarshal(page, &list); err != nil {
			b.Fatal(err)
		}
		if len(list.Data) != 100 {
			b.Fatalf("%d tasks", len(list.Data))
		}
	}
}

// cliTask is the task of Tallyfy's own Go client (tallyfy/cli, pkg/tallyfy):
// a few typed fields, the rest kept as raw JSON.
type cliTask struct {
	ID          string          `json:"id"`
	Title       string          `json:"title"`
	Status      string          `json:"status"`
	RunID       *string         `json:"run_id"`
	StepID      *string         `json:"step_id"`
	Position    int             `json:"position"`
	Deadline    *string         `json:"deadline"`
	CreatedAt   string          `json:"created_at"`
	LastUpdated string          `json:"last_updated"`
	Owners      json.RawMessage `json:"owners"`
}

// BenchmarkPeerTallyfyCLIPage decodes the same page the way Tallyfy's own Go
// client does: read the whole page, unmarshal the envelope with data as raw
// messages, then each raw task into its small struct.
func BenchmarkPeerTallyfyCLIPage(b *testing.B) {
	page := benchPage()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		raw, err := io.ReadAll(bytes.NewReader(page))
		if err != nil {
			b.Fatal(err)
		}
		var env struct {
			Data []json.RawMessage `json:"data"`
			Meta json.RawMessage   `json:"meta"`
		}
		if err := json.Unmarshal(raw, &env); err != nil {
			b.Fatal(err)
		}
		tasks := make([]cliTask, len(env.Data))
		for i, r := range env.Data {
			if err := json.Unmarshal(r, &tasks[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkPeerReadAllUnmarshal is the common hand-written client: read the
// body whole, then unmarshal it into the generated list type.
func BenchmarkPeerReadAllUnmarshal(b *testing.B) {
	page := benchPage()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		raw, err := io.ReadAll(bytes.NewReader(page))
		if err != nil {
			b.Fatal(err)
		}
		var list gen.TaskList
		if err := json.Unmarshal(raw, &list); err != nil {
			b.Fatal(err)
		}
	}
}

var validatorOnce = sync.OnceValues(func() (*drift.Validator, error) { return drift.NewValidator() })

// BenchmarkValidatePage validates the same 100-task exchange with the drift
// validator: every finding with its pointer, undocumented fields included.
func BenchmarkValidatePage(b *testing.B) {
	v, ex := pageExchange(b)
	b.SetBytes(int64(len(ex.Body)))
	b.ReportAllocs()
	defer startCPU().report(b)
	for b.Loop() {
		validate(b, v, ex)
	}
}

func pageExchange(b *testing.B) (*drift.Validator, drift.Exchange) {
	v, err := validatorOnce()
	if err != nil {
		b.Fatal(err)
	}
	return v, drift.Exchange{
		Method:         http.MethodGet,
		URL:            "https://go.tallyfy.com/api/organizations/" + benchOrg + "/runs/" + benchRun + "/tasks?per_page=100&with=step,run,form_fields,threads,summary",
		RequestHeader:  http.Header{"Accept": {"application/json"}, "X-Tallyfy-Client": {"APIClient"}},
		Status:         http.StatusOK,
		ResponseHeader: http.Header{"Content-Type": {"application/json"}},
		Body:           benchPage(),
	}
}

func validate(b *testing.B, v *drift.Validator, ex drift.Exchange) {
	if findings := v.Check(context.Background(), ex); len(findings) > 0 {
		b.Fatalf("the page does not conform: %v", findings[0])
	}
}

// BenchmarkValidatorSetup is NewValidator on the embedded spec: what a
// program pays for a Validator once the first one compiled the spec (the
// spec is loaded and routed once per process, lazily).
func BenchmarkValidatorSetup(b *testing.B) {
	if _, err := drift.NewValidator(); err != nil { // the process's first: it compiles the spec
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := drift.NewValidator(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSpecCompile loads the embedded spec's bytes and builds the
// router, as the first Validator of a process (or one given WithSpec)
// does: what a process pays once.
func BenchmarkSpecCompile(b *testing.B) {
	doc, err := spec.GetSpecJSON()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := drift.NewValidator(drift.WithSpec(doc)); err != nil {
			b.Fatal(err)
		}
	}
}

// hugeBody is one without_pagination response of n tasks (no includes).
func hugeBody(n int) []byte {
	body, err := standin.RunTasksJSON(standin.Config{OrgID: benchOrg, RunID: benchRun, RunTasks: n}, "without_pagination=true")
	if err != nil {
		panic(err)
	}
	return body
}

// liveHeap returns the live heap after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkStreamHuge lists 20,000 tasks that arrive in one response, and
// reports the peak growth of the live heap against the body size
// ("peak-heap/body"): streaming through RunTasks, and a ReadAll-then-
// Unmarshal client for comparison. The body itself is prepared beforehand and
// is not counted. The heap is sampled every 2,000 tasks.
func BenchmarkStreamHuge(b *testing.B) {
	const n = 20000
	body := hugeBody(n)
	all := true
	params := &gen.ListRunTasksParams{WithoutPagination: &all}

	b.Run("stream", func(b *testing.B) {
		c := memoryClient(b, func() io.Reader { return bytes.NewReader(body) })
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		var peak uint64
		for b.Loop() {
			base := liveHeap()
			count := 0
			for _, err := range c.RunTasks(context.Background(), benchOrg, benchRun, params) {
				if err != nil {
					b.Fatal(err)
				}
				if count++; count%2000 == 0 {
					peak = max(peak, growth(base))
				}
			}
			if count != n {
				b.Fatalf("%d tasks", count)
			}
		}
		reportPeak(b, peak, len(body))
	})

	b.Run("readall-unmarshal", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		var peak uint64
		for b.Loop() {
			base := liveHeap()
			raw, err := io.ReadAll(bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			var list gen.TaskList
			if err := json.Unmarshal(raw, &list); err != nil {
				b.Fatal(err)
			}
			peak = max(peak, growth(base))
			for i := range list.Data { // the caller walks the tasks, holding the page
				if i%2000 == 0 {
					peak = max(peak, growth(base))
				}
			}
			runtime.KeepAlive(raw)
			runtime.KeepAlive(list)
		}
		reportPeak(b, peak, len(body))
	})
}

func growth(base uint64) uint64 {
	if now := liveHeap(); now > base {
		return now - base
	}
	return 0
}

func reportPeak(b *testing.B, peak uint64, bodySize int) {
	b.ReportMetric(float64(peak)/float64(bodySize), "peak-heap/body")
	b.ReportMetric(float64(peak), "peak-heap-B")
}

// BenchmarkPages lists 20 pages from a loopback stand-in that takes 50 ms per
// request, with one page at a time and with four.
func BenchmarkPages(b *testing.B) {
	const pages, perPage = 20, 10
	s := standin.Start(standin.Config{OrgID: benchOrg, RunID: benchRun, RunTasks: pages * perPage,
		Fail: func(w http.ResponseWriter, r *http.Request, n int) bool {
			time.Sleep(50 * time.Millisecond)
			return false
		}})
	defer s.Close()
	for _, n := range []int{1, 4} {
		b.Run(fmt.Sprintf("concurrency=%d", n), func(b *testing.B) {
			c, err := tallyfy.NewClient("bench-token", tallyfy.WithBaseURL(s.BaseURL()), tallyfy.WithPageConcurrency(n),
				tallyfy.WithRateLimit(0, 0)) // the read-ahead is measured, not the pace (see BenchmarkPacedListing)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				count := 0
				for _, err := range c.RunTasks(context.Background(), benchOrg, benchRun, nil) {
					if err != nil {
						b.Fatal(err)
					}
					count++
				}
				if count != pages*perPage {
					b.Fatalf("%d tasks", count)
				}
			}
		})
	}
}
