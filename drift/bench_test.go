package drift_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/tallyfy-go/tallyfy/drift"
)

// BenchmarkCheck100Tasks checks a conforming page of 100 tasks, the
// server's largest page.
func BenchmarkCheck100Tasks(b *testing.B) {
	ex := runTasks(b, http.StatusOK, page(100))
	b.SetBytes(int64(len(ex.Body)))
	b.ReportAllocs()
	for b.Loop() {
		if findings := validator.Check(context.Background(), ex); len(findings) != 0 {
			b.Fatal(findings)
		}
	}
}

// BenchmarkNewValidator loads the spec and builds the router.
func BenchmarkNewValidator(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := drift.NewValidator(); err != nil {
			b.Fatal(err)
		}
	}
}
