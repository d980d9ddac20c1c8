// Package standin is a stand-in for Tallyfy's task-list API, for tests and
// benchmarks: an HTTP handler that serves both list endpoints with tasks
// that conform to openapi.yaml, honouring pagination, includes and the
// common filters, and that can be told to drift or to fail.
//
// It never pretends to be Tallyfy: its data is generated.
package standin

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
)

// Config describes the stand-in's organization and how it misbehaves.
type Config struct {
	Token    string // the only accepted bearer token; "" accepts any
	OrgID    string // the organization whose paths it serves
	RunID    string // the run whose tasks it serves
	RunTasks int    // tasks in the run
	OrgTasks int    // tasks in the organization (the run's, then one-off tasks)

	// TaskFields, if set, are the only fields a task keeps (of the ones the
	// stand-in fills in, before Mutate): a test that holds the stand-in to
	// the spec gives it the spec's Task properties
	// (specfixture.TaskFields), so that a field the spec drops does not
	// make a conforming stand-in drift.
	TaskFields []string
	// Mutate, if set, changes each task (as decoded JSON) before it is sent:
	// the way to make the stand-in drift.
	Mutate func(index int, task map[string]any)
	// Fail, if set, may answer a request instead of the stand-in (n counts
	// requests from 0); it returns false to let the stand-in answer.
	Fail func(w http.ResponseWriter, r *http.Request, n int) bool
}

// Server is a running stand-in.
type Server struct {
	*httptest.Server
	cfg      Config
	requests atomic.Int64
}

// Start starts a stand-in on loopback. Close it when done.
func Start(cfg Config) *Server {
	s := &Server{cfg: cfg}
	s.Server = httptest.NewServer(s)
	return s
}

// BaseURL is the API base URL to give a client.
func (s *Server) BaseURL() string { return s.URL + "/api" }

// Requests returns how many requests the stand-in has received.
func (s *Server) Requests() int { return int(s.requests.Load()) }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := int(s.requests.Add(1) - 1)
	if s.cfg.Fail != nil && s.cfg.Fail(w, r, n) {
		return
	}
	if s.cfg.Token != "" && r.Header.Get("Authorization") != "Bearer "+s.cfg.Token {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "Unauthenticated."})
		return
	}
	runPath := "/api/organizations/" + s.cfg.OrgID + "/runs/" + s.cfg.RunID + "/tasks"
	orgPath := "/api/organizations/" + s.cfg.OrgID + "/tasks"
	switch {
	case r.Method != http.MethodGet:
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"error": true, "message": "Method not allowed"})
	case r.URL.Path == runPath:
		s.list(w, r, s.cfg.RunTasks, false)
	case r.URL.Path == orgPath:
		s.list(w, r, s.cfg.OrgTasks, true)
	case strings.HasPrefix(r.URL.Path, "/api/organizations/"):
		writeJSON(w, http.StatusNotFound, map[string]any{"error": true, "message": "Resource not found", "code": "RESOURCE_NOT_FOUND"})
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"error": true, "message": "API endpoint not found", "code": "ENDPOINT_NOT_FOUND"})
	}
}

func (s *Server) list(w http.ResponseWriter, r *http.Request, total int, org bool) {
	base := fmt.Sprintf("http://%s%s", r.Host, r.URL.Path)
	status, body := s.page(r.URL.Query(), total, org, base)
	writeJSON(w, status, body)
}

// page builds the response to a list request with query q over total
// tasks; linkBase is the URL that pagination links start with.
func (s *Server) page(q url.Values, total int, org bool, linkBase string) (int, any) {
	page, perPage := 1, 10
	if v := q.Get("page"); v != "" {
		page, _ = strconv.Atoi(v)
	}
	if v := q.Get("per_page"); v != "" {
		perPage, _ = strconv.Atoi(v)
	}
	if page < 1 || perPage < 1 {
		return http.StatusUnprocessableEntity, map[string]any{
			"error": true, "message": "The given data was invalid.",
			"errors": map[string]any{"per_page": []string{"The per page must be at least 1."}},
		}
	}
	if q.Get("without_pagination") == "true" {
		page, perPage = 1, max(total, 1)
	}
	includes := map[string]bool{}
	for _, inc := range strings.Split(q.Get("with"), ",") {
		if inc != "" {
			includes[inc] = true
		}
	}
	first := (page - 1) * perPage
	last := min(first+perPage, total)
	data := make([]map[string]any, 0, max(last-first, 0))
	for i := first; i < last; i++ {
		task := s.task(i, org && i >= s.cfg.RunTasks, includes)
		if s.cfg.TaskFields != nil {
			for name := range task {
				if !slices.Contains(s.cfg.TaskFields, name) {
					delete(task, name)
				}
			}
		}
		if s.cfg.Mutate != nil {
			s.cfg.Mutate(i, task)
		}
		data = append(data, task)
	}
	totalPages := max((total+perPage-1)/perPage, 1)
	return http.StatusOK, map[string]any{
		"data": data,
		"meta": map[string]any{"pagination": map[string]any{
			"total": total, "count": len(data), "per_page": perPage, "current_page": page, "total_pages": totalPages,
			"links": links(q, linkBase, page, totalPages),
		}},
	}
}

// RunTasksJSON is the body the stand-in would send for a run-tasks request
// with the given raw query (e.g. "per_page=100&with=step,form_fields"): a
// fixed, deterministic payload for benchmarks and fuzz seeds.
func RunTasksJSON(cfg Config, rawQuery string) ([]byte, error) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg}
	base := "https://go.tallyfy.com/api/organizations/" + cfg.OrgID + "/runs/" + cfg.RunID + "/tasks"
	_, body := s.page(q, cfg.RunTasks, false, base)
	return json.Marshal(body)
}

// links is {"previous", "next"} with absolute URLs, or [] when there is neither.
func links(q url.Values, base string, page, totalPages int) any {
	link := func(p int) string {
		q := maps.Clone(q)
		q.Set("page", strconv.Itoa(p))
		return base + "?" + q.Encode()
	}
	out := map[string]any{}
	if page > 1 {
		out["previous"] = link(page - 1)
	}
	if page < totalPages {
		out["next"] = link(page + 1)
	}
	if len(out) == 0 {
		return []any{}
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
