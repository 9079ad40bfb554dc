package extract

import (
	"bytes"
	"compress/zlib"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	bin "encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/internal/pdfgen"
)

// fastTestObjects is a one-page PDF's objects (object i+1 is [i]): a
// ruled two-cell table, text in the standard Times-Roman as pdfgen writes
// it (the one font not embedded the fast reader reads).
func fastTestObjects(content string) []string {
	return []string{
		"<</Type/Catalog/Pages 2 0 R>>",
		"<</Type/Pages/Kids[3 0 R]/Count 1>>",
		"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
		"<</Length " + fmt.Sprint(len(content)) + ">>stream\n" + content + "\nendstream",
		"<</Type/Font/Subtype/Type1/BaseFont/Times-Roman/Encoding/WinAnsiEncoding>>",
	}
}

const fastTestContent = "0.5 w 50 700 m 250 700 l 250 650 l 50 650 l h S 150 700 m 150 650 l S " +
	"BT /F1 12 Tf 60 670 Td (received) Tj ET BT /F1 12 Tf 160 670 Td (120) Tj ET"

// pdfWithXrefTable writes objs with a classic cross-reference table.
func pdfWithXrefTable(objs []string) []byte { return pdfWithTrailer(objs, "") }

// pdfWithTrailer writes objs with a classic cross-reference table and
// more trailer entries.
func pdfWithTrailer(objs []string, more string) []byte {
	return pdfgen.File(objs, "/Root 1 0 R"+more)
}

func deflate(s []byte) []byte {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	_, _ = w.Write(s)
	_ = w.Close()
	return z.Bytes()
}

// pdfWithXrefStream writes objs as PDF 1.5 writers do: the dictionaries
// in an object stream (/Type /ObjStm), streams on their own, and a
// cross-reference stream with the PNG Up predictor.
func pdfWithXrefStream(objs []string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n")
	n := len(objs)
	stm := n + 1
	type entry struct{ t, a, c int }
	entries := make([]entry, n+3)
	var head, body strings.Builder
	k := 0
	for i, o := range objs {
		if strings.Contains(o, "stream") {
			entries[i+1] = entry{1, b.Len(), 0}
			fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
			continue
		}
		fmt.Fprintf(&head, "%d %d ", i+1, body.Len())
		body.WriteString(o + "\n")
		entries[i+1] = entry{2, stm, k}
		k++
	}
	data := deflate([]byte(head.String() + body.String()))
	entries[stm] = entry{1, b.Len(), 0}
	fmt.Fprintf(&b, "%d 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>stream\n%s\nendstream\nendobj\n", stm, k, head.Len(), len(data), data)
	xo := b.Len()
	entries[stm+1] = entry{1, xo, 0}
	// Rows of 1+4+2 bytes, each behind a PNG "Up" filter byte.
	var raw, prev []byte
	prev = make([]byte, 7)
	for _, e := range entries {
		row := make([]byte, 7)
		row[0] = byte(e.t)
		bin.BigEndian.PutUint32(row[1:], uint32(e.a))
		bin.BigEndian.PutUint16(row[5:], uint16(e.c))
		raw = append(raw, 2)
		for i := range row {
			raw = append(raw, row[i]-prev[i])
		}
		prev = row
	}
	data = deflate(raw)
	fmt.Fprintf(&b, "%d 0 obj\n<</Type/XRef/Size %d/W[1 4 2]/Root 1 0 R/Filter/FlateDecode/DecodeParms<</Predictor 12/Columns 7>>/Length %d>>stream\n%s\nendstream\nendobj\n", stm+1, len(entries), len(data), data)
	fmt.Fprintf(&b, "startxref\n%d\n%%%%EOF\n", xo)
	return b.Bytes()
}

// withUpdate appends an incremental update replacing object num, its
// trailer pointing back with /Prev (prev: the offset it names).
func withUpdate(pdf []byte, num int, obj string, prev int) []byte {
	b := bytes.NewBuffer(slices.Clone(pdf))
	off := b.Len()
	fmt.Fprintf(b, "%d 0 obj\n%s\nendobj\n", num, obj)
	x := b.Len()
	fmt.Fprintf(b, "xref\n%d 1\n%010d 00000 n \ntrailer\n<</Size 6/Root 1 0 R/Prev %d>>\nstartxref\n%d\n%%%%EOF\n", num, off, prev, x)
	return b.Bytes()
}

func lastStartxref(pdf []byte) int {
	i := bytes.LastIndex(pdf, []byte("startxref"))
	v, _ := strconv.Atoi(strings.Fields(string(pdf[i+len("startxref"):]))[0])
	return v
}

