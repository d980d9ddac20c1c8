package drift_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/drift"
)

// ruleCases holds, for each rule that is not a JSON-schema keyword, an
// exchange that gives exactly one finding of it, from end to end.
var ruleCases = []struct {
	rule    string
	ex      func(testing.TB) drift.Exchange
	pointer string
}{
	{drift.RuleRoute, func(tb testing.TB) drift.Exchange {
		return exchange(tb, prodBase+"/organizations/"+orgID+"/users", http.StatusOK, page(1))
	}, ""},
	{drift.RuleRequest, func(tb testing.TB) drift.Exchange {
		return exchange(tb, prodBase+runTasksPath+"?per_page=0", http.StatusOK, page(1))
	}, ""},
	{drift.RuleStatus, func(tb testing.TB) drift.Exchange { return runTasks(tb, http.StatusTeapot, notFound) }, ""},
	{drift.RuleContentType, with(func(ex *drift.Exchange) { ex.ResponseHeader.Set("Content-Type", "text/plain") }), ""},
	{drift.RuleHeader, func(tb testing.TB) drift.Exchange { return runTasks(tb, http.StatusTooManyRequests, rateLimited) }, "Retry-After"},
	{drift.RuleInvalidJSON, with(func(ex *drift.Exchange) { ex.Body = []byte(`{"data": [}`) }), ""},
	{drift.RuleUndocumentedField, change(func(p map[string]any) { dataTask(p, 2)["brand_new"] = true }), "/data/2/brand_new"},
	{drift.RulePagination, change(func(p map[string]any) { pagination(p)["count"] = 1 }), "/meta/pagination/count"},
	{drift.RuleLimit, change(func(p map[string]any) { dataTask(p, 0)[strings.Repeat("k", 300)] = 1 }), "/data/0/" + strings.Repeat("k", 300)},
	{drift.RuleFindingsOmitted, change(func(p map[string]any) {
		for i := range drift.MaxFindings + 1 {
			dataTask(p, 0)["new_"+strconv.Itoa(i)] = i
		}
	}), ""},
}

// Every rule has a case, and each case gives its rule.
func TestEveryRuleHasACase(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range ruleCases {
		covered[tc.rule] = true
		t.Run(tc.rule, func(t *testing.T) {
			findings := validator.Check(context.Background(), tc.ex(t))
			var got []drift.Finding
			for _, f := range findings {
				if f.Rule == tc.rule {
					got = append(got, f)
				}
			}
			require.Len(t, got, 1, "one finding of rule %s in:\n%v", tc.rule, project(findings))
			assert.Equal(t, tc.pointer, got[0].Pointer)
			assert.NotEmpty(t, got[0].Message)
		})
	}
	for _, rule := range exportedRules(t) {
		assert.True(t, covered[rule], "rule %q has no case in ruleCases", rule)
	}
}

// exportedRules reads the values of the exported Rule* constants of the
// package's source.
func exportedRules(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "finding.go", nil, 0)
	require.NoError(t, err)
	var rules []string
	ast.Inspect(f, func(n ast.Node) bool {
		spec, ok := n.(*ast.ValueSpec)
		if !ok || len(spec.Names) != 1 || len(spec.Values) != 1 || !strings.HasPrefix(spec.Names[0].Name, "Rule") {
			return true
		}
		if lit, ok := spec.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			v, err := strconv.Unquote(lit.Value)
			require.NoError(t, err)
			rules = append(rules, v)
		}
		return true
	})
	require.GreaterOrEqual(t, len(rules), 10)
	return rules
}
