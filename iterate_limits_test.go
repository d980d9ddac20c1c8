package tallyfy

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// endlessTask is a page whose first task never ends: a summary of 'x' for ever.
type endlessTask struct {
	head []byte
	read int64
}

func (e *endlessTask) Read(p []byte) (int, error) {
	n := copy(p, e.head)
	e.head = e.head[n:]
	for i := n; i < len(p); i++ {
		p[i] = 'x'
	}
	e.read += int64(len(p))
	return len(p), nil
}

func TestAHugeTaskIsReadNoFurtherThanTheLimit(t *testing.T) {
	const limit = 256 << 10
	r := &endlessTask{head: []byte(`{"data":[` + taskJSON(1) + `,{"id":"x","summary":"`)}
	var got int
	_, _, err := decodeTaskPage(r, limit, func(el *pageElement) bool {
		require.NoError(t, el.err)
		got++
		return true
	})
	var over *overLimit
	require.ErrorAs(t, err, &over)
	assert.Equal(t, 1, over.index, "the second task is the one over the limit")
	assert.Equal(t, 1, got, "the task before it was emitted")
	assert.LessOrEqual(t, r.read, int64(2*limit), "read stops at the limit, not at the end of the task")
}

// gzipped compresses s.
func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := zw.Write([]byte(s))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return b.Bytes()
}

