package archive

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// fileMeta is the sidecar of a stored file.
type fileMeta struct {
	Name            string    `json:"name,omitempty"`
	ContentType     string    `json:"content_type,omitempty"`
	ContentEncoding string    `json:"content_encoding,omitempty"`
	At              time.Time `json:"at"`
}

// putFile stores e.Body under its sha256 (of the bytes as given, coding
// included). The first Put of some bytes names them; later ones find them.
func (a *Archive) putFile(e Entry) (Ref, error) {
	if e.Body == nil {
		return Ref{}, fmt.Errorf("archive %s: put %q: neither a response nor a body", a.dir, e.Name)
	}
	sum := SHA256(e.Body)
	path := filepath.Join(a.dir, dirFiles, sum[:2], sum)
	ref := Ref{Path: path}
	if exists(path) {
		return ref, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return Ref{}, fmt.Errorf("archive %s: %w", e.Name, err)
	}
	at := e.At
	if at.IsZero() {
		at = time.Now()
	}
	meta, err := json.Marshal(fileMeta{Name: e.Name, ContentType: e.ContentType, ContentEncoding: e.ContentEncoding, At: at.UTC()})
	if err != nil {
		return Ref{}, fmt.Errorf("archive %s: %w", e.Name, err)
	}
	// The sidecar first: a file never exists without what is known of it.
	if err := writeTemp(path+".json", meta); err != nil {
		return Ref{}, fmt.Errorf("archive %s: %w", e.Name, err)
	}
	if err := writeTemp(path, e.Body); err != nil {
		return Ref{}, fmt.Errorf("archive %s: %w", e.Name, err)
	}
	return ref, nil
}

// writeTemp writes b to path through a unique temporary file and a rename,
// so concurrent writers of the same content never see half a file.
func writeTemp(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), path)
}

// readFile reads a stored file and its sidecar. A file stored before
// sidecars existed reads with an empty ContentType (not sniffed: a sniffed
// "charset=utf-8" would override what the page itself declares).
func (a *Archive) readFile(ref Ref) (*Object, error) {
	b, err := os.ReadFile(ref.Path)
	if err != nil {
		return nil, fmt.Errorf("read archived file: %w", err)
	}
	obj := &Object{Body: b, Ref: ref}
	var m fileMeta
	switch mb, err := os.ReadFile(ref.Path + ".json"); {
	case err == nil:
		if err := json.Unmarshal(mb, &m); err != nil {
			return nil, fmt.Errorf("read %s.json: %w", ref.Path, err)
		}
	case errors.Is(err, fs.ErrNotExist):
		if st, err := os.Stat(ref.Path); err == nil {
			m.At = st.ModTime()
		}
	default:
		return nil, fmt.Errorf("read archived file metadata: %w", err)
	}
	obj.URL, obj.ContentType, obj.Encoding, obj.FetchedAt = m.Name, m.ContentType, m.ContentEncoding, m.At
	return obj, nil
}
