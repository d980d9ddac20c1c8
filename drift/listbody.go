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

// checkList checks the envelope, then every item, in parallel when the list
// is long enough. It returns false, having added nothing, when an item is
// not JSON: the whole-body check then words the error.
func (c *check) checkList(schema *openapi3.Schema, lb *listBody) bool {
	results := make([][]ratedIssue, len(lb.items))
	var broken atomic.Bool
	checkItem := func(i int) {
		value, err := decodeJSON(lb.items[i])
		if err != nil {
			broken.Store(true)
			return
		}
		results[i] = c.v.valueIssues(lb.itemSchema, value, "/data/"+strconv.Itoa(i))
	}
	workers := min(runtime.GOMAXPROCS(0), len(lb.items))
	if len(lb.items) < minParallelItems || workers < 2 {
		for i := range lb.items {
			checkItem(i)
		}
	} else {
		var wg sync.WaitGroup
		next := make(chan int, len(lb.items))
		for i := range lb.items {
			next <- i
		}
		close(next)
		for range workers {
			wg.Go(func() {
				for i := range next {
					checkItem(i)
				}
			})
		}
		wg.Wait()
	}
	if broken.Load() {
		return false
	}
	c.checkValue(schema, lb.envelope, "")
	c.checkPagination(schema, lb.envelope, len(lb.items))
	for _, issues := range results {
		for _, is := range issues {
			c.add(is.severity, is.issue)
		}
	}
	return true
}
