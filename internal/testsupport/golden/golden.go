// Package golden is the one place that compares test output with a golden
// file: a stale file fails with the command that rewrites it, and with the
// rewrite flag (-update) the file is written instead.
package golden

import (
	"fmt"
	"os"
	"strings"
)

// T is what Check needs of a test (a *testing.T), so that a test can catch
// what a comparison reports.
type T interface {
	Helper()
	Errorf(format string, args ...any)
	FailNow()
}

// Check compares got with the file at path. With update set, it writes got
// there first. rewrite is the command that rewrites the file
// ("go test ./drift/report -update"); a missing or stale file fails with it,
// and a stale one also with its first line that differs.
func Check(t T, path string, got []byte, update bool, rewrite string) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Errorf("writing the golden file: %v", err)
			t.FailNow()
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%v: run %s to create it", err, rewrite)
		t.FailNow()
	}
	if string(want) != string(got) {
		t.Errorf("%s is stale; if the change is intended, rewrite it with: %s\n%s", path, rewrite, firstDifference(string(want), string(got)))
	}
}

// firstDifference describes the first line where got differs from want.
func firstDifference(want, got string) string {
	wantLines, gotLines := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; ; i++ {
		w, wok := line(wantLines, i)
		g, gok := line(gotLines, i)
		if w == g && wok == gok {
			if !wok {
				return "the files differ" // not reached: equal lines make equal texts
			}
			continue
		}
		return fmt.Sprintf("line %d:\n  want %s\n  got  %s", i+1, quoteLine(w, wok), quoteLine(g, gok))
	}
}

func line(lines []string, i int) (string, bool) {
	if i < len(lines) {
		return lines[i], true
	}
	return "", false
}

func quoteLine(s string, ok bool) string {
	if !ok {
		return "(no such line)"
	}
	return fmt.Sprintf("%q", s)
}
