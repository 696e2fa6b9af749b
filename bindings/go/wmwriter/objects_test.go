package wmwriter

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wmwriter/wmwriter/bindings/go/internal/headerconst"
)

func TestProfileManager(t *testing.T) {
	pm, err := NewProfileManager()
	must(t, err)
	defer pm.Close()

	p, err := pm.CreateEmptyProfile(WMT_VER_9_0)
	must(t, err)
	defer p.Close()
	if v, err := p.Version(); err != nil || v != WMT_VER_9_0 {
		t.Fatalf("Version = %#x, %v; want WMT_VER_9_0", v, err)
	}
	if n, err := p.StreamCount(); err != nil || n != 0 {
		t.Fatalf("empty profile has %d streams (%v)", n, err)
	}
	if _, err := pm.CreateEmptyProfile(12345); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("CreateEmptyProfile(12345) = %v; want E_INVALIDARG", err)
	}
	if n, err := pm.SystemProfileCount(); err != nil || n != 21 { // version 4.0, the default
		t.Fatalf("SystemProfileCount = %d, %v", n, err)
	}
	if _, err := pm.LoadProfileByID(WMMEDIATYPE_Audio); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("LoadProfileByID = %v; want E_INVALIDARG", err)
	}
	must(t, pm.SetSystemProfileVersion(WMT_VER_8_0))
	if v, err := pm.SystemProfileVersion(); err != nil || v != WMT_VER_8_0 {
		t.Fatalf("SystemProfileVersion = %#x, %v", v, err)
	}
	if err := pm.SetSystemProfileVersion(7); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("SetSystemProfileVersion(7) = %v; want E_INVALIDARG", err)
	}

	clone, err := pm.Clone()
	must(t, err)
	pm.Close()
	// The clone holds its own reference: the manager is still alive through it.
	p2, err := clone.CreateEmptyProfile(WMT_VER_8_0)
	must(t, err)
	p2.Close()
	clone.Close()
}

func TestProfile(t *testing.T) {
	p := pcmProfile(t)
	defer p.Close()

	must(t, p.SetName("Go test"))
	must(t, p.SetDescription("made by objects_test.go, with UTF-8: é"))
	if s, err := p.Name(); err != nil || s != "Go test" {
		t.Fatalf("Name = %q, %v", s, err)
	}
	if s, err := p.Description(); err != nil || s != "made by objects_test.go, with UTF-8: é" {
		t.Fatalf("Description = %q, %v", s, err)
	}
	if err := p.SetName("bad\x00name"); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("SetName with NUL = %v; want E_INVALIDARG", err)
	}
	if err := p.SetName(strings.Repeat("x", 300)); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("SetName(300 chars) = %v; want E_INVALIDARG", err)
	}

	a, err := p.AddAudioStream(2, 44100, 16)
	must(t, err)
	v, err := p.AddVideoStream(64, 48, 25, WMMEDIASUBTYPE_RGB24)
	must(t, err)
	if a != 1 || v != 2 {
		t.Fatalf("stream numbers %d, %d; want 1, 2", a, v)
	}
	if n, err := p.StreamCount(); err != nil || n != 2 {
		t.Fatalf("StreamCount = %d, %v", n, err)
	}
	sc, err := p.Stream(1)
	must(t, err)
	defer sc.Close()
	if n, _ := sc.StreamNumber(); n != 2 {
		t.Fatalf("Stream(1) is number %d", n)
	}
	if typ, _ := sc.StreamType(); typ != WMMEDIATYPE_Video {
		t.Fatalf("Stream(1) type %v", typ)
	}
	if name, _ := sc.ConnectionName(); name != "Video2" {
		t.Fatalf("connection name %q; want Video2", name)
	}
	if _, err := p.Stream(7); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("Stream(7) = %v; want E_INVALIDARG", err)
	}
	if _, err := p.StreamByNumber(9); !IsHResult(err, NS_E_NO_STREAM) {
		t.Fatalf("StreamByNumber(9) = %v; want NS_E_NO_STREAM", err)
	}
	audio, err := p.StreamByNumber(1)
	must(t, err)
	defer audio.Close()
	if br, _ := audio.Bitrate(); br != 44100*2*16 {
		t.Fatalf("audio bit rate %d", br)
	}
	if _, err := p.AddVideoStream(64, 48, 25, WMMEDIATYPE_Audio); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("AddVideoStream(not a subtype) = %v; want E_INVALIDARG", err)
	}
	if _, err := p.AddAudioStream(0, 44100, 16); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("AddAudioStream(0 channels) = %v; want E_INVALIDARG", err)
	}

	must(t, p.SetMaxPacketSize(3000))
	if n, err := p.MaxPacketSize(); err != nil || n != 3000 {
		t.Fatalf("MaxPacketSize = %d, %v", n, err)
	}
	if err := p.SetMaxPacketSize(5); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("SetMaxPacketSize(5) = %v; want E_INVALIDARG", err)
	}

	must(t, p.RemoveStream(sc))
	must(t, p.RemoveStreamByNumber(1))
	if n, _ := p.StreamCount(); n != 0 {
		t.Fatalf("%d streams left after removing both", n)
	}
	if err := p.RemoveStreamByNumber(1); !IsHResult(err, NS_E_NO_STREAM) {
		t.Fatalf("RemoveStreamByNumber(gone) = %v; want NS_E_NO_STREAM", err)
	}
	if err := p.AddStream(nil); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("AddStream(nil) = %v; want E_INVALIDARG", err)
	}

	// Clone shares the object: an edit through one is seen by the other.
	c, err := p.Clone()
	must(t, err)
	must(t, c.SetName("renamed"))
	c.Close()
	if s, _ := p.Name(); s != "renamed" {
		t.Fatalf("Name after clone edit = %q", s)
	}
}

