package drift

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// groupState is a group as the grouper keeps it, with when it was last
// reported.
type groupState struct {
	FindingGroup
	lastReport time.Time
}

// grouper counts findings by group and decides which are reported. The
// worker adds to it; Groups and Stats read it.
type grouper struct {
	max         int
	repeatAfter time.Duration

	mu     sync.Mutex
	groups map[GroupKey]*groupState
}

func newGrouper(max int, repeatAfter time.Duration) *grouper {
	return &grouper{max: max, repeatAfter: repeatAfter, groups: map[GroupKey]*groupState{}}
}

// add counts the findings of one response, which arrived at at, and returns
// the groups to report: those seen for the first time, and those quiet for
// repeatAfter. operation stands in for a finding's own when no route
// matched. ungrouped is how many findings were left out because the
// grouper is full.
func (g *grouper) add(operation string, findings []Finding, at time.Time) (reports []FindingGroup, ungrouped int) {
	type inResponse struct {
		key     GroupKey
		example Finding
		count   int
	}
	var order []*inResponse
	byKey := map[GroupKey]*inResponse{}
	for _, f := range findings {
		k := GroupKeyOf(f, operation)
		if r := byKey[k]; r != nil {
			r.count++
			continue
		}
		r := &inResponse{key: k, example: f, count: 1}
		byKey[k] = r
		order = append(order, r)
	}

	g.mu.Lock()
	defer g.mu.Unlock()
	for _, r := range order {
		s := g.groups[r.key]
		if s == nil {
			if len(g.groups) >= g.max {
				ungrouped += r.count
				continue
			}
			s = &groupState{FindingGroup: FindingGroup{GroupKey: r.key, Severity: r.example.Severity, FirstSeen: at}}
			g.groups[r.key] = s
			s.lastReport = at
			s.Example = r.example
			s.Count, s.Total, s.LastSeen = r.count, r.count, at
			reports = append(reports, s.FindingGroup)
			s.Count = 0
			continue
		}
		s.Count += r.count
		s.Total += r.count
		s.LastSeen = at
		if r.example.Severity == SeverityDrift {
			s.Severity = SeverityDrift // see FindingGroup.Severity
		}
		if g.repeatAfter > 0 && at.Sub(s.lastReport) >= g.repeatAfter {
			s.Example = r.example
			s.lastReport = at
			reports = append(reports, s.FindingGroup)
			s.Count = 0
		}
	}
	return reports, ungrouped
}

func (g *grouper) snapshot() []FindingGroup {
	g.mu.Lock()
	out := make([]FindingGroup, 0, len(g.groups))
	for _, s := range g.groups {
		out = append(out, s.FindingGroup)
	}
	g.mu.Unlock()
	slices.SortFunc(out, func(a, b FindingGroup) int { return a.GroupKey.compare(b.GroupKey) })
	return out
}

func (g *grouper) len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.groups)
}

// logGroup is the default handler: one line per report, Warn for drift,
// Info for warnings. Finding messages never hold the schema and quote at
// most a short scalar, so the line is safe for production logs.
func logGroup(l *slog.Logger, g FindingGroup) {
	if l == nil {
		l = slog.Default()
	}
	level := slog.LevelWarn
	if g.Severity != SeverityDrift {
		level = slog.LevelInfo
	}
	msg := "tallyfy API drift: a response differs from the spec"
	if g.Total > g.Count {
		msg = "tallyfy API drift: still seen"
	}
	l.LogAttrs(context.Background(), level, msg,
		slog.String("operation", g.Operation),
		slog.String("rule", g.Rule),
		slog.String("pattern", g.Pattern),
		slog.String("severity", string(g.Severity)),
		slog.Int("count", g.Count),
		slog.Int("total", g.Total),
		slog.Int("status", g.Example.Status),
		slog.String("pointer", g.Example.Pointer),
		slog.String("message", g.Example.Message),
		slog.Time("first_seen", g.FirstSeen),
	)
}
