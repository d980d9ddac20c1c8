// Package pagination holds, once, the rules a page of a paginated list
// must keep: its meta.pagination agrees with itself, with the items of the
// page, and with the page the request asked for. OpenAPI 3.0 cannot state
// them. The client's pager follows pages by them (a broken rule that would
// make it skip or repeat pages ends a listing), and the drift check reports
// every broken rule as a finding at the pointer of the value that is wrong.
//
// Plain numbers go in (a Page), named violations come out (Check). A
// number that is negative is unknown (absent, or not a whole number from
// 0): the rules that need it are not checked, since the schema's own check
// reports such a value.
package pagination

import (
	"fmt"
	"math"
)

// MaxPage is the highest page number a listing follows: a current_page or
// total_pages above it breaks RuleTotalPagesTooLarge, so that page
// arithmetic never overflows.
const MaxPage = math.MaxInt32

// Unknown marks a number of a Page that is absent or not a whole number
// from 0.
const Unknown = -1

// Next says what a page's links say of the next page.
type Next int

// What links.next can say.
const (
	// NextUnknown: links is of neither documented form; the schema's check
	// reports it, and RuleNextMissing and RuleNextOnLast are not checked.
	NextUnknown Next = iota
	NextAbsent       // no links, an empty links array, or no (or a null) links.next
	NextPresent      // links.next is set
)

// Page is what a page says of itself and what its request asked for.
type Page struct {
	// Asked is the page the request asked for, from 1; 0 when unknown.
	Asked int64
	// Items is how many elements the page's data array holds; Unknown
	// when data is not an array.
	Items int64
	// The values of meta.pagination; Unknown when absent or not a whole
	// number from 0.
	Total, Count, PerPage, CurrentPage, TotalPages int64
	// Next is what links.next says.
	Next Next
}

// Rule names one rule of a page's pagination.
type Rule string

// The rules, in the order Check checks them.
const (
	RuleCountIsItems       Rule = "count-is-items"        // count is the number of items of the page
	RuleCountWithinPerPage Rule = "count-within-per-page" // count is at most per_page
	RuleCountFitsPlace     Rule = "count-fits-place"      // count is what the page's place among the pages implies
	RuleCurrentIsAsked     Rule = "current-is-asked"      // current_page is the page asked for
	RuleCurrentFromOne     Rule = "current-from-one"      // pages count from 1
	RuleCurrentWithinPages Rule = "current-within-pages"  // current_page is at most max(total_pages, 1)
	RuleTotalPagesTooLarge Rule = "total-pages-too-large" // total_pages is at most MaxPage
	RuleTotalMakesPages    Rule = "total-makes-pages"     // total_pages = ceil(total / per_page)
	RuleEmptyBeforeLast    Rule = "empty-before-last"     // a page before the last holds items
	RuleNextMissing        Rule = "next-missing"          // a page before the last has links.next
	RuleNextOnLast         Rule = "next-on-last"          // the last page has no links.next
)

// Violation is one broken rule.
type Violation struct {
	Rule Rule
	// Field is the member of meta.pagination that is wrong: "count",
	// "current_page", "total", "total_pages" or "links/next" (a JSON
	// pointer relative to meta.pagination, without its leading slash).
	Field string
	// Message says what is wrong, in a few words, with the numbers.
	Message string
}

// Blocks reports whether a client that follows the pages cannot go on
// past a page that breaks the rule without skipping or repeating pages
// unannounced: a page other than the one asked for, a page count out of
// range, or an empty page that claims more after it. The other rules are
// the drift check's alone.
func (v Violation) Blocks() bool {
	switch v.Rule {
	case RuleCurrentIsAsked, RuleCurrentFromOne, RuleTotalPagesTooLarge, RuleEmptyBeforeLast:
		return true
	}
	return false
}

