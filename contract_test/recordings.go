// Package contracttest holds the recorded exchanges with Tallyfy's API that
// the contract tests and the tallyfy-drift command check against the spec.
//
// The recordings live in testdata/ and are embedded here, so the command
// checks exactly the files the tests check.
package contracttest

import (
	"embed"
	"io/fs"

	"github.com/tallyfy-go/tallyfy/recording"
)

//go:embed testdata/*.json
var testdata embed.FS

// Recordings is the folder of embedded recordings (the *.json files of testdata/).
var Recordings fs.FS = mustSub(testdata, "testdata")

// Load returns every embedded recording, sorted by file name.
func Load() ([]*recording.Exchange, error) {
	return recording.LoadDir(Recordings, ".")
}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // unreachable: dir is a literal that embeds at build time
	}
	return sub
}
