package recording

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tallyfy-go/tallyfy/internal/redact"
)

// Scrubbed replaces the token, in any form, in the URL, the headers'
// names and values, and the bodies, and leaves everything else (other
// headers, e-mail addresses) and the original as they were.
func TestScrubbedRemovesTheTokenAndNothingElse(t *testing.T) {
	escaped := strings.ReplaceAll(token, "-", `\u002d`) // the token, JSON-escaped
	ex := &Exchange{
		Provenance: Provenance{Kind: KindCapture, Source: "https://go.tallyfy.com/api"},
		Request: Request{Method: "GET", URL: "https://go.tallyfy.com/api/organizations/x/tasks?q=" + token,
			Headers: map[string]string{"Authorization": "Bearer " + token, "X-" + token: "1"}},
		Response: Response{Status: 200,
			Headers:  map[string]string{"X-Echo": token, "X-Owner": "ann@company.example"},
			Body:     []byte(`{"data":[{"status":"` + escaped + `","owner":"ann@company.example"}]}`),
			BodyText: "refused " + token},
	}
	out := ex.Scrubbed(redact.New(token))

	assert.Equal(t, "https://go.tallyfy.com/api/organizations/x/tasks?q=[redacted]", out.Request.URL)
	assert.Equal(t, map[string]string{"Authorization": "Bearer [redacted]", "X-[redacted]": "1"}, out.Request.Headers)
	assert.Equal(t, map[string]string{"X-Echo": "[redacted]", "X-Owner": "ann@company.example"}, out.Response.Headers)
	assert.Equal(t, `{"data":[{"status":"[redacted]","owner":"ann@company.example"}]}`, string(out.Response.Body))
	assert.Equal(t, "refused [redacted]", out.Response.BodyText)
	assert.Equal(t, ex.Provenance, out.Provenance)

	assert.Contains(t, ex.Request.URL, token, "the original is not changed")
	assert.Equal(t, "Bearer "+token, ex.Request.Headers["Authorization"])
	assert.Contains(t, string(ex.Response.Body), escaped)
}

// A body without the token is not copied: a check of a large page costs
// no second copy of it.
func TestScrubbedKeepsABodyWithoutTheToken(t *testing.T) {
	ex := validExchange()
	out := ex.Scrubbed(redact.New(token))
	assert.Same(t, &ex.Response.Body[0], &out.Response.Body[0])
	assert.Equal(t, ex.Request, out.Request)
}
