package wmwriter

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// requireTool returns the path of an external tool, or skips the test without it
// (fails instead when WMWRITER_REQUIRE_TOOLS=1, as in CI).
func requireTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("WMWRITER_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s is required (WMWRITER_REQUIRE_TOOLS=1) but not found: %v", name, err)
		}
		t.Skipf("%s not found; skipping (set WMWRITER_REQUIRE_TOOLS=1 to make this a failure)", name)
	}
	return p
}

// decodeS16 decodes every audio sample of an ASF file (or of stream index stream
// when >= 0) to interleaved 16-bit little-endian PCM with ffmpeg.
func decodeS16(t testing.TB, path string, stream int) []byte {
	t.Helper()
	ffmpeg := requireTool(t, "ffmpeg")
	args := []string{"-nostdin", "-v", "error", "-guess_layout_max", "0", "-i", path}
	if stream >= 0 {
		args = append(args, "-map", "0:a:"+strconv.Itoa(stream))
	}
	args = append(args, "-f", "s16le", "-")
	var out, stderr bytes.Buffer
	cmd := exec.Command(ffmpeg, args...)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ffmpeg %v: %v\n%s", args, err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Fatalf("ffmpeg complained about %s:\n%s", path, stderr.String())
	}
	return out.Bytes()
}

// probe returns `ffprobe -show_entries ENTRIES` as a map; a key that repeats gets its
// values joined by commas.
func probe(t testing.TB, path, entries string, extra ...string) map[string]string {
	t.Helper()
	ffprobe := requireTool(t, "ffprobe")
	args := append([]string{"-v", "error"}, extra...)
	args = append(args, "-show_entries", entries, "-of", "default=noprint_wrappers=1", path)
	out, err := exec.Command(ffprobe, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ffprobe %v: %v\n%s", args, err, out)
	}
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			if prev, dup := m[k]; dup {
				v = prev + "," + v // repeated entries (chapters, streams), in order
			}
			m[k] = v
		}
	}
	return m
}

// noise is n bytes of reproducible pseudo-random data (decoders must keep every bit).
func noise(seed int64, n int) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(seed)).Read(b)
	return b
}

// tone is a 16-bit stereo sine of freq Hz at rate, frames frames long.
func tone(freq float64, rate, frames int) []byte {
	b := make([]byte, frames*4)
	for i := 0; i < frames; i++ {
		v := int16(8000 * math.Sin(2*3.141592653589793*freq*float64(i)/float64(rate)))
		binary.LittleEndian.PutUint16(b[4*i:], uint16(v))
		binary.LittleEndian.PutUint16(b[4*i+2:], uint16(v))
	}
	return b
}

// must fails the test on err.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// pcmProfile makes a profile with one PCM stream per layout (channels, rate, bits).
func pcmProfile(t testing.TB, layouts ...[3]int) *Profile {
	t.Helper()
	pm, err := NewProfileManager()
	must(t, err)
	defer pm.Close()
	p, err := pm.CreateEmptyProfile(WMT_VER_9_0)
	must(t, err)
	for _, l := range layouts {
		if _, err := p.AddAudioStream(l[0], l[1], l[2]); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// stereoWriter returns a writer (closed at the end of the test) whose profile has one
// 44.1 kHz stereo 16-bit PCM stream.
func stereoWriter(t testing.TB) *Writer {
	t.Helper()
	p := pcmProfile(t, [3]int{2, 44100, 16})
	defer p.Close()
	w, err := NewWriter()
	must(t, err)
	t.Cleanup(func() { w.Close() })
	must(t, w.SetProfile(p))
	return w
}

// startWriter returns a writer writing the profile to a new file in t's temp dir.
func startWriter(t testing.TB, p *Profile, name string) (*Writer, string) {
	t.Helper()
	w, err := NewWriter()
	must(t, err)
	t.Cleanup(func() { w.Close() })
	must(t, w.SetProfile(p))
	path := filepath.Join(t.TempDir(), name)
	must(t, w.SetOutputFilename(path))
	must(t, w.BeginWriting())
	return w, path
}

// writeChunks writes data to input in chunks of chunk bytes at bps bytes per second.
func writeChunks(t testing.TB, w *Writer, input uint32, data []byte, chunk, bps int) {
	t.Helper()
	for off := 0; off < len(data); off += chunk {
		end := off + chunk
		if end > len(data) {
			end = len(data)
		}
		ts := time.Duration(int64(off) * int64(time.Second) / int64(bps))
		if err := w.WriteSample(input, ts, data[off:end], 0); err != nil {
			t.Fatalf("WriteSample at byte %d: %v", off, err)
		}
	}
}
