// Package roundtrip tells what a decode into Go types and a re-encode lost.
//
// The generated types drop JSON fields that the spec does not declare, so
// decoding a response and encoding it again, then comparing, names every
// field the spec is missing. Two differences are not losses: an explicit
// null that comes back absent (pointer fields are omitted when nil), and a
// date-time that comes back in another RFC 3339 spelling of the same instant
// ("…00.000Z" and "…00Z"). Numbers compare exactly, as decimals: 25 and
// 25.0 are the same, 9007199254740993 and 9007199254740992 are not. Each
// document is exactly one JSON value; data after it is an error.
package roundtrip

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tallyfy-go/tallyfy/internal/jsonnum"
	"github.com/tallyfy-go/tallyfy/internal/jsonptr"
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
	a, err := jsonnum.Decode(original)
	if err != nil {
		return nil, fmt.Errorf("roundtrip: original: %w", err)
	}
	b, err := jsonnum.Decode(reencoded)
	if err != nil {
		return nil, fmt.Errorf("roundtrip: re-encoded: %w", err)
	}
	var diffs []Diff
	compare("", a, b, &diffs)
	sort.Slice(diffs, func(i, j int) bool { return diffs[i].Pointer < diffs[j].Pointer })
	return diffs, nil
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
			child := jsonptr.Append(ptr, k)
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

// sameNumber reports whether two JSON numbers are the same number, exactly:
// 25, 25.0 and 2.5e1 are; 9007199254740993 and 9007199254740992 are not,
// though they are the same float64 (that loss is what the round trip
// exists to catch).
func sameNumber(a, b json.Number) bool {
	if a == b {
		return true
	}
	da, okA := parseDecimal(string(a))
	db, okB := parseDecimal(string(b))
	return okA && okB && da == db
}

// decimal is a JSON number as sign, significant digits (no leading or
// trailing zeros) and the power of ten of the last digit: value =
// (-1)^neg × digits × 10^exp. Zero is {digits: ""}, whatever its sign.
type decimal struct {
	neg    bool
	digits string
	exp    int64
}

// maxExponent keeps exponent arithmetic far from overflow.
const maxExponent = 1 << 50

// parseDecimal reads a JSON number into its canonical decimal without
// arithmetic, so any size is exact and cheap; false for what is not one.
func parseDecimal(s string) (decimal, bool) {
	var d decimal
	if strings.HasPrefix(s, "-") {
		d.neg, s = true, s[1:]
	}
	mantissa, exponent, hasExp := strings.Cut(strings.ToLower(s), "e")
	whole, frac, _ := strings.Cut(mantissa, ".")
	if whole == "" || !allDigits(whole) || !allDigits(frac) {
		return decimal{}, false
	}
	if hasExp {
		e, err := strconv.ParseInt(exponent, 10, 64)
		if err != nil || e > maxExponent || e < -maxExponent {
			return decimal{}, false // compared as written only
		}
		d.exp = e
	}
	digits := whole + frac
	d.exp -= int64(len(frac))
	digits = strings.TrimLeft(digits, "0")
	trimmed := strings.TrimRight(digits, "0")
	d.exp += int64(len(digits) - len(trimmed))
	d.digits = trimmed
	if d.digits == "" {
		return decimal{}, true // zero: -0, 0.0 and 0e5 are all 0
	}
	return d, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
