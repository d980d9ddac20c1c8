// Package roundtrip tells what a decode into Go types and a re-encode lost.
//
// The generated types drop JSON fields that the spec does not declare, so
// decoding a response and encoding it again, then comparing, names every
// field the spec is missing. Two differences are not losses: an explicit
// null that comes back absent (pointer fields are omitted when nil), and a
// date-time that comes back in another RFC 3339 spelling of the same instant
// ("…00.000Z" and "…00Z").
package roundtrip

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Diff is one value of the original document that did not come back.
type Diff struct {
	Pointer string // JSON pointer (RFC 6901) into the original document
	Problem string // "missing" or "changed"
}

// String reads "pointer: problem".
func (d Diff) String() string { return d.Pointer + ": " + d.Problem }

// Lost compares the original JSON document with its re-encoding and returns
// what the re-encoding lost or changed, sorted by pointer.
func Lost(original, reencoded []byte) ([]Diff, error) {
	a, err := decode(original)
	if err != nil {
		return nil, fmt.Errorf("roundtrip: original: %w", err)
	}
	b, err := decode(reencoded)
	if err != nil {
		return nil, fmt.Errorf("roundtrip: re-encoded: %w", err)
	}
	var diffs []Diff
	compare("", a, b, &diffs)
	sort.Slice(diffs, func(i, j int) bool { return diffs[i].Pointer < diffs[j].Pointer })
	return diffs, nil
}

func decode(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

func compare(ptr string, a, b any, diffs *[]Diff) {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok {
			*diffs = append(*diffs, Diff{ptr, "changed"})
			return
		}
		for k, v := range av {
			child := ptr + "/" + escape(k)
			w, present := bv[k]
			if !present {
				if v != nil {
					*diffs = append(*diffs, Diff{child, "missing"})
				}
				continue
			}
			compare(child, v, w, diffs)
		}
	case []any:
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			*diffs = append(*diffs, Diff{ptr, "changed"})
			return
		}
		for i := range av {
			compare(ptr+"/"+strconv.Itoa(i), av[i], bv[i], diffs)
		}
	case string:
		bv, ok := b.(string)
		if !ok || (av != bv && !sameInstant(av, bv)) {
			*diffs = append(*diffs, Diff{ptr, "changed"})
		}
	case json.Number:
		bv, ok := b.(json.Number)
		if !ok || !sameNumber(av, bv) {
			*diffs = append(*diffs, Diff{ptr, "changed"})
		}
	default: // bool, nil
		if a != b {
			*diffs = append(*diffs, Diff{ptr, "changed"})
		}
	}
}

func sameInstant(a, b string) bool {
	ta, err := time.Parse(time.RFC3339Nano, a)
	if err != nil {
		return false
	}
	tb, err := time.Parse(time.RFC3339Nano, b)
	return err == nil && ta.Equal(tb)
}

func sameNumber(a, b json.Number) bool {
	if a == b {
		return true
	}
	fa, errA := a.Float64()
	fb, errB := b.Float64()
	return errA == nil && errB == nil && fa == fb
}

func escape(key string) string {
	return strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1")
}
