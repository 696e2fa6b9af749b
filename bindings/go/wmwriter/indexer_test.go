package wmwriter

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

var simpleIndexGUID = []byte{0x90, 0x08, 0x00, 0x33, 0xB1, 0xE5, 0xCF, 0x11, 0x89, 0xF4, 0x00, 0xA0, 0xC9, 0x03, 0x49, 0xCB}

// An ffmpeg WMV2 file with its index stripped gets one; ffmpeg -ss 2 then decodes the
// source's frame 50; a cancel leaves the file byte-identical.
func TestIndexerFFmpegFile(t *testing.T) {
	ffmpeg := requireTool(t, "ffmpeg")
	dir := t.TempDir()
	src := filepath.Join(dir, "src.asf")
	out, err := exec.Command(ffmpeg, "-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc=s=64x48:r=25:d=6",
		"-c:v", "wmv2", "-g", "25", "-f", "asf", "-y", src).CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg: %v %s", err, out)
	}
	b, err := os.ReadFile(src)
	must(t, err)
	hs := binary.LittleEndian.Uint64(b[16:])
	dataEnd := hs + binary.LittleEndian.Uint64(b[hs+16:])
	f := filepath.Join(dir, "stripped.asf")
	must(t, os.WriteFile(f, b[:dataEnd], 0o644))

	ix, err := NewIndexer()
	must(t, err)
	defer ix.Close()
	var pct []uint32
	must(t, ix.Index(f, func(p uint32) { pct = append(pct, p) }))
	if len(pct) < 2 || pct[0] != 0 || pct[len(pct)-1] != 100 {
		t.Fatalf("progress %v", pct)
	}
	after, err := os.ReadFile(f)
	must(t, err)
	if !bytes.Equal(after[dataEnd:dataEnd+16], simpleIndexGUID) {
		t.Fatal("no Simple Index after the data")
	}
	frame := func(args ...string) []byte {
		a := append([]string{"-hide_banner", "-nostdin", "-v", "error"}, args...)
		a = append(a, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-")
		o, err := exec.Command(ffmpeg, a...).Output()
		if err != nil {
			t.Fatalf("ffmpeg %v: %v", a, err)
		}
		return o
	}
	want := frame("-i", src, "-vf", "select=eq(n\\,50)")
	if bytes.Equal(want, frame("-i", src, "-vf", "select=eq(n\\,49)")) {
		t.Fatal("frames 49 and 50 are equal")
	}
	if !bytes.Equal(frame("-ss", "2", "-i", f), want) {
		t.Fatal("ffmpeg -ss 2 did not land on frame 50")
	}

	// Cancel from the WMT_STARTED callback.
	must(t, ix.Start(f, func(status uint32, hr int32, value *uint32) {
		if status == WMT_STARTED {
			_ = ix.Cancel()
		}
	}))
	if hr := ix.Wait(60000); hr != E_ABORT {
		t.Fatalf("wait = %s", HResultName(hr))
	}
	again, err := os.ReadFile(f)
	must(t, err)
	if !bytes.Equal(again, after) {
		t.Fatal("the file changed after a cancel")
	}
	if err := ix.Start(filepath.Join(dir, "missing.wmv"), nil); err == nil || err.(*Error).Name != "NS_E_FILE_NOT_FOUND" {
		t.Fatalf("missing file: %v", err)
	}
	if err := ix.Configure(1, 7, nil, nil); err == nil || err.(*Error).Name != "E_INVALIDARG" {
		t.Fatalf("bad indexer type: %v", err)
	}
	must(t, ix.Configure(1, WMT_IT_TIMECODE, nil, nil))
	must(t, ix.Configure(1, WMT_IT_FRAME_NUMBERS, nil, nil))
	iv := uint32(500)
	must(t, ix.Configure(0, WMT_IT_PRESENTATION_TIME, &iv, nil))

	s, err := NewFileSink()
	must(t, err)
	defer s.Close()
	on, err := s.AutoIndexing()
	must(t, err)
	must(t, s.SetAutoIndexing(false))
	off, err := s.AutoIndexing()
	must(t, err)
	if !on || off {
		t.Fatalf("auto-indexing %v then %v", on, off)
	}
}
