package hostile

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// DeepPage returns a page of run tasks, one conforming task, whose task has
// an extra field "nested" holding arrays nested depth deep: about 2×depth
// bytes of JSON that, indented two spaces a level, would take about
// 2×depth² bytes (a 20 KB page at depth 9,990 indents to 200 MB).
func DeepPage(depth int) []byte {
	return fmt.Appendf(nil, `{"data":[{"id":"00000000000000000000000000000001","increment_id":1,"title":"deep","run_id":"00000000000000000000000000000002",`+
		`"status":"not-started","position":1,"owners":{"users":[],"guests":[],"groups":[]},`+
		`"created_at":"2025-01-10T08:00:00Z","last_updated":"2025-01-10T08:00:00Z","nested":%s%s}],`+
		`"meta":{"pagination":{"total":1,"count":1,"per_page":10,"current_page":1,"total_pages":1,"links":[]}}}`,
		strings.Repeat("[", depth), strings.Repeat("]", depth))
}

// ServeJSON answers every request with status and body, as
// application/json.
func ServeJSON(status int, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
}
