package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/speakeasy-api/openapi/overlay"
	"gopkg.in/yaml.v3"

	"github.com/tallyfy-go/tallyfy/internal/textcut"
	"github.com/tallyfy-go/tallyfy/tools/internal/upstream"
)

// files are the files apply reads, and rewrites (spec, reconciliation).
type files struct {
	overlay, spec, reconciliation, extract string
}

// maxFileBytes bounds every file apply reads: the spec is a few dozen KB,
// an overlay of the drift check at most a few hundred actions.
const maxFileBytes = 8 << 20

// result is what apply did.
type result struct {
	actions  int
	openapi  string // the result's openapi version
	observed []upstream.Entry
	diffs    []upstream.Entry
	removed  []string
}

// print says what was applied and what to run next.
func (r *result) print(w io.Writer, f files) {
	fmt.Fprintf(w, "apply-overlay: applied %s of %s to %s; it loads and validates as OpenAPI %s\n",
		plural(r.actions, "action"), f.overlay, f.spec, r.openapi)
	fmt.Fprintf(w, "apply-overlay: %s: added %d observed and %d difference entries, removed %d\n",
		f.reconciliation, len(r.observed), len(r.diffs), len(r.removed))
	for _, e := range r.observed {
		fmt.Fprintf(w, "  + observed   %s (Tallyfy's Swagger: %s; openapi.yaml: %s)\n", e.Key, e.Upstream, e.Ours)
	}
	for _, e := range r.diffs {
		fmt.Fprintf(w, "  + difference %s (Tallyfy's Swagger: %s; openapi.yaml: %s)\n", e.Key, e.Upstream, e.Ours)
	}
	for _, k := range r.removed {
		fmt.Fprintf(w, "  - %s (no longer a difference)\n", k)
	}
	fmt.Fprintln(w, "apply-overlay: next: make generate, then make test (its spec-check says whether the change breaks users of the released spec)")
}

// plural writes "1 action", "2 actions".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// apply applies the overlay to the spec, checks the result, keeps the
// reconciliation whole, and writes both files, or nothing.
func apply(ctx context.Context, f files, today time.Time) (*result, error) {
	data, err := readFiles(f.overlay, f.spec, f.reconciliation, f.extract)
	if err != nil {
		return nil, err
	}
	overlayData, specData, recData, extractData := data[0], data[1], data[2], data[3]

	o, err := overlay.ParseReader(bytes.NewReader(overlayData))
	if err != nil {
		return nil, fmt.Errorf("%w: %s does not parse as an overlay: %v", errDoesNotFit, f.overlay, err)
	}
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %s is not a valid overlay: %s", errDoesNotFit, f.overlay, oneLine(err))
	}
	metas := metadata(o)
	newSpec, err := applyToSpec(o, metas, specData)
	if err != nil {
		return nil, err
	}
	before, err := loadSpec(ctx, specData)
	if err != nil {
		return nil, fmt.Errorf("%s, before the overlay: %w", f.spec, err)
	}
	after, err := loadSpec(ctx, newSpec)
	if err != nil {
		return nil, fmt.Errorf("%w: with the overlay applied, %s %v", errDoesNotFit, f.spec, err)
	}
	up, err := upstream.LoadExtract(extractData)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.extract, err)
	}
	rec, err := upstream.ParseReconciliation(recData)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.reconciliation, err)
	}
	p := planReconciliation(before, after, up, rec, metas, fallbackSource(f.overlay, today))
	newRec, err := editReconciliation(recData, p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.reconciliation, err)
	}
	if err := stillWhole(recData, newRec, before, after, up); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errDoesNotFit, f.reconciliation, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := replaceFile(f.spec, newSpec); err != nil {
		return nil, fmt.Errorf("writing %s: %w", f.spec, err)
	}
	if !bytes.Equal(newRec, recData) {
		if err := replaceFile(f.reconciliation, newRec); err != nil {
			return nil, fmt.Errorf("writing %s (%s is already written): %w", f.reconciliation, f.spec, err)
		}
	}
	return &result{actions: len(o.Actions), openapi: after.OpenAPI, observed: p.observed, diffs: p.diffs, removed: p.remove}, nil
}

