package wmwriter

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// PRX: save a profile, load it back, save again: the same text; a bad PRX names its
// problem.
func TestPRXRoundTrip(t *testing.T) {
	pm, err := NewProfileManager()
	must(t, err)
	defer pm.Close()
	p := pcmProfile(t, [3]int{2, 44100, 16})
	defer p.Close()
	_, err = p.AddVideoStream(320, 240, 25, WMMEDIASUBTYPE_I420)
	must(t, err)
	must(t, p.SetName("PRX test"))
	prx, err := pm.SaveProfile(p)
	must(t, err)
	if !strings.Contains(prx, "<profile") || !strings.Contains(prx, "PRX test") {
		t.Fatalf("PRX text:\n%s", prx)
	}
	q, err := pm.LoadProfileByData(prx)
	must(t, err)
	defer q.Close()
	if n, _ := q.StreamCount(); n != 2 {
		t.Fatalf("loaded profile has %d streams", n)
	}
	again, err := pm.SaveProfile(q)
	must(t, err)
	if again != prx {
		t.Fatalf("save → load → save differs:\n%s\n---\n%s", prx, again)
	}
	_, err = pm.LoadProfileByData("<profile version=\"589824\"><streamconfig majortype=\"nonsense\"")
	var e *Error
	if !IsHResult(err, NS_E_INVALIDPROFILE) || !asError(err, &e) || e.Message == "" {
		t.Fatalf("bad PRX = %v; want NS_E_INVALIDPROFILE with a message", err)
	}
	if _, err := pm.SaveProfile(nil); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("SaveProfile(nil) = %v", err)
	}
	if _, err := pm.LoadSystemProfile(21); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("LoadSystemProfile(21) = %v (version 4.0 has 21)", err)
	}

	if id, err := p.ProfileID(); err != nil || !id.IsZero() {
		t.Fatalf("ProfileID = %v, %v", id, err)
	}
	// MP3 is a read-only storage format: refused, the profile stays ASF.
	if err := p.SetStorageFormat(WMT_Storage_Format_MP3); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("SetStorageFormat(MP3) = %v", err)
	}
	if f, _ := p.StorageFormat(); f != WMT_Storage_Format_V1 {
		t.Fatalf("StorageFormat %d", f)
	}
	if err := p.SetStorageFormat(7); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("SetStorageFormat(7) = %v", err)
	}
	if n, err := p.ExpectedPacketCount(10 * time.Second); err != nil || n == 0 {
		t.Fatalf("ExpectedPacketCount = %d, %v", n, err)
	}
	empty := pcmProfile(t)
	defer empty.Close()
	if _, err := empty.ExpectedPacketCount(time.Second); !IsHResult(err, E_NOTIMPL) {
		t.Fatalf("ExpectedPacketCount(no streams) = %v; want E_NOTIMPL", err)
	}
}

func asError(err error, e **Error) bool {
	x, ok := err.(*Error)
	*e = x
	return ok
}

func TestStreamConfigExtras(t *testing.T) {
	p := pcmProfile(t)
	defer p.Close()
	sc, err := p.CreateNewStream(WMMEDIATYPE_Video)
	must(t, err)
	defer sc.Close()
	if g, err := sc.Type(); err != nil || g != WMMEDIATYPE_Video {
		t.Fatalf("Type = %v, %v", g, err)
	}
	must(t, sc.SetLanguage("de-de"))
	if s, _ := sc.Language(); s != "de-de" {
		t.Fatalf("Language %q", s)
	}
	must(t, sc.SetQuality(80))
	if q, _ := sc.Quality(); q != 80 {
		t.Fatalf("Quality %d", q)
	}
	if err := sc.SetQuality(101); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("SetQuality(101) = %v", err)
	}
	must(t, sc.SetMaxKeyFrameSpacing(8*time.Second))
	if d, _ := sc.MaxKeyFrameSpacing(); d != 8*time.Second {
		t.Fatalf("MaxKeyFrameSpacing %v", d)
	}
	if err := sc.SetMaxKeyFrameSpacing(-time.Second); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("negative spacing = %v", err)
	}
	must(t, sc.SetTransportType(WMT_Transport_Type_Reliable))
	if v, _ := sc.TransportType(); v != WMT_Transport_Type_Reliable {
		t.Fatalf("TransportType %d", v)
	}
	if err := sc.SetTransportType(2); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("SetTransportType(2) = %v", err)
	}
}

