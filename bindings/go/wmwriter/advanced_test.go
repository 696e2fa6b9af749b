package wmwriter

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// wantCode fails unless err is an *Error named name.
func wantCode(t *testing.T, what string, err error, name string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Name != name || e.HResult == 0 {
		t.Fatalf("%s: %v, want %s", what, err, name)
	}
}

func TestWriterTimeAndStatistics(t *testing.T) {
	w := pvWriter(t)
	if d, err := w.WriterTime(); err != nil || d != 0 {
		t.Fatalf("WriterTime = %v, %v", d, err)
	}
	_, err := w.StatisticsEx(0)
	wantCode(t, "StatisticsEx before writing", err, "NS_E_INVALID_REQUEST")
	must(t, w.BeginWriting())
	_, err = w.Statistics(7)
	wantCode(t, "Statistics(7)", err, "E_INVALIDARG")
	for i := 0; i < 5; i++ {
		must(t, w.WriteSample(0, time.Duration(i)*100*time.Millisecond, make([]byte, pvChunk), 0))
	}
	if d, err := w.WriterTime(); err != nil || d != 400*time.Millisecond {
		t.Fatalf("WriterTime = %v, %v", d, err)
	}
	st, err := w.Statistics(0)
	must(t, err)
	if st.SampleCount != 5 || st.ByteCount != 5*pvChunk || st.ExpectedBitrate != 44100*4*8 {
		t.Fatalf("statistics %+v", st)
	}
	ex, err := w.StatisticsEx(0)
	must(t, err)
	if ex.BitratePlusOverhead < 44100*4*8 || ex.TotalSampleDropsInQueue != 0 {
		t.Fatalf("statistics ex %+v", ex)
	}
	must(t, w.EndWriting())
	must(t, w.SetNonBlocking())
}

func TestLiveSourceAndInputSettings(t *testing.T) {
	w := pvWriter(t)
	for _, live := range []bool{true, false} {
		must(t, w.SetLiveSource(live))
		if rt, err := w.IsRealTime(); err != nil || rt != live {
			t.Fatalf("IsRealTime = %v, %v after SetLiveSource(%v)", rt, err, live)
		}
	}
	// The PCM input takes no video setting: refused, not stored.
	wantCode(t, "video setting on audio", w.SetInputSetting(0, "FixedFrameRate", true), "NS_E_INVALID_REQUEST")
	_, err := w.InputSetting(0, "FixedFrameRate")
	wantCode(t, "unset setting", err, "ASF_E_NOTFOUND")
	// V80_256Video: input 1 is the WMV2 320x240 video.
	pm, err := NewProfileManager()
	must(t, err)
	defer pm.Close()
	p, err := pm.LoadSystemProfileByName("V80_256Video")
	must(t, err)
	defer p.Close()
	v, err := NewWriter()
	must(t, err)
	defer v.Close()
	must(t, v.SetProfile(p))
	must(t, v.SetInputSetting(1, "FixedFrameRate", true))
	must(t, v.SetInputSetting(1, "DeinterlaceMode", uint32(1)))
	for name, want := range map[string]any{"FixedFrameRate": true, "DeinterlaceMode": uint32(1)} {
		if got, err := v.InputSetting(1, name); err != nil || got != want {
			t.Fatalf("%s = %v, %v", name, got, err)
		}
	}
	wantCode(t, "half size of a full-size stream", v.SetInputSetting(1, "DeinterlaceMode", uint32(2)), "NS_E_INVALID_REQUEST")
	wantCode(t, "watermark", v.SetInputSetting(1, "WatermarkConfig", "cfg"), "NS_E_INVALID_REQUEST")
	wantCode(t, "interlaced WMV2", v.SetInputSetting(1, "InterlacedCoding", true), "NS_E_INVALID_REQUEST")
	wantCode(t, "unknown setting", v.SetInputSetting(1, "NoSuchSetting", uint32(1)), "E_INVALIDARG")
	wantCode(t, "wrong type", v.SetInputSetting(1, "FixedFrameRate", "yes"), "E_INVALIDARG")
	wantCode(t, "bad input", v.SetInputSetting(3, "FixedFrameRate", true), "E_INVALIDARG")
}

