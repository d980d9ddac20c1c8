package tallyfy_test

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/tallyfy-go/tallyfy"
	"github.com/tallyfy-go/tallyfy/drift"
)

// BenchmarkObserver is the same 100-task listing as BenchmarkRunTasksPage,
// without a response hook and with drift's Observer at sample rates 0.01
// and 1, and with a hook that takes every body and throws it away
// (tee-only: what the caller's goroutine pays to hand a body over). It
// times the listing, which is what a caller waits for; the
// Observer's worker validates on the side, competing for the same cores, and
// drops what its queue (DefaultQueueSize) cannot hold. validated/op and
// dropped/op say how many pages per listing took each way. cpu-ns/op is the
// CPU time of the whole process per listing, the worker's validation
// included (it is waited for at the end), where another process's load
// inflates it far less than it inflates the wall clock.
func BenchmarkObserver(b *testing.B) {
	page := benchPage()
	body := func() io.Reader { return bytes.NewReader(page) }
	v, err := validatorOnce()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("hook=none", func(b *testing.B) {
		c := memoryClient(b, body)
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		cpu := startCPU()
		for b.Loop() {
			listPage(b, c)
		}
		cpu.report(b)
	})
	b.Run("hook=tee-only", func(b *testing.B) {
		c := memoryClient(b, body, tallyfy.WithResponseHook(tallyfy.ResponseHookFunc(func(tallyfy.ObservedResponse) {})))
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		cpu := startCPU()
		for b.Loop() {
			listPage(b, c)
		}
		cpu.report(b)
	})
	for _, rate := range []struct {
		name string
		rate float64
	}{{"rate=0.01", 0.01}, {"rate=1", 1}} {
		b.Run(rate.name, func(b *testing.B) {
			obs, err := drift.NewObserver(v, drift.SampleRate(rate.rate), drift.ReportTo(func(drift.FindingGroup) {}))
			if err != nil {
				b.Fatal(err)
			}
			c := memoryClient(b, body, tallyfy.WithResponseHook(obs.Hook()))
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				listPage(b, c)
			}
			if err := obs.Close(context.Background()); err != nil { // the queued validations
				b.Fatal(err)
			}
			cpu.report(b)
			st := obs.Stats()
			if st.Findings != 0 {
				b.Fatalf("the page does not conform: %d findings", st.Findings)
			}
			b.ReportMetric(float64(st.Validated)/float64(b.N), "validated/op")
			b.ReportMetric(float64(st.Dropped)/float64(b.N), "dropped/op")
		})
	}
}

// cpuMeter measures the process's CPU time from its start to report.
type cpuMeter struct {
	start time.Duration
	ok    bool
}

func startCPU() cpuMeter {
	start, ok := processCPU()
	return cpuMeter{start: start, ok: ok}
}

// report adds cpu-ns/op: the CPU time since start, per iteration.
func (m cpuMeter) report(b *testing.B) {
	end, ok := processCPU()
	if m.ok && ok && b.N > 0 {
		b.ReportMetric(float64(end-m.start)/float64(b.N), "cpu-ns/op")
	}
}
