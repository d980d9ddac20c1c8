package inflate

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func response(encoding string, body []byte) *http.Response {
	h := http.Header{"Content-Length": {"3"}}
	if encoding != "" {
		h.Set("Content-Encoding", encoding)
	}
	return &http.Response{Header: h, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body))}
}

func gzipped(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = zw.Write([]byte(s))
	_ = zw.Close()
	return b.Bytes()
}

func TestResponse(t *testing.T) {
	cases := []struct {
		name, encoding string
		body           []byte
		want           string // the body read after Response
		wantErr        string // from Response or from reading
	}{
		{name: "no encoding", body: []byte(`{}`), want: `{}`},
		{name: "identity", encoding: "identity", body: []byte(`{}`), want: `{}`},
		{name: "gzip", encoding: "gzip", body: gzipped(`{"a":1}`), want: `{"a":1}`},
		{name: "x-gzip, any case", encoding: " X-GZIP ", body: gzipped(`[]`), want: `[]`},
		{name: "not gzip at all", encoding: "gzip", body: []byte(`{}`), wantErr: "inflating the gzip body"},
		{name: "brotli", encoding: "br", body: []byte{1, 2}, wantErr: `Content-Encoding "br"`},
		{name: "a long name is cut", encoding: strings.Repeat("z", 100), wantErr: strings.Repeat("z", 40-len("…")) + "…\""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := response(tc.encoding, tc.body)
			err := Response(resp)
			if err == nil {
				var got []byte
				got, err = io.ReadAll(resp.Body)
				if err == nil {
					assert.Equal(t, tc.want, string(got))
					assert.NotContains(t, strings.ToLower(resp.Header.Get("Content-Encoding")), "gzip", "a decoded body says no more that it is encoded")
					return
				}
			}
			require.NotEmpty(t, tc.wantErr, "unexpected error %v", err)
			assert.ErrorContains(t, err, tc.wantErr)
		})
	}
}
