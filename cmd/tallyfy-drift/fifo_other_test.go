//go:build !unix

package main

import "testing"

// mkfifo skips the test: named pipes are a Unix feature.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	t.Skip("named pipes (FIFOs) are a Unix feature; " + path + " cannot be made here")
}