// applyToSpec applies the overlay to the spec's YAML tree, in strict
// mode, and writes the tree back as openapi.yaml is written: unchanged
// lines stay byte for byte.
func applyToSpec(o *overlay.Overlay, metas []actionMeta, spec []byte) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(spec, &root); err != nil {
		return nil, fmt.Errorf("the spec is not YAML: %s", oneLine(err))
	}
	if err := notAppliedYet(o, metas, &root); err != nil {
		return nil, err
	}
	warnings, err := o.ApplyToStrict(&root)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", errDoesNotFit, oneLine(err))
	}
	if len(warnings) > 0 {
		return nil, fmt.Errorf("%w: %s", errDoesNotFit, strings.Join(warnings, "; "))
	}
	if err := noDuplicateEnumValues(&root, ""); err != nil {
		return nil, err
	}
	return encodeSpec(&root)
}

// encodeSpec writes a spec's YAML tree as openapi.yaml is written: a
// tree decoded from it and not changed is written back byte for byte.
func encodeSpec(root *yaml.Node) ([]byte, error) {
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// notAppliedYet refuses an overlay of the drift check that would add a
// field the target already has: merging into it would change the field
// quietly (the overlay was applied before, or the spec changed since).
func notAppliedYet(o *overlay.Overlay, metas []actionMeta, root *yaml.Node) error {
	for i, a := range o.Actions {
		m := metas[i]
		if m.kind != kindField || a.Remove {
			continue
		}
		path, err := o.NewPath(a.Target, nil)
		if err != nil {
			continue // ApplyToStrict says what is wrong with it
		}
		for _, n := range path.Query(root) {
			if n.Kind != yaml.MappingNode {
				continue
			}
			for j := 0; j+1 < len(n.Content); j += 2 {
				if n.Content[j].Value == m.name {
					return fmt.Errorf("%w: action %d adds the field %q to %s, which has it already: was the overlay applied before?",
						errDoesNotFit, i+1, m.name, a.Target)
				}
			}
		}
	}
	return nil
}

// noDuplicateEnumValues refuses a spec whose enum lists a value twice:
// an overlay that appends a value the enum has (applied twice).
func noDuplicateEnumValues(n *yaml.Node, path string) error {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for i, c := range n.Content {
			if err := noDuplicateEnumValues(c, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, value := n.Content[i].Value, n.Content[i+1]
			if key == "enum" && value.Kind == yaml.SequenceNode {
				var seen []string
				for _, v := range value.Content {
					if slices.Contains(seen, v.Value) {
						return fmt.Errorf("%w: the enum at %s.enum lists %q twice: was the overlay applied before?",
							errDoesNotFit, path, textcut.Line(v.Value, 100))
					}
					seen = append(seen, v.Value)
				}
			}
			if err := noDuplicateEnumValues(value, path+"."+key); err != nil {
				return err
			}
		}
	}
	return nil
}

// loadSpec loads a spec as the drift check loads one (--spec): OpenAPI
// 3.0, with paths, valid, and no reference to another file.
func loadSpec(ctx context.Context, data []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("does not load: %s", oneLine(err))
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0.") {
		return nil, fmt.Errorf("says openapi %q, not 3.0", doc.OpenAPI)
	}
	if doc.Paths == nil || doc.Paths.Len() == 0 {
		return nil, errors.New("has no paths")
	}
	if err := doc.Validate(ctx); err != nil {
		return nil, fmt.Errorf("is not valid: %s", oneLine(err))
	}
	return doc, nil
}

// oneLine is an error on one line, cut.
func oneLine(err error) string { return textcut.Line(err.Error(), 600) }

// readFiles reads each path as readFile does, in order, and stops at the
// first that fails.
func readFiles(paths ...string) ([][]byte, error) {
	out := make([][]byte, len(paths))
	for i, path := range paths {
		data, err := readFile(path)
		if err != nil {
			return nil, err
		}
		out[i] = data
	}
	return out, nil
}

// readFile reads a regular file of at most maxFileBytes.
func readFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("%s is over %d bytes", path, maxFileBytes)
	}
	return data, nil
}

// replaceFile writes data to path whole or not at all (a temporary file
// in the same folder, renamed), keeping path's permissions.
func replaceFile(path string, data []byte) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(info.Mode().Perm())
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
	}
	return err
}
