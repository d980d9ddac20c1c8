package main

import (
	"strconv"

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
