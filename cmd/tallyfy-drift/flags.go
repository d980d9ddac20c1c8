package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tallyfy-go/tallyfy/internal/bytesize"
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
	n, err := bytesize.Parse(s)
	if err != nil {
		return err
	}
	*f.n = n
	return nil
}

// rateFlag is --rate: the live check's rate budget, n requests per unit
// (600/min, 10/s, 3600/h), or off.
type rateFlag struct {
	n   int // 0: off
	per time.Duration
}

var rateUnits = map[string]time.Duration{"s": time.Second, "sec": time.Second, "min": time.Minute, "m": time.Minute, "h": time.Hour, "hour": time.Hour}

func (f *rateFlag) String() string {
	if f == nil || f.n == 0 {
		return "off"
	}
	for _, unit := range []string{"s", "min", "h"} {
		if rateUnits[unit] == f.per {
			return strconv.Itoa(f.n) + "/" + unit
		}
	}
	return strconv.Itoa(f.n) + "/" + f.per.String()
}

// Set accepts N/s, N/min or N/h with N a whole number from 1, or off.
func (f *rateFlag) Set(s string) error {
	if strings.EqualFold(strings.TrimSpace(s), "off") {
		f.n, f.per = 0, 0
		return nil
	}
	count, unit, ok := strings.Cut(strings.TrimSpace(s), "/")
	n, err := strconv.Atoi(count)
	per, known := rateUnits[strings.ToLower(unit)]
	if !ok || err != nil || n < 1 || !known {
		return fmt.Errorf("write a rate like 600/min, 10/s or off (got %q)", s)
	}
	f.n, f.per = n, per
	return nil
}

// limit is the livecheck.Config.RateLimit of the flag: negative when off.
func (f *rateFlag) limit() int {
	if f.n == 0 {
		return -1
	}
	return f.n
}
