package drift

import "strings"

// PointerPattern returns the pattern of a JSON pointer: every reference
// token that is an array index (a run of digits) becomes "*", so that
// "/data/3/brand_new" and "/data/41/brand_new" share the pattern
// "/data/*/brand_new". Reports and the production observer group findings
// by operation, rule and pattern, so that one new field on every task is one
// finding group, not one line per task.
func PointerPattern(pointer string) string {
	if pointer == "" || !strings.ContainsAny(pointer, "0123456789") {
		return pointer
	}
	tokens := strings.Split(pointer, "/")
	for i, t := range tokens {
		if i > 0 && isArrayIndex(t) {
			tokens[i] = "*"
		}
	}
	return strings.Join(tokens, "/")
}

// isArrayIndex reports whether a reference token is an array index as RFC
// 6901 writes one: "0", or digits without a leading zero.
func isArrayIndex(token string) bool {
	if token == "" || (len(token) > 1 && token[0] == '0') {
		return false
	}
	for _, r := range token {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
