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
	d := fastDecoder{b: data, sizes: sizes}
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
	b     []byte
	i     int
	depth int
	buf   []byte // reused for strings with escapes
	// sizes[depth] is how many keys the last object at that depth had: the
	// objects of a list are alike, so it sizes the next map well.
	sizes *objectSizes
}

// objectSizes are key counts of recent objects, by depth.
type objectSizes [8]int

// maxSizeHint caps a size hint: one huge object must not make every later
// map huge. A task has about 40 keys.
const maxSizeHint = 64

func (d *fastDecoder) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *fastDecoder) value() (any, bool) {
	d.space()
	if d.i >= len(d.b) {
		return nil, false
	}
	switch c := d.b[d.i]; {
	case c == '{':
		return d.object()
	case c == '[':
		return d.array()
	case c == '"':
		s, ok := d.str()
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

func (d *fastDecoder) object() (any, bool) {
	d.depth++
	if d.depth > maxFastDepth {
		return nil, false
	}
	d.i++ // '{'
	hint := 0
	if d.depth < len(d.sizes) {
		hint = d.sizes[d.depth]
	}
	m := make(map[string]any, hint)
	d.space()
	if d.i < len(d.b) && d.b[d.i] == '}' {
		d.i++
		d.depth--
		return m, true
	}
	for {
		d.space()
		if d.i >= len(d.b) || d.b[d.i] != '"' {
			return nil, false
		}
		key, ok := d.str()
		if !ok {
			return nil, false
		}
		d.space()
		if d.i >= len(d.b) || d.b[d.i] != ':' {
			return nil, false
		}
		d.i++
		v, ok := d.value()
		if !ok {
			return nil, false
		}
		m[key] = v // a repeated key: the last one wins, as in encoding/json
		d.space()
		if d.i >= len(d.b) {
			return nil, false
		}
		switch d.b[d.i] {
		case ',':
			d.i++
		case '}':
			d.i++
			if d.depth < len(d.sizes) {
				d.sizes[d.depth] = min(len(m), maxSizeHint)
			}
			d.depth--
			return m, true
		default:
			return nil, false
		}
	}
}

func (d *fastDecoder) array() (any, bool) {
	d.depth++
	if d.depth > maxFastDepth {
		return nil, false
	}
	d.i++ // '['
	out := make([]any, 0)
	d.space()
	if d.i < len(d.b) && d.b[d.i] == ']' {
		d.i++
		d.depth--
		return out, true
	}
	for {
		v, ok := d.value()
		if !ok {
			return nil, false
		}
		out = append(out, v)
		d.space()
		if d.i >= len(d.b) {
			return nil, false
		}
		switch d.b[d.i] {
		case ',':
			d.i++
		case ']':
			d.i++
			d.depth--
			return out, true
		default:
			return nil, false
		}
	}
}

// str reads a string at its opening quote.
func (d *fastDecoder) str() (string, bool) {
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
		switch e := d.b[j+1]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, n := d.unicodeEscape(j)
			if n == 0 {
				return "", false
			}
			buf = utf8.AppendRune(buf, r)
			j += n
			continue
		default:
			return "", false
		}
		j += 2
	}
	return "", false
}

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
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return nil, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		digits := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == digits {
			return nil, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		digits := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == digits {
			return nil, false
		}
	}
	d.i = i
	return json.Number(b[start:i]), true
}
