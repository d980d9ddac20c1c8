package recording

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/tallyfy-go/tallyfy/internal/bytesize"
)

// A recording is indented for people, but never at any cost: indentation
// grows with the square of a value's depth (a 20 KB array nested 9,990
// deep indents to 200 MB), and a recording must stay small enough to
// replay.
const (
	// maxIndentDepth is how many levels of a recording are indented: the
	// exchange is level 1, its response level 2, the body level 3. Deeper
	// values are written compact, on the line of their parent. Tallyfy's
	// answers reach about level 15.
	maxIndentDepth = 16
	// maxGrowth is how many times its compact form indentation may make a
	// recording; past it, the recording is written compact.
	maxGrowth = 2
)

// MaxFileSize is the largest recording file a replay reads when it holds
// response bodies to maxBody bytes, and so the largest a Writer with that
// body limit writes: twice maxBody. A body of maxBody bytes fits, written
// compact, with its request and provenance around it.
func MaxFileSize(maxBody int64) int64 { return 2 * maxBody }

// TooLargeError is an exchange that a Writer did not save: its recording,
// even written compact, would be larger than Writer.MaxFile, so that a
// replay would refuse it. A body grows in a recording when redaction
// lengthens it (an e-mail address mapped to one at example.com) or when
// text is escaped as JSON needs (a control character takes six bytes).
type TooLargeError struct {
	Size int64 // the bytes of the recording, written compact
	Max  int64 // the most a recording file may have (Writer.MaxFile)
}

// Error implements error.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("recording not saved: it would be %s, more than the %s a replay reads",
		bytesize.Format(e.Size), bytesize.Format(e.Max))
}

// Encode writes one recording as JSON, ending in a newline: indented two
// spaces a level down to a fixed depth (deeper values compact, on one
// line), or compact as a whole when indentation would more than double
// it. A recording is so never more than twice its compact form, whatever
// the shape of its body.
func Encode(ex *Exchange) ([]byte, error) { return encode(ex, 0) }

// encode is Encode with a limit: a recording longer than max bytes (when
// max > 0) is a *TooLargeError.
func encode(ex *Exchange, max int64) ([]byte, error) {
	if err := ex.Validate(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ex); err != nil {
		return nil, err
	}
	compact := buf.Bytes() // one line, ending in a newline
	budget := maxGrowth * int64(len(compact))
	if max > 0 {
		budget = min(budget, max)
	}
	out := bytes.NewBuffer(make([]byte, 0, min(budget, int64(len(compact))*3/2)))
	if indentShallow(out, compact[:len(compact)-1], maxIndentDepth, budget-1) {
		out.WriteByte('\n')
		return out.Bytes(), nil
	}
	if max > 0 && int64(len(compact)) > max {
		return nil, &TooLargeError{Size: int64(len(compact)), Max: max}
	}
	return compact, nil
}

// indentShallow writes src, compact JSON, to dst as json.Indent would with
// two spaces a level, but only down to maxDepth levels: a value deeper
// than that is written compact. It stops and returns false as soon as dst
// would hold more than max bytes.
func indentShallow(dst *bytes.Buffer, src []byte, maxDepth int, max int64) bool {
	depth := 0
	open := false // the last byte opened an object or array
	newline := func(level int) {
		dst.WriteByte('\n')
		for range level {
			dst.WriteString("  ")
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if open && c != '}' && c != ']' {
			newline(depth) // the first value of a container that is not empty
		}
		open = false
		switch c {
		case '"':
			end := stringEnd(src, i)
			if end < 0 {
				end = len(src) // not from the encoder
			}
			dst.Write(src[i:end])
			i = end - 1
		case '{', '[':
			dst.WriteByte(c)
			depth++
			open = depth <= maxDepth
		case '}', ']':
			if depth <= maxDepth && i > 0 && src[i-1] != '{' && src[i-1] != '[' {
				newline(depth - 1)
			}
			depth--
			dst.WriteByte(c)
		case ',':
			dst.WriteByte(c)
			if depth <= maxDepth {
				newline(depth)
			}
		case ':':
			dst.WriteByte(c)
			if depth <= maxDepth {
				dst.WriteByte(' ')
			}
		default:
			dst.WriteByte(c)
		}
		if int64(dst.Len()) > max {
			return false
		}
	}
	return true
}
