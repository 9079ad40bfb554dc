package extract

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha256"
	"crypto/sha512"
	bin "encoding/binary"
)

// Copy-locked PDFs: government reports are often encrypted with an owner
// password only (no copying, no printing), which every reader opens with
// the empty user password. The fast reader decrypts the standard security
// handler's RC4, AES-128 (V 1, 2, 4; R 2–4) and AES-256 (V 5; R 5, 6) with
// that password; a file that needs a password or another handler goes to
// PDFium, which says so.

type pdfCrypt struct {
	key      []byte
	aes      bool // AESV2 for strings and streams (V 4)
	aes256   bool // AESV3 (V 5): the file key itself, no key per object
	identity bool // V 4 with /StmF /Identity: streams stored plain
}

var pdfPassPad = []byte{0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
	0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A}

// openCrypt derives the file key for the empty user password and checks
// it against /U.
func (f *pdfFile) openCrypt(enc pdfDict) *pdfCrypt {
	if enc["Filter"] != pdfName("Standard") {
		failf("security handler %v", enc["Filter"])
	}
	v, _ := f.num(enc["V"])
	r, _ := f.num(enc["R"])
	o, _ := f.resolve(enc["O"]).(pdfString)
	u, _ := f.resolve(enc["U"]).(pdfString)
	p, okP := f.num(enc["P"])
	if v == 5 && (r == 5 || r == 6) {
		return f.openCrypt256(enc, int(r), []byte(u))
	}
	if r < 2 || r > 4 || v < 1 || v > 4 || len(o) < 32 || len(u) < 32 || !okP {
		failf("encryption V %v R %v", v, r)
	}
	n := 5
	if r >= 3 {
		l := 40.0
		if x, ok := f.num(enc["Length"]); ok {
			l = x
		}
		n = int(l) / 8
	}
	c := &pdfCrypt{}
	if v == 4 {
		cf := f.dictOf(f.dictOf(enc["CF"])[pdfName("StdCF")])
		stmF, strF := f.resolve(enc["StmF"]), f.resolve(enc["StrF"])
		if stmF != strF {
			failf("different stream and string crypt filters")
		}
		switch {
		case stmF == pdfName("Identity"):
			c.identity = true
		case stmF != pdfName("StdCF") || cf == nil:
			failf("crypt filter %v", stmF)
		case cf["CFM"] == pdfName("AESV2"):
			c.aes, n = true, 16
		case cf["CFM"] == pdfName("V2"):
			if l, ok := f.num(cf["Length"]); ok && l >= 5 && l <= 16 {
				n = int(l) // bytes here, as Acrobat writes it
			}
		default:
			failf("crypt filter method %v", cf["CFM"])
		}
	}
	if n < 5 || n > 16 {
		failf("key length %d", n)
	}
	var id []byte
	if ids := f.array(f.trailer["ID"]); len(ids) > 0 {
		s, _ := f.resolve(ids[0]).(pdfString)
		id = []byte(s)
	}
	h := md5.New()
	h.Write(pdfPassPad)
	h.Write([]byte(o[:32]))
	var pb [4]byte
	bin.LittleEndian.PutUint32(pb[:], uint32(int32(p)))
	h.Write(pb[:])
	h.Write(id)
	if r >= 4 && enc["EncryptMetadata"] == false {
		h.Write([]byte{0xff, 0xff, 0xff, 0xff})
	}
	key := h.Sum(nil)
	if r >= 3 {
		for i := 0; i < 50; i++ {
			s := md5.Sum(key[:n])
			key = s[:]
		}
	}
	c.key = key[:n]
	// The empty user password opens the file when /U is what it gives.
	if r == 2 {
		if !bytes.Equal(rc4xor(c.key, pdfPassPad), []byte(u[:32])) {
			failf("password required")
		}
	} else {
		h := md5.New()
		h.Write(pdfPassPad)
		h.Write(id)
		x := h.Sum(nil)
		for i := 0; i < 20; i++ {
			k := make([]byte, n)
			for j := range k {
				k[j] = c.key[j] ^ byte(i)
			}
			x = rc4xor(k, x)
		}
		if !bytes.Equal(x[:16], []byte(u[:16])) {
			failf("password required")
		}
	}
	return c
}

func rc4xor(key, data []byte) []byte {
	ci, err := rc4.NewCipher(key)
	if err != nil {
		failf("rc4: %v", err)
	}
	out := make([]byte, len(data))
	ci.XORKeyStream(out, data)
	return out
}

