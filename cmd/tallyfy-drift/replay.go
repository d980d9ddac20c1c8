package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/drift/report"
	"github.com/tallyfy-go/tallyfy/recording"
	"github.com/tallyfy-go/tallyfy/recordings"
)

// checkRecordings checks a folder of recordings (--replay), or the ones
// embedded in the binary, and says which on stderr.
func checkRecordings(ctx context.Context, o *options, v *drift.Validator, stderr io.Writer) (*report.Report, error) {
	var fsys fs.FS = recordings.FS
	target := "recordings embedded in tallyfy-drift"
	if o.replayDir != "" {
		fsys, target = os.DirFS(o.replayDir), "recordings in "+o.replayDir
	}
	recs, err := recording.LoadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	if o.replayDir == "" {
		fmt.Fprintf(stderr, "tallyfy-drift: TALLYFY_ACCESS_TOKEN is not set: checking the %d %s\n", len(recs), target)
	} else {
		fmt.Fprintf(stderr, "tallyfy-drift: checking the %d %s\n", len(recs), target)
	}
	if o.replayDir == "" {
		target += " (TALLYFY_ACCESS_TOKEN not set)"
	}
	r := &report.Report{Target: fmt.Sprintf("%d %s", len(recs), target), SpecVersion: v.SpecVersion()}
	for _, rec := range recs {
		r.Exchanges = append(r.Exchanges, report.Check(ctx, v, rec.Name, rec))
	}
	return r, nil
}
