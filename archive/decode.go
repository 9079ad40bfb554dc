package archive

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// ErrTooLarge means a body would inflate past the limit it was decoded with.
var ErrTooLarge = errors.New("archive: body exceeds size limit")

// Decode undoes a Content-Encoding header value ("gzip", "deflate", "br", "zstd",
// "identity", or a comma-separated chain of them, applied in the order
// listed), refusing to inflate past max bytes. An unknown coding is an
// error: the bytes could not be read as sent. It is the one rule for
// decoding bodies: the crawler uses it on the wire, [Archive.Read] on the
// way out of the archive.
func Decode(raw []byte, encoding string, max int64) ([]byte, error) {
	codings := strings.Split(encoding, ",")
	out := raw
	// Codings are listed in the order they were applied: undo the last first.
	for i := len(codings) - 1; i >= 0; i-- {
		c := strings.ToLower(strings.TrimSpace(codings[i]))
		var zr io.Reader
		switch c {
		case "", "identity":
			continue
		case "gzip", "x-gzip":
			g, err := gzip.NewReader(bytes.NewReader(out))
			if err != nil {
				return nil, fmt.Errorf("decode gzip: %w", err)
			}
			zr = g
		case "deflate":
			// RFC 9110 deflate is zlib-wrapped; some servers send raw
			// deflate. Try the zlib header first.
			if z, err := zlib.NewReader(bytes.NewReader(out)); err == nil {
				zr = z
			} else {
				zr = flate.NewReader(bytes.NewReader(out))
			}
		case "br":
			zr = brotli.NewReader(bytes.NewReader(out))
		case "zstd":
			z, err := zstd.NewReader(bytes.NewReader(out), zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(uint64(max)+1))
			if err != nil {
				return nil, fmt.Errorf("decode zstd: %w", err)
			}
			defer z.Close()
			zr = z
		default:
			return nil, fmt.Errorf("decode %q: unknown content coding", c)
		}
		dec, err := io.ReadAll(io.LimitReader(zr, max+1))
		if err != nil {
			return nil, fmt.Errorf("decode %s: %w", c, err)
		}
		if int64(len(dec)) > max {
			return nil, fmt.Errorf("decode %s: %w (%d bytes)", c, ErrTooLarge, max)
		}
		out = dec
	}
	return out, nil
}

// Known reports whether Decode can undo every coding of encoding.
func Known(encoding string) bool {
	for _, c := range strings.Split(encoding, ",") {
		switch strings.ToLower(strings.TrimSpace(c)) {
		case "", "identity", "gzip", "x-gzip", "deflate", "br", "zstd":
		default:
			return false
		}
	}
	return true
}
