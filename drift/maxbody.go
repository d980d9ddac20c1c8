package drift

import "fmt"

// DefaultMaxBody is the largest response body Check validates, unless
// WithMaxBody says otherwise: 32 MiB, as much as a live check captures by
// default. Validating a body decodes it, one task at a time for a list and
// whole otherwise, which takes several times the body's size.
const DefaultMaxBody int64 = 32 << 20

// WithMaxBody sets the largest response body Check validates (default
// DefaultMaxBody). A larger body is not validated: it is a drift finding of
// rule RuleLimit that names the limit, so that a check never passes on a
// body it did not look at.
func WithMaxBody(bytes int64) Option {
	return func(o *options) {
		if bytes > 0 {
			o.maxBody = bytes
		}
	}
}

// bodyTooLarge reports, as a finding, a body larger than the validator's
// limit; false when the body may be validated.
func (c *check) bodyTooLarge() bool {
	limit := c.v.maxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	if int64(len(c.ex.Body)) <= limit {
		return false
	}
	c.drift(issue{rule: RuleLimit, message: fmt.Sprintf(
		"the body is %d bytes, over the %d the validator holds (drift.WithMaxBody): not validated", len(c.ex.Body), limit)})
	return true
}