// copyLocked encrypts the test page as a copy-locked file (empty user
// password, an owner password we never need): the standard security
// handler, RC4 with a 128-bit key (R 3, as LibreOffice writes) or AES-128
// (V 4, AESV2, as Acrobat and Word write).
func copyLocked(t *testing.T, useAES bool) []byte {
	t.Helper()
	objs := fastTestObjects(fastTestContent)
	id := []byte("0123456789abcdef")
	owner := bytes.Repeat([]byte{0x5a}, 32) // any: opening needs only the user password
	p := int32(-1340)                       // no copying
	h := md5.New()
	h.Write(pdfPassPad)
	h.Write(owner)
	var pb [4]byte
	bin.LittleEndian.PutUint32(pb[:], uint32(p))
	h.Write(pb[:])
	h.Write(id)
	key := h.Sum(nil)
	for range 50 {
		s := md5.Sum(key[:16])
		key = s[:]
	}
	key = key[:16]
	// /U for R 3: MD5(pad + ID) RC4'd 20 times, padded to 32 bytes.
	h = md5.New()
	h.Write(pdfPassPad)
	h.Write(id)
	u := h.Sum(nil)
	for i := range 20 {
		k := make([]byte, 16)
		for j := range k {
			k[j] = key[j] ^ byte(i)
		}
		u = rc4xor(k, u)
	}
	u = append(u, make([]byte, 16)...)
	c := &pdfCrypt{key: key, aes: useAES}
	// Encrypt the content stream (object 4): RC4 is its own inverse; AES
	// gets an IV and PKCS#5 padding.
	data := []byte(fastTestContent)
	h = md5.New()
	h.Write(key)
	h.Write([]byte{4, 0, 0, 0, 0})
	if useAES {
		h.Write([]byte("sAlT"))
		k := h.Sum(nil)
		pad := 16 - len(data)%16
		plain := append(data, bytes.Repeat([]byte{byte(pad)}, pad)...)
		block, err := aes.NewCipher(k)
		if err != nil {
			t.Fatal(err)
		}
		iv := []byte("fedcba9876543210")
		out := make([]byte, len(plain))
		cipher.NewCBCEncrypter(block, iv).CryptBlocks(out, plain)
		data = append(iv, out...)
	} else {
		data = c.decrypt(data, 4, 0)
	}
	if !bytes.Equal(c.decrypt(data, 4, 0), []byte(fastTestContent)) {
		t.Fatal("test encryption does not round-trip")
	}
	objs[3] = fmt.Sprintf("<</Length %d>>stream\n%s\nendstream", len(data), data)
	filter := "/V 2/R 3/Length 128"
	if useAES {
		filter = "/V 4/R 4/Length 128/CF<</StdCF<</CFM/AESV2/AuthEvent/DocOpen/Length 16>>>>/StmF/StdCF/StrF/StdCF"
	}
	objs = append(objs, fmt.Sprintf("<</Filter/Standard%s/O<%x>/U<%x>/P %d>>", filter, owner, u, p))
	return pdfWithTrailer(objs, fmt.Sprintf("/Encrypt %d 0 R/ID[<%x><%x>]", len(objs), id, id))
}

// copyLocked256 encrypts the test page with AES-256 (V 5, R 6, as Acrobat
// X and later write) for the empty user password.
func copyLocked256(t *testing.T) []byte {
	t.Helper()
	fileKey := bytes.Repeat([]byte{0x42, 0x17}, 16)
	vsalt, ksalt := []byte("validsal"), []byte("keysalts")
	u := append(append(hash256(6, vsalt, nil), vsalt...), ksalt...)
	enc := func(key, iv, data []byte) []byte {
		block, err := aes.NewCipher(key)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]byte, len(data))
		cipher.NewCBCEncrypter(block, iv).CryptBlocks(out, data)
		return out
	}
	ue := enc(hash256(6, ksalt, nil), make([]byte, 16), fileKey)
	p := int32(-1340)
	perms := make([]byte, 16)
	bin.LittleEndian.PutUint32(perms, uint32(p))
	copy(perms[4:], []byte{0xff, 0xff, 0xff, 0xff, 'T', 'a', 'd', 'b', 1, 2, 3, 4})
	block, err := aes.NewCipher(fileKey)
	if err != nil {
		t.Fatal(err)
	}
	block.Encrypt(perms, perms) // one block: ECB
	data := []byte(fastTestContent)
	pad := 16 - len(data)%16
	iv := []byte("0123456789abcdef")
	data = append(iv, enc(fileKey, iv, append(data, bytes.Repeat([]byte{byte(pad)}, pad)...))...)
	objs := fastTestObjects(fastTestContent)
	objs[3] = fmt.Sprintf("<</Length %d>>stream\n%s\nendstream", len(data), data)
	owner := bytes.Repeat([]byte{0x5a}, 48) // any: opening needs only the user password
	objs = append(objs, fmt.Sprintf("<</Filter/Standard/V 5/R 6/Length 256/CF<</StdCF<</CFM/AESV3/AuthEvent/DocOpen/Length 32>>>>/StmF/StdCF/StrF/StdCF/O<%x>/U<%x>/OE<%x>/UE<%x>/Perms<%x>/P %d>>",
		owner, u, owner[:32], ue, perms, p))
	return pdfWithTrailer(objs, fmt.Sprintf("/Encrypt %d 0 R/ID[<00112233445566778899aabbccddeeff><00112233445566778899aabbccddeeff>]", len(objs)))
}

