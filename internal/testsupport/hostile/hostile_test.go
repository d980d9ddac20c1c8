package hostile

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const tok = "tok-abc/def+ghi"

func TestTokenFormsDecodeToTheToken(t *testing.T) {
	forms := TokenForms(tok)
	for _, name := range []string{"raw", "slash-escaped", "u-escaped", "u-escaped-lc"} {
		var got string
		require.NoError(t, json.Unmarshal([]byte(`"`+forms[name]+`"`), &got), name)
		assert.Equal(t, tok, got, name)
	}
	q, err := url.QueryUnescape(forms["query-escaped"])
	require.NoError(t, err)
	assert.Equal(t, tok, q)
	p, err := url.PathUnescape(forms["path-escaped"])
	require.NoError(t, err)
	assert.Equal(t, tok, p)
	assert.NotContains(t, forms["u-escaped"], "abc", "every character is escaped")
}

func TestEchoTokenErrorEchoesTheBearerToken(t *testing.T) {
	srv := Start(t, EchoTokenError(401))
	req, _ := http.NewRequest("GET", srv.BaseURL()+"/x", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	assert.Equal(t, 401, resp.StatusCode)
	assert.Equal(t, tok, resp.Header.Get("X-Request-Id"))
	var v struct {
		Message string
		Code    string
		Errors  map[string][]string
	}
	require.NoError(t, json.Unmarshal(body, &v))
	assert.Equal(t, "token "+tok+" refused", v.Message)
	assert.Equal(t, tok, v.Code)
	assert.Equal(t, []string{tok, tok}, v.Errors["token"])
	assert.Equal(t, "Bearer "+tok, srv.Requests()[0].Authorization)
}

func TestGzipBombInflatesToItsSize(t *testing.T) {
	b := NewGzipBomb(4 << 20)
	assert.Less(t, len(b.Compressed), 64<<10)
	zr, err := gzip.NewReader(bytes.NewReader(b.Compressed))
	require.NoError(t, err)
	n, err := io.Copy(io.Discard, zr)
	require.NoError(t, err)
	assert.Equal(t, b.Inflated, n)
	assert.Same(t, &NewGzipBomb(4 << 20).Compressed[0], &b.Compressed[0], "built once")
}

func TestEndlessBodyOutlastsAnyReader(t *testing.T) {
	srv := Start(t, EndlessBody(200, `{"data":[`))
	resp, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	n, err := io.Copy(io.Discard, io.LimitReader(resp.Body, 8<<20))
	require.NoError(t, err)
	assert.Equal(t, int64(8<<20), n)
	require.NoError(t, resp.Body.Close())
}

func TestRedirectLoopPointsBackAtTheRequest(t *testing.T) {
	srv := Start(t, RedirectLoop())
	hc := srv.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Get(srv.URL + "/a?b=c")
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusFound, resp.StatusCode)
	assert.Equal(t, "/a?b=c", resp.Header.Get("Location"))
	assert.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"), "loopback only")
}

func TestDeepPageIsOneValueNestedAsDeepAsAsked(t *testing.T) {
	page := DeepPage(9990)
	require.True(t, json.Valid(page))
	assert.Less(t, len(page), 21_000, "about 20 KB")
	assert.Contains(t, string(page), `"nested":`+strings.Repeat("[", 9990)+strings.Repeat("]", 9990)+`}`)
}
