package drift

import "bytes"

// A byte scanner that finds the elements of a list body's top-level "data"
// array without decoding them: one pass, no copy. It checks only the
// structure it walks through (the top-level object, the data array, the
// commas between elements); each element is then decoded, and so fully
// checked, on its own. Anything unexpected makes the caller check the body
// whole, which also words the error of a body that is not JSON.

// listLayout is where a list body's data array and its elements are.
type listLayout struct {
	dataStart, dataEnd int      // the data array, brackets included: body[dataStart:dataEnd]
	items              [][]byte // the elements, sub-slices of the body
}

// byteScanner reads b from i on. It is the base of the list scan and of
// fastDecode: the steps over white space and punctuation both take.
type byteScanner struct {
	b []byte
	i int
}

// scanListLayout returns the layout of body, or false when body is not an
// object with exactly one "data" key whose value is an array.
func scanListLayout(body []byte) (listLayout, bool) {
	s := byteScanner{b: body}
	var lay listLayout
	if !s.skip('{') || s.skip('}') {
		return lay, false // not an object, or {}: no data
	}
	found := false
	for more := true; more; {
		s.space()
		key, plain, ok := s.str()
		if !ok || !plain {
			return lay, false // a key with escapes: let the whole-body check decide
		}
		if !s.skip(':') {
			return lay, false
		}
		s.space()
		if string(key) == "data" {
			if found || s.peek() != '[' {
				return lay, false
			}
			found = true
			lay.dataStart = s.i
			if !s.elements(&lay) {
				return lay, false
			}
			lay.dataEnd = s.i
		} else if !s.skipValue() {
			return lay, false
		}
		if more, ok = s.next('}'); !ok {
			return lay, false
		}
	}
	s.space()
	return lay, found && s.i == len(s.b)
}

// elements reads the data array, at its '[', into lay.items.
func (s *byteScanner) elements(lay *listLayout) bool {
	s.i++ // '['
	for more := !s.skip(']'); more; {
		s.space()
		start := s.i
		if !s.skipValue() {
			return false
		}
		lay.items = append(lay.items, s.b[start:s.i])
		var ok bool
		if more, ok = s.next(']'); !ok {
			return false
		}
	}
	return true
}

// skipValue moves past one value: a string, an object or array (to its
// matching bracket, strings included), or a literal.
func (s *byteScanner) skipValue() bool {
	switch c := s.peek(); c {
	case '"':
		_, _, ok := s.str()
		return ok
	case '{', '[':
		depth := 0
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case '"':
				if _, _, ok := s.str(); !ok {
					return false
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.i++
					return true
				}
			}
			s.i++
		}
		return false
	case 0:
		return false
	default:
		start := s.i
		for s.i < len(s.b) && !isDelimiter(s.b[s.i]) {
			s.i++
		}
		return s.i > start
	}
}

// str reads a string at its opening quote; plain is false when it holds
// escapes (its raw bytes then differ from its value).
func (s *byteScanner) str() (raw []byte, plain, ok bool) {
	if s.peek() != '"' {
		return nil, false, false
	}
	start := s.i + 1
	// Most strings have no escape: find the closing quote at memchr speed.
	if end := bytes.IndexByte(s.b[start:], '"'); end >= 0 && bytes.IndexByte(s.b[start:start+end], '\\') < 0 {
		s.i = start + end + 1
		return s.b[start : start+end], true, true
	}
	plain = true
	for s.i = start; s.i < len(s.b); s.i++ {
		switch s.b[s.i] {
		case '\\':
			plain = false
			s.i++
		case '"':
			raw = s.b[start:s.i]
			s.i++
			return raw, plain, true
		}
	}
	return nil, false, false
}

func (s *byteScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *byteScanner) peek() byte {
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *byteScanner) consume(c byte) bool {
	if s.peek() == c {
		s.i++
		return true
	}
	return false
}

// skip moves past white space, then past c when c comes next, and reports
// whether it did.
func (s *byteScanner) skip(c byte) bool {
	s.space()
	return s.consume(c)
}

// next moves past what follows a member of an object or an array: a comma
// (more members follow) or the closing bracket (the end); ok is false for
// anything else.
func (s *byteScanner) next(closing byte) (more, ok bool) {
	if s.skip(',') {
		return true, true
	}
	return false, s.consume(closing)
}

func isDelimiter(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\n', '\r', ':', '{', '[', '"':
		return true
	}
	return false
}
