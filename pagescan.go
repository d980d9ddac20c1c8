package tallyfy

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strconv"
	"strings"
)

// The page scanner: the cheap half of a JSON scan, which finds where each
// value of a page ends (by its brackets and strings) without decoding it,
// so that the decoder (pagedecode.go) can decode each element from its own
// bytes and one that does not fit costs no other. It is a file of its own
// because it is the one part of the client that reads bytes one by one.

// errOverBudget is what a pageScanner says of a value past its limit.
var errOverBudget = errors.New("over the read budget")

// pageScanner reads a page's JSON from r and finds where each value ends,
// by its brackets and strings, without decoding it: the cheap half of a
// JSON scan, which leaves the validation to the decoding of the value.
// It holds at most one value (of at most max bytes) and what one read
// brought beyond it.
type pageScanner struct {
	memory *pageMemory // where its buffer came from, and goes back to
	r      io.Reader
	max    int64  // the most bytes of one value, and of the white space before it
	buf    []byte // buf[pos:] is read and not yet consumed
	pos    int
	rerr   error // the reader's error, once met
}

// scanChunk is the least room the scanner's buffer keeps for a read, and
// maxRead the most one read asks for: past a value's limit, the scanner
// reads at most maxRead bytes more before it says so.
const (
	scanChunk = 64 << 10
	maxRead   = 64 << 10
)

// more reads more of the stream into buf, keeping buf[keep:] and dropping
// what is before it; it returns how far the kept bytes moved. At the end
// of the stream it returns the reader's error (io.EOF).
func (s *pageScanner) more(keep int) (shift int, err error) {
	if s.rerr != nil {
		return 0, s.rerr
	}
	if keep > 0 {
		n := copy(s.buf, s.buf[keep:])
		s.buf = s.buf[:n]
		s.pos -= keep
	}
	if cap(s.buf)-len(s.buf) < scanChunk/2 {
		grown := make([]byte, len(s.buf), max(2*cap(s.buf), len(s.buf)+scanChunk))
		copy(grown, s.buf)
		s.buf = grown
	}
	n, err := s.r.Read(s.buf[len(s.buf):min(cap(s.buf), len(s.buf)+maxRead)])
	s.buf = s.buf[:len(s.buf)+n]
	if err != nil {
		s.rerr = err
		if n > 0 {
			err = nil
		}
	}
	if n == 0 && err == nil {
		return keep, nil // a reader that read nothing: ask again
	}
	return keep, err
}

// next skips white space and returns the next byte, not consuming it. At
// the end of the stream it returns io.ErrUnexpectedEOF.
func (s *pageScanner) next() (byte, error) {
	start := s.pos
	for {
		for s.pos < len(s.buf) {
			switch c := s.buf[s.pos]; c {
			case ' ', '\t', '\n', '\r':
				s.pos++
			default:
				return c, nil
			}
		}
		if int64(s.pos-start) > s.max {
			return 0, errOverBudget
		}
		shift, err := s.more(s.pos)
		start -= shift
		if err == io.EOF {
			return 0, io.ErrUnexpectedEOF
		}
		if err != nil {
			return 0, err
		}
	}
}

// expect consumes the byte c, after white space.
func (s *pageScanner) expect(c byte) error {
	got, err := s.next()
	if err != nil {
		return err
	}
	if got != c {
		if !strings.ContainsRune(`{["-0123456789tfn`, rune(got)) {
			return fmt.Errorf("invalid character %s looking for beginning of value", strconv.QuoteRune(rune(got)))
		}
		return fmt.Errorf("%w: want %q, got %s", errPageShape, string(c), describeByte(got))
	}
	s.pos++
	return nil
}

// key reads an object key and the colon after it.
func (s *pageScanner) key() (string, error) {
	c, err := s.next()
	if err != nil {
		return "", err
	}
	if c != '"' {
		return "", fmt.Errorf("%w: want a key, got %s", errPageShape, describeByte(c))
	}
	raw, err := s.value()
	if err != nil {
		return "", err
	}
	var key string
	if err := json.Unmarshal(raw, &key); err != nil {
		return "", err
	}
	return key, s.expect(':')
}

