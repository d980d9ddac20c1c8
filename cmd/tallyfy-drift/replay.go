package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"

	"github.com/tallyfy-go/tallyfy/drift"
	"github.com/tallyfy-go/tallyfy/drift/report"
	"github.com/tallyfy-go/tallyfy/internal/bytesize"
	"github.com/tallyfy-go/tallyfy/internal/redact"
	"github.com/tallyfy-go/tallyfy/internal/textcut"
	"github.com/tallyfy-go/tallyfy/recording"
	"github.com/tallyfy-go/tallyfy/recordings"
)

// maxRecordings bounds how many files a replay lists: a folder of
// recordings is input like any other, and may hold a FIFO, a device, or a
// file far too big.
const maxRecordings = 10000

// recordingFileLimit is the largest recording file a replay reads:
// recording.MaxFileSize, twice --max-body (64 MiB by default), the most a
// capture under the same limit writes.
func recordingFileLimit(maxBody int64) int64 { return recording.MaxFileSize(maxBody) }

// checkRecordings checks a folder of recordings (--replay), or the ones
// embedded in the binary, one file at a time: it stops between files when
// ctx is done, and reads only regular files, each under recordingFileLimit.
// A file it refuses or cannot read is that check's error, named in the
// report; the other files are still checked. sug, when not nil, is given
// every checked exchange.
func checkRecordings(ctx context.Context, o *options, v *drift.Validator, sug *drift.Suggester, stderr io.Writer) *report.Report {
	p := planRecordings(o, v)
	defer p.close()
	r := p.report
	if r.Error != "" {
		return r
	}
	if o.mode == report.ModeEmbedded {
		fmt.Fprintf(stderr, "tallyfy-drift: no live check asked for (%s, %s and %s are unset): checking the %d recordings embedded in tallyfy-drift\n",
			envToken, envOrg, envRun, len(r.Checks))
	} else {
		fmt.Fprintf(stderr, "tallyfy-drift: checking the %d recordings %s\n", len(r.Checks), textcut.Line(p.where, 300))
	}
	var failed []string
	for i, check := range r.Checks {
		name := check.Name
		if ctx.Err() != nil {
			r.Error = "interrupted: " + context.Cause(ctx).Error()
			for j := i; j < len(r.Checks); j++ {
				r.Checks[j].Skipped = "not run: interrupted"
			}
			return r
		}
		rec, err := readRecording(p.fsys, name, recordingFileLimit(o.maxBody))
		if err != nil {
			r.Checks[i].Error = err.Error()
			failed = append(failed, err.Error())
			continue
		}
		entry := report.Check(ctx, v, name, rec.Name, rec)
		r.Exchanges = append(r.Exchanges, entry)
		if sug != nil {
			// The values read for a suggestion come from the scrubbed body.
			sug.Add(name, drift.FromRecording(rec.Scrubbed(redact.New(o.token))), entry.Findings)
		}
	}
	if len(failed) > 0 {
		r.Error = fmt.Sprintf("%d of %d recordings could not be read; the first: %s", len(failed), len(r.Checks), failed[0])
	}
	return r
}

// recordingPlan is what a check of recordings plans: its report, with one
// planned check per recording (or the error of a folder that cannot be
// read), and the files to read.
type recordingPlan struct {
	report *report.Report
	fsys   fs.FS
	where  string // "in DIR", or where the embedded recordings are
	close  func() // closes the folder
}

// planRecordings lists the recordings a replay (or a check of the
// embedded recordings) would check.
func planRecordings(o *options, v *drift.Validator) recordingPlan {
	p := recordingPlan{
		report: &report.Report{Mode: o.mode, SpecVersion: v.SpecVersion()},
		fsys:   recordings.FS(),
		where:  "embedded in tallyfy-drift; no live check was asked for",
		close:  func() {},
	}
	r := p.report
	if o.mode == report.ModeReplay {
		p.where = "in " + o.replayDir
		root, err := os.OpenRoot(o.replayDir)
		if err != nil {
			r.Target, r.Error = "recordings "+p.where, "--replay "+o.replayDir+": "+dirProblem(err)
			return p
		}
		p.fsys, p.close = newReplayFS(root), func() { _ = root.Close() }
	}
	names, err := recordingNames(p.fsys)
	if err != nil {
		r.Target, r.Error = "recordings "+p.where, "reading the recordings "+p.where+": "+dirProblem(err)
		return p
	}
	r.Target = fmt.Sprintf("%d recordings %s", len(names), p.where)
	if len(names) == 0 {
		r.Error = "no recordings (*.json) " + p.where
	}
	for _, name := range names {
		r.Checks = append(r.Checks, report.PlannedCheck{Name: name})
	}
	return p
}

// recordingNames lists the *.json entries at the root of fsys, sorted:
// every one, directories included, for readRecording to accept or refuse
// by name. A directory named like a recording is not skipped in silence.
func recordingNames(fsys fs.FS) ([]string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		if len(names) == maxRecordings {
			return nil, fmt.Errorf("more than %d recordings", maxRecordings)
		}
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names, nil
}

// readRecording reads and decodes one recording. It refuses, naming the
// file, anything but a regular file inside the folder (a directory, a FIFO
// that would block forever, a device that would never end, a symlink that
// would lead anywhere), and any file over limit bytes.
func readRecording(fsys fs.FS, name string, limit int64) (*recording.Exchange, error) {
	refuse := func(why string) error { return fmt.Errorf("refusing %s: %s", name, why) }
	info, err := fs.Stat(fsys, name) // follows a symlink, but not out of the folder
	if err != nil {
		link, lerr := fs.Lstat(fsys, name)
		isLink := lerr == nil && link.Mode()&fs.ModeSymlink != 0
		switch {
		case isLink && errors.Is(err, fs.ErrNotExist):
			return nil, refuse("it is a symlink to nothing")
		case isLink:
			return nil, refuse("it is a symlink that leads out of the folder")
		}
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if err := regular(info, limit); err != nil {
		return nil, refuse(err.Error())
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	defer f.Close()
	// What was opened is what is read: check it again.
	if info, err = f.Stat(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if err := regular(info, limit); err != nil {
		return nil, refuse(err.Error())
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, refuse(tooBig(limit))
	}
	return recording.Decode(data, strings.TrimSuffix(name, ".json"))
}

// regular says why info is not a regular file of at most limit bytes, or nil.
func regular(info fs.FileInfo, limit int64) error {
	m := info.Mode()
	switch {
	case m.IsDir():
		return errors.New("it is a directory, not a recording")
	case m&fs.ModeNamedPipe != 0:
		return errors.New("it is a named pipe (FIFO), not a regular file")
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		return errors.New("it is a device, not a regular file")
	case m&fs.ModeSocket != 0:
		return errors.New("it is a socket, not a regular file")
	case !m.IsRegular():
		return fmt.Errorf("it is not a regular file (%s)", m.Type())
	case info.Size() > limit:
		return errors.New(tooBig(limit))
	}
	return nil
}

// tooBig says that a file is over limit, and which flag raises it.
func tooBig(limit int64) string {
	return "it is larger than " + bytesize.Format(limit) + " (twice --max-body)"
}

// dirProblem says, in a few words, why a folder of recordings cannot be read.
func dirProblem(err error) string {
	var pathErr *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.As(err, &pathErr):
		return pathErr.Err.Error()
	}
	return err.Error()
}