// AddAttribute (duplicates, long values, GUIDs), ModifyAttribute, AttributeIndices,
// WM/Picture, codec info.
func TestAttributesEx(t *testing.T) {
	p := pcmProfile(t, [3]int{1, 8000, 16})
	defer p.Close()
	w, err := NewWriter()
	must(t, err)
	defer w.Close()
	must(t, w.SetProfile(p))

	i1, err := w.AddAttribute(0, "WM/Genre", "Rock", 0)
	must(t, err)
	i2, err := w.AddAttribute(0, "WM/Genre", "Jazz", 0)
	must(t, err)
	if i2 != i1+1 {
		t.Fatalf("indices %d, %d", i1, i2)
	}
	idx, err := w.AttributeIndices(0, "WM/Genre", nil)
	must(t, err)
	if len(idx) != 2 || idx[0] != i1 || idx[1] != i2 {
		t.Fatalf("AttributeIndices = %v", idx)
	}
	lang := uint16(0)
	if idx, _ := w.AttributeIndices(0, "WM/Genre", &lang); len(idx) != 2 {
		t.Fatalf("AttributeIndices(language 0) = %v", idx)
	}
	if idx, err := w.AttributeIndices(0, "WM/None", nil); err != nil || len(idx) != 0 {
		t.Fatalf("AttributeIndices(none) = %v, %v", idx, err)
	}
	must(t, w.ModifyAttribute(0, i2, "Blues", 0))
	if _, v, _ := w.AttributeByIndex(0, i2); v != "Blues" {
		t.Fatalf("after ModifyAttribute: %v", v)
	}
	big := bytes.Repeat([]byte{0xAB}, 100000)
	ib, err := w.AddAttribute(0, "WM/Blob", big, 0)
	must(t, err)
	if err := w.SetAttribute(0, "WM/Blob2", big); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("SetAttribute(100000 bytes) = %v", err)
	}
	if _, v, err := w.AttributeByIndex(0, ib); err != nil {
		t.Fatalf("AttributeByIndex of a 100000-byte value: %v", err)
	} else if b, _ := v.([]byte); !bytes.Equal(b, big) {
		t.Fatalf("100000-byte value read back as %d bytes", len(b))
	}
	if v, err := w.Attribute(0, "WM/Blob"); err != nil || !bytes.Equal(v.([]byte), big) {
		t.Fatalf("Attribute(100000-byte value): %v", err)
	}
	if _, _, lang, err := w.AttributeByIndexEx(0, i1); err != nil || lang != 0 {
		t.Fatalf("AttributeByIndexEx language = %d, %v", lang, err)
	}
	if _, err := w.AddAttribute(0, "WM/Id", WMMEDIASUBTYPE_PCM, 0); err != nil {
		t.Fatalf("AddAttribute(GUID) = %v", err)
	}
	if v, err := w.Attribute(0, "WM/Id"); err != nil || v != WMMEDIASUBTYPE_PCM {
		t.Fatalf("GUID attribute = %v, %v", v, err)
	}

	pic := Picture{MIMEType: "image/png", Type: 3, Description: "cover", Data: []byte("\x89PNG not really")}
	must(t, w.SetAttribute(0, "WM/Picture", pic))
	v, err := w.Attribute(0, "WM/Picture")
	must(t, err)
	got, err := ParsePicture(v.([]byte))
	must(t, err)
	if got.MIMEType != pic.MIMEType || got.Type != 3 || got.Description != "cover" || !bytes.Equal(got.Data, pic.Data) {
		t.Fatalf("picture round trip: %+v", got)
	}
	if _, err := ParsePicture([]byte{1, 2}); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("ParsePicture(short) = %v", err)
	}

	n, err := w.CodecInfoCount()
	must(t, err)
	if n != 1 {
		t.Fatalf("CodecInfoCount = %d; want 1 (the PCM stream)", n)
	}
	must(t, w.AddCodecInfo(CodecInfo{Name: "Go codec", Description: "test entry", Type: WMT_CODECINFO_UNKNOWN, Info: []byte{1, 2}}))
	ci, err := w.CodecInfo(1)
	must(t, err)
	if ci.Name != "Go codec" || ci.Description != "test entry" || ci.Type != WMT_CODECINFO_UNKNOWN || !bytes.Equal(ci.Info, []byte{1, 2}) {
		t.Fatalf("CodecInfo(1) = %+v", ci)
	}
	if _, err := w.CodecInfo(5); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("CodecInfo(5) = %v", err)
	}

	path := filepath.Join(t.TempDir(), "attrs.wma")
	must(t, w.SetOutputFilename(path))
	must(t, w.BeginWriting())
	writeChunks(t, w, 0, noise(10, 16000), 1600, 16000)
	must(t, w.EndWriting())
	requireTool(t, "ffprobe")
	// ffprobe keeps one tag per name (here the last genre); the picture is a stream.
	out, err := exec.Command("ffprobe", "-v", "quiet", "-show_entries", "format_tags=genre:stream=codec_name:stream_disposition=attached_pic", "-of", "default=noprint_wrappers=1", path).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "TAG:genre=Blues") || !strings.Contains(string(out), "codec_name=png\nDISPOSITION:attached_pic=1") {
		t.Fatalf("ffprobe does not see the genre and the picture:\n%s", out)
	}
}

func TestDataUnitExtensions(t *testing.T) {
	p := pcmProfile(t)
	defer p.Close()
	sc, err := p.CreateNewStream(WMMEDIATYPE_Video)
	must(t, err)
	defer sc.Close()
	id := GUID{Data1: 0xD590DC20, Data2: 0x07BC, Data3: 0x436C, Data4: [8]byte{0x9C, 0xF7, 0xF3, 0xBB, 0xFB, 0xF1, 0xA4, 0xDC}}
	must(t, sc.AddDataUnitExtension(DataUnitExtension{SystemID: id, DataSize: 8, Info: []byte{1, 2, 3}}))
	must(t, sc.AddDataUnitExtension(DataUnitExtension{SystemID: WMMEDIASUBTYPE_PCM, DataSize: 0xFFFF}))
	if n, err := sc.DataUnitExtensionCount(); err != nil || n != 2 {
		t.Fatalf("DataUnitExtensionCount = %d, %v", n, err)
	}
	ext, err := sc.DataUnitExtension(0)
	must(t, err)
	if ext.SystemID != id || ext.DataSize != 8 || !bytes.Equal(ext.Info, []byte{1, 2, 3}) {
		t.Fatalf("DataUnitExtension(0) = %+v", ext)
	}
	if ext, err := sc.DataUnitExtension(1); err != nil || ext.DataSize != 0xFFFF || len(ext.Info) != 0 {
		t.Fatalf("DataUnitExtension(1) = %+v, %v", ext, err)
	}
	if _, err := sc.DataUnitExtension(2); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("DataUnitExtension(2) = %v", err)
	}
	must(t, sc.RemoveAllDataUnitExtensions())
	if n, _ := sc.DataUnitExtensionCount(); n != 0 {
		t.Fatalf("%d extensions after RemoveAll", n)
	}
}
