// Package recordings holds the recorded exchanges with Tallyfy's API that
// the contract tests and the tallyfy-drift command check against the spec:
// the *.json files of this folder, embedded, one copy of each.
//
// Every file says where it came from (see package recording); the ones
// shipped today are hand-made from Tallyfy's published examples.
package recordings

import (
	"embed"
	"io/fs"

	"github.com/tallyfy-go/tallyfy/recording"
)

//go:embed *.json
var files embed.FS

// FS returns the folder of embedded recordings: the *.json files at its
// root. It is read-only, and a function rather than a variable, so that no
// importer can swap the recordings every other importer checks.
func FS() fs.FS { return files }

// Load returns every embedded recording, sorted by file name.
func Load() ([]*recording.Exchange, error) {
	return recording.LoadDir(files, ".")
}
