package tallyfy

import (
	"context"
	"fmt"

	"github.com/tallyfy-go/tallyfy/gen"
)

// pageResult is one page fetched ahead of the consumer.
type pageResult struct {
	tasks []gen.Task
	err   error
}

// concurrentPages fetches pages first..last, up to c.pageConcurrency at a
// time, and yields their tasks in page order. At most pageConcurrency pages
// are in flight or buffered at once. Returning (the consumer broke out, or
// an error) cancels the requests still in flight.
func (c *Client) concurrentPages(ctx context.Context, fetch fetchPage, first, last int, yield func(gen.Task, error) bool) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var pending []chan pageResult
	next := first
	for page := first; page <= last; page++ {
		for next <= last && next < page+c.pageConcurrency {
			ch := make(chan pageResult, 1) // buffered: a worker never blocks on a consumer that left
			pending = append(pending, ch)
			go func(p int) { ch <- c.bufferPage(ctx, fetch, p) }(next)
			next++
		}
		res := <-pending[0]
		pending = pending[1:]
		if res.err != nil {
			yield(gen.Task{}, res.err)
			return
		}
		for _, t := range res.tasks {
			if !yield(t, nil) {
				return
			}
		}
	}
}

// bufferPage fetches and decodes one whole page into memory.
func (c *Client) bufferPage(ctx context.Context, fetch fetchPage, page int) pageResult {
	var tasks []gen.Task
	collect := func(t gen.Task, err error) bool {
		tasks = append(tasks, t)
		return true
	}
	meta, _, err := c.readPage(ctx, fetch, page, collect)
	if err != nil {
		return pageResult{err: err}
	}
	if meta != nil && meta.Pagination.CurrentPage != page {
		return pageResult{err: fmt.Errorf("tallyfy: asked for page %d, got current_page %d", page, meta.Pagination.CurrentPage)}
	}
	return pageResult{tasks: tasks}
}
