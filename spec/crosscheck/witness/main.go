// Command witness checks Madini's witness cosignatures with a second
// implementation written from the C2SP texts (tlog-cosignature,
// signed-note) on Go's standard crypto/ed25519, and opens the log's
// signature on each cosigned note with Go's reference
// golang.org/x/mod/sumdb/note (which must ignore the cosignature line).
//
// Usage:
//
//	witness DIR                                 the vectors in DIR (spec/vectors/cosignature)
//	witness URL BODYFILE LOGVKEY WITNESSVKEY    POST BODYFILE to URL/add-checkpoint and
//	                                            check the 200's cosignature
//
// It prints one line per check and exits non-zero on any disagreement.
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

var failures int

func fail(format string, args ...interface{}) {
	failures++
	fmt.Printf("FAIL %s\n", fmt.Sprintf(format, args...))
}

// cosignerKey is a witness vkey read as C2SP signed-note says:
// name+hex(key ID)+base64(0x04 || Ed25519 public key), the key ID being
// SHA-256(name || "\n" || 0x04 || key)[:4].
type cosignerKey struct {
	name  string
	keyID uint32
	pub   ed25519.PublicKey
}

func parseCosignerKey(vkey string) (cosignerKey, error) {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		return cosignerKey{}, fmt.Errorf("vkey %q is not name+id+key", vkey)
	}
	id, err := hex.DecodeString(parts[1])
	if err != nil || len(id) != 4 {
		return cosignerKey{}, fmt.Errorf("vkey %q: bad key ID", vkey)
	}
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 33 || raw[0] != 0x04 {
		return cosignerKey{}, fmt.Errorf("vkey %q: not type 0x04 with 32 bytes", vkey)
	}
	k := cosignerKey{name: parts[0], keyID: binary.BigEndian.Uint32(id), pub: ed25519.PublicKey(raw[1:])}
	h := sha256.New()
	h.Write([]byte(k.name))
	h.Write([]byte{'\n', 0x04})
	h.Write(k.pub)
	if want := binary.BigEndian.Uint32(h.Sum(nil)[:4]); want != k.keyID {
		return cosignerKey{}, fmt.Errorf("vkey %q: key ID %08x, the name and key give %08x", vkey, k.keyID, want)
	}
	return k, nil
}

// message is what a cosignature/v1 signs (C2SP tlog-cosignature, "Ed25519
// signed message").
func message(text string, t uint64) []byte {
	return []byte("cosignature/v1\ntime " + strconv.FormatUint(t, 10) + "\n" + text)
}

// verifyLine checks one signature line "— name base64(keyID || t || sig)\n"
// from k over the note text, and returns its timestamp.
func verifyLine(k cosignerKey, text, line string) (uint64, error) {
	rest := strings.TrimSuffix(line, "\n")
	if !strings.HasPrefix(rest, "\u2014 ") {
		return 0, fmt.Errorf("line %q does not start with an em dash", line)
	}
	name, b64, ok := strings.Cut(strings.TrimPrefix(rest, "\u2014 "), " ")
	if !ok || name != k.name {
		return 0, fmt.Errorf("line %q is not from %s", line, k.name)
	}
	blob, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(blob) != 4+8+ed25519.SignatureSize {
		return 0, fmt.Errorf("line %q: not 76 bytes of base64", line)
	}
	if binary.BigEndian.Uint32(blob[:4]) != k.keyID {
		return 0, fmt.Errorf("line %q: another key ID", line)
	}
	t := binary.BigEndian.Uint64(blob[4:12])
	if t == 0 || t > 1<<63-1 {
		return 0, fmt.Errorf("line %q: timestamp %d out of range", line, t)
	}
	if !ed25519.Verify(k.pub, message(text, t), blob[12:]) {
		return 0, fmt.Errorf("line %q: the Ed25519 signature does not verify", line)
	}
	return t, nil
}

// openCosigned opens a cosigned note with sumdb/note under the log's vkey
// (the log's line must verify, the witness's must be left unverified) and
// checks the witness's line with crypto/ed25519.
func openCosigned(where, cosigned, logVkey string, k cosignerKey) (uint64, bool) {
	v, err := note.NewVerifier(logVkey)
	if err != nil {
		fail("%s: log vkey: %v", where, err)
		return 0, false
	}
	n, err := note.Open([]byte(cosigned), note.VerifierList(v))
	if err != nil {
		fail("%s: sumdb/note does not open the cosigned note: %v", where, err)
		return 0, false
	}
	if len(n.Sigs) == 0 || n.Sigs[0].Name != v.Name() {
		fail("%s: no verified signature from the log", where)
		return 0, false
	}
	for _, s := range n.UnverifiedSigs {
		if s.Name != k.name {
			continue
		}
		t, err := verifyLine(k, n.Text, "\u2014 "+s.Name+" "+s.Base64+"\n")
		if err != nil {
			fail("%s: %v", where, err)
			return 0, false
		}
		return t, true
	}
	fail("%s: no cosignature from %s", where, k.name)
	return 0, false
}

func load(file string, v interface{}) bool {
	data, err := os.ReadFile(file)
	if err == nil {
		err = json.Unmarshal(data, v)
	}
	if err != nil {
		fail("%s: %v", file, err)
		return false
	}
	return true
}

