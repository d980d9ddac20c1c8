package recording

import (
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/internal/testsupport/hostile"
)

var errTooLarge = errors.New("too large")

func TestTransportHoldsNoMoreThanMaxBody(t *testing.T) {
	bomb := hostile.NewGzipBomb(8 << 20) // built before any request
	cases := []struct {
		name     string
		behave   http.HandlerFunc
		noGzip   bool // the transport below leaves gzip compressed
		tooLarge func(int64) error
		wantErr  string
	}{
		{name: "endless body", behave: hostile.EndlessBody(200, `{"data":[`), wantErr: "exceeds recording.Transport.MaxBody, 1048576 bytes"},
		{name: "gzip bomb, inflated by the transport", behave: hostile.ServeGzipBomb(200, bomb), wantErr: "recording.Transport.MaxBody"},
		{name: "gzip bomb, left compressed", behave: hostile.ServeGzipBomb(200, bomb), noGzip: true, wantErr: "recording.Transport.MaxBody"},
		{name: "the caller's error", behave: hostile.EndlessBody(500, ``), tooLarge: func(int64) error { return errTooLarge }, wantErr: "too large"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := hostile.Start(t, tc.behave)
			next := http.DefaultTransport.(*http.Transport).Clone()
			next.DisableCompression = tc.noGzip
			called := false
			tr := &Transport{Next: next, MaxBody: 1 << 20, TooLarge: tc.tooLarge, OnExchange: func(*Exchange) { called = true }}
			_, err := (&http.Client{Transport: tr}).Get(srv.URL)
			assert.ErrorContains(t, err, tc.wantErr)
			assert.False(t, called, "a body over the limit is not handed on")
		})
	}
}

func TestTransportCapturesAnUnaskedGzipBodyInflated(t *testing.T) {
	bomb := hostile.NewGzipBomb(4 << 10)
	srv := hostile.Start(t, hostile.ServeGzipBomb(200, bomb))
	next := http.DefaultTransport.(*http.Transport).Clone()
	next.DisableCompression = true
	var got *Exchange
	tr := &Transport{Next: next, OnExchange: func(ex *Exchange) { got = ex }}
	resp, err := (&http.Client{Transport: tr}).Get(srv.URL)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Len(t, body, int(bomb.Inflated), "the caller reads the inflated body")
	assert.Empty(t, resp.Header.Get("Content-Encoding"))
	require.NotNil(t, got)
	assert.Len(t, got.Response.BodyBytes(), int(bomb.Inflated), "the capture holds JSON, not gzip")
	assert.NotEmpty(t, got.Response.Body, "kept as JSON")
}
