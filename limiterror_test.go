package tallyfy

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLimitErrorNamesTheLimitAndItsSize(t *testing.T) {
	cases := []struct {
		err  *LimitError
		want string
	}{
		{&LimitError{Limit: "WithMaxErrorBody", Max: 64 << 10}, "tallyfy: the response exceeds the WithMaxErrorBody limit of 64 KiB"},
		{&LimitError{Limit: "WithMaxTaskSize", Max: 16 << 20}, "tallyfy: the response exceeds the WithMaxTaskSize limit of 16 MiB"},
		{&LimitError{Limit: "x", Max: 2 << 30}, "tallyfy: the response exceeds the x limit of 2 GiB"},
		{&LimitError{Limit: "x", Max: 1000}, "tallyfy: the response exceeds the x limit of 1000 bytes"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, tc.err.Error())
		wrapped := fmt.Errorf("page 3: %w", tc.err)
		var got *LimitError
		require.ErrorAs(t, wrapped, &got)
		assert.Equal(t, tc.err.Max, got.Max)
	}
}

// limitTransport fails every round trip with a *LimitError, as a capturing
// transport does on a body over its limit.
type limitTransport struct{ calls int }

func (l *limitTransport) RoundTrip(*http.Request) (*http.Response, error) {
	l.calls++
	return nil, &LimitError{Limit: "test limit", Max: 10}
}

func TestALimitErrorIsNotRetried(t *testing.T) {
	tr := &limitTransport{}
	c, err := NewClient(testToken, WithHTTPClient(&http.Client{Transport: tr}))
	require.NoError(t, err)
	_, errs := drain(c.RunTasks(context.Background(), testOrg, testRun, nil))
	require.Len(t, errs, 1)
	var limitErr *LimitError
	require.ErrorAs(t, errs[0], &limitErr)
	assert.Equal(t, "test limit", limitErr.Limit)
	assert.Equal(t, 1, tr.calls, "the same server would send the same body again")
}
