package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/internal/testsupport/standin"
)

// paceOf reads the pace of a JSON report.
func paceOf(t *testing.T, stdout string) (budget string, waited time.Duration) {
	t.Helper()
	var doc struct {
		Pace *struct {
			Budget   string `json:"budget"`
			WaitedMS int64  `json:"waited_ms"`
		} `json:"pace"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc), stdout)
	require.NotNil(t, doc.Pace, "a live report says its pace")
	return doc.Pace.Budget, time.Duration(doc.Pace.WaitedMS) * time.Millisecond
}

// --rate paces the live check with the client's own pacing: past the
// burst, requests wait for their turns, and the report says how long.
func TestRatePacesTheLiveCheckAndTheReportSaysHowLong(t *testing.T) {
	s := startStandIn(t, standin.Config{})
	r := invoke(t, liveEnv(s), "--rate", "40/s", "--format", "json")
	require.Equal(t, exitConforms, r.code, r.stderr)
	budget, waited := paceOf(t, r.stdout)
	assert.Equal(t, "40 requests per 1s", budget)
	// More than 40 requests at 40 a second, 40 of them at once at most:
	// the rest waited, together at least (requests-40)/40 s.
	require.Greater(t, s.Requests(), 40)
	least := time.Duration(s.Requests()-40) * time.Second / 40
	assert.GreaterOrEqual(t, waited, least/2, "requests past the budget waited for their turns")

	text := invoke(t, liveEnv(startStandIn(t, standin.Config{})), "--rate", "off")
	require.Equal(t, exitConforms, text.code, text.stderr)
	assert.Contains(t, text.stdout, "pace: rate budget off; waited 0s for turns")
}

func TestRateFlagRejectsNonsense(t *testing.T) {
	for _, v := range []string{"fast", "0/min", "-5/s", "10", "10/day", "1.5/s"} {
		t.Run(v, func(t *testing.T) {
			r := invoke(t, nil, "--rate", v)
			assert.Equal(t, exitCannotCheck, r.code)
			assert.Contains(t, r.stderr, "write a rate like 600/min, 10/s or off")
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"))
		})
	}
}

func TestRateFlagForms(t *testing.T) {
	cases := map[string]rateFlag{
		"600/min": {600, time.Minute}, "10/s": {10, time.Second}, "3600/h": {3600, time.Hour}, "OFF": {}, " 7/MIN ": {7, time.Minute},
	}
	for in, want := range cases {
		var f rateFlag
		require.NoError(t, f.Set(in), in)
		assert.Equal(t, want, f, in)
	}
	assert.Equal(t, "600/min", (&rateFlag{600, time.Minute}).String())
	assert.Equal(t, "off", (&rateFlag{}).String())
	assert.Equal(t, -1, (&rateFlag{}).limit(), "off is no pacing for livecheck")
}
