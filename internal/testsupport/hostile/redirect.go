package hostile

import "net/http"

// RedirectTo answers every request with status and Location: location.
func RedirectTo(status int, location string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", location)
		w.WriteHeader(status)
	}
}

// RedirectLoop answers every request with a 302 to the URL it asked for.
func RedirectLoop() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", r.URL.RequestURI())
		w.WriteHeader(http.StatusFound)
	}
}
