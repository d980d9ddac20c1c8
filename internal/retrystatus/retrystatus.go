// Package retrystatus says which HTTP statuses are worth a second try, so
// that the client's retries and the live check's accounting of them agree.
package retrystatus

import "net/http"

// Retryable reports whether a safe request (GET, HEAD) that got the status
// code is retried: 429 Too Many Requests, and every Transient status.
func Retryable(code int) bool {
	return code == http.StatusTooManyRequests || Transient(code)
}

// Transient reports the statuses that say the server, or a gateway in front
// of it, failed for a while rather than that the request was wrong: 502 Bad
// Gateway, 503 Service Unavailable and 504 Gateway Timeout. 500 is not one:
// it says the request met a bug, which a retry meets again.
func Transient(code int) bool {
	switch code {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}
