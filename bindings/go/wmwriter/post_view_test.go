package wmwriter

import (
	"bytes"
	"encoding/binary"
	"errors"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"
)

// pvSample is one post-view sample as the callback saw it.
type pvSample struct {
	stream      uint16
	t, duration time.Duration
	flags       uint32
	data        []byte
}

const pvChunk = 4 * 4410 // 100 ms of 16-bit stereo 44.1 kHz
const pvN = 10

// pvChunks is pvN distinct chunks (noise), so a lost, repeated or reordered byte shows.
func pvChunks() [][]byte {
	out := make([][]byte, pvN)
	for i := range out {
		out[i] = noise(int64(100+i), pvChunk)
	}
	return out
}

// pvWriter is a configured (not writing) writer of one PCM stream.
func pvWriter(t *testing.T) *Writer {
	t.Helper()
	w := stereoWriter(t)
	must(t, w.SetOutputFilename(filepath.Join(t.TempDir(), "pv.wma")))
	return w
}

func pvWriteAll(t *testing.T, w *Writer, chunks [][]byte) {
	t.Helper()
	must(t, w.BeginWriting())
	for i, c := range chunks {
		must(t, w.WriteSample(0, time.Duration(i)*100*time.Millisecond, c, 0))
	}
	must(t, w.EndWriting())
}

type pvRecorder struct {
	mu  sync.Mutex
	got []pvSample
}

func (r *pvRecorder) on(stream uint16, t, d time.Duration, flags uint32, data []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, pvSample{stream, t, d, flags, append([]byte(nil), data...)})
}

func (r *pvRecorder) take() []pvSample {
	r.mu.Lock()
	defer r.mu.Unlock()
	g := r.got
	r.got = nil
	return g
}

func TestPostViewOfPCMIsTheInputWithItsTimes(t *testing.T) {
	w := pvWriter(t)
	var r pvRecorder
	must(t, w.SetPostViewCallback(r.on, nil))
	on, err := w.ReceivePostViewSamples(1)
	must(t, err)
	if on {
		t.Fatal("post view on by default")
	}
	must(t, w.SetReceivePostViewSamples(1, true))
	if on, err = w.ReceivePostViewSamples(1); err != nil || !on {
		t.Fatalf("ReceivePostViewSamples = %v, %v", on, err)
	}
	chunks := pvChunks()
	pvWriteAll(t, w, chunks)
	got := r.take()
	if len(got) != pvN {
		t.Fatalf("%d post-view samples, want %d", len(got), pvN)
	}
	for i, g := range got {
		if g.stream != 1 || g.t != time.Duration(i)*100*time.Millisecond || g.duration != 100*time.Millisecond {
			t.Errorf("sample %d: stream %d at %v for %v", i, g.stream, g.t, g.duration)
		}
		if g.flags&WM_SF_CLEANPOINT == 0 {
			t.Errorf("sample %d: flags %#x without WM_SF_CLEANPOINT", i, g.flags)
		}
		if !bytes.Equal(g.data, chunks[i]) {
			t.Errorf("sample %d: %d bytes differ from the %d written", i, len(g.data), len(chunks[i]))
		}
	}

	// Receive off: nothing.
	must(t, w.SetReceivePostViewSamples(1, false))
	pvWriteAll(t, w, chunks)
	if got := r.take(); len(got) != 0 {
		t.Fatalf("receive off: %d samples", len(got))
	}

	// No callback: receiving is harmless.
	must(t, w.SetReceivePostViewSamples(1, true))
	must(t, w.SetPostViewCallback(nil, nil))
	pvWriteAll(t, w, chunks)
	if got := r.take(); len(got) != 0 {
		t.Fatalf("no callback: %d samples", len(got))
	}
}

func TestPostViewThroughAClone(t *testing.T) {
	w := pvWriter(t)
	var r pvRecorder
	must(t, w.SetPostViewCallback(r.on, nil))
	must(t, w.SetReceivePostViewSamples(1, true))
	c, err := w.Clone()
	must(t, err)
	id := w.pv.id
	w.Close() // the clone keeps the callback alive
	pvWriteAll(t, c, pvChunks()[:3])
	if _, ok := postViews.Load(id); !ok {
		t.Fatal("entry gone while a clone is open")
	}
	c.Close()
	if _, ok := postViews.Load(id); ok {
		t.Fatal("entry kept after the last wrapper was closed")
	}
	if got := r.take(); len(got) != 3 {
		t.Fatalf("%d samples through the clone, want 3", len(got))
	}
}

