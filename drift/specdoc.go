package drift

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tallyfy-go/tallyfy/internal/textcut"
	"github.com/tallyfy-go/tallyfy/spec"
)

// loadSpec returns the embedded spec when document is nil, else document
// loaded and validated: it comes from a file a user names, so it is held
// to what the embedded spec is held to in the tests (OpenAPI 3.0, valid)
// and may not reach other files.
func loadSpec(document []byte) (*openapi3.T, error) {
	if document == nil {
		doc, err := spec.GetSpec()
		if err != nil {
			return nil, fmt.Errorf("drift: loading the spec: %w", err)
		}
		return doc, nil
	}
	if len(bytes.TrimSpace(document)) == 0 {
		return nil, errors.New("drift: the spec is empty")
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(document)
	if err != nil {
		// A YAML error spans lines, and a schema error may quote much of
		// the document: the error says it on one line, cut.
		return nil, errors.New("drift: the spec does not load: " + textcut.Line(err.Error(), maxMessage))
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0.") {
		return nil, errors.New(shortMessage("drift: the spec says openapi %q: the drift check needs OpenAPI 3.0", doc.OpenAPI))
	}
	if doc.Paths == nil || doc.Paths.Len() == 0 {
		return nil, errors.New("drift: the spec has no paths")
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, errors.New("drift: the spec is not valid: " + textcut.Line(err.Error(), maxMessage))
	}
	return doc, nil
}