// end checks that nothing but white space follows the page.
func (s *pageScanner) end() error {
	c, err := s.next()
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil
	case err != nil:
		return err
	}
	return fmt.Errorf("%w: data after the top-level object, starting with %s", errPageShape, describeByte(c))
}

// value returns the bytes of the next value, after white space: an object
// or an array to its closing bracket, a string to its closing quote, a
// number or a literal to the byte that ends it. They are valid until the
// next call. Brackets must balance, whatever is between them: the value
// is checked when it is decoded.
func (s *pageScanner) value() ([]byte, error) {
	if _, err := s.next(); err != nil {
		return nil, err
	}
	start := s.pos
	end, err := s.scanFrom(&start)
	if err != nil {
		return nil, err
	}
	s.pos = end
	return s.buf[start:end], nil
}

// scanFrom scans the value at *start, reading more as it needs (and
// keeping *start in step when the buffer moves), and returns where it
// ends. It is linear in the value: a scan cut by a read goes on where it
// stopped.
func (s *pageScanner) scanFrom(start *int) (int, error) {
	st := scanState{i: *start}
	for {
		end, err := s.scanAt(*start, &st)
		if err != errMore {
			return end, err
		}
		if int64(len(s.buf)-*start) > s.max {
			return 0, errOverBudget
		}
		shift, err := s.more(*start)
		*start -= shift
		st.i -= shift
		switch {
		case err == io.EOF && st.depth == 0 && !st.inString && s.literalAt(*start):
			return st.i, nil // a number or a literal that ends the stream
		case err == io.EOF:
			return 0, io.ErrUnexpectedEOF
		case err != nil:
			return 0, err
		}
	}
}

// scan scans the value at start within the bytes read so far, and returns
// where it ends; -1 when it goes on past them.
func (s *pageScanner) scan(start int) (int, error) {
	st := scanState{i: start}
	end, err := s.scanAt(start, &st)
	if err == errMore {
		return -1, nil
	}
	return end, err
}

// errMore says that a value goes on past the bytes read so far.
var errMore = errors.New("the value goes on")

// literalAt reports whether the value at start is a number or a literal,
// which the end of the stream ends.
func (s *pageScanner) literalAt(start int) bool {
	c := s.buf[start]
	return c != '"' && c != '{' && c != '['
}

// scanState is where a scan of one value stands, so that a scan cut by a
// read goes on where it stopped.
type scanState struct {
	i        int  // the next byte to look at
	depth    int  // brackets open
	inString bool // i is inside a string
	escaped  bool // buf[i] is escaped by the backslash before it
}

// scanAt goes on with the scan st of the value that starts at start, and
// returns where the value ends, or errMore when the bytes read so far end
// first. No value, and no white space before it, takes more than s.max
// bytes.
func (s *pageScanner) scanAt(start int, st *scanState) (int, error) {
	end, err := s.scanOn(start, st)
	if err == nil && int64(end-start) > s.max {
		return 0, errOverBudget
	}
	return end, err
}

func (s *pageScanner) scanOn(start int, st *scanState) (int, error) {
	buf := s.buf
	i := st.i
	defer func() { st.i = i }()
	for {
		if int64(i-start) > s.max {
			return 0, errOverBudget
		}
		if st.inString {
			end, escaped, ok := stringEnd(buf, i, st.escaped)
			if !ok {
				i, st.escaped = len(buf), escaped
				return 0, errMore
			}
			i, st.inString = end, false
			if st.depth == 0 {
				return i, nil
			}
		}
		// The bytes outside strings, up to the next one the scan stops at.
		for i < len(buf) && scanClass[buf[i]] == 0 {
			i++
		}
		if i == len(buf) {
			if int64(i-start) > s.max {
				return 0, errOverBudget
			}
			return 0, errMore
		}
		switch b := buf[i]; {
		case b == '"':
			st.inString = true
			i++
		case b == '{' || b == '[':
			st.depth++
			i++
		case b == '}' || b == ']':
			if st.depth == 0 { // a scalar ends at its container's close
				return i, nil
			}
			st.depth--
			i++
			if st.depth == 0 {
				return i, nil
			}
		case st.depth == 0: // a comma or white space ends a number or a literal
			return i, nil
		default:
			i++
		}
	}
}

