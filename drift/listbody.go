package drift

import (
	"bytes"
	"encoding/json"
	"io"
	"runtime"
	"strconv"
	"sync"

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
	envelope   map[string]any    // every key but data, decoded; data is []any{}
	items      []json.RawMessage // the elements of data, raw
	itemSchema *openapi3.Schema
}

// splitList splits body when schema is an object whose "data" is a plain
// array (no array-level keyword to check) and body is an object with a data
// array and nothing after it. Any other body is checked whole (ok false),
// which also gives the precise message of a body that is not JSON.
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
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	lb := &listBody{envelope: map[string]any{}, itemSchema: data.Items.Value}
	sawData := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, false
		}
		key, _ := tok.(string)
		if _, dup := lb.envelope[key]; dup {
			return nil, false // duplicate keys: let the whole-body decode decide
		}
		if key != "data" {
			var v any
			if err := dec.Decode(&v); err != nil {
				return nil, false
			}
			lb.envelope[key] = v
			continue
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			return nil, false
		}
		for dec.More() {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, false
			}
			lb.items = append(lb.items, raw)
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim(']') {
			return nil, false
		}
		lb.envelope[key] = []any{}
		sawData = true
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF || !sawData {
		return nil, false
	}
	return lb, true
}

// checkList checks the envelope, then every item, in parallel when the list
// is long enough.
func (c *check) checkList(schema *openapi3.Schema, lb *listBody) {
	c.checkValue(schema, lb.envelope, "")
	results := make([][]ratedIssue, len(lb.items))
	checkItem := func(i int) {
		var value any
		dec := json.NewDecoder(bytes.NewReader(lb.items[i]))
		dec.UseNumber()
		if err := dec.Decode(&value); err != nil { // unreachable: the item was scanned as one value
			results[i] = []ratedIssue{{issue{pointer: "/data/" + strconv.Itoa(i), rule: RuleInvalidJSON, message: "the item is not JSON"}, SeverityDrift}}
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
		next := make(chan int)
		for range workers {
			wg.Go(func() {
				for i := range next {
					checkItem(i)
				}
			})
		}
		for i := range lb.items {
			next <- i
		}
		close(next)
		wg.Wait()
	}
	for _, issues := range results {
		for _, is := range issues {
			c.add(is.severity, is.issue)
		}
	}
}
