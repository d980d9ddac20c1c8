package drift

// The validator's work is linear in the size of an exchange, and what it
// returns is bounded whatever the exchange holds: a URL, a key or a pointer
// past a sane length is cut or reported, not worked through, and one
// exchange gives at most MaxFindings findings plus one that counts the rest.

// MaxFindings is the most findings Check lists for one exchange. Past it,
// Check counts findings instead of listing them, and ends the list with
// one finding of rule RuleFindingsOmitted whose Omitted field holds the
// count.
const MaxFindings = 1000

const (
	// maxURLBytes is the longest request URL the check routes; a longer one
	// is a finding of rule RuleLimit. Common servers refuse URLs past 8 KB.
	maxURLBytes = 8 << 10
	// maxKeyBytes is the longest object key the undocumented-field walk
	// reads; a longer key is a finding of rule RuleLimit, its value unwalked.
	maxKeyBytes = 256
	// maxPointerBytes caps the pointer of a finding; a longer one is cut and
	// ends in "…".
	maxPointerBytes = 512
	// maxURLShown caps the URL of a finding.
	maxURLShown = 2048
	// maxMethodBytes caps the method of a finding.
	maxMethodBytes = 16
)

// omittedCount counts the findings past MaxFindings, by severity.
type omittedCount struct {
	drift, warning int
}

func (o *omittedCount) add(s Severity) {
	if s == SeverityDrift {
		o.drift++
	} else {
		o.warning++
	}
}

func (o *omittedCount) merge(other omittedCount) {
	o.drift += other.drift
	o.warning += other.warning
}

func (o omittedCount) total() int { return o.drift + o.warning }

// finding returns the last finding of a capped list: how many more there
// were, as a drift finding when any of them is drift.
func (o omittedCount) finding(template Finding) Finding {
	f := template
	f.Rule = RuleFindingsOmitted
	f.Omitted = o.total()
	f.Severity = SeverityWarning
	if o.drift > 0 {
		f.Severity = SeverityDrift
	}
	f.Message = shortMessage("%d more findings not listed (%d drift, %d warnings): only the first %d are",
		o.total(), o.drift, o.warning, MaxFindings)
	return f
}
