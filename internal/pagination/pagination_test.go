package pagination

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// page is a consistent middle page: page 2 of 3, 10 a page, 25 items.
func page() Page {
	return Page{Asked: 2, Items: 10, Total: 25, Count: 10, PerPage: 10, CurrentPage: 2, TotalPages: 3, Next: NextPresent}
}

func rules(vs []Violation) []Rule {
	out := []Rule{}
	for _, v := range vs {
		out = append(out, v.Rule)
	}
	return out
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Page)
		want   []Rule
		says   string
	}{
		{"a consistent middle page", func(*Page) {}, nil, ""},
		{"a short last page", func(p *Page) { p.Asked, p.CurrentPage, p.Items, p.Count, p.Next = 3, 3, 5, 5, NextAbsent }, nil, ""},
		{"an empty list of no pages", func(p *Page) {
			*p = Page{Asked: 1, Items: 0, Total: 0, Count: 0, PerPage: 10, CurrentPage: 1, TotalPages: 0, Next: NextAbsent}
		}, nil, ""},
		{"count is not the items", func(p *Page) { p.Count = 9 }, []Rule{RuleCountIsItems}, "count is 9, but the page holds 10 items"},
		{"count over per_page", func(p *Page) { p.PerPage, p.Total = 8, 24 }, []Rule{RuleCountWithinPerPage}, "count 10 is more than per_page 8"},
		{"count against the page's place", func(p *Page) { p.Asked, p.CurrentPage, p.Next = 3, 3, NextAbsent }, []Rule{RuleCountFitsPlace}, "holds 5 of the 25 items"},
		{"another page than asked", func(p *Page) { p.Asked = 1 }, []Rule{RuleCurrentIsAsked}, "current_page is 2, but the request asked for page 1"},
		{"page 0", func(p *Page) { p.Asked, p.CurrentPage = 0, 0 }, []Rule{RuleCurrentFromOne}, "pages count from 1"},
		{"past the last page", func(p *Page) { p.Asked, p.CurrentPage = 4, 4 }, []Rule{RuleCurrentWithinPages}, "current_page 4 is past total_pages 3"},
		{"total_pages out of range", func(p *Page) { p.TotalPages = MaxPage + 1 }, []Rule{RuleTotalPagesTooLarge, RuleTotalMakesPages}, "is more than"},
		{"total against total_pages", func(p *Page) { p.Total = 31 }, []Rule{RuleTotalMakesPages}, "total 31 at per_page 10 does not make total_pages 3"},
		{"an empty page before the last", func(p *Page) { p.Items, p.Count = 0, Unknown }, []Rule{RuleEmptyBeforeLast}, "page 2 holds no items, yet total_pages is 3"},
		{"no next before the last", func(p *Page) { p.Next = NextAbsent }, []Rule{RuleNextMissing}, "page 2 of 3 has no links.next"},
		{"next on the last", func(p *Page) { p.Asked, p.CurrentPage, p.Items, p.Count = 3, 3, 5, 5 }, []Rule{RuleNextOnLast}, "the last"},
		{"links of neither form say nothing of next", func(p *Page) { p.Next = NextUnknown }, nil, ""},
		{"unknown values skip the rules that need them", func(p *Page) {
			p.Total, p.PerPage, p.Count = Unknown, Unknown, Unknown
		}, nil, ""},
		{"an unknown page asked for is not compared", func(p *Page) { p.Asked = 0 }, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := page()
			tc.change(&p)
			got := Check(p)
			if tc.want == nil {
				assert.Empty(t, got)
				return
			}
			assert.Equal(t, tc.want, rules(got))
			assert.Contains(t, got[0].Message, tc.says)
		})
	}
}

// Only the rules that make a follower skip or repeat pages block one.
func TestBlocks(t *testing.T) {
	blocking := map[Rule]bool{RuleCurrentIsAsked: true, RuleCurrentFromOne: true, RuleTotalPagesTooLarge: true, RuleEmptyBeforeLast: true}
	for _, r := range []Rule{RuleCountIsItems, RuleCountWithinPerPage, RuleCountFitsPlace, RuleCurrentIsAsked, RuleCurrentFromOne,
		RuleCurrentWithinPages, RuleTotalPagesTooLarge, RuleTotalMakesPages, RuleEmptyBeforeLast, RuleNextMissing, RuleNextOnLast} {
		assert.Equal(t, blocking[r], Violation{Rule: r}.Blocks(), r)
	}
}
