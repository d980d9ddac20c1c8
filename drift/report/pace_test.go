package report

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A live report says its rate budget and how long its requests waited,
// in every format; a report of recordings says nothing of it.
func TestEveryFormatSaysThePace(t *testing.T) {
	live := &Report{Mode: ModeLive, Target: "the API at https://go.tallyfy.com/api", SpecVersion: "1",
		Pace: &Pace{Budget: "600 requests per 1m0s", Waited: 1500 * time.Millisecond}}
	want := map[Format]string{
		FormatText:     "pace: rate budget 600 requests per 1m0s; waited 1.5s for turns",
		FormatMarkdown: "Pace: `rate budget 600 requests per 1m0s; waited 1.5s for turns`.",
		FormatJSON:     `"pace": {`,
		FormatJUnit:    `<property name="pace" value="rate budget 600 requests per 1m0s; waited 1.5s for turns"></property>`,
	}
	for format, line := range want {
		var b bytes.Buffer
		require.NoError(t, Write(&b, live, format, TextOptions{}))
		assert.Contains(t, b.String(), line, format)
	}
	var b bytes.Buffer
	require.NoError(t, Write(&b, live, FormatJSON, TextOptions{}))
	assert.Contains(t, b.String(), `"waited_ms": 1500`)

	replay := &Report{Mode: ModeReplay, Target: "3 recordings", SpecVersion: "1"}
	for format := range want {
		var b bytes.Buffer
		require.NoError(t, Write(&b, replay, format, TextOptions{}))
		assert.NotContains(t, b.String(), "pace", format)
	}
}