func TestStreamConfig(t *testing.T) {
	p := pcmProfile(t)
	defer p.Close()
	sc, err := p.CreateNewStream(WMMEDIATYPE_Audio)
	must(t, err)
	defer sc.Close()

	if _, err := sc.MediaType(); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("MediaType before SetMediaType = %v; want E_INVALIDARG", err)
	}
	mt := PCMMediaType(1, 22050, 16)
	must(t, sc.SetMediaType(&mt))
	got, err := sc.MediaType()
	must(t, err)
	if got.MajorType != mt.MajorType || got.Subtype != mt.Subtype || got.FormatType != mt.FormatType ||
		got.SampleSize != 2 || !got.FixedSizeSamples || !bytes.Equal(got.Format, mt.Format) {
		t.Fatalf("media type round trip: got %+v, want %+v", got, mt)
	}
	if got.BlockAlign() != 2 || got.BytesPerSecond() != 44100 {
		t.Fatalf("BlockAlign %d BytesPerSecond %d", got.BlockAlign(), got.BytesPerSecond())
	}
	video := VideoMediaType(WMMEDIASUBTYPE_RGB24, 8, 8, 25)
	if err := sc.SetMediaType(&video); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("video media type on an audio stream = %v; want E_INVALIDARG", err)
	}
	if err := sc.SetMediaType(nil); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("SetMediaType(nil) = %v; want E_INVALIDARG", err)
	}
	if typ, err := sc.StreamType(); err != nil || typ != WMMEDIATYPE_Audio {
		t.Fatalf("StreamType = %v, %v", typ, err)
	}

	must(t, sc.SetStreamNumber(5))
	must(t, sc.SetBitrate(352800))
	must(t, sc.SetBufferWindow(1500))
	must(t, sc.SetStreamName("left"))
	must(t, sc.SetConnectionName("Mono"))
	if n, _ := sc.StreamNumber(); n != 5 {
		t.Fatalf("StreamNumber %d", n)
	}
	if n, _ := sc.Bitrate(); n != 352800 {
		t.Fatalf("Bitrate %d", n)
	}
	if n, _ := sc.BufferWindow(); n != 1500 {
		t.Fatalf("BufferWindow %d", n)
	}
	if s, _ := sc.StreamName(); s != "left" {
		t.Fatalf("StreamName %q", s)
	}
	if s, _ := sc.ConnectionName(); s != "Mono" {
		t.Fatalf("ConnectionName %q", s)
	}
	must(t, p.AddStream(sc))
	if err := p.AddStream(sc); !IsHResult(err, NS_E_INVALID_STREAM) {
		t.Fatalf("adding stream 5 twice = %v; want NS_E_INVALID_STREAM", err)
	}
	must(t, sc.SetBitrate(1000))
	must(t, p.ReconfigStream(sc))
	back, err := p.StreamByNumber(5)
	must(t, err)
	defer back.Close()
	if n, _ := back.Bitrate(); n != 1000 {
		t.Fatalf("bit rate after ReconfigStream %d", n)
	}
	clone, err := back.Clone()
	must(t, err)
	clone.Close()
	if n, _ := back.Bitrate(); n != 1000 {
		t.Fatal("closing a clone broke the original")
	}
}

