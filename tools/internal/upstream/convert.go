package upstream

import (
	"encoding/json"
	"fmt"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

// LoadExtract reads an extract (or the whole Swagger 2.0) and converts it
// to OpenAPI 3 with kin-openapi's openapi2conv, references resolved.
func LoadExtract(data []byte) (*openapi3.T, error) {
	var doc2 openapi2.T
	if err := json.Unmarshal(data, &doc2); err != nil {
		return nil, fmt.Errorf("upstream extract: %w", err)
	}
	doc3, err := openapi2conv.ToV3(&doc2)
	if err != nil {
		return nil, fmt.Errorf("upstream extract: converting to OpenAPI 3: %w", err)
	}
	return doc3, nil
}
