package main

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
)

// --all-pages walks every page of the page walks, past the page caps and
// the bound on planned requests that a plain live check keeps to.
func TestAllPagesWalksEveryPage(t *testing.T) {
	cfg := standin.Config{RunTasks: 123, OrgTasks: 131}
	pagesOf := func(stdout string) map[string]int {
		t.Helper()
		var doc struct {
			Summary struct{ Exchanges int }
			Checks  []struct {
				Name      string
				Exchanges int
			}
		}
		require.NoError(t, json.Unmarshal([]byte(stdout), &doc), stdout)
		pages := map[string]int{"": doc.Summary.Exchanges}
		for _, c := range doc.Checks {
			pages[c.Name] = c.Exchanges
		}
		return pages
	}

	_, bound := defaultPlan(t)
	bounded := startStandIn(t, cfg)
	r := invoke(t, liveEnv(bounded), "--format", "json")
	require.Equal(t, exitConforms, r.code, r.stderr)
	assert.Contains(t, r.stderr, fmt.Sprintf("at most %d planned requests", bound))
	assert.LessOrEqual(t, bounded.Requests(), bound)
	pages := pagesOf(r.stdout)
	assert.Equal(t, 10, pages["run tasks, every page"], "a plain check stops at 10 pages")
	assert.Equal(t, 2, pages["org tasks, first pages"], "a plain check stops at 2 pages")

	all := startStandIn(t, cfg)
	r = invoke(t, liveEnv(all), "--all-pages", "--format", "json")
	require.Equal(t, exitConforms, r.code, r.stderr)
	assert.Contains(t, r.stderr, "every page, with no bound on planned requests")
	assert.Greater(t, all.Requests(), bound, "past the bound of a plain check")
	pages = pagesOf(r.stdout)
	assert.Equal(t, all.Requests(), pages[""], "every request was checked")
	assert.Equal(t, 13, pages["run tasks, every page"], "123 run tasks at 10 a page")
	assert.Equal(t, 2, pages["run tasks, every page at per_page=100"])
	assert.Equal(t, 14, pages["org tasks, first pages"], "131 organization tasks at 10 a page")
}
