package drift

import (
	"net/http"

	"github.com/tallyfy-go/tallyfy/recording"
)

// Exchange is one request and its response, as Check sees them.
type Exchange struct {
	// Method is the request method, e.g. "GET".
	Method string
	// URL is the absolute URL as sent, under any base: the spec's servers,
	// a stand-in such as http://127.0.0.1:port, or a custom base with a path
	// prefix. Check routes the path below the base, whatever the base is.
	URL string
	// RequestHeader holds the request headers; nil means none.
	RequestHeader http.Header
	// Status is the response status code.
	Status int
	// ResponseHeader holds the response headers; nil means none.
	ResponseHeader http.Header
	// Body is the response body as it went over the wire.
	Body []byte
}

// FromRecording returns the exchange a recording holds.
func FromRecording(ex *recording.Exchange) Exchange {
	return Exchange{
		Method:         ex.Request.Method,
		URL:            ex.Request.URL,
		RequestHeader:  ex.Request.Header(),
		Status:         ex.Response.Status,
		ResponseHeader: ex.Response.Header(),
		Body:           ex.Response.BodyBytes(),
	}
}
