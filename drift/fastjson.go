package drift

import (
	"encoding/json"
	"unicode/utf16"
	"unicode/utf8"
)

// fastDecode decodes data, one JSON value and nothing after it but white
// space, into what encoding/json's Decoder with UseNumber gives for an any:
// map[string]any, []any, string, json.Number, bool and nil. It is one pass
// over the bytes, with no separate scan and no reflection: decoding is half
// of what validating a page costs.
//
// It answers only when it is sure to give what encoding/json gives: ok is
// false for anything else (malformed JSON, invalid UTF-8, a lone UTF-16
// surrogate, nesting past encoding/json's limit), and decodeJSON then asks
// encoding/json, which also words the error.
//
// sizes, when not nil, carries the key counts of objects from one call to
// the next (see fastDecoder.sizes): the items of a list share one.
func fastDecode(data []byte, sizes *objectSizes) (value any, ok bool) {
	d := fastDecoder{byteScanner: byteScanner{b: data}, sizes: sizes}
	if d.sizes == nil {
		d.sizes = new(objectSizes)
	}
	value, ok = d.value()
	if !ok {
		return nil, false
	}
	d.space()
	return value, d.i == len(d.b)
}

// maxFastDepth is encoding/json's nesting limit; deeper input is left to it.
const maxFastDepth = 10000

type fastDecoder struct {
	byteScanner // the input, the position, and the steps over white space and punctuation
	depth       int
	buf         []byte // reused for strings with escapes
	// sizes[depth] is how many keys the last object at that depth had: the
	// objects of a list are alike, so it sizes the next map well.
	sizes *objectSizes
}

// objectSizes are key counts of recent objects, by depth.
type objectSizes [8]int

// maxSizeHint caps a size hint: one huge object must not make every later
// map huge. A task has about 40 keys.
const maxSizeHint = 64

func (d *fastDecoder) value() (any, bool) {
	d.space()
	switch c := d.peek(); {
	case c == '{':
		return d.object()
	case c == '[':
		return d.array()
	case c == '"':
		s, ok := d.decodeString()
		return s, ok
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	}
	return nil, false
}

func (d *fastDecoder) literal(word string) bool {
	if len(d.b)-d.i < len(word) || string(d.b[d.i:d.i+len(word)]) != word {
		return false
	}
	d.i += len(word)
	return true
}

// enter moves into an object or an array, at its opening bracket; false
// past maxFastDepth.
func (d *fastDecoder) enter() bool {
	d.depth++
	d.i++
	return d.depth <= maxFastDepth
}

func (d *fastDecoder) object() (any, bool) {
	if !d.enter() {
		return nil, false
	}
	hint := 0
	if d.depth < len(d.sizes) {
		hint = d.sizes[d.depth]
	}
	m := make(map[string]any, hint)
	for more := !d.skip('}'); more; {
		d.space()
		if d.peek() != '"' {
			return nil, false
		}
		key, ok := d.decodeString()
		if !ok || !d.skip(':') {
			return nil, false
		}
		v, ok := d.value()
		if !ok {
			return nil, false
		}
		m[key] = v // a repeated key: the last one wins, as in encoding/json
		if more, ok = d.next('}'); !ok {
			return nil, false
		}
	}
	if d.depth < len(d.sizes) {
		d.sizes[d.depth] = min(len(m), maxSizeHint)
	}
	d.depth--
	return m, true
}

func (d *fastDecoder) array() (any, bool) {
	if !d.enter() {
		return nil, false
	}
	out := make([]any, 0)
	for more := !d.skip(']'); more; {
		v, ok := d.value()
		if !ok {
			return nil, false
		}
		out = append(out, v)
		if more, ok = d.next(']'); !ok {
			return nil, false
		}
	}
	d.depth--
	return out, true
}

// decodeString reads a string at its opening quote, and decodes it.
func (d *fastDecoder) decodeString() (string, bool) {
	start := d.i + 1
	ascii := true
	for j := start; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			raw := d.b[start:j]
			if !ascii && !utf8.Valid(raw) {
				return "", false // encoding/json replaces invalid bytes: leave it to it
			}
			d.i = j + 1
			return string(raw), true
		case c == '\\':
			return d.escaped(start, j)
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", false
}

// escaped reads the rest of a string that has an escape at j.
func (d *fastDecoder) escaped(start, j int) (string, bool) {
	buf := append(d.buf[:0], d.b[start:j]...)
	for j < len(d.b) {
		c := d.b[j]
		switch {
		case c == '"':
			if !utf8.Valid(buf) {
				return "", false
			}
			d.i = j + 1
			d.buf = buf
			return string(buf), true
		case c < 0x20:
			return "", false
		case c != '\\':
			buf = append(buf, c)
			j++
			continue
		}
		if j+1 >= len(d.b) {
			return "", false
		}
		e := d.b[j+1]
		if plain := simpleEscapes[e]; plain != 0 {
			buf = append(buf, plain)
			j += 2
			continue
		}
		if e != 'u' {
			return "", false
		}
		r, n := d.unicodeEscape(j)
		if n == 0 {
			return "", false
		}
		buf = utf8.AppendRune(buf, r)
		j += n
	}
	return "", false
}

// simpleEscapes maps the letter of each two-byte escape of JSON to the
// byte it stands for; 0 for the rest.
var simpleEscapes = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// unicodeEscape reads \uXXXX at j, with its low surrogate when it is a high
// one, and returns the rune and the bytes read; 0 bytes for a malformed
// escape or a lone surrogate, which encoding/json turns into U+FFFD.
func (d *fastDecoder) unicodeEscape(j int) (rune, int) {
	r, ok := hex4(d.b, j+2)
	if !ok {
		return 0, 0
	}
	if !utf16.IsSurrogate(r) {
		return r, 6
	}
	if j+12 > len(d.b) || d.b[j+6] != '\\' || d.b[j+7] != 'u' {
		return 0, 0
	}
	low, ok := hex4(d.b, j+8)
	if !ok {
		return 0, 0
	}
	combined := utf16.DecodeRune(r, low)
	if combined == utf8.RuneError {
		return 0, 0
	}
	return combined, 12
}

func hex4(b []byte, at int) (rune, bool) {
	if at+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[at : at+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// number reads a number as JSON writes one: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *fastDecoder) number() (any, bool) {
	start := d.i
	b := d.b
	i := d.i
	if b[i] == '-' {
		i++
	}
	var ok bool
	if i < len(b) && b[i] == '0' {
		i++
	} else if i, ok = digits(b, i); !ok {
		return nil, false
	}
	if i < len(b) && b[i] == '.' {
		if i, ok = digits(b, i+1); !ok {
			return nil, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i, ok = digits(b, i); !ok {
			return nil, false
		}
	}
	d.i = i
	return json.Number(b[start:i]), true
}

// digits returns where the run of ASCII digits of b from i ends; false
// when there is none.
func digits(b []byte, i int) (end int, ok bool) {
	end = i
	for end < len(b) && b[end] >= '0' && b[end] <= '9' {
		end++
	}
	return end, end > i
}