func TestInputMediaProps(t *testing.T) {
	p := pcmProfile(t, [3]int{2, 44100, 16}, [3]int{1, 8000, 8})
	defer p.Close()
	w, err := NewWriter()
	must(t, err)
	defer w.Close()
	if _, err := w.InputCount(); !IsHResult(err, NS_E_NOT_CONFIGURED) {
		t.Fatalf("InputCount before SetProfile = %v; want NS_E_NOT_CONFIGURED", err)
	}
	must(t, w.SetProfile(p))
	if n, err := w.InputCount(); err != nil || n != 2 {
		t.Fatalf("InputCount = %d, %v", n, err)
	}
	if in, err := w.InputByName("Audio2"); err != nil || in != 1 {
		t.Fatalf("InputByName(Audio2) = %d, %v", in, err)
	}
	if _, err := w.InputByName("nope"); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("InputByName(nope) = %v", err)
	}

	props, err := w.InputProps(1)
	must(t, err)
	defer props.Close()
	if typ, err := props.Type(); err != nil || typ != WMMEDIATYPE_Audio {
		t.Fatalf("Type = %v, %v", typ, err)
	}
	mt, err := props.MediaType()
	must(t, err)
	want := PCMMediaType(1, 8000, 8)
	if !bytes.Equal(mt.Format, want.Format) || mt.Subtype != WMMEDIASUBTYPE_PCM {
		t.Fatalf("input format %x; want %x", mt.Format, want.Format)
	}
	if s, err := props.ConnectionName(); err != nil || s != "Audio2" {
		t.Fatalf("ConnectionName = %q, %v", s, err)
	}
	if s, err := props.GroupName(); err != nil || s != "" {
		t.Fatalf("GroupName = %q, %v", s, err)
	}
	n, err := w.InputFormatCount(1)
	must(t, err)
	if n < 1 {
		t.Fatalf("InputFormatCount = %d", n)
	}
	f, err := w.InputFormat(1, 0)
	must(t, err)
	defer f.Close()
	if _, err := w.InputFormat(1, uint32(n)); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("InputFormat past the end = %v; want E_INVALIDARG", err)
	}
	must(t, w.SetInputProps(1, f))
	if _, err := w.InputProps(7); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("InputProps(7) = %v; want E_INVALIDARG", err)
	}
	// A format the input does not take.
	other := PCMMediaType(2, 48000, 24)
	must(t, props.SetMediaType(&other))
	if err := w.SetInputProps(1, props); !IsHResult(err, NS_E_INVALID_INPUT_FORMAT) {
		t.Fatalf("SetInputProps(other format) = %v; want NS_E_INVALID_INPUT_FORMAT", err)
	}
	c, err := props.Clone()
	must(t, err)
	c.Close()
}

func TestBuffer(t *testing.T) {
	b, err := NewBuffer(16)
	must(t, err)
	defer b.Close()
	if n, err := b.MaxLen(); err != nil || n != 16 {
		t.Fatalf("MaxLen = %d, %v", n, err)
	}
	if n, err := b.Len(); err != nil || n != 0 {
		t.Fatalf("Len = %d, %v", n, err)
	}
	must(t, b.SetBytes([]byte("hello")))
	if got, err := b.Bytes(); err != nil || string(got) != "hello" {
		t.Fatalf("Bytes = %q, %v", got, err)
	}
	if err := b.SetLen(17); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("SetLen(17) = %v; want E_INVALIDARG", err)
	}
	if err := b.SetBytes(make([]byte, 17)); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("SetBytes(17 bytes) = %v; want E_INVALIDARG", err)
	}
	must(t, b.Fill(func(p []byte) (int, error) {
		if len(p) != 16 {
			t.Errorf("Fill sees %d bytes", len(p))
		}
		return copy(p, "in place"), nil
	}))
	if got, _ := b.Bytes(); string(got) != "in place" {
		t.Fatalf("after Fill: %q", got)
	}
	boom := errors.New("boom")
	if err := b.Fill(func(p []byte) (int, error) { return 0, boom }); err != boom {
		t.Fatalf("Fill error = %v", err)
	}
	if n, _ := b.Len(); n != 8 {
		t.Fatalf("a failed Fill changed the length to %d", n)
	}
	must(t, b.SetLen(3))
	if got, _ := b.Bytes(); string(got) != "in " {
		t.Fatalf("after SetLen(3): %q", got)
	}
	c, err := b.Clone()
	must(t, err)
	b.Close()
	if got, err := c.Bytes(); err != nil || string(got) != "in " {
		t.Fatalf("clone after closing the original: %q, %v", got, err)
	}
	c.Close()
	if _, err := NewBuffer(-1); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("NewBuffer(-1) = %v", err)
	}
}