// openCrypt256 opens AES-256 (V 5, R 5 or 6) with the empty user
// password: the hash of the password and /U's validation salt must be /U's
// first 32 bytes; the file key is /UE decrypted with the hash of the
// password and /U's key salt.
func (f *pdfFile) openCrypt256(enc pdfDict, r int, u []byte) *pdfCrypt {
	ue, _ := f.resolve(enc["UE"]).(pdfString)
	if len(u) < 48 || len(ue) < 32 {
		failf("bad AES-256 /U or /UE")
	}
	cf := f.dictOf(f.dictOf(enc["CF"])[pdfName("StdCF")])
	c := &pdfCrypt{aes: true, aes256: true}
	switch stmF := f.resolve(enc["StmF"]); {
	case stmF == pdfName("Identity"):
		c.identity = true
	case stmF != pdfName("StdCF") || cf == nil || cf["CFM"] != pdfName("AESV3"):
		failf("crypt filter %v", stmF)
	}
	if !bytes.Equal(hash256(r, u[32:40], nil), u[:32]) {
		failf("password required")
	}
	block, err := aes.NewCipher(hash256(r, u[40:48], nil))
	if err != nil {
		failf("aes: %v", err)
	}
	c.key = make([]byte, 32)
	cipher.NewCBCDecrypter(block, make([]byte, 16)).CryptBlocks(c.key, []byte(ue[:32]))
	return c
}

// hash256 is the password hash of R 5 (SHA-256) and R 6 (ISO 32000-2
// algorithm 2.B) for the empty password.
func hash256(r int, salt, udata []byte) []byte {
	k := sha256.Sum256(salt)
	if r == 5 {
		return k[:]
	}
	key := k[:]
	for i := 0; ; i++ {
		k1 := bytes.Repeat(append(append([]byte(nil), key...), udata...), 64)
		block, err := aes.NewCipher(key[:16])
		if err != nil {
			failf("aes: %v", err)
		}
		e := make([]byte, len(k1))
		cipher.NewCBCEncrypter(block, key[16:32]).CryptBlocks(e, k1)
		sum := 0
		for _, b := range e[:16] {
			sum += int(b)
		}
		switch sum % 3 {
		case 0:
			s := sha256.Sum256(e)
			key = s[:]
		case 1:
			s := sha512.Sum384(e)
			key = s[:]
		default:
			s := sha512.Sum512(e)
			key = s[:]
		}
		// At least 64 rounds, then until E's last byte is at most the
		// number of rounds done less 32.
		if i+1 >= 64 && int(e[len(e)-1]) <= i+1-32 {
			return key[:32]
		}
	}
}

// decrypt undoes the encryption of one string or stream of object num.
func (c *pdfCrypt) decrypt(data []byte, num, gen int) []byte {
	if c.aes256 {
		return aesCBCDecrypt(c.key, data)
	}
	h := md5.New()
	h.Write(c.key)
	h.Write([]byte{byte(num), byte(num >> 8), byte(num >> 16), byte(gen), byte(gen >> 8)})
	if c.aes {
		h.Write([]byte("sAlT"))
	}
	k := h.Sum(nil)[:min(len(c.key)+5, 16)]
	if !c.aes {
		return rc4xor(k, data)
	}
	return aesCBCDecrypt(k, data)
}

// aesCBCDecrypt decrypts IV + data and drops the PKCS#5 padding.
func aesCBCDecrypt(k, data []byte) []byte {
	if len(data) < 32 || len(data)%16 != 0 {
		if len(data) == 0 {
			return data
		}
		failf("bad AES data")
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		failf("aes: %v", err)
	}
	out := make([]byte, len(data)-16)
	cipher.NewCBCDecrypter(block, data[:16]).CryptBlocks(out, data[16:])
	pad := int(out[len(out)-1])
	if pad < 1 || pad > 16 || pad > len(out) {
		failf("bad AES padding")
	}
	return out[:len(out)-pad]
}

// decryptObject decrypts the strings and stream of an object read from
// the file (objects inside object streams come decrypted with it).
func (c *pdfCrypt) decryptObject(o any, num, gen int, depth int) any {
	if depth > fastMaxNesting {
		failf("objects nested too deep")
	}
	switch v := o.(type) {
	case pdfString:
		if c.identity {
			return v
		}
		return pdfString(c.decrypt([]byte(v), num, gen))
	case pdfArray:
		for i := range v {
			v[i] = c.decryptObject(v[i], num, gen, depth+1)
		}
	case pdfDict:
		for k, x := range v {
			v[k] = c.decryptObject(x, num, gen, depth+1)
		}
	case *pdfStream:
		c.decryptObject(v.dict, num, gen, depth+1)
		if v.dict["Type"] != pdfName("XRef") && !c.identity {
			v.raw = c.decrypt(v.raw, num, gen)
		}
	}
	return o
}
