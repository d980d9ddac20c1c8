package recording

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tallyfy-go/tallyfy/internal/redact"
)

// Writer saves captured exchanges into a folder as redacted recordings,
// named NNN-<operation>-<status>.json in the order they are written.
//
// Recordings are private: the folder is created 0700 (an existing folder
// keeps its mode), and each file is created 0600. A file is only ever
// created, never opened if it exists: not over an earlier capture (the
// numbering goes on after the highest number already in the folder), and
// never through a symbolic link planted under its name.
//
// A recording is never larger than a replay reads: one that would be
// larger than MaxFile is not saved, and Write returns a *TooLargeError.
type Writer struct {
	// MaxFile is the most bytes of one recording file; 0 means
	// MaxFileSize(DefaultMaxBody), what a replay with the default body
	// limit reads. Set it before the first Write.
	MaxFile int64

	dir     string
	secrets redact.Secrets
	now     func() time.Time

	mu sync.Mutex
	n  int
}

// NewWriter returns a Writer into dir (created 0700 if needed). secrets
// (the access token) are scrubbed from everything written. A folder that
// cannot be made, or written to, is an error now, before any exchange.
func NewWriter(dir string, secrets ...string) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	probe, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return nil, err
	}
	_ = probe.Close()
	if err := os.Remove(probe.Name()); err != nil {
		return nil, err
	}
	n, err := highestNumber(dir)
	if err != nil {
		return nil, err
	}
	return &Writer{dir: dir, secrets: redact.New(secrets...), now: time.Now, n: n}, nil
}

// highestNumber is the highest NNN of the NNN-*.json files in dir; 0 if none.
func highestNumber(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	highest := 0
	for _, e := range entries {
		digits, _, ok := strings.Cut(e.Name(), "-")
		if n, err := strconv.Atoi(digits); ok && err == nil && n > highest && strings.HasSuffix(e.Name(), ".json") {
			highest = n
		}
	}
	return highest, nil
}

// maxNameTries bounds the names tried for one recording when others (a
// second writer into the same folder, say) took the next ones.
const maxNameTries = 1000

// Write redacts a captured exchange, marks it as a capture from source
// (the API's base URL) made now, and saves it. It returns the file's path.
// A recording that would be larger than MaxFile is not saved: the error is
// then a *TooLargeError, and the Writer can go on with the next exchange.
func (w *Writer) Write(ex *Exchange, source string) (string, error) {
	red := redactExchange(ex, w.secrets)
	red.Provenance = Provenance{
		Kind:       KindCapture,
		Source:     w.secrets.Text(redact.URLWithoutValues(source)),
		CapturedAt: w.now().UTC().Format(time.RFC3339),
		Note:       "Captured from the live API by tallyfy-go and redacted before it was written (Authorization and cookies dropped, the access token removed, e-mail addresses mapped to example.com, names, phone numbers and profile pictures mapped to stable fakes).",
	}
	data, err := encode(red, cmp.Or(w.MaxFile, MaxFileSize(DefaultMaxBody)))
	if err != nil {
		return "", err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for range maxNameTries {
		w.n++
		path := filepath.Join(w.dir, fmt.Sprintf("%03d-%s-%d.json", w.n, slug(red.Request.URL), red.Response.Status))
		err := createNew(path, data)
		if errors.Is(err, fs.ErrExist) {
			continue // an earlier capture, or a link planted under the name
		}
		if err != nil {
			return "", err
		}
		return path, nil
	}
	return "", fmt.Errorf("recording: no free name for a recording in %s after %d tries", w.dir, maxNameTries)
}

// createNew writes data to a file that it creates, 0600: O_EXCL fails on
// any existing name, a symbolic link included, so nothing is overwritten
// and nothing is written through a link.
func createNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path) // a partial recording would not decode
	}
	return err
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