// TestPDFFastFileStructures reads the same page stored the ways writers
// store it, and requires the fast reader to read what PDFium reads (text,
// rules), or to give up where it must: a /Prev chain that loops, an
// encrypted file.
func TestPDFFastFileStructures(t *testing.T) {
	classic := pdfWithXrefTable(fastTestObjects(fastTestContent))
	newer := strings.Replace(fastTestContent, "(120) Tj", "(121) Tj", 1)
	update := "<</Length " + fmt.Sprint(len(newer)) + ">>stream\n" + newer + "\nendstream"
	compressed := string(deflate([]byte(fastTestContent)))
	flate := fastTestObjects(fastTestContent)
	flate[3] = "<</Length " + fmt.Sprint(len(compressed)) + "/Filter/FlateDecode>>stream\n" + compressed + "\nendstream"
	wrongLength := fastTestObjects(fastTestContent)
	wrongLength[3] = strings.Replace(wrongLength[3], "/Length ", "/Length 1", 1)
	arial := fastTestObjects(fastTestContent)
	arial[4] = "<</Type/Font/Subtype/TrueType/BaseFont/Arial/Encoding/WinAnsiEncoding/FirstChar 32/LastChar 126/Widths[" + strings.TrimSpace(strings.Repeat("556 ", 95)) + "]>>"
	loop := withUpdate(classic, 4, update, 0)
	loop = bytes.Replace(loop, []byte("/Prev 0"), []byte(fmt.Sprintf("/Prev %d", lastStartxref(loop))), 1)
	encrypted := pdfWithTrailer(fastTestObjects(fastTestContent), "/Encrypt<</Filter/Standard/V 1/R 2/O<00>/U<00>/P -4>>")
	cases := []struct {
		name string
		body []byte
		text string // "": the fast reader must give up
	}{
		{"xref table", classic, "received120"},
		{"flate content", pdfWithXrefTable(flate), "received120"},
		{"wrong /Length", pdfWithXrefTable(wrongLength), "received120"},
		{"xref stream, object stream, PNG predictor", pdfWithXrefStream(flate), "received120"},
		{"incremental update over /Prev", withUpdate(classic, 4, update, lastStartxref(classic)), "received121"},
		{"update over an xref stream", withUpdate(pdfWithXrefStream(flate), 4, update, lastStartxref(pdfWithXrefStream(flate))), "received121"},
		{"text drawn twice (fake bold)", pdfWithXrefTable(fastTestObjects(strings.Replace(fastTestContent, "ET BT", "ET BT /F1 12 Tf 60.3 670.1 Td (received) Tj ET BT", 1))), "received120"},
		{"copy-locked, RC4 128", copyLocked(t, false), "received120"},
		{"copy-locked, AES-128", copyLocked(t, true), "received120"},
		{"copy-locked, AES-256", copyLocked256(t), "received120"},
		{"/Prev loop", loop, ""},
		{"page tree that does not add up", bytes.Replace(classic, []byte("/Count 1"), []byte("/Count 2"), 1), ""},
		{"Latin font not embedded (PDFium draws it with its own)", pdfWithXrefTable(arial), ""},
		{"encrypted with an /Encrypt it cannot use", encrypted, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := readPDFFast(t.Context(), c.body)
			if c.text == "" {
				if err == nil {
					t.Fatalf("read; want the fast reader to give up")
				}
				t.Log(err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got strings.Builder
			for _, g := range doc.pages[0].glyphs {
				got.WriteString(g.text)
			}
			if got.String() != c.text || len(doc.pages[0].rules) != 5 {
				t.Errorf("text %q, %d rules; want %q, 5 rules", got.String(), len(doc.pages[0].rules), c.text)
			}
			ref, err := readPDFium(t.Context(), c.body)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(pdfBlocks(doc), pdfBlocks(ref)) {
				t.Errorf("layout %q; PDFium's %q", pdfBlocks(doc), pdfBlocks(ref))
			}
		})
	}
}

// FuzzPDFFast mutates small PDFs the fast reader reads (classic and
// compressed cross-references, pdfgen's fonts and rotated pages) and
// requires it to return — a document or an error — in bounded time,
// never to panic out or hang.
//
//	go test ./extract -run '^$' -fuzz FuzzPDFFast -fuzztime 60s
func FuzzPDFFast(f *testing.F) {
	f.Add(pdfWithXrefTable(fastTestObjects(fastTestContent)))
	f.Add(pdfWithXrefStream(fastTestObjects(fastTestContent)))
	f.Add(pdfgenTable(90, true))
	f.Fuzz(func(t *testing.T, body []byte) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			doc, err := readPDFFast(t.Context(), body)
			if err == nil && (doc.pageCount < len(doc.pages) || len(doc.pages) > maxPDFPages) {
				t.Errorf("%d pages read of %d", len(doc.pages), doc.pageCount)
			}
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("fast reader hangs")
		}
	})
}