// stringEnd finds the quote that closes a string whose content goes on at
// buf[i] (escaped: buf[i] is escaped by a backslash before it), and returns
// the index just past it; ok is false when buf ends first, and escaped
// then says whether the byte after buf's end is escaped.
//
// It looks at eight bytes at a time: a byte of a word equals c exactly
// where the word XOR c has a zero byte, which the lowest set bit of
// (y - 0x01…01) &^ y & 0x80…80 marks.
func stringEnd(buf []byte, i int, escaped bool) (end int, stillEscaped, ok bool) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for {
		if escaped {
			if i >= len(buf) {
				return 0, true, false
			}
			escaped = false
			i++
		}
		for ; i+8 <= len(buf); i += 8 {
			w := binary.LittleEndian.Uint64(buf[i:])
			q, b := w^(ones*'"'), w^(ones*'\\')
			if m := ((q - ones) &^ q & highs) | ((b - ones) &^ b & highs); m != 0 {
				i += bits.TrailingZeros64(m) / 8
				break
			}
		}
		for ; i < len(buf) && buf[i] != '"' && buf[i] != '\\'; i++ {
		}
		if i == len(buf) {
			return 0, false, false
		}
		if buf[i] == '"' {
			return i + 1, false, true
		}
		escaped = true // a backslash
		i++
	}
}

// scanClass marks the bytes the scanner stops at: quotes, brackets, and
// what ends a number or a literal.
var scanClass = func() (t [256]uint8) {
	for _, b := range []byte("\"{}[], \t\n\r") {
		t[b] = 1
	}
	return t
}()

// describeByte names the byte a page had where it should not.
func describeByte(c byte) string {
	switch {
	case c == '"':
		return "a string"
	case c == '-' || (c >= '0' && c <= '9'):
		return "a number"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c > ' ' && c < 0x7f:
		return strconv.Quote(string(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// span is where one element lies in the scanner's buffer.
type span struct{ start, end int }

// held scans the elements that the bytes read so far hold whole, from
// element i on, without reading more: their spans, and whether the array
// ended among them. What it cannot finish it leaves unread.
func (s *pageScanner) held(i int) (spans []span, ended bool, err error) {
	for {
		at := s.pos
		c, ok := s.skipHeld()
		if !ok {
			return spans, false, nil
		}
		if c == ']' {
			s.pos++
			return spans, true, nil
		}
		if i+len(spans) > 0 {
			if c != ',' {
				return spans, false, fmt.Errorf("%w: want ',' or ']', got %s", errPageShape, describeByte(c))
			}
			s.pos++
			if _, ok := s.skipHeld(); !ok {
				s.pos = at
				return spans, false, nil
			}
		}
		start := s.pos
		end, err := s.scan(start)
		if err != nil {
			return spans, false, err
		}
		if end < 0 || end == len(s.buf) { // cut by the read, or a literal that may go on
			s.pos = at
			return spans, false, nil
		}
		s.pos = end
		spans = append(spans, span{start, end})
	}
}

// skipHeld skips white space without reading more; ok is false when the
// bytes read so far end first, or hold more white space than a value may
// take.
func (s *pageScanner) skipHeld() (c byte, ok bool) {
	for i := s.pos; i < len(s.buf) && int64(i-s.pos) <= s.max; i++ {
		switch c := s.buf[i]; c {
		case ' ', '\t', '\n', '\r':
		default:
			s.pos = i
			return c, true
		}
	}
	return 0, false
}
