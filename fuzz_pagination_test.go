package tallyfy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scriptedPages answers each page from a fuzzer's script: 4 bytes a page
// choose its current_page, total_pages, tasks and meta, from values near
// the page asked for and from the extremes of int.
type scriptedPages struct {
	script []byte
	first  int

	mu        sync.Mutex
	requested []int
	answers   map[int]pageAnswer
}

type pageAnswer struct{ current, total int }

// maxScriptedRequests ends a listing that the script keeps going.
const maxScriptedRequests = 40

var errTooManyRequests = errors.New("the script's listing went on too long")

func (s *scriptedPages) pick(b byte, page int) int {
	values := []int{page, page + 1, page - 1, 0, 1, -1, 2, 3, 5, math.MaxInt, MaxPage, MaxPage + 1, math.MinInt, s.first, page + 2}
	return values[int(b)%len(values)]
}

func (s *scriptedPages) fetch(ctx context.Context, page int) (*http.Response, error) {
	s.mu.Lock()
	s.requested = append(s.requested, page)
	n := len(s.requested)
	s.mu.Unlock()
	if n > maxScriptedRequests {
		return nil, errTooManyRequests
	}
	var b [4]byte
	if len(s.script) > 0 {
		off := int(uint(page-s.first)%uint(max(len(s.script)/4, 1))) * 4
		copy(b[:], s.script[min(off, len(s.script)):])
	}
	current, total := s.pick(b[0], page), s.pick(b[1], page)
	s.mu.Lock()
	s.answers[page] = pageAnswer{current, total}
	s.mu.Unlock()

	var tasks []string
	for j := range int(b[2] % 4) {
		switch {
		case b[3]&0x10 != 0 && j == 0:
			tasks = append(tasks, `{"id":"again","title":"again"}`) // on every such page
		case b[3]&0x20 != 0 && j == 1:
			tasks = append(tasks, `{"id":"bad","position":"first"}`)
		default:
			tasks = append(tasks, fmt.Sprintf(`{"id":"p%d-%d","title":"p%d-%d"}`, page, j, page, j))
		}
	}
	data := `"data":[` + strings.Join(tasks, ",") + `]`
	var body string
	switch b[3] % 5 {
	case 0:
		body = "{" + data + "}"
	case 1:
		body = "{" + data + `,"meta":null}`
	case 2:
		body = "{" + data + fmt.Sprintf(`,"meta":{"pagination":{"current_page":"%d","total_pages":%d}}}`, current, total)
	default:
		body = "{" + data + fmt.Sprintf(`,"meta":{"pagination":{"current_page":%d,"total_pages":%d,"count":%d,"links":[]}}}`, current, total, len(tasks))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("http://stand-in.invalid/api/tasks?page=%d", page), nil)
	if err != nil {
		return nil, err
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
}

// FuzzPagination drives the pagination logic, one page at a time and with
// pages fetched ahead, with arbitrary meta: page numbers near and far from
// the one asked for, at the extremes of int, missing or malformed. Whatever
// the server says, the iterator must not panic or loop, must request each
// page once and in order, must yield each task id once, must end with at
// most one error that is not a *TaskError (and nothing after it), must
// leave no worker behind, and, when it ends without such an error, must
// end because the last page said it was the last.
func FuzzPagination(f *testing.F) {
	f.Add(uint8(0), int64(1), []byte{0, 8, 3, 3, 0, 8, 3, 3, 0, 8, 1, 3})
	f.Add(uint8(7), int64(1), []byte{0, 9, 3, 3}) // total_pages MaxInt, 8 at a time
	f.Add(uint8(7), int64(math.MaxInt), []byte{0, 9, 1, 3})
	f.Add(uint8(3), int64(2), []byte{1, 8, 2, 3}) // current_page skips ahead
	f.Add(uint8(3), int64(1), []byte{0, 8, 0, 3}) // empty pages that claim more
	f.Add(uint8(2), int64(1), []byte{0, 7, 3, 0x13, 0, 7, 3, 0x33})
	f.Add(uint8(1), int64(-5), []byte{0, 14, 2, 4})

	f.Fuzz(func(t *testing.T, concurrency uint8, first int64, script []byte) {
		if len(script) > 4*64 {
			script = script[:4*64]
		}
		start := max(int(first), 1) // as newListing reads params.Page
		pages := &scriptedPages{script: script, first: start, answers: map[int]pageAnswer{}}
		c := &Client{pageConcurrency: int(concurrency%8) + 1, taskSizeLimit: DefaultMaxTaskSize,
			pageBufferLimit: DefaultMaxPageBuffer, pageWorkers: new(atomic.Int32), doer: &doer{}}
		l := &listing{c: c, operation: opListRunTasks, fetch: pages.fetch, first: start}

		var ids []string
		var fatal []error
		afterFatal := 0
		for task, err := range l.eachTask(context.Background()) {
			if len(fatal) > 0 {
				afterFatal++
			}
			var taskErr *TaskError
			switch {
			case err == nil:
				ids = append(ids, task.ID)
			case errors.As(err, &taskErr):
			default:
				fatal = append(fatal, err)
			}
		}
		assert.Zero(t, c.pageWorkers.Load(), "no worker outlives the iteration")
		assert.LessOrEqual(t, len(fatal), 1, "at most one error ends the listing")
		assert.Zero(t, afterFatal, "nothing comes after the error that ends the listing")

		seen := map[string]bool{}
		for _, id := range ids {
			assert.False(t, seen[id], "task %s yielded twice", id)
			seen[id] = true
		}

		requested := slices.Clone(pages.requested)
		require.NotEmpty(t, requested)
		assert.LessOrEqual(t, len(requested), maxScriptedRequests+8)
		slices.Sort(requested)
		for i, p := range requested {
			assert.Equal(t, start+i, p, "pages are requested from the first, each once, none skipped")
		}
		if len(fatal) == 0 {
			last := requested[len(requested)-1]
			answer := pages.answers[last]
			assert.Equal(t, last, answer.current, "the last page read was the one asked for")
			assert.GreaterOrEqual(t, last, answer.total, "the listing ended where the last page said it ends")
		}
	})
}
