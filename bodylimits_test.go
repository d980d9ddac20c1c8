package tallyfy

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tallyfy-go/tallyfy/internal/testsupport/hostile"
)

// countingTransport counts the body bytes the client reads, as the
// transport hands them over (inflated, when the transport inflates).
type countingTransport struct {
	next http.RoundTripper
	read atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(r)
	if err == nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: &c.read}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// countingClient is an http.Client whose transport counts what is read;
// with compression off, it reads gzip bodies as they are sent.
func countingClient(disableCompression bool) (*http.Client, *countingTransport) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableCompression = disableCompression
	ct := &countingTransport{next: tr}
	return &http.Client{Transport: ct}, ct
}

func TestAnErrorBodyIsReadUpToItsLimit(t *testing.T) {
	bomb := hostile.NewGzipBomb(32 << 20) // built outside any timed part
	cases := []struct {
		name   string
		behave http.HandlerFunc
		max    int64 // WithMaxErrorBody
	}{
		{"endless", hostile.EndlessBody(http.StatusBadRequest, `{"message":"`), 0},
		{"gzip bomb", hostile.ServeGzipBomb(http.StatusBadRequest, bomb), 0},
		{"gzip bomb, a raised limit", hostile.ServeGzipBomb(http.StatusBadRequest, bomb), 1 << 20},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := hostile.Start(t, tc.behave)
			hc, counter := countingClient(false)
			opts := []Option{WithHTTPClient(hc)}
			want := DefaultMaxErrorBody
			if tc.max > 0 {
				opts, want = append(opts, WithMaxErrorBody(tc.max)), tc.max
			}
			c := hostileClient(t, srv, opts...)
			_, errs := drain(c.RunTasks(context.Background(), "o", "r", nil))
			require.Len(t, errs, 1)
			var apiErr *APIError
			require.ErrorAs(t, errs[0], &apiErr)
			assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
			var limitErr *LimitError
			require.ErrorAs(t, errs[0], &limitErr, "the error says the body was cut")
			assert.Equal(t, "WithMaxErrorBody", limitErr.Limit)
			assert.Equal(t, want, limitErr.Max)
			assert.Contains(t, errs[0].Error(), "body cut at the WithMaxErrorBody limit")
			assert.NotContains(t, errs[0].Error(), "sent nothing", "not a timeout")
			assert.LessOrEqual(t, counter.read.Load(), want+maxDrain+64<<10, "inflated bytes read")
		})
	}
}

// A server that sends gzip to a transport that did not ask for it (here:
// compression disabled): the client inflates it, and the inflated size,
// not the wire size, meets the limits.
func TestAnUnaskedGzipBodyIsInflatedAndItsInflatedSizeCounts(t *testing.T) {
	bomb := hostile.NewGzipBomb(16 << 20)
	require.Less(t, len(bomb.Compressed), 1<<20, "small on the wire")
	srv := hostile.Start(t, hostile.ServeGzipBomb(http.StatusOK, bomb))
	hc, _ := countingClient(true)
	c := hostileClient(t, srv, WithHTTPClient(hc), WithMaxTaskSize(1<<20))
	_, errs := drain(c.RunTasks(context.Background(), "o", "r", nil))
	require.Len(t, errs, 1)
	var limitErr *LimitError
	require.ErrorAs(t, errs[0], &limitErr)
	assert.Equal(t, "WithMaxTaskSize", limitErr.Limit)
	assert.Len(t, srv.Requests(), 1, "a limit is not retried")

	srv.Set(func(w http.ResponseWriter, r *http.Request) {
		hostile.ServeGzipBomb(http.StatusOK, hostile.NewGzipBomb(4<<10))(w, r)
	})
	_, errs = drain(c.RunTasks(context.Background(), "o", "r", nil))
	for _, err := range errs {
		assert.NotErrorAs(t, err, new(*DecodeError), "a small gzip page is read as JSON")
	}
}

func TestAnEncodingTheClientCannotDecodeIsAClearError(t *testing.T) {
	srv := hostile.Start(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "br")
		_, _ = w.Write([]byte{0x1b, 0x02, 0x00})
	})
	c := hostileClient(t, srv)
	_, errs := drain(c.RunTasks(context.Background(), "o", "r", nil))
	require.Len(t, errs, 1)
	var de *DecodeError
	require.ErrorAs(t, errs[0], &de)
	assert.Contains(t, errs[0].Error(), `Content-Encoding "br"`)
	assert.Len(t, srv.Requests(), 1, "not retried")
}

func TestWithMaxErrorBodyRejectsNonsense(t *testing.T) {
	for _, n := range []int64{0, -1, 1<<40 + 1} {
		_, err := NewClient(testToken, WithMaxErrorBody(n))
		assert.ErrorContains(t, err, "WithMaxErrorBody", n)
	}
}