func violation(rule Rule, field, format string, args ...any) Violation {
	return Violation{Rule: rule, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Check returns the rules p breaks, in the order of the rules above: of
// the rules on count and of those on current_page, the first broken one
// only (a count that is not the number of items says all there is to say
// of it); every other rule on its own.
func Check(p Page) []Violation {
	var out []Violation
	for _, check := range []func(Page) (Violation, bool){countViolation, currentViolation, totalPagesViolation, totalViolation, emptyViolation, nextViolation} {
		if v, ok := check(p); ok {
			out = append(out, v)
		}
	}
	return out
}

func known(n int64) bool { return n >= 0 }

// countViolation: count is the number of items, at most per_page, and as
// many as the page's place among the pages implies. The first
// contradiction is the violation.
func countViolation(p Page) (Violation, bool) {
	if !known(p.Count) {
		return Violation{}, false
	}
	if known(p.Items) && p.Count != p.Items {
		return violation(RuleCountIsItems, "count", "count is %d, but the page holds %d items", p.Count, p.Items), true
	}
	if known(p.PerPage) && p.Count > p.PerPage {
		return violation(RuleCountWithinPerPage, "count", "count %d is more than per_page %d", p.Count, p.PerPage), true
	}
	if want, ok := p.expectedCount(); ok && p.Count != want {
		return violation(RuleCountFitsPlace, "count", "count is %d, but page %d of %d at per_page %d holds %d of the %d items",
			p.Count, p.CurrentPage, p.TotalPages, p.PerPage, want, p.Total), true
	}
	return Violation{}, false
}

// onAPage reports whether current_page is one of the pages: 1 <=
// current_page <= max(total_pages, 1).
func (p Page) onAPage() bool {
	return known(p.CurrentPage) && known(p.TotalPages) && p.CurrentPage >= 1 && p.CurrentPage <= max(p.TotalPages, 1)
}

// expectedCount is the number of items page current_page holds when total,
// per_page and total_pages agree and the page is one of them.
func (p Page) expectedCount() (int64, bool) {
	if !known(p.Total) || !known(p.PerPage) || p.PerPage == 0 || !p.onAPage() || !p.totalAgrees() {
		return 0, false
	}
	switch {
	case p.Total == 0:
		return 0, true
	case p.CurrentPage < p.TotalPages:
		return p.PerPage, true
	}
	// The last page: total_pages = ceil(total / per_page), so the pages
	// before it hold less than total.
	return p.Total - (p.TotalPages-1)*p.PerPage, true
}

// currentViolation: current_page is the page asked for, and one of the
// pages.
func currentViolation(p Page) (Violation, bool) {
	switch {
	case !known(p.CurrentPage):
		return Violation{}, false
	case p.Asked > 0 && p.CurrentPage != p.Asked:
		return violation(RuleCurrentIsAsked, "current_page", "current_page is %d, but the request asked for page %d", p.CurrentPage, p.Asked), true
	case p.CurrentPage < 1:
		return violation(RuleCurrentFromOne, "current_page", "current_page is %d; pages count from 1", p.CurrentPage), true
	case known(p.TotalPages) && p.CurrentPage > max(p.TotalPages, 1):
		return violation(RuleCurrentWithinPages, "current_page", "current_page %d is past total_pages %d", p.CurrentPage, p.TotalPages), true
	}
	return Violation{}, false
}

// totalPagesViolation: total_pages stays within MaxPage.
func totalPagesViolation(p Page) (Violation, bool) {
	if p.TotalPages > MaxPage {
		return violation(RuleTotalPagesTooLarge, "total_pages", "total_pages %d is more than %d", p.TotalPages, MaxPage), true
	}
	return Violation{}, false
}

// totalAgrees reports whether total_pages is ceil(total / per_page); an
// empty list may have 0 pages or 1. per_page 0 fits an empty list only.
func (p Page) totalAgrees() bool {
	switch {
	case p.Total == 0:
		return p.TotalPages <= 1
	case p.PerPage == 0:
		return false
	}
	pages := p.Total / p.PerPage
	if p.Total%p.PerPage != 0 {
		pages++
	}
	return p.TotalPages == pages
}

// totalViolation: total agrees with total_pages and per_page.
func totalViolation(p Page) (Violation, bool) {
	if !known(p.Total) || !known(p.PerPage) || !known(p.TotalPages) || p.totalAgrees() {
		return Violation{}, false
	}
	return violation(RuleTotalMakesPages, "total", "total %d at per_page %d does not make total_pages %d", p.Total, p.PerPage, p.TotalPages), true
}

// emptyViolation: a page before the last holds items. (An empty page that
// says it holds some breaks RuleCountIsItems as well; this rule holds
// without count.)
func emptyViolation(p Page) (Violation, bool) {
	if p.Items != 0 || !known(p.CurrentPage) || !known(p.TotalPages) || p.CurrentPage < 1 || p.CurrentPage >= p.TotalPages {
		return Violation{}, false
	}
	return violation(RuleEmptyBeforeLast, "total_pages", "page %d holds no items, yet total_pages is %d", p.CurrentPage, p.TotalPages), true
}

// nextViolation: links.next is set exactly when a later page exists.
func nextViolation(p Page) (Violation, bool) {
	if p.Next == NextUnknown || !p.onAPage() {
		return Violation{}, false // no page to reason from: currentViolation reports it
	}
	later := p.CurrentPage < p.TotalPages
	switch {
	case later && p.Next == NextAbsent:
		return violation(RuleNextMissing, "links/next", "page %d of %d has no links.next", p.CurrentPage, p.TotalPages), true
	case !later && p.Next == NextPresent:
		return violation(RuleNextOnLast, "links/next", "links.next is set on page %d of %d, the last", p.CurrentPage, p.TotalPages), true
	}
	return Violation{}, false
}