func TestPreprocessingHasNoPasses(t *testing.T) {
	w := pvWriter(t)
	if n, err := w.MaxPreprocessingPasses(0, 0); err != nil || n != 0 {
		t.Fatalf("MaxPreprocessingPasses = %d, %v", n, err)
	}
	must(t, w.SetNumPreprocessingPasses(0, 0, 0))
	wantCode(t, "1 pass", w.SetNumPreprocessingPasses(0, 0, 1), "NS_E_INVALID_NUM_PASSES")
	b, err := NewBuffer(4)
	must(t, err)
	defer b.Close()
	wantCode(t, "begin", w.BeginPreprocessingPass(0, 0), "NS_E_INVALID_REQUEST")
	wantCode(t, "sample", w.PreprocessSample(0, 0, 0, b), "NS_E_INVALID_REQUEST")
	wantCode(t, "end", w.EndPreprocessingPass(0, 0), "NS_E_INVALID_REQUEST")
	_, err = w.MaxPreprocessingPasses(4, 0)
	wantCode(t, "bad input", err, "E_INVALIDARG")
}

func TestFileSinkCloseEarly(t *testing.T) {
	w := pvWriter(t)
	s, err := NewFileSink()
	must(t, err)
	defer s.Close()
	second := filepath.Join(t.TempDir(), "second.wma")
	must(t, s.Open(second))
	if m, err := s.Mode(); err != nil || m != WMT_FM_SINGLE_BUFFERS|WMT_FM_FILESINK_DATA_UNITS|WMT_FM_FILESINK_UNBUFFERED {
		t.Fatalf("Mode = %d, %v", m, err)
	}
	if rt, err := s.IsRealTime(); err != nil || rt {
		t.Fatalf("IsRealTime = %v, %v", rt, err)
	}
	must(t, w.AddSink(s))
	must(t, w.BeginWriting())
	for i := 0; i < 20; i++ {
		must(t, w.WriteSample(0, time.Duration(i)*100*time.Millisecond, make([]byte, pvChunk), 0))
	}
	must(t, s.CloseFile())
	if c, err := s.IsClosed(); err != nil || !c {
		t.Fatalf("IsClosed = %v, %v", c, err)
	}
	size, err := s.FileSize()
	must(t, err)
	d, err := s.FileDuration()
	must(t, err)
	for i := 20; i < 40; i++ {
		must(t, w.WriteSample(0, time.Duration(i)*100*time.Millisecond, make([]byte, pvChunk), 0))
	}
	must(t, w.EndWriting())
	fi, err := os.Stat(second)
	must(t, err)
	if after, _ := s.FileSize(); after != size || uint64(fi.Size()) != size || size == 0 {
		t.Fatalf("closed sink: %d bytes at close, %d after, file %d", size, after, fi.Size())
	}
	if d <= 0 || d > 2*time.Second {
		t.Fatalf("FileDuration at close = %v", d)
	}
	b, err := s.AllocateDataUnit(1234)
	must(t, err)
	defer b.Close()
	if n, _ := b.MaxLen(); n != 1234 {
		t.Fatalf("AllocateDataUnit: MaxLen %d", n)
	}
}

func TestLanguagesAndMinPacketSize(t *testing.T) {
	p := pcmProfile(t, [3]int{2, 44100, 16})
	defer p.Close()
	for _, c := range []struct {
		tag  string
		want int
	}{{"fr-fr", 0}, {"de-DE", 1}, {"FR-FR", 0}} {
		if i, err := p.AddLanguage(c.tag); err != nil || i != c.want {
			t.Fatalf("AddLanguage(%q) = %d, %v", c.tag, i, err)
		}
	}
	if l, err := p.Languages(); err != nil || !reflect.DeepEqual(l, []string{"fr-fr", "de-DE"}) {
		t.Fatalf("Languages = %q, %v", l, err)
	}
	_, err := p.AddLanguage("not a tag!")
	wantCode(t, "bad tag", err, "E_INVALIDARG")
	must(t, p.SetMinPacketSize(3000))
	if n, err := p.MinPacketSize(); err != nil || n != 3000 {
		t.Fatalf("MinPacketSize = %d, %v", n, err)
	}
	w, path := startWriter(t, p, "min.wma")
	writeChunks(t, w, 0, make([]byte, 10*pvChunk), pvChunk, 44100*4)
	must(t, w.EndWriting())
	data, err := os.ReadFile(path)
	must(t, err)
	fp := bytes.Index(data, []byte{0xA1, 0xDC, 0xAB, 0x8C, 0x47, 0xA9, 0xCF, 0x11, 0x8E, 0xE4, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65})
	if fp < 0 {
		t.Fatal("no File Properties Object")
	}
	lo, hi := binary.LittleEndian.Uint32(data[fp+92:]), binary.LittleEndian.Uint32(data[fp+96:])
	if lo != hi || lo < 3000 {
		t.Fatalf("packet size %d..%d, want >= 3000", lo, hi)
	}
}