func TestPostViewAllocate(t *testing.T) {
	w := pvWriter(t)
	var r pvRecorder
	var mu sync.Mutex
	var sizes []int
	alloc := func(stream uint16, size int) (*Buffer, error) {
		mu.Lock()
		sizes = append(sizes, size)
		mu.Unlock()
		b, err := NewBuffer(size)
		if err != nil {
			return nil, err
		}
		// The writer takes its own reference; ours goes at once.
		c, err := b.Clone()
		b.Close()
		return c, err
	}
	must(t, w.SetPostViewCallback(r.on, alloc))
	must(t, w.SetReceivePostViewSamples(1, true))
	if on, err := w.AllocateForPostView(1); err != nil || on {
		t.Fatalf("AllocateForPostView = %v, %v", on, err)
	}
	must(t, w.SetAllocateForPostView(1, true))
	if on, err := w.AllocateForPostView(1); err != nil || !on {
		t.Fatalf("AllocateForPostView = %v, %v", on, err)
	}
	chunks := pvChunks()
	pvWriteAll(t, w, chunks)
	if len(sizes) != pvN || sizes[0] != pvChunk {
		t.Fatalf("allocations %v", sizes)
	}
	got := r.take()
	if len(got) != pvN || !bytes.Equal(got[pvN-1].data, chunks[pvN-1]) {
		t.Fatalf("%d samples", len(got))
	}

	// An allocator that fails or panics: samples dropped, the writer goes on.
	must(t, w.SetPostViewCallback(r.on, func(uint16, int) (*Buffer, error) { return nil, errors.New("no") }))
	pvWriteAll(t, w, chunks)
	must(t, w.SetPostViewCallback(r.on, func(uint16, int) (*Buffer, error) { panic("boom") }))
	pvWriteAll(t, w, chunks)
	if got := r.take(); len(got) != 0 {
		t.Fatalf("failing allocator: %d samples", len(got))
	}
	// A panicking sample callback is recovered too.
	must(t, w.SetAllocateForPostView(1, false))
	must(t, w.SetPostViewCallback(func(uint16, time.Duration, time.Duration, uint32, []byte) { panic("boom") }, nil))
	pvWriteAll(t, w, chunks)
}

func TestPostViewFormatsAndProps(t *testing.T) {
	w := pvWriter(t)
	n, err := w.PostViewFormatCount(1)
	must(t, err)
	if n != 1 {
		t.Fatalf("%d post-view formats", n)
	}
	f, err := w.PostViewFormat(1, 0)
	must(t, err)
	defer f.Close()
	mt, err := f.MediaType()
	must(t, err)
	want := PCMMediaType(2, 44100, 16)
	if !reflect.DeepEqual(mt.Format, want.Format) || mt.Subtype != want.Subtype {
		t.Fatalf("post-view format %+v, want %+v", mt, want)
	}
	pv, err := w.PostViewProps(1)
	must(t, err)
	defer pv.Close()
	if mt2, err := pv.MediaType(); err != nil || !reflect.DeepEqual(mt2.Format, want.Format) {
		t.Fatalf("post-view props %+v, %v", mt2, err)
	}
	must(t, w.SetPostViewProps(1, f))
	must(t, w.SetPostViewProps(1, nil))
	other := PCMMediaType(1, 8000, 16)
	must(t, pv.SetMediaType(&other))
	if err := w.SetPostViewProps(1, pv); !IsHResult(err, NS_E_INVALID_INPUT_FORMAT) {
		t.Fatalf("unlisted format: %v", err)
	}
	must(t, w.BeginWriting())
	err = w.SetPostViewProps(1, f)
	var e *Error
	if !errors.As(err, &e) || e.Name != "NS_E_INVALID_REQUEST" || e.Op != "wm_writer_set_post_view_props" {
		t.Fatalf("SetPostViewProps while writing: %v", err)
	}
	must(t, w.EndWriting())
}

func TestPostViewBadArguments(t *testing.T) {
	bare, err := NewWriter()
	must(t, err)
	defer bare.Close()
	if err := bare.SetReceivePostViewSamples(1, true); !IsHResult(err, NS_E_NOT_CONFIGURED) {
		t.Fatalf("no profile: %v", err)
	}
	w := pvWriter(t)
	for name, f := range map[string]func() error{
		"SetReceivePostViewSamples": func() error { return w.SetReceivePostViewSamples(5, true) },
		"ReceivePostViewSamples":    func() error { _, err := w.ReceivePostViewSamples(5); return err },
		"PostViewFormatCount":       func() error { _, err := w.PostViewFormatCount(9); return err },
		"PostViewFormat":            func() error { _, err := w.PostViewFormat(1, 1); return err },
		"PostViewProps":             func() error { _, err := w.PostViewProps(3); return err },
		"SetAllocateForPostView":    func() error { return w.SetAllocateForPostView(6, true) },
		"AllocateForPostView":       func() error { _, err := w.AllocateForPostView(6); return err },
	} {
		var e *Error
		if err := f(); !errors.As(err, &e) || e.Name != "E_INVALIDARG" || e.HResult != E_INVALIDARG {
			t.Errorf("%s: %v", name, err)
		}
	}
	w.Close()
	if err := w.SetPostViewCallback(nil, nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("closed writer: %v", err)
	}
	var r pvRecorder
	if err := w.SetPostViewCallback(r.on, nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("closed writer: %v", err)
	}
	if w.pv.id != 0 {
		t.Fatal("a closed writer registered a post-view entry")
	}
}

