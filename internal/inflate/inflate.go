// Package inflate decodes a response body that the transport left
// compressed. Go's transport inflates gzip itself only when it asked for
// it; a server may send gzip anyway (to a transport with compression
// disabled, or to a caller that set Accept-Encoding). Inflating before any
// limit applies makes every limit count the inflated bytes, not the few
// the server sent over the wire.
package inflate

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/tallyfy-go/tallyfy/internal/textcut"
)

// UnsupportedError is a Content-Encoding this package does not decode.
type UnsupportedError struct {
	Encoding string // the Content-Encoding as the server sent it
}

// Error implements error.
func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("the body has Content-Encoding %q, which the client does not decode (only gzip)", e.Encoding)
}

// Response replaces resp.Body with its inflated form when its
// Content-Encoding is gzip, and then removes Content-Encoding and
// Content-Length, as Go's transport does. A body without an encoding is
// left as it is; any other encoding is an *UnsupportedError and resp is
// left as it is.
func Response(resp *http.Response) error {
	encoding := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	switch encoding {
	case "", "identity":
		return nil
	case "gzip", "x-gzip":
		resp.Body = &gzipBody{src: resp.Body}
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
		resp.ContentLength = -1
		resp.Uncompressed = true
		return nil
	}
	return &UnsupportedError{Encoding: textcut.Cut(encoding, 40)}
}

// gzipBody inflates src as it is read. The gzip header is read at the
// first Read, so that a stalled server or a bad header is a read error.
type gzipBody struct {
	src io.ReadCloser
	zr  *gzip.Reader
	err error
}

func (g *gzipBody) Read(p []byte) (int, error) {
	if g.zr == nil && g.err == nil {
		g.zr, g.err = gzip.NewReader(g.src)
		if g.err != nil {
			g.err = fmt.Errorf("inflating the gzip body: %w", g.err)
		}
	}
	if g.err != nil {
		return 0, g.err
	}
	return g.zr.Read(p)
}

func (g *gzipBody) Close() error { return g.src.Close() }
