package tolerant_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/tolerant"
)

func TestTimeAcceptsEveryDocumentedShape(t *testing.T) {
	plus2 := time.FixedZone("", 2*3600)
	cases := []struct {
		name string
		json string
		want time.Time
	}{
		{"RFC 3339 in UTC", `"2025-05-15T14:30:00Z"`, time.Date(2025, 5, 15, 14, 30, 0, 0, time.UTC)},
		{"RFC 3339 with milliseconds", `"2025-05-15T14:30:00.000Z"`, time.Date(2025, 5, 15, 14, 30, 0, 0, time.UTC)},
		{"RFC 3339 with nanoseconds", `"2025-05-15T14:30:00.123456789Z"`, time.Date(2025, 5, 15, 14, 30, 0, 123456789, time.UTC)},
		{"RFC 3339 with an offset", `"2025-05-15T16:30:00+02:00"`, time.Date(2025, 5, 15, 16, 30, 0, 0, plus2)},
		{"space, no zone, is UTC", `"2025-04-16 09:00:00"`, time.Date(2025, 4, 16, 9, 0, 0, 0, time.UTC)},
		{"space with a fraction, no zone", `"2025-04-16 09:00:00.250"`, time.Date(2025, 4, 16, 9, 0, 0, 250e6, time.UTC)},
		{"space with Z", `"2025-04-16 09:00:00Z"`, time.Date(2025, 4, 16, 9, 0, 0, 0, time.UTC)},
		{"space with a fraction and Z", `"2025-04-16 09:00:00.5Z"`, time.Date(2025, 4, 16, 9, 0, 0, 5e8, time.UTC)},
		{"space with an offset", `"2025-04-16 11:00:00+02:00"`, time.Date(2025, 4, 16, 11, 0, 0, 0, plus2)},
		{"escaped string", `"2025-04-16\u002009:00:00"`, time.Date(2025, 4, 16, 9, 0, 0, 0, time.UTC)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got tolerant.Time
			require.NoError(t, json.Unmarshal([]byte(tc.json), &got))
			assert.True(t, tc.want.Equal(got.Time), "got %v, want %v", got.Time, tc.want)
			_, wantOffset := tc.want.Zone()
			_, gotOffset := got.Zone()
			assert.Equal(t, wantOffset, gotOffset, "zone offset")

			again, err := json.Marshal(got)
			require.NoError(t, err)
			assert.Equal(t, tc.json, string(again), "re-encodes exactly as it came")
		})
	}
}

func TestTimeRejectsOtherShapes(t *testing.T) {
	cases := []struct {
		name string
		json string
		want string // in the error
	}{
		{"a date alone", `"2025-04-16"`, `got "2025-04-16"`},
		{"T without a zone", `"2025-04-16T09:00:00"`, "RFC 3339"},
		{"two spaces", `"2025-04-16  09:00:00"`, "RFC 3339"},
		{"an impossible day", `"2025-02-30T09:00:00Z"`, "RFC 3339"},
		{"an offset without colon", `"2025-04-16 09:00:00+0200"`, "RFC 3339"},
		{"empty string", `""`, "RFC 3339"},
		{"a number", `1744794000`, "want a date-time string"},
		{"true", `true`, "want a date-time string"},
		{"an object", `{"date":"2025-04-16"}`, "want a date-time string"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got tolerant.Time
			err := json.Unmarshal([]byte(tc.json), &got)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "tolerant: time")
			assert.Contains(t, err.Error(), tc.want)
			assert.True(t, got.IsZero(), "a rejected value leaves the Time unset")
		})
	}
}

func TestTimeErrorQuotesOnlyAPrefix(t *testing.T) {
	secret := strings.Repeat("x", 30) + "TAIL-THAT-MUST-NOT-APPEAR"
	var got tolerant.Time
	err := json.Unmarshal([]byte(`"`+secret+`"`), &got)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "TAIL")
	assert.True(t, strings.HasSuffix(err.Error(), "…"), "a cut value says so")
	assert.Less(t, len(err.Error()), 120)
}

func TestTimeNull(t *testing.T) {
	var field struct {
		At    *tolerant.Time `json:"at"`
		Value tolerant.Time  `json:"value"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"at":null,"value":null}`), &field))
	assert.Nil(t, field.At, "null leaves a pointer nil")
	assert.True(t, field.Value.IsZero(), "null leaves a value unset")

	again, err := json.Marshal(field)
	require.NoError(t, err)
	assert.JSONEq(t, `{"at":null,"value":null}`, string(again), "the zero Time encodes as null")
}

func TestTimeChangedInGoEncodesAsRFC3339(t *testing.T) {
	var got tolerant.Time
	require.NoError(t, json.Unmarshal([]byte(`"2025-04-16 09:00:00"`), &got))
	got.Time = got.Add(90 * time.Minute)
	again, err := json.Marshal(got)
	require.NoError(t, err)
	assert.Equal(t, `"2025-04-16T10:30:00Z"`, string(again), "a stale raw text is never emitted")

	built, err := json.Marshal(tolerant.NewTime(time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)))
	require.NoError(t, err)
	assert.Equal(t, `"2025-01-02T03:04:05.000000006Z"`, string(built))
}

func TestTimeReadsAsATimeTime(t *testing.T) {
	var task struct {
		Deadline *tolerant.Time `json:"deadline"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"deadline":"2025-05-28 17:00:00"}`), &task))
	require.NotNil(t, task.Deadline)
	assert.Equal(t, "2025-05-28", task.Deadline.Format(time.DateOnly))
	assert.True(t, task.Deadline.Before(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)))
	var asTime time.Time = task.Deadline.Time
	assert.Equal(t, 17, asTime.Hour())
}

func TestTimeUnmarshalTextIsAsTolerant(t *testing.T) {
	var got tolerant.Time
	require.NoError(t, got.UnmarshalText([]byte("2025-04-16 09:00:00")))
	assert.Equal(t, time.Date(2025, 4, 16, 9, 0, 0, 0, time.UTC), got.Time)
	require.Error(t, got.UnmarshalText([]byte("16/04/2025")))
}