func TestPropertyVault(t *testing.T) {
	p := pcmProfile(t, [3]int{2, 44100, 16})
	defer p.Close()
	sc, err := p.Stream(0)
	must(t, err)
	defer sc.Close()
	must(t, sc.SetProperty("_VBRENABLED", true))
	must(t, sc.SetProperty("_VBRQUALITY", uint32(90)))
	must(t, sc.SetProperty("Custom", "value"))
	if v, err := sc.Property("_VBRQUALITY"); err != nil || v != uint32(90) {
		t.Fatalf("_VBRQUALITY = %v, %v", v, err)
	}
	n, err := sc.PropertyCount()
	must(t, err)
	got := map[string]any{}
	for i := 0; i < n; i++ {
		name, v, err := sc.PropertyByIndex(i)
		must(t, err)
		got[name] = v
	}
	if want := map[string]any{"_VBRENABLED": true, "_VBRQUALITY": uint32(90), "Custom": "value"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("properties %v, want %v", got, want)
	}
	wantCode(t, "quality 101", sc.SetProperty("_VBRQUALITY", uint32(101)), "E_INVALIDARG")
	_, err = sc.Property("Missing")
	wantCode(t, "missing", err, "NS_E_UNSUPPORTED_PROPERTY")
	other, err := p.CreateNewStream(WMMEDIATYPE_Audio)
	must(t, err)
	defer other.Close()
	must(t, other.CopyPropertiesFrom(sc))
	if v, err := other.Property("Custom"); err != nil || v != "value" {
		t.Fatalf("copied Custom = %v, %v", v, err)
	}
	must(t, sc.ClearProperties())
	if n, err := sc.PropertyCount(); err != nil || n != 0 {
		t.Fatalf("after Clear: %d, %v", n, err)
	}
	_, _, err = sc.PropertyByIndex(0)
	wantCode(t, "index 0", err, "E_INVALIDARG")
}

// TestTimecodeExtensionReachesTheFile: a sample property declared as a data-unit
// extension is carried in each payload's replicated data.
func TestTimecodeExtensionReachesTheFile(t *testing.T) {
	p := pcmProfile(t, [3]int{2, 44100, 16})
	defer p.Close()
	sc, err := p.Stream(0)
	must(t, err)
	must(t, sc.AddDataUnitExtension(DataUnitExtension{SystemID: WM_SampleExtensionGUID_Timecode, DataSize: 14}))
	must(t, p.ReconfigStream(sc))
	sc.Close()
	w, path := startWriter(t, p, "tc.wma")
	var tcs [][]byte
	for i := 0; i < 5; i++ {
		tc := make([]byte, 14)
		binary.LittleEndian.PutUint32(tc[2:], 0x00010203+uint32(i))
		tcs = append(tcs, tc)
		b, err := w.AllocateSample(pvChunk)
		must(t, err)
		must(t, b.SetBytes(make([]byte, pvChunk)))
		must(t, b.SetProperty(WM_SampleExtensionGUID_Timecode, tc))
		must(t, w.WriteBuffer(0, time.Duration(i)*100*time.Millisecond, 0, b))
		b.Close()
	}
	b, err := w.AllocateSample(pvChunk)
	must(t, err)
	must(t, b.SetBytes(make([]byte, pvChunk)))
	must(t, b.SetProperty(WM_SampleExtensionGUID_Timecode, make([]byte, 15)))
	wantCode(t, "15-byte timecode", w.WriteBuffer(0, 500*time.Millisecond, 0, b), "NS_E_DATA_UNIT_EXTENSION_TOO_LARGE")
	b.Close()
	must(t, w.EndWriting())
	data, err := os.ReadFile(path)
	must(t, err)
	for i, tc := range tcs {
		if !bytes.Contains(data, tc) {
			t.Errorf("timecode %d (%x) not in the file", i, tc)
		}
	}
}

func TestDRMIsRefusedByDesign(t *testing.T) {
	w := pvWriter(t)
	for name, f := range map[string]func() error{
		"GenerateKeyID":           func() error { _, err := w.GenerateKeyID(); return err },
		"GenerateKeySeed":         func() error { _, err := w.GenerateKeySeed(); return err },
		"GenerateSigningKeyPair":  func() error { _, _, err := w.GenerateSigningKeyPair(); return err },
		"SetDRMAttribute":         func() error { return w.SetDRMAttribute(0, "DRM_LicenseAcqURL", "http://x") },
		"SetProtectStreamSamples": func() error { return w.SetProtectStreamSamples(make([]byte, 32)) },
		"SetWMDRMNetEncryption":   func() error { return w.SetWMDRMNetEncryption(true, make([]byte, 16)) },
	} {
		err := f()
		wantCode(t, name, err, "NS_E_DRM_UNABLE_TO_INITIALIZE")
		if !IsHResult(err, NS_E_DRM_UNABLE_TO_INITIALIZE) {
			t.Fatalf("%s: %v", name, err)
		}
	}
}
