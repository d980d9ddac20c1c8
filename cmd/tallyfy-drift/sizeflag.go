package main

import (
	"fmt"
	"strconv"
	"strings"
)

// maxBodyFlag is --max-body: the most bytes of one response body a live
// check holds and validates, written as bytes or with a binary unit.
type maxBodyFlag struct{ n *int64 }

func (f maxBodyFlag) String() string {
	if f.n == nil {
		return ""
	}
	return strconv.FormatInt(*f.n, 10)
}

// Set accepts 1048576, 512KiB, 32MiB or 1GiB (the unit in any case).
func (f maxBodyFlag) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	*f.n = n
	return nil
}

func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		shift  uint
	}{{"gib", 30}, {"mib", 20}, {"kib", 10}, {"b", 0}, {"", 0}}
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

// formatSize writes n in the largest binary unit that divides it, as
// --max-body accepts it back.
func formatSize(n int64) string {
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
