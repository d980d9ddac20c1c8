package recording

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/tallyfy-go/tallyfy/internal/redact"
)

// Writer saves captured exchanges into a folder as redacted recordings,
// named NNN-<operation>-<status>.json in the order they are written.
type Writer struct {
	dir     string
	secrets redact.Secrets
	now     func() time.Time

	mu sync.Mutex
	n  int
}

// NewWriter returns a Writer into dir (created if needed). secrets (the
// access token) are scrubbed from everything written.
func NewWriter(dir string, secrets ...string) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Writer{dir: dir, secrets: redact.New(secrets...), now: time.Now}, nil
}

// Write redacts a captured exchange, marks it as a capture from source
// (the API's base URL) made now, and saves it. It returns the file's path.
func (w *Writer) Write(ex *Exchange, source string) (string, error) {
	red := redactExchange(ex, w.secrets)
	red.Provenance = Provenance{
		Kind:       KindCapture,
		Source:     w.secrets.URL(source),
		CapturedAt: w.now().UTC().Format(time.RFC3339),
		Note:       "Captured from the live API by tallyfy-go and redacted before it was written (Authorization dropped, e-mail addresses mapped to example.com).",
	}
	data, err := Encode(red)
	if err != nil {
		return "", err
	}
	w.mu.Lock()
	w.n++
	name := fmt.Sprintf("%03d-%s-%d.json", w.n, slug(red.Request.URL), red.Response.Status)
	w.mu.Unlock()
	path := filepath.Join(w.dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return "", err
	}
	return path, nil
}

// slug names the operation of a request URL: run-tasks, org-tasks or other.
func slug(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "other"
	}
	switch {
	case strings.Contains(u.Path, "/runs/") && strings.HasSuffix(u.Path, "/tasks"):
		return "run-tasks"
	case strings.HasSuffix(u.Path, "/tasks"):
		return "org-tasks"
	}
	return "other"
}