// serveGzipPages answers page n with pages[n-1], gzip-compressed.
func serveGzipPages(t *testing.T, pages ...string) (func(w http.ResponseWriter, r *http.Request, _ int), []int) {
	bodies := make([][]byte, len(pages))
	wire := make([]int, len(pages))
	for i, p := range pages {
		bodies[i] = gzipped(t, p)
		wire[i] = len(bodies[i])
	}
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		n, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if n < 1 || n > len(bodies) {
			writeJSON(w, 404, `{"error":true,"message":"no such page"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(bodies[n-1])
	}, wire
}

func TestLimitsCountTheInflatedBody(t *testing.T) {
	const limit = 64 << 10
	bigTask := withField(2, "summary", `"`+strings.Repeat("x", 1<<20)+`"`) // 1 MiB, a few KiB gzipped
	cases := map[string]struct {
		opts       []Option
		pages      []string
		wantTitles []string
		wantLimit  string
		wantWhere  string
	}{
		"a task over WithMaxTaskSize": {
			opts:       []Option{WithMaxTaskSize(limit)},
			pages:      []string{listPage(1, 1, taskJSON(1), bigTask, taskJSON(3))},
			wantTitles: titlesFrom(1, 1), wantLimit: "WithMaxTaskSize", wantWhere: "(page 1, task 1)",
		},
		"meta over WithMaxTaskSize": {
			opts:       []Option{WithMaxTaskSize(limit)},
			pages:      []string{`{"data":[` + taskJSON(1) + `],"meta":{"x":"` + strings.Repeat("x", 1<<20) + `"}}`},
			wantTitles: titlesFrom(1, 1), wantLimit: "WithMaxTaskSize", wantWhere: "(page 1, a value outside data)",
		},
		"a page fetched ahead over WithMaxPageBuffer": {
			// Page 1 is streamed, so the page buffer limit does not apply to it.
			opts:       []Option{WithPageConcurrency(2), WithMaxPageBuffer(limit)},
			pages:      []string{listPage(1, 2, taskJSON(1), bigTask), listPage(2, 2, taskJSON(3), bigTask)},
			wantTitles: titlesFrom(1, 2), wantLimit: "WithMaxPageBuffer", wantWhere: "(page 2, fetched ahead)",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			handler, wire := serveGzipPages(t, tc.pages...)
			for _, n := range wire {
				require.Less(t, n, limit, "on the wire, every page is under the limit")
			}
			s := newStub(t, handler)
			c, _ := newTestClient(t, s, tc.opts...)
			titles, taskErrs, fatal := collect(c.RunTasks(context.Background(), testOrg, testRun, nil))
			assert.Equal(t, tc.wantTitles, titles)
			assert.Empty(t, taskErrs)
			require.Len(t, fatal, 1)
			var limitErr *LimitError
			require.ErrorAs(t, fatal[0], &limitErr)
			assert.Equal(t, tc.wantLimit, limitErr.Limit)
			assert.Equal(t, int64(limit), limitErr.Max)
			assert.ErrorContains(t, fatal[0], tc.wantWhere)
			assert.ErrorContains(t, fatal[0], "limit of 64 KiB")
		})
	}
}

func TestTheDefaultLimitsLetBigPagesThrough(t *testing.T) {
	big := withField(2, "summary", `"`+strings.Repeat("x", 1<<20)+`"`)
	handler, _ := serveGzipPages(t, listPage(1, 2, taskJSON(1), big), listPage(2, 2, big, taskJSON(3)))
	s := newStub(t, handler)
	c, _ := newTestClient(t, s, WithPageConcurrency(2))
	titles, taskErrs, fatal := collect(c.RunTasks(context.Background(), testOrg, testRun, nil))
	assert.Empty(t, fatal)
	assert.Equal(t, []string{"Task 1", "Task 2", "Task 3"}, titles)
	require.Len(t, taskErrs, 1, "the big task on page 2 is a repeat")
	assert.ErrorIs(t, taskErrs[0], ErrDuplicateTask)
}

func TestSizeLimitOptionsRejectNonsense(t *testing.T) {
	for _, opt := range []Option{WithMaxTaskSize(0), WithMaxTaskSize(-1), WithMaxTaskSize(1 << 41),
		WithMaxPageBuffer(0), WithMaxPageBuffer(1 << 62)} {
		_, err := NewClient(testToken, opt)
		assert.ErrorContains(t, err, "the limit must be from 1 byte to 2^40")
	}
}

func TestAConcurrentListingLeavesNoWorkerBehind(t *testing.T) {
	cases := map[string]struct {
		failPage   int                                   // a page answered 404 (0: none)
		stopAfter  int                                   // tasks taken before a break (0: none)
		cancelAt   int                                   // tasks taken before the context is cancelled (0: never)
		wantErr    func(t *testing.T, errs []error) bool // checks the errors
		wantTitles []string
	}{
		"the consumer breaks out": {stopAfter: 3, wantTitles: titlesFrom(1, 3)},
		"a page fails": {failPage: 2, wantTitles: titlesFrom(1, 2), wantErr: func(t *testing.T, errs []error) bool {
			var apiErr *APIError
			return assert.Len(t, errs, 1) && assert.ErrorAs(t, errs[0], &apiErr)
		}},
		"the context is cancelled": {cancelAt: 3, wantTitles: titlesFrom(1, 4), wantErr: func(t *testing.T, errs []error) bool {
			return assert.Len(t, errs, 1) && assert.ErrorIs(t, errs[0], context.Canceled)
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var started atomic.Int32
			run := &pagedRun{pages: 20, perPage: 2, delay: func(page int) time.Duration {
				if page <= 2 {
					return 0
				}
				started.Add(1)
				return time.Hour // pages 3+ answer only when cancelled
			}}
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if r.URL.Query().Get("page") == strconv.Itoa(tc.failPage) {
					writeJSON(w, 404, `{"error":true,"message":"Resource not found"}`)
					return
				}
				run.handle(w, r)
			})
			c, _ := newTestClient(t, s, WithPageConcurrency(4), WithRetryPolicy(NoRetries()))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()

			var titles []string
			var errs []error
			for task, err := range c.RunTasks(ctx, testOrg, testRun, nil) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				titles = append(titles, task.Title)
				if len(titles) == tc.stopAfter || len(titles) == tc.cancelAt {
					// Wait until pages 3 to 5 hang on the server, so that
					// workers are surely running.
					require.Eventually(t, func() bool { return started.Load() == 3 }, 10*time.Second, time.Millisecond)
					if tc.cancelAt > 0 {
						cancel()
						continue
					}
					break
				}
			}
			assert.Zero(t, c.pageWorkers.Load(), "every worker ended before the loop returned")
			assert.Equal(t, tc.wantTitles, titles)
			if tc.wantErr == nil {
				assert.Empty(t, errs)
			} else {
				tc.wantErr(t, errs)
			}
		})
	}
}

func TestAPageHeldAheadTakesLittleMoreThanItsSize(t *testing.T) {
	for _, size := range []int{0, 1, pageChunk - 1, pageChunk, pageChunk + 1, 5*pageChunk + 17} {
		body := make([]byte, size)
		for i := range body {
			body[i] = byte(i * 7)
		}
		held := readChunked(iotest.OneByteReader(bytes.NewReader(body)))
		assert.Equal(t, io.EOF, held.err)
		assert.Equal(t, int64(size), held.size)
		var capacity int
		for _, c := range held.chunks {
			capacity += cap(c)
		}
		assert.LessOrEqual(t, capacity, size+pageChunk, "size %d: at most one piece more than the body", size)
		got, err := io.ReadAll(held)
		require.NoError(t, err)
		assert.Equal(t, body, got, "size %d", size)
	}
}

func TestACutOffPageFetchedAheadIsADecodeError(t *testing.T) {
	second := listPage(2, 2, taskJSON(3), taskJSON(4))
	for _, n := range concurrencies {
		t.Run(fmt.Sprintf("concurrency %d", n), func(t *testing.T) {
			s := newStub(t, servePages(listPage(1, 2, taskJSON(1), taskJSON(2)), second[:len(second)/2]))
			c, _ := newTestClient(t, s, WithPageConcurrency(n))
			titles, taskErrs, fatal := collect(c.RunTasks(context.Background(), testOrg, testRun, nil))
			assert.Equal(t, titlesFrom(1, 3), titles, "the tasks before the cut")
			assert.Empty(t, taskErrs)
			require.Len(t, fatal, 1)
			var de *DecodeError
			require.ErrorAs(t, fatal[0], &de)
			assert.ErrorIs(t, fatal[0], io.ErrUnexpectedEOF)
		})
	}
}

// A task nested deeper than encoding/json reads costs no other task of its
// page: it is a *TaskError, and the tasks before and after it are yielded.
func TestOneDeepTaskDoesNotCostTheRestOfItsPage(t *testing.T) {
	deep := withField(2, "extra", strings.Repeat("[", 10001)+strings.Repeat("]", 10001))
	s := newStub(t, servePages(listPage(1, 1, taskJSON(1), deep, taskJSON(3))))
	for _, n := range []int{1, 2} {
		c, _ := newTestClient(t, s, WithPageConcurrency(n))
		titles, taskErrs, fatal := collect(c.RunTasks(context.Background(), testOrg, testRun, nil))
		require.Empty(t, fatal)
		assert.Equal(t, []string{"Task 1", "Task 3"}, titles, "the task after the deep one is yielded")
		require.Len(t, taskErrs, 1)
		assert.Equal(t, 1, taskErrs[0].Index)
		assert.Equal(t, "/data/1", taskErrs[0].Pointer)
		assert.Contains(t, taskErrs[0].Expected, "nested at most 10000")
	}
}
