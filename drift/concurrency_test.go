package drift_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tallyfy-go/tallyfy/drift"
)

// One Validator serves parallel checks (run with -race), and each check
// gives what it gives alone.
func TestCheckIsSafeForConcurrentUse(t *testing.T) {
	p := page(10)
	dataTask(p, 3)["status"] = "skipped"
	dataTask(p, 7)["brand_new"] = 1
	exchanges := []drift.Exchange{
		runTasks(t, http.StatusOK, page(10)),
		runTasks(t, http.StatusOK, p),
		runTasks(t, http.StatusTooManyRequests, rateLimited),
		runTasks(t, http.StatusTeapot, notFound),
		exchange(t, "http://127.0.0.1:9/custom"+orgTasksPath+"?per_page=0", http.StatusOK, page(2)),
	}
	want := make([][]drift.Finding, len(exchanges))
	for i, ex := range exchanges {
		want[i] = validator.Check(context.Background(), ex)
	}

	var wg sync.WaitGroup
	got := make([][][]drift.Finding, 8)
	for g := range got {
		wg.Go(func() {
			for round := 0; round < 20; round++ {
				for _, ex := range exchanges {
					got[g] = append(got[g], validator.Check(context.Background(), ex))
				}
			}
		})
	}
	wg.Wait()
	for g := range got {
		for i, findings := range got[g] {
			assert.Equal(t, want[i%len(exchanges)], findings)
		}
	}
}