func vectors(dir string) {
	var c struct {
		WitnessSeedHex string `json:"witness_seed_hex"`
		WitnessVkey    string `json:"witness_vkey"`
		LogVkey        string `json:"log_vkey"`
		Text           string `json:"text"`
		Time           uint64 `json:"time"`
		Message        string `json:"message"`
		Line           string `json:"line"`
		CosignedNote   string `json:"cosigned_note"`
	}
	file := filepath.Join(dir, "cosignature.json")
	if !load(file, &c) {
		return
	}
	k, err := parseCosignerKey(c.WitnessVkey)
	if err != nil {
		fail("%s: %v", file, err)
		return
	}
	seed, _ := hex.DecodeString(c.WitnessSeedHex)
	if len(seed) != ed25519.SeedSize {
		fail("%s: bad seed", file)
		return
	}
	priv := ed25519.NewKeyFromSeed(seed)
	if !bytes.Equal(priv.Public().(ed25519.PublicKey), k.pub) {
		fail("%s: the seed's public key is not the vkey's", file)
	}
	if string(message(c.Text, c.Time)) != c.Message {
		fail("%s: the signed message differs from C2SP's", file)
	}
	// Signing again (Ed25519 is deterministic) rebuilds the line byte for byte.
	blob := binary.BigEndian.AppendUint32(nil, k.keyID)
	blob = binary.BigEndian.AppendUint64(blob, c.Time)
	blob = append(blob, ed25519.Sign(priv, message(c.Text, c.Time))...)
	if line := "\u2014 " + k.name + " " + base64.StdEncoding.EncodeToString(blob) + "\n"; line != c.Line {
		fail("%s: Go makes the line %q, the vector has %q", file, line, c.Line)
	}
	if t, ok := openCosigned(file, c.CosignedNote, c.LogVkey, k); ok && t == c.Time {
		fmt.Printf("%s: cosignature rebuilt and verified at time %d; sumdb/note opens the log's signature\n", file, t)
	}

	files, _ := filepath.Glob(filepath.Join(dir, "add-checkpoint", "*.json"))
	cosigned := 0
	for _, f := range files {
		var v struct {
			WitnessVkey string  `json:"witness_vkey"`
			LogList     string  `json:"log_list"`
			Record      *string `json:"record"`
			Status      int     `json:"status"`
			ContentType string  `json:"content_type"`
			Response    string  `json:"response"`
			RecordAfter *string `json:"record_after"`
		}
		if !load(f, &v) {
			continue
		}
		switch v.Status {
		case 200:
			k, err := parseCosignerKey(v.WitnessVkey)
			if err != nil || v.RecordAfter == nil {
				fail("%s: %v", f, err)
				continue
			}
			logVkey := ""
			for _, l := range strings.Split(v.LogList, "\n") {
				if l = strings.TrimSpace(l); strings.HasPrefix(l, "vkey ") {
					logVkey = strings.TrimPrefix(l, "vkey ")
				}
			}
			if !strings.HasSuffix(*v.RecordAfter, v.Response) {
				fail("%s: the record does not end with the answered line", f)
				continue
			}
			if _, ok := openCosigned(f, *v.RecordAfter, logVkey, k); ok {
				cosigned++
			}
		case 409:
			size := "0"
			if v.Record != nil {
				size = strings.Split(*v.Record, "\n")[1]
			}
			if v.ContentType != "text/x.tlog.size" || v.Response != size+"\n" {
				fail("%s: a 409 answers the witness's size %s as text/x.tlog.size", f, size)
			}
			fallthrough
		default:
			// A refusal leaves the record as it was.
			if (v.Record == nil) != (v.RecordAfter == nil) || (v.Record != nil && *v.Record != *v.RecordAfter) {
				fail("%s: a refusal changed the record", f)
			}
		}
	}
	fmt.Printf("%d add-checkpoint answers cosigned and verified\n", cosigned)
}

func live(url, bodyFile, logVkey, witnessVkey string) {
	k, err := parseCosignerKey(witnessVkey)
	if err != nil {
		fail("%v", err)
		return
	}
	body, err := os.ReadFile(bodyFile)
	if err != nil {
		fail("%v", err)
		return
	}
	resp, err := http.Post(url+"/add-checkpoint", "text/plain", bytes.NewReader(body))
	if err != nil {
		fail("%v", err)
		return
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		fail("POST %s/add-checkpoint: %s %q", url, resp.Status, answer)
		return
	}
	_, checkpoint, ok := strings.Cut(string(body), "\n\n")
	if !ok {
		fail("%s has no empty line", bodyFile)
		return
	}
	if t, ok := openCosigned(url, checkpoint+string(answer), logVkey, k); ok {
		fmt.Printf("live: the node's cosignature verifies (time %d); sumdb/note opens the log's signature\n", t)
	}
}

func main() {
	switch len(os.Args) {
	case 2:
		vectors(os.Args[1])
	case 5:
		live(os.Args[1], os.Args[2], os.Args[3], os.Args[4])
	default:
		fmt.Fprintln(os.Stderr, "usage: witness DIR | witness URL BODYFILE LOGVKEY WITNESSVKEY")
		os.Exit(2)
	}
	if failures > 0 {
		fmt.Printf("%d failures\n", failures)
		os.Exit(1)
	}
	fmt.Println("every cosignature verifies")
}
