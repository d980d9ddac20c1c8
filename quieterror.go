package tallyfy

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// maxQuotedValue caps, in bytes with the cut's marker, a value of the body
// quoted in an error: enough to show a malformed date ("0000-00-00 0"…),
// too little to hold a secret.
const maxQuotedValue = 15

// quietError returns err's text with each value of the body that it quotes
// cut to a short prefix. A time that does not parse is quoted whole by
// package time, however long it is, and it may hold anything a server put
// there.
func quietError(err error) string {
	text := err.Error()
	var pe *time.ParseError
	if errors.As(err, &pe) {
		text = strings.Replace(text, pe.Error(), shortParseError(pe), 1)
	}
	return text
}

// shortParseError is pe's message with its value cut to maxQuotedValue bytes.
func shortParseError(pe *time.ParseError) string {
	s := "parsing time " + quotePrefix(pe.Value)
	if pe.Message != "" {
		msg, _, _ := strings.Cut(pe.Message, `"`) // ": extra text: " quotes the value again
		return s + strings.TrimRight(msg, ": ")
	}
	return s + " as " + strconv.Quote(pe.Layout) + ": cannot parse " + quotePrefix(pe.ValueElem) + " as " + strconv.Quote(pe.LayoutElem)
}

// quotePrefix quotes at most maxQuotedValue bytes of s (see textcut.Quote).
func quotePrefix(s string) string { return textcut.Quote(s, maxQuotedValue) }
