package tallyfy

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/tallyfy-go/tallyfy/gen"
)

// bufferedPage is one page fetched ahead of the consumer: its response
// (for error messages; the body is closed) and its body, still undecoded.
type bufferedPage struct {
	resp *http.Response
	body *chunkedBody
	err  error
}

// concurrentPages fetches the pages that pages schedules, up to
// c.pageConcurrency at a time, and reads them in page order, with the same
// checks as one page at a time (per-task errors, duplicates, pagination).
// A page is held as its raw body, at most c.pageBufferLimit bytes, and at
// most pageConcurrency pages are in flight or held at once (the one being
// read included). Returning (the consumer broke out, or an error) cancels
// the requests still in flight and waits for their goroutines to end.
func (c *Client) concurrentPages(ctx context.Context, fetch fetchPage, pages *pager, l *listing, yield func(gen.Task, error) bool) {
	ctx, cancel := context.WithCancel(ctx)
	var workers sync.WaitGroup
	defer workers.Wait() // runs after cancel: no worker outlives the iteration
	defer cancel()

	type slot struct {
		page int
		done chan bufferedPage
	}
	var pending []slot
	for {
		for len(pending) < c.pageConcurrency {
			page, more := pages.next()
			if !more {
				break
			}
			done := make(chan bufferedPage, 1) // buffered: a worker never blocks on a consumer that left
			pending = append(pending, slot{page, done})
			workers.Add(1)
			c.pageWorkers.Add(1)
			go func() {
				defer workers.Done()
				defer c.pageWorkers.Add(-1)
				done <- c.bufferPage(ctx, fetch, page)
			}()
		}
		if len(pending) == 0 {
			return
		}
		if err := ctx.Err(); err != nil {
			yield(gen.Task{}, fmt.Errorf("tallyfy: listing tasks: %w", err))
			return
		}
		next := pending[0]
		pending = pending[1:]
		res := <-next.done
		if res.err != nil {
			yield(gen.Task{}, res.err)
			return
		}
		tail, stopped, err := l.readPage(ctx, next.page, res.resp, res.body, yield)
		if stopped {
			return
		}
		if err != nil {
			yield(gen.Task{}, err)
			return
		}
		if err := pages.observe(next.page, tail.meta, tail.tasks); err != nil {
			yield(gen.Task{}, err)
			return
		}
	}
}

// bufferPage fetches one page and reads its body, at most
// c.pageBufferLimit bytes of it, into memory.
func (c *Client) bufferPage(ctx context.Context, fetch fetchPage, page int) bufferedPage {
	resp, err := fetch(ctx, page)
	if err != nil {
		return bufferedPage{err: err}
	}
	defer resp.Body.Close()
	body, err := readChunked(io.LimitReader(resp.Body, c.pageBufferLimit+1))
	if err != nil {
		return bufferedPage{err: readError(ctx, resp, page, c.doer.token, err)}
	}
	if body.size > c.pageBufferLimit {
		return bufferedPage{err: fmt.Errorf("%w (page %d, fetched ahead)", &LimitError{Limit: "WithMaxPageBuffer", Max: c.pageBufferLimit}, page)}
	}
	return bufferedPage{resp: resp, body: body}
}

// pageChunk is the size of the pieces a page fetched ahead is held in.
const pageChunk = 64 << 10

// chunkedBody is a body held in fixed-size pieces: unlike a slice grown by
// doubling, it never holds much more memory than the body's size.
type chunkedBody struct {
	chunks [][]byte
	size   int64
}

func readChunked(r io.Reader) (*chunkedBody, error) {
	b := &chunkedBody{}
	for {
		chunk := make([]byte, pageChunk)
		n := 0
		var err error
		for n < len(chunk) && err == nil {
			var m int
			m, err = r.Read(chunk[n:])
			n += m
		}
		if n > 0 {
			b.chunks = append(b.chunks, chunk[:n])
			b.size += int64(n)
		}
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// Read implements io.Reader, handing each piece on once and letting it go.
func (b *chunkedBody) Read(p []byte) (int, error) {
	for len(b.chunks) > 0 && len(b.chunks[0]) == 0 {
		b.chunks[0] = nil
		b.chunks = b.chunks[1:]
	}
	if len(b.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, b.chunks[0])
	b.chunks[0] = b.chunks[0][n:]
	return n, nil
}
