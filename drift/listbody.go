package drift

import (
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/getkin/kin-openapi/openapi3"
)

// A list body ({"data": [...], "meta": {...}}) is checked item by item, the
// items in parallel: decoding and validating the tasks of a page is most of
// the work, and each task is independent of the others. The findings are the
// ones a check of the whole body gives, with the same pointers.

// minParallelItems is the smallest list checked in parallel.
const minParallelItems = 16

// listBody is a list body split into its envelope and its raw data items.
type listBody struct {
	envelope   map[string]any // every key but data, decoded; data is []any{}
	items      [][]byte       // the elements of data, raw (sub-slices of the body)
	itemSchema *openapi3.Schema
}

// splitList splits body when schema is an object whose "data" is a plain
// array (no array-level keyword to check) and body is an object with one
// data array and nothing after it. Any other body is checked whole (ok
// false), which also gives the precise message of a body that is not JSON.
func splitList(schema *openapi3.Schema, body []byte) (*listBody, bool) {
	dataRef := schema.Properties["data"]
	if dataRef == nil || dataRef.Value == nil {
		return nil, false
	}
	data := dataRef.Value
	if data.Items == nil || data.Items.Value == nil || data.MinItems != 0 || data.MaxItems != nil || data.UniqueItems ||
		len(data.OneOf)+len(data.AnyOf)+len(data.AllOf) > 0 || data.Not != nil || data.Nullable {
		return nil, false
	}
	lay, ok := scanListLayout(body)
	if !ok {
		return nil, false
	}
	rest := make([]byte, 0, len(body)-(lay.dataEnd-lay.dataStart)+2)
	rest = append(append(append(rest, body[:lay.dataStart]...), "[]"...), body[lay.dataEnd:]...)
	envelope, err := decodeJSON(rest)
	if err != nil {
		return nil, false
	}
	obj, isObject := envelope.(map[string]any)
	if !isObject {
		return nil, false
	}
	return &listBody{envelope: obj, items: lay.items, itemSchema: data.Items.Value}, true
}

// checkList checks the envelope, then the items, in chunks of itemChunk,
// each chunk's items in parallel when the list is long enough. A chunk's
// items may list as many findings as the check has room for when the chunk
// starts, and are added in order: the findings listed are the same however
// the items are scheduled, and past MaxFindings the items are counted, not
// kept. It returns false, having added nothing, when an item is not JSON:
// the whole-body check then words the error.
func (c *check) checkList(schema *openapi3.Schema, lb *listBody) bool {
	kept, omitted := len(c.findings), c.omitted
	c.checkValue(schema, lb.envelope, "")
	c.checkPagination(schema, lb.envelope, len(lb.items))
	for start := 0; start < len(lb.items); start += itemChunk {
		end := min(start+itemChunk, len(lb.items))
		results, ok := c.checkItems(lb, start, end, c.room())
		if !ok {
			c.findings, c.omitted = c.findings[:kept], omitted
			return false
		}
		for _, r := range results {
			for _, is := range r.issues {
				c.add(is.severity, is.issue)
			}
			c.omitted.merge(r.omitted)
		}
	}
	return true
}

// itemChunk is how many list items are checked between two merges of their
// findings: it bounds the findings held at once when most are not listed.
const itemChunk = 256

// itemResult is what one list item gave.
type itemResult struct {
	issues  []ratedIssue
	omitted omittedCount
}

// checkItems checks items [start, end) of lb, each listing at most room
// issues; false when one of them is not JSON.
func (c *check) checkItems(lb *listBody, start, end, room int) ([]itemResult, bool) {
	results := make([]itemResult, end-start)
	var broken atomic.Bool
	checkItem := func(i int, sizes *objectSizes) {
		value, err := decodeJSONSized(lb.items[i], sizes)
		if err != nil {
			broken.Store(true)
			return
		}
		r := &results[i-start]
		r.issues, r.omitted = c.v.valueIssues(lb.itemSchema, value, "/data/"+strconv.Itoa(i), room)
	}
	workers := min(runtime.GOMAXPROCS(0), end-start)
	if end-start < minParallelItems || workers < 2 {
		var sizes objectSizes
		for i := start; i < end; i++ {
			checkItem(i, &sizes)
		}
		return results, !broken.Load()
	}
	var wg sync.WaitGroup
	var next atomic.Int64
	next.Store(int64(start))
	for range workers {
		wg.Go(func() {
			var sizes objectSizes
			for {
				i := int(next.Add(1) - 1)
				if i >= end || broken.Load() {
					return
				}
				checkItem(i, &sizes)
			}
		})
	}
	wg.Wait()
	return results, !broken.Load()
}
