package main

import (
	"io"

	"github.com/tallyfy-go/tallyfy/internal/redact"
)

// scrubWriter removes the token, in any form, from each write: the command
// writes each message to stderr whole, in one write.
type scrubWriter struct {
	w       io.Writer
	secrets redact.Secrets
}

// Write implements io.Writer; it reports len(p) when the scrubbed text was
// written.
func (s scrubWriter) Write(p []byte) (int, error) {
	if _, err := s.w.Write(s.secrets.Bytes(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}
