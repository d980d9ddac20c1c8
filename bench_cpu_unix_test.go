//go:build unix

package tallyfy_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system) this process has used,
// on every goroutine: a benchmark's cost that another process's load on the
// machine does not inflate the way it inflates wall-clock time.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
