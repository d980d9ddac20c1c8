package tallyfy

import (
	"encoding/json"
	"errors"
	"fmt"
)

// ErrDuplicateTask is the Err of a *TaskError for a task that came again
// on a later page of the same listing. Offset pagination shifts when tasks
// are added while a listing runs, so the last task of one page can come
// back as the first of the next. The task was yielded the first time; the
// repeat is not.
var ErrDuplicateTask = errors.New("already yielded earlier in this listing")

// TaskError is one task of a list response that the iterator does not
// yield: its JSON does not fit the generated types, or it is a repeat of a
// task already yielded (Err is then ErrDuplicateTask). The iteration goes
// on with the next task and the next pages, so a caller that skips
// *TaskError gets every other task:
//
//	var taskErr *tallyfy.TaskError
//	if errors.As(err, &taskErr) {
//		log.Print(taskErr) // or salvage taskErr.Raw
//		continue
//	}
type TaskError struct {
	Page  int    // the page the task came on (1 for the first page, and for an unpaginated listing)
	Index int    // the task's index in that page's data array
	ID    string // the task's id, when it can be read ("" otherwise)
	// Pointer is the JSON pointer, from the root of the page, of the value
	// that does not fit, e.g. "/data/3/run/data/started_by". For a
	// duplicate it points at the task itself ("/data/3").
	Pointer string
	// Expected says what the generated types expect at Pointer ("integer",
	// "string", "object", "an RFC 3339 date-time", ...); Got says what came
	// ("string", "number", "null", ...). Both are empty for a duplicate.
	Expected, Got string
	// Raw is the task's JSON as it was received, for callers that want to
	// salvage what they can; the access token, in any form, is replaced by
	// "[redacted]" in it, as in ID and Pointer.
	Raw json.RawMessage
	// Err is the underlying error: ErrDuplicateTask, or what encoding/json
	// said (a *json.UnmarshalTypeError, a *time.ParseError, ...).
	Err error
}

// Error implements error. It names the page, the task's index and id, the
// pointer, and what was expected there; it never holds the task's data.
func (e *TaskError) Error() string {
	where := fmt.Sprintf("tallyfy: page %d, task %d", e.Page, e.Index)
	if e.ID != "" {
		where += " (id " + quotedLine(e.ID, 80) + ")"
	}
	if errors.Is(e.Err, ErrDuplicateTask) {
		return where + ": " + ErrDuplicateTask.Error() + " (the pages shifted); skipped"
	}
	msg := where + ": " + e.Pointer + ": does not fit the spec's types"
	if e.Expected != "" {
		msg += ": want " + e.Expected
		if e.Got != "" {
			msg += ", got " + e.Got
		}
	}
	return msg + "; skipped"
}

// Unwrap returns the underlying error.
func (e *TaskError) Unwrap() error { return e.Err }

// PaginationError is a page whose pagination cannot be followed: a
// paginated response without meta.pagination, a current_page other than
// the page asked for, a page number out of range, or an empty page that
// claims more pages after it. The tasks the page held have been yielded
// before it; the listing ends with it, since going on would skip or repeat
// pages without a word.
type PaginationError struct {
	Page    int    // the page that was asked for
	Problem string // what was wrong, e.g. "asked for page 2, got current_page 4"
	Err     error  // the underlying error, when meta did not decode
}

// Error implements error.
func (e *PaginationError) Error() string {
	msg := fmt.Sprintf("tallyfy: pagination of page %d: %s", e.Page, e.Problem)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying error, if any.
func (e *PaginationError) Unwrap() error { return e.Err }
