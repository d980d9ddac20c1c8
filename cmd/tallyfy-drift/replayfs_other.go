//go:build !unix

package main

// openNonBlocking is 0 where there are no FIFOs to wait on.
const openNonBlocking = 0
