// Package bytesize is the one place where sizes are written for people and
// read back from them: limits in error messages, and the --max-body flag.
package bytesize

import (
	"fmt"
	"strconv"
	"strings"
)

// Format writes n in the largest binary unit that divides it ("32 MiB",
// "64 KiB", "1000 bytes"), a form that Parse reads back.
func Format(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Parse reads a size of 1 byte to 1024 GiB written as a number of bytes or
// with a binary unit: 1048576, 512KiB, 32 MiB, 1GiB, 10 bytes (the unit in
// any case).
func Parse(s string) (int64, error) {
	units := []struct {
		suffix string
		shift  uint
	}{{"gib", 30}, {"mib", 20}, {"kib", 10}, {"bytes", 0}, {"b", 0}, {"", 0}}
	lower := strings.ToLower(strings.TrimSpace(s))
	for _, u := range units {
		digits, ok := strings.CutSuffix(lower, u.suffix)
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(digits), 10, 64)
		if err != nil || n < 1 || n > 1<<(40-u.shift) {
			break
		}
		return n << u.shift, nil
	}
	return 0, fmt.Errorf("write a size from 1 byte to 1024GiB, like 64MiB or 1048576 (got %q)", s)
}
