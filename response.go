package tallyfy

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tallyfy-go/tallyfy/gen"
	"github.com/tallyfy-go/tallyfy/internal/redact"
)

// Response is what ListRunTasks and ListOrgTasks return beside the page:
// the HTTP response (its body already read and closed), the rate limit the
// API reported, the request ID, and where the page stands in the listing.
type Response struct {
	*http.Response

	// Rate is the rate limit the API reported with this response.
	Rate Rate
	// Pace is the client's own rate budget when the response arrived: the
	// pace in force, a 429's pause, and how long this request (its
	// retries included) waited for its turn.
	Pace Pace
	// RequestID is the X-Request-Id response header (or X-Correlation-Id),
	// for Tallyfy's support: printable ASCII only, at most 128 bytes; empty
	// when not sent.
	RequestID string

	// CurrentPage, TotalPages, PerPage and Total come from the page's
	// meta.pagination; they are 0 when the page has no meta (as with
	// WithoutPagination) or a value is negative.
	CurrentPage int
	TotalPages  int
	PerPage     int
	Total       int
	// NextPage is the page to ask for next (set it as params.Page), or 0
	// when this is the last page. It is also 0 when the API's current_page
	// is not the page asked for (the page method's error then holds a
	// *PaginationError), so that a loop on NextPage ends and never skips.
	NextPage int
}

// Rate is a rate limit as the API reports it in response headers. Tallyfy
// documents Retry-After and X-RateLimit-Remaining; X-RateLimit-Limit and
// X-RateLimit-Reset are what Laravel, which serves the API, sends. Tallyfy
// rate-limits per user and per organization, so these describe whichever
// limit the server chose to report.
type Rate struct {
	// Limit is X-RateLimit-Limit, the requests allowed in the window; -1
	// when not sent, or not a whole number.
	Limit int
	// Remaining is X-RateLimit-Remaining, the requests left in the window;
	// -1 when not sent, or not a whole number.
	Remaining int
	// Reset is X-RateLimit-Reset (Unix seconds), when the window starts
	// again; zero when not sent, or not a time between 2000 and 2100.
	Reset time.Time
}

// newResponse describes resp, whose body has been read, and the page
// decoded from it. requested is the page asked for.
func newResponse(resp *http.Response, page *gen.TaskList, requested int, tok redact.Secret) *Response {
	r := &Response{
		Response:  resp,
		Rate:      parseRate(resp.Header),
		RequestID: requestID(resp.Header, tok),
	}
	if page == nil || page.Meta == nil {
		return r
	}
	p := page.Meta.Pagination
	r.CurrentPage = max(p.CurrentPage, 0)
	r.TotalPages = max(p.TotalPages, 0)
	r.PerPage = max(p.PerPage, 0)
	r.Total = max(p.Total, 0)
	if r.CurrentPage >= 1 && r.CurrentPage == requested && r.CurrentPage < r.TotalPages {
		r.NextPage = r.CurrentPage + 1
	}
	return r
}

func parseRate(h http.Header) Rate {
	rate := Rate{
		Limit:     headerCount(h, "X-RateLimit-Limit"),
		Remaining: headerCount(h, "X-RateLimit-Remaining"),
	}
	const earliest, latest = 946684800, 4102444800 // 2000-01-01, 2100-01-01
	if secs, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64); err == nil && secs >= earliest && secs < latest {
		rate.Reset = time.Unix(secs, 0)
	}
	return rate
}
