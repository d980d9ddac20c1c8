package report

import (
	"fmt"
	"io"
)

// Format is a report format.
type Format string

// The report formats.
const (
	FormatText     Format = "text"
	FormatJSON     Format = "json"
	FormatJUnit    Format = "junit"
	FormatMarkdown Format = "markdown"
)

// ParseFormat reads a format name: text, json, junit or markdown.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case FormatText, FormatJSON, FormatJUnit, FormatMarkdown:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q (want text, json, junit or markdown)", s)
}

// Write writes r in format f; opts apply to the text format.
func Write(w io.Writer, r *Report, f Format, opts TextOptions) error {
	switch f {
	case FormatJSON:
		return WriteJSON(w, r)
	case FormatJUnit:
		return WriteJUnit(w, r)
	case FormatMarkdown:
		return WriteMarkdown(w, r)
	default:
		return WriteText(w, r, opts)
	}
}