func TestBufferSampleProperties(t *testing.T) {
	b, err := NewBuffer(16)
	must(t, err)
	defer b.Close()
	if p, err := b.SampleProperties(); err != nil || p != nil {
		t.Fatalf("new buffer: %v, %v", p, err)
	}
	for _, n := range []int{1, 63, 64, 65, 1000} {
		block := noise(int64(n), n)
		must(t, b.SetSampleProperties(block))
		got, err := b.SampleProperties()
		must(t, err)
		if !bytes.Equal(got, block) {
			t.Fatalf("%d-byte block read back as %d bytes", n, len(got))
		}
	}
	must(t, b.SetSampleProperties(nil))
	if p, err := b.SampleProperties(); err != nil || len(p) != 0 {
		t.Fatalf("cleared: %v, %v", p, err)
	}
}

func TestBufferPropertiesRoundTrip(t *testing.T) {
	b, err := NewBuffer(16)
	must(t, err)
	defer b.Close()
	if n, err := b.PropertyCount(); err != nil || n != 0 {
		t.Fatalf("PropertyCount = %d, %v", n, err)
	}
	// WMT_TIMECODE_EXTENSION_DATA: WORD wRange, DWORD dwTimecode, dwUserbits, dwAmFlags.
	tc := make([]byte, 14)
	binary.LittleEndian.PutUint32(tc[2:], 0x01020304)
	binary.LittleEndian.PutUint32(tc[6:], 0xCAFE)
	must(t, b.SetProperty(WM_SampleExtensionGUID_Timecode, tc))
	must(t, b.SetProperty(WM_SampleExtensionGUID_PixelAspectRatio, []byte{4, 3}))
	if v, err := b.Property(WM_SampleExtensionGUID_Timecode); err != nil || !bytes.Equal(v, tc) {
		t.Fatalf("timecode %x, %v", v, err)
	}
	if v, err := b.Property(WM_SampleExtensionGUID_PixelAspectRatio); err != nil || !bytes.Equal(v, []byte{4, 3}) {
		t.Fatalf("pixel aspect ratio %x, %v", v, err)
	}
	tc2 := append([]byte(nil), tc...)
	tc2[2] = 9
	must(t, b.SetProperty(WM_SampleExtensionGUID_Timecode, tc2)) // replaces, keeps its place
	must(t, b.SetProperty(WM_SampleExtensionGUID_UserDataInfo, nil))
	n, err := b.PropertyCount()
	must(t, err)
	want := []struct {
		id GUID
		v  []byte
	}{{WM_SampleExtensionGUID_Timecode, tc2}, {WM_SampleExtensionGUID_PixelAspectRatio, []byte{4, 3}}, {WM_SampleExtensionGUID_UserDataInfo, []byte{}}}
	if n != len(want) {
		t.Fatalf("PropertyCount = %d", n)
	}
	for i, w := range want {
		id, v, err := b.PropertyByIndex(i)
		must(t, err)
		if id != w.id || !bytes.Equal(v, w.v) || v == nil {
			t.Errorf("property %d: %v %x, want %v %x", i, id.Name(), v, w.id.Name(), w.v)
		}
	}
}

func TestBufferPropertyErrors(t *testing.T) {
	b, err := NewBuffer(16)
	must(t, err)
	_, err = b.Property(WM_SampleExtensionGUID_SampleDuration)
	var e *Error
	if !errors.As(err, &e) || e.Name != "NS_E_UNSUPPORTED_PROPERTY" || e.HResult != NS_E_UNSUPPORTED_PROPERTY || e.Op != "wm_buffer_get_property" {
		t.Fatalf("unset property: %v", err)
	}
	if _, _, err := b.PropertyByIndex(0); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("index 0 of none: %v", err)
	}
	if _, _, err := b.PropertyByIndex(-1); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("index -1: %v", err)
	}
	b.Close()
	if err := b.SetProperty(WM_SampleExtensionGUID_Timecode, nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("closed: %v", err)
	}
	if _, err := b.SampleProperties(); !errors.Is(err, ErrClosed) {
		t.Fatalf("closed: %v", err)
	}
}
