package tallyfy

import (
	"errors"
	"fmt"

	"github.com/tallyfy-go/tallyfy/internal/bytesize"
)

// LimitError is a response that is larger than one of the limits the client
// holds responses to, so that a server cannot make it hold more memory
// than it needs. Sizes count the bytes as decoded: the inflated size of a
// compressed body, not its size on the wire.
//
// Limit names the setting that raises the limit (for example
// "WithMaxErrorBody" or "recording.Transport.MaxBody"); Max is the limit
// in bytes. A LimitError is never retried: the same server would send the
// same body again.
type LimitError struct {
	Limit string // the setting that raises the limit
	Max   int64  // the limit, in bytes
}

// Error implements error; it names the limit and how to raise it.
func (e *LimitError) Error() string {
	return fmt.Sprintf("tallyfy: the response exceeds the %s limit of %s", e.Limit, bytesize.Format(e.Max))
}

// retryableError reports whether a failed attempt may succeed when made
// again: not when a response broke one of the client's limits, was in an
// encoding the client does not decode, or was a refused redirect.
func retryableError(err error) bool {
	var limitErr *LimitError
	var redirectErr *RedirectError
	var decodeErr *DecodeError
	return !errors.As(err, &limitErr) && !errors.As(err, &redirectErr) && !errors.As(err, &decodeErr)
}