func TestSinkObjects(t *testing.T) {
	s, err := NewFileSink()
	must(t, err)
	defer s.Close()
	if err := s.Open(""); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("Open(\"\") = %v; want E_INVALIDARG", err)
	}
	w, err := NewWriter()
	must(t, err)
	defer w.Close()
	must(t, w.AddSink(s))
	if err := w.AddSink(s); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("AddSink twice = %v; want E_INVALIDARG", err)
	}
	if n, err := w.SinkCount(); err != nil || n != 1 {
		t.Fatalf("SinkCount = %d, %v", n, err)
	}
	got, err := w.Sink(0)
	must(t, err)
	got.Close()
	if _, err := w.Sink(1); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("Sink(1) = %v; want E_INVALIDARG", err)
	}
	if removed, err := w.RemoveSink(s); err != nil || !removed {
		t.Fatalf("RemoveSink = %v, %v", removed, err)
	}
	if removed, err := w.RemoveSink(s); err != nil || removed {
		t.Fatalf("RemoveSink again = %v, %v; want false (S_FALSE)", removed, err)
	}
	if err := w.AddSink(nil); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("AddSink(nil) = %v; want E_INVALIDARG", err)
	}
	c, err := s.Clone()
	must(t, err)
	c.Close()
	if _, err := NewCallbackSink(nil, true); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("NewCallbackSink(nil) = %v", err)
	}
}

func TestGUIDs(t *testing.T) {
	if s := WMMEDIATYPE_Audio.String(); s != "{73647561-0000-0010-8000-00AA00389B71}" {
		t.Fatalf("WMMEDIATYPE_Audio = %s", s)
	}
	if s := WMMEDIASUBTYPE_PCM.String(); s != "{00000001-0000-0010-8000-00AA00389B71}" {
		t.Fatalf("WMMEDIASUBTYPE_PCM = %s", s)
	}
	if WMMEDIASUBTYPE_PCM.Name() != "WMMEDIASUBTYPE_PCM" || (GUID{}).Name() != "" || !(GUID{}).IsZero() {
		t.Fatal("GUID.Name / IsZero")
	}
	for _, g := range guidList {
		if g.value.IsZero() {
			t.Errorf("%s is zero: not read from the library", g.name)
		}
	}
}

// Every HRESULT constant has the value the library gives its name.
func TestHResultConstants(t *testing.T) {
	if len(hresultList) < 10 {
		t.Fatalf("only %d HRESULTs", len(hresultList))
	}
	for _, h := range hresultList {
		if got := HResultName(h.value); got != h.name {
			t.Errorf("wm_hresult_name(%s = %#x) = %q", h.name, uint32(h.value), got)
		}
	}
	if NS_E_INVALID_REQUEST != -1072889813 || E_INVALIDARG != -2147024809 {
		t.Fatal("constants are not the SDK's numbers")
	}
	if HResultName(0x12345) != "unknown HRESULT" {
		t.Fatalf("HResultName(unknown) = %q", HResultName(0x12345))
	}
}

// zconst.go and zguid.go are what internal/cmd/gen makes from the current header: a
// constant added to include/wmwriter.h needs `go generate ./...` in bindings/go.
func TestGeneratedFilesUpToDate(t *testing.T) {
	header, err := os.ReadFile(filepath.Join("..", "..", "..", "include", "wmwriter.h"))
	if err != nil {
		t.Skipf("no header next to the package (%v): not in the wmwriter repository", err)
	}
	h, err := headerconst.Parse(header)
	must(t, err)
	zconst, zguid, err := h.Render()
	must(t, err)
	for name, want := range map[string][]byte{"zconst.go": zconst, "zguid.go": zguid} {
		got, err := os.ReadFile(name)
		must(t, err)
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: include/wmwriter.h changed; run `go generate ./...` in bindings/go", name)
		}
	}
}

// Which functions of the header this package does not call. Not a failure: the header
// grows with the library; the list says what to wrap next (`go test -v -run
// TestHeaderCoverage`).
func TestHeaderCoverage(t *testing.T) {
	header, err := os.ReadFile(filepath.Join("..", "..", "..", "include", "wmwriter.h"))
	if err != nil {
		t.Skipf("no header: %v", err)
	}
	var src bytes.Buffer
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			b, err := os.ReadFile(f)
			must(t, err)
			src.Write(b)
		}
	}
	// Covered by another function: the 16-bit GetAttributeByIndex by the Ex form, the
	// Ex count by the plain one.
	skip := map[string]bool{"wm_writer_get_attribute_by_index": true, "wm_writer_get_attribute_count_ex": true}
	re := regexp.MustCompile(`(?m)^(?:HRESULT|uint32_t|const char \*|void) \*?(wm_[a-z0-9_]+)\(`)
	var missing []string
	all := re.FindAllSubmatch(header, -1)
	for _, m := range all {
		name := string(m[1])
		if !skip[name] && !bytes.Contains(src.Bytes(), []byte(name+"(")) {
			missing = append(missing, name)
		}
	}
	t.Logf("%d of %d header functions wrapped", len(all)-len(missing), len(all))
	if len(missing) > 0 {
		t.Logf("not wrapped yet: %s", strings.Join(missing, ", "))
	}
}
