package hostile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
)

// TokenForms returns the forms in which a server can echo tok: as is,
// JSON-escaped with \/ and with every character as \uXXXX (upper and lower
// case hex), and URL-encoded.
func TokenForms(tok string) map[string]string {
	var upper, lower strings.Builder
	for _, r := range tok {
		fmt.Fprintf(&upper, `\u%04X`, r)
		fmt.Fprintf(&lower, `\u%04x`, r)
	}
	return map[string]string{
		"raw":           tok,
		"slash-escaped": strings.ReplaceAll(tok, "/", `\/`),
		"u-escaped":     upper.String(),
		"u-escaped-lc":  lower.String(),
		"query-escaped": url.QueryEscape(tok),
		"path-escaped":  url.PathEscape(tok),
	}
}

// EchoTokenError answers with status and an error body that holds the
// bearer token in every form of TokenForms: in message, code, field errors
// and extra keys, and in the X-Request-Id and other headers.
func EchoTokenError(status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := BearerToken(r)
		forms := TokenForms(tok)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", tok)
		w.Header().Set("X-Debug-Token", forms["query-escaped"])
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(status)
		// Written by hand, not json.Marshal: the escaped forms go out as they are.
		fmt.Fprintf(w, `{"error":true,"message":"token %s refused","code":"%s","errors":{"token":["%s","%s"]},"echo":"%s","url":"%s"}`,
			tok, forms["u-escaped"], forms["slash-escaped"], forms["u-escaped-lc"], forms["raw"], forms["path-escaped"])
	}
}

// EchoTokenInTask answers a list request with one page of one task whose
// title holds the bearer token and whose created_at is the token, so that
// the time does not parse and the parse error would quote it.
func EchoTokenInTask() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := BearerToken(r)
		task := map[string]any{
			"id": "00000000000000000000000000000001", "increment_id": 1, "title": "echo " + tok,
			"run_id": "r", "status": "not-started", "position": 1,
			"owners":     map[string]any{"users": []int{}, "guests": []string{}, "groups": []string{}},
			"created_at": tok,
		}
		page := map[string]any{"data": []any{task}, "meta": map[string]any{"pagination": map[string]any{
			"total": 1, "count": 1, "per_page": 10, "current_page": 1, "total_pages": 1, "links": []any{},
		}}}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", tok)
		_ = json.NewEncoder(w).Encode(page)
	}
}

// EchoTokenThrough answers with next (a stand-in API, say) and plants the
// bearer token in its JSON answer: in every form of TokenForms, each in an
// extra top-level key "echo_<form>", as the status of the first task of
// data (where a drift finding quotes it) and in the X-Request-Id header.
func EchoTokenThrough(next http.Handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := BearerToken(r)
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var v map[string]any
		if json.Unmarshal(body, &v) == nil {
			// Placeholders first: json.Marshal would re-escape the forms.
			forms := TokenForms(tok)
			for name := range forms {
				v["echo_"+name] = "hostile-placeholder-" + name
			}
			if data, ok := v["data"].([]any); ok && len(data) > 0 {
				if task, ok := data[0].(map[string]any); ok {
					task["status"] = tok
				}
			}
			if b, err := json.Marshal(v); err == nil {
				for name, form := range forms {
					b = bytes.Replace(b, []byte(`"hostile-placeholder-`+name+`"`), []byte(`"`+form+`"`), 1)
				}
				body = b
			}
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.Header().Del("Content-Length")
		w.Header().Set("X-Request-Id", tok)
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	}
}

// EchoTokenAsTaskID answers a list request with one page of one task whose
// id is the bearer token (and whose body echoes it \u-escaped), and whose
// title is a number, so that the task does not fit and its error quotes
// the id. The Content-Type carries the token as a parameter. With cut, the
// body ends in the middle of the task instead, so that it does not decode.
func EchoTokenAsTaskID(cut bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := BearerToken(r)
		w.Header().Set("Content-Type", "application/json; charset=utf-8; echo="+url.QueryEscape(tok))
		w.WriteHeader(http.StatusOK)
		if cut {
			fmt.Fprintf(w, `{"data":[{"id":"%s","title":"`, tok)
			return
		}
		fmt.Fprintf(w, `{"data":[{"id":"%s","title":5,"echo":"%s"}],"meta":{"pagination":{"total":1,"count":1,"per_page":10,"current_page":1,"total_pages":1,"links":[]}}}`,
			tok, TokenForms(tok)["u-escaped"])
	}
}

// EchoTokenAsHeaderName answers with status and a JSON error body, and
// sends a header whose name is the bearer token (as a token of header
// characters, a JWT or hex, can be).
func EchoTokenAsHeaderName(status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header()[BearerToken(r)] = []string{"1"}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"message":"no"}`))
	}
}
