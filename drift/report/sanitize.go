package report

// Lengths that text from servers and files is cut to in a report: enough
// to read, too little to flood a CI log. The text, markdown and JUnit
// reports print such text as one safe line (textcut.Line: white space
// folded, control and format characters escaped, then cut), so that it
// cannot start a line of its own, fake a report line or issue a CI
// runner's command (GitHub's "::error::"); the JSON report cuts it
// (textcut.Cut) and escapes what encoding/json leaves raw.
const (
	maxPointerLen = 200
	maxMessageLen = 300
	maxNameLen    = 120
	maxTargetLen  = 300
	maxErrorLen   = 600
)
