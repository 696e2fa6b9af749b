package wmwriter

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestErrorValues(t *testing.T) {
	p := pcmProfile(t, [3]int{2, 44100, 16})
	defer p.Close()
	w := stereoWriter(t)
	must(t, w.SetOutputFilename(filepath.Join(t.TempDir(), "e.wma")))

	// Before BeginWriting.
	err := w.WriteSample(0, 0, make([]byte, 400), 0)
	if !IsHResult(err, NS_E_INVALID_REQUEST) {
		t.Fatalf("WriteSample before BeginWriting = %v; want NS_E_INVALID_REQUEST", err)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("%T is not *Error", err)
	}
	if e.HResult != NS_E_INVALID_REQUEST || e.Name != "NS_E_INVALID_REQUEST" || e.Op != "wm_writer_allocate_sample" && e.Op != "wm_writer_write_sample" {
		t.Fatalf("error fields %+v", e)
	}
	if e.Message == "" {
		t.Fatal("no message from wm_get_last_error_message")
	}
	if !strings.HasPrefix(err.Error(), "wmwriter: ") || !strings.Contains(err.Error(), "NS_E_INVALID_REQUEST (0xC00D002B)") {
		t.Fatalf("Error() = %q", err.Error())
	}
	if !errors.Is(err, &Error{HResult: NS_E_INVALID_REQUEST}) || errors.Is(err, &Error{HResult: E_INVALIDARG}) || errors.Is(err, ErrClosed) {
		t.Fatal("errors.Is matching")
	}
	if HResultOf(err) != NS_E_INVALID_REQUEST || HResultOf(nil) != S_OK || HResultOf(errors.New("x")) != E_FAIL {
		t.Fatal("HResultOf")
	}
	wrapped := fmt.Errorf("context: %w", err)
	if !IsHResult(wrapped, NS_E_INVALID_REQUEST) {
		t.Fatal("IsHResult does not see through wrapping")
	}
	if err := w.EndWriting(); !IsHResult(err, NS_E_INVALID_REQUEST) {
		t.Fatalf("EndWriting before BeginWriting = %v", err)
	}

	must(t, w.BeginWriting())
	if err := w.BeginWriting(); !IsHResult(err, NS_E_INVALID_REQUEST) {
		t.Fatalf("BeginWriting twice = %v", err)
	}
	// A bad input.
	err = w.WriteSample(3, 0, make([]byte, 400), 0)
	if !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("WriteSample(input 3) = %v; want E_INVALIDARG", err)
	}
	if !errors.As(err, &e) || !strings.Contains(e.Message, "3") {
		t.Fatalf("message %q does not name the input", e.Message)
	}
	// Not whole blocks; empty; negative time.
	if err := w.WriteSample(0, 0, make([]byte, 3), 0); !IsHResult(err, NS_E_INVALID_DATA) {
		t.Fatalf("3-byte sample = %v; want NS_E_INVALID_DATA", err)
	}
	if err := w.WriteSample(0, 0, nil, 0); !IsHResult(err, NS_E_INVALID_DATA) {
		t.Fatalf("empty sample = %v; want NS_E_INVALID_DATA", err)
	}
	if err := w.WriteSample(0, -time.Second, make([]byte, 4), 0); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("negative time = %v; want E_INVALIDARG", err)
	}
	must(t, w.WriteSample(0, time.Second, make([]byte, 400), 0))
	if err := w.WriteSample(0, 0, make([]byte, 400), 0); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("time going backwards = %v; want E_INVALIDARG", err)
	}
	if err := w.SetProfile(p); !IsHResult(err, NS_E_INVALID_REQUEST) {
		t.Fatalf("SetProfile while writing = %v", err)
	}
	if err := w.SetAttribute(0, "Title", "late"); !IsHResult(err, NS_E_INVALID_REQUEST) {
		t.Fatalf("SetAttribute while writing = %v", err)
	}
	must(t, w.Flush())
	must(t, w.EndWriting())

	// Messages are per thread: a failure on another goroutine (so, maybe another
	// thread) does not replace ours, because each is read right after its call.
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for k := 0; k < 50; k++ {
				err := w.WriteSample(uint32(100+i), 0, make([]byte, 4), 0)
				var e *Error
				if !errors.As(err, &e) {
					t.Errorf("no *Error: %v", err)
					return
				}
				// Not writing: NS_E_INVALID_REQUEST, with its own message.
				if e.HResult != NS_E_INVALID_REQUEST || e.Message == "" {
					t.Errorf("goroutine %d: %+v", i, e)
					return
				}
			}
		}(i)
	}
	wg.Wait()
}

// A messages check with differing messages in parallel: each error carries the
// sentence of its own call.
func TestErrorMessagesPerCall(t *testing.T) {
	p := pcmProfile(t, [3]int{2, 44100, 16})
	defer p.Close()
	w, _ := startWriter(t, p, "m.wma")
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			input := uint32(10 + i)
			for k := 0; k < 100; k++ {
				err := w.WriteSample(input, 0, make([]byte, 4), 0)
				var e *Error
				if !errors.As(err, &e) || e.HResult != E_INVALIDARG {
					t.Errorf("input %d: %v", input, err)
					return
				}
				if !strings.Contains(e.Message, strconv.Itoa(int(input))) {
					t.Errorf("input %d: message of another call: %q", input, e.Message)
					return
				}
			}
		}(i)
	}
	wg.Wait()
	must(t, w.EndWriting())
}

// Write 1 s of 16-bit stereo PCM, decode it with ffmpeg, compare the bytes.
func TestRoundTripPCM(t *testing.T) {
	requireTool(t, "ffmpeg")
	p := pcmProfile(t, [3]int{2, 44100, 16})
	defer p.Close()
	w, path := startWriter(t, p, "roundtrip.wma")
	pcm := noise(1, 44100*4)
	writeChunks(t, w, 0, pcm, 4410*4, 44100*4)
	must(t, w.EndWriting())
	got := decodeS16(t, path, -1)
	if !bytes.Equal(got, pcm) {
		t.Fatalf("decoded %d bytes, wrote %d; equal: %v", len(got), len(pcm), bytes.Equal(got, pcm))
	}
	info := probe(t, path, "format=duration:stream=codec_name,channels,sample_rate")
	if info["codec_name"] != "pcm_s16le" || info["channels"] != "2" || info["sample_rate"] != "44100" {
		t.Fatalf("ffprobe: %v", info)
	}
	if d, _ := strconv.ParseFloat(info["duration"], 64); d < 0.95 || d > 1.05 {
		t.Fatalf("duration %v", info["duration"])
	}
}

// The io.Writer adapter with odd write sizes (partial blocks across calls) gives the
// same bytes back, with running time stamps.
func TestInputWriterRoundTrip(t *testing.T) {
	requireTool(t, "ffmpeg")
	p := pcmProfile(t, [3]int{2, 44100, 16})
	defer p.Close()
	w, path := startWriter(t, p, "inputwriter.wma")
	sw, err := w.InputWriter(0, 44100*4)
	must(t, err)
	pcm := noise(2, 44100*4+4*441) // 1.01 s
	for rest, k := pcm, 0; len(rest) > 0; k++ {
		n := 1 + (k*7919)%30000 // 1..30000 bytes, mostly not whole blocks
		if n > len(rest) {
			n = len(rest)
		}
		m, err := sw.Write(rest[:n])
		if err != nil || m != n {
			t.Fatalf("Write(%d) = %d, %v", n, m, err)
		}
		rest = rest[n:]
	}
	if want := time.Duration(len(pcm)/4) * time.Second / 44100; sw.Time() > want || sw.Time() < want-100*time.Millisecond {
		t.Fatalf("Time() = %v before Close; wrote %v", sw.Time(), want)
	}
	must(t, sw.Close())
	if want := 1010 * time.Millisecond; sw.Time() != want {
		t.Fatalf("Time() = %v after Close; want %v", sw.Time(), want)
	}
	must(t, sw.Close()) // idempotent
	if _, err := sw.Write([]byte{1}); !errors.Is(err, ErrClosed) {
		t.Fatalf("Write after Close = %v", err)
	}
	must(t, w.EndWriting())
	if got := decodeS16(t, path, -1); !bytes.Equal(got, pcm) {
		t.Fatalf("decoded %d bytes, wrote %d", len(got), len(pcm))
	}
}

func TestInputWriterErrors(t *testing.T) {
	p := pcmProfile(t, [3]int{2, 44100, 16})
	defer p.Close()
	w, _ := startWriter(t, p, "iwe.wma")
	if _, err := w.InputWriter(0, 0); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("InputWriter(bps 0) = %v", err)
	}
	if _, err := w.InputWriter(5, 1000); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("InputWriter(input 5) = %v", err)
	}
	sw, err := w.InputWriter(0, 44100*4)
	must(t, err)
	if _, err := sw.Write(make([]byte, 6)); err != nil {
		t.Fatal(err)
	}
	if err := sw.Close(); !IsHResult(err, NS_E_INVALID_DATA) {
		t.Fatalf("Close with half a block left = %v; want NS_E_INVALID_DATA", err)
	}
	must(t, w.EndWriting())
	// A failure is sticky: writing after EndWriting fails, and keeps failing.
	sw2, err := w.InputWriter(0, 44100*4)
	must(t, err)
	if _, err := sw2.Write(make([]byte, 44100*4)); !IsHResult(err, NS_E_INVALID_REQUEST) {
		t.Fatalf("Write when not writing = %v", err)
	}
	if _, err := sw2.Write(make([]byte, 4)); !IsHResult(err, NS_E_INVALID_REQUEST) {
		t.Fatalf("second Write = %v", err)
	}
}

// Two goroutines write the two inputs of one writer at once (run with -race).
func TestConcurrentInputs(t *testing.T) {
	requireTool(t, "ffmpeg")
	p := pcmProfile(t, [3]int{2, 44100, 16}, [3]int{2, 44100, 16})
	defer p.Close()
	w, path := startWriter(t, p, "two.wma")
	data := [][]byte{noise(3, 44100*4), noise(4, 44100*4)}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range data {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sw, err := w.InputWriter(uint32(i), 44100*4)
			if err != nil {
				errs[i] = err
				return
			}
			for off := 0; off < len(data[i]); off += 4000 {
				end := off + 4000
				if end > len(data[i]) {
					end = len(data[i])
				}
				if _, err := sw.Write(data[i][off:end]); err != nil {
					errs[i] = err
					return
				}
			}
			errs[i] = sw.Close()
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("input %d: %v", i, err)
		}
	}
	must(t, w.EndWriting())
	for i := range data {
		if got := decodeS16(t, path, i); !bytes.Equal(got, data[i]) {
			t.Fatalf("stream %d: decoded %d bytes, wrote %d", i, len(got), len(data[i]))
		}
	}
}

// Close is idempotent, and every method after Close returns ErrClosed (E_POINTER)
// instead of crashing; so does passing a closed object.
func TestCloseAndUseAfterClose(t *testing.T) {
	pm, err := NewProfileManager()
	must(t, err)
	p, err := pm.CreateEmptyProfile(WMT_VER_9_0)
	must(t, err)
	_, err = p.AddAudioStream(1, 8000, 16)
	must(t, err)
	sc, err := p.Stream(0)
	must(t, err)
	w, err := NewWriter()
	must(t, err)
	must(t, w.SetProfile(p))
	props, err := w.InputProps(0)
	must(t, err)
	b, err := NewBuffer(8)
	must(t, err)
	s, err := NewFileSink()
	must(t, err)

	mx, err := p.CreateNewMutualExclusion()
	must(t, err)
	bw, err := p.CreateNewBandwidthSharing()
	must(t, err)
	sp, err := p.CreateNewStreamPrioritization()
	must(t, err)

	closers := []interface{ Close() error }{pm, p, sc, w, props, b, s, mx, bw, sp}
	for _, c := range closers {
		must(t, c.Close())
		must(t, c.Close())
	}
	closed := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, ErrClosed) || !IsHResult(err, E_POINTER) {
			t.Errorf("%s after Close = %v; want ErrClosed / E_POINTER", what, err)
		}
	}
	_, err = pm.CreateEmptyProfile(WMT_VER_9_0)
	closed("ProfileManager.CreateEmptyProfile", err)
	_, err = pm.Clone()
	closed("ProfileManager.Clone", err)
	_, err = p.StreamCount()
	closed("Profile.StreamCount", err)
	_, err = p.AddAudioStream(1, 8000, 16)
	closed("Profile.AddAudioStream", err)
	_, err = p.Name()
	closed("Profile.Name", err)
	closed("StreamConfig.SetBitrate", sc.SetBitrate(1))
	_, err = sc.MediaType()
	closed("StreamConfig.MediaType", err)
	closed("Writer.WriteSample", w.WriteSample(0, 0, []byte{1, 2}, 0))
	closed("Writer.BeginWriting", w.BeginWriting())
	closed("Writer.SetAttribute", w.SetAttribute(0, "Title", "x"))
	_, err = w.InputWriter(0, 1000)
	closed("Writer.InputWriter", err)
	_, err = props.ConnectionName()
	closed("InputMediaProps.ConnectionName", err)
	_, err = b.Bytes()
	closed("Buffer.Bytes", err)
	closed("Buffer.Fill", b.Fill(func([]byte) (int, error) { t.Error("Fill ran on a closed buffer"); return 0, nil }))
	closed("Sink.Open", s.Open("x.wma"))
	closed("MutualExclusion.AddStream", mx.AddStream(1))
	_, err = bw.Streams()
	closed("BandwidthSharing.Streams", err)
	closed("StreamPrioritization.SetRecords", sp.SetRecords(nil))

	// A live object given a closed one.
	w2, err := NewWriter()
	must(t, err)
	defer w2.Close()
	closed("SetProfile(closed profile)", w2.SetProfile(p))
	closed("AddSink(closed sink)", w2.AddSink(s))
	p2 := pcmProfile(t)
	defer p2.Close()
	closed("AddStream(closed config)", p2.AddStream(sc))
	closed("AddMutualExclusion(closed)", p2.AddMutualExclusion(mx))
	closed("AddBandwidthSharing(closed)", p2.AddBandwidthSharing(bw))
	closed("SetStreamPrioritization(closed)", p2.SetStreamPrioritization(sp))
	pm2, err := NewProfileManager()
	must(t, err)
	defer pm2.Close()
	_, err = pm2.SaveProfile(p)
	closed("SaveProfile(closed profile)", err)
}

// Close racing calls from other goroutines: the calls either complete or see
// ErrClosed; none touches a released handle (run with -race; a use after free would
// crash or be reported).
func TestCloseRacingCalls(t *testing.T) {
	for round := 0; round < 20; round++ {
		p := pcmProfile(t, [3]int{2, 44100, 16})
		w, _ := startWriter(t, p, "race"+strconv.Itoa(round)+".wma")
		var wg sync.WaitGroup
		start := make(chan struct{})
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				<-start
				for k := 0; k < 50; k++ {
					var err error
					switch g {
					case 0:
						_, err = w.InputCount()
					case 1:
						_, err = p.StreamCount()
					case 2:
						err = w.WriteSample(5, 0, make([]byte, 4), 0) // always fails: no input 5
						if IsHResult(err, E_INVALIDARG) {
							err = nil
						}
					default:
						_, err = w.SyncTolerance()
					}
					if err != nil && !errors.Is(err, ErrClosed) {
						t.Errorf("goroutine %d: %v", g, err)
						return
					}
				}
			}(g)
		}
		close(start)
		w.Close() // ends the file (last reference) while the others run
		p.Close()
		wg.Wait()
	}
}

// Releasing the last reference of a writer that is still writing finishes the file.
func TestCloseWhileWriting(t *testing.T) {
	requireTool(t, "ffmpeg")
	p := pcmProfile(t, [3]int{1, 8000, 16})
	defer p.Close()
	w, path := startWriter(t, p, "unfinished.wma")
	pcm := noise(5, 8000*2/2)
	writeChunks(t, w, 0, pcm, 1600, 16000)
	must(t, w.Close())
	if got := decodeS16(t, path, -1); !bytes.Equal(got, pcm) {
		t.Fatalf("decoded %d bytes of the file ended by Close, wrote %d", len(got), len(pcm))
	}
}

// Clone: two references, the writer lives until both are closed.
func TestWriterClone(t *testing.T) {
	p := pcmProfile(t, [3]int{1, 8000, 16})
	defer p.Close()
	w, _ := startWriter(t, p, "clone.wma")
	c, err := w.Clone()
	must(t, err)
	w.Close()
	must(t, c.WriteSample(0, 0, make([]byte, 1600), 0))
	must(t, c.EndWriting())
	c.Close()
}

// The library's sync-tolerance setting round-trips in milliseconds.
func TestSyncTolerance(t *testing.T) {
	w, err := NewWriter()
	must(t, err)
	defer w.Close()
	if d, err := w.SyncTolerance(); err != nil || d != 3*time.Second {
		t.Fatalf("default SyncTolerance = %v, %v", d, err)
	}
	must(t, w.SetSyncTolerance(1500*time.Millisecond))
	if d, _ := w.SyncTolerance(); d != 1500*time.Millisecond {
		t.Fatalf("SyncTolerance = %v", d)
	}
	if err := w.SetSyncTolerance(-time.Second); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("negative tolerance = %v", err)
	}
	if err := w.SetProfileByID(WMMEDIATYPE_Audio); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("SetProfileByID = %v", err)
	}
	if err := w.SetProfile(nil); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("SetProfile(nil) = %v", err)
	}
	if err := w.SetOutputFilename(""); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("SetOutputFilename(\"\") = %v", err)
	}
	if err := w.BeginWriting(); !IsHResult(err, NS_E_NOT_CONFIGURED) {
		t.Fatalf("BeginWriting unconfigured = %v", err)
	}
}

// AllocateSample + Buffer.Fill + WriteBuffer: zero-copy samples.
func TestWriteBuffer(t *testing.T) {
	requireTool(t, "ffmpeg")
	w := stereoWriter(t)
	if _, err := w.AllocateSample(100); !IsHResult(err, NS_E_INVALID_REQUEST) {
		t.Fatalf("AllocateSample before BeginWriting = %v", err)
	}
	path := filepath.Join(t.TempDir(), "buffers.wma")
	must(t, w.SetOutputFilename(path))
	must(t, w.BeginWriting())
	pcm := noise(6, 44100*4/2)
	for i := 0; i < 5; i++ {
		b, err := w.AllocateSample(17640)
		must(t, err)
		must(t, b.Fill(func(mem []byte) (int, error) { return copy(mem, pcm[i*17640:(i+1)*17640]), nil }))
		must(t, w.WriteBuffer(0, time.Duration(i)*100*time.Millisecond, 0, b))
		must(t, b.Close()) // the writer keeps its own reference
	}
	if err := w.WriteBuffer(0, time.Second, 0, nil); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("WriteBuffer(nil) = %v", err)
	}
	must(t, w.EndWriting())
	if got := decodeS16(t, path, -1); !bytes.Equal(got, pcm) {
		t.Fatalf("decoded %d bytes, wrote %d", len(got), len(pcm))
	}
}

// A passthrough input: WriteStreamSample delivers the (here PCM) samples as they are.
func TestWriteStreamSample(t *testing.T) {
	requireTool(t, "ffmpeg")
	w := stereoWriter(t)
	must(t, w.SetInputProps(0, nil))
	path := filepath.Join(t.TempDir(), "passthrough.wma")
	must(t, w.SetOutputFilename(path))
	must(t, w.BeginWriting())
	if err := w.WriteSample(0, 0, make([]byte, 4), 0); !IsHResult(err, NS_E_INVALID_REQUEST) {
		t.Fatalf("WriteSample on a passthrough input = %v; want NS_E_INVALID_REQUEST", err)
	}
	if err := w.WriteStreamSample(9, 0, 0, make([]byte, 4), 0); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("WriteStreamSample(stream 9) = %v; want E_INVALIDARG", err)
	}
	pcm := noise(7, 44100*4/2)
	for i := 0; i < 5; i++ {
		must(t, w.WriteStreamSample(1, time.Duration(i)*100*time.Millisecond, 100*time.Millisecond, pcm[i*17640:(i+1)*17640], WM_SF_CLEANPOINT))
	}
	must(t, w.EndWriting())
	if got := decodeS16(t, path, -1); !bytes.Equal(got, pcm) {
		t.Fatalf("decoded %d bytes, wrote %d", len(got), len(pcm))
	}
}

// Attributes, markers and script commands: set, read back, and ffprobe sees the title.
func TestHeaderInfo(t *testing.T) {
	p := pcmProfile(t, [3]int{1, 8000, 16})
	defer p.Close()
	w, err := NewWriter()
	must(t, err)
	defer w.Close()
	must(t, w.SetProfile(p))

	must(t, w.SetAttribute(0, "Title", "Go tone"))
	must(t, w.SetAttribute(0, "Author", "wmwriter ü"))
	must(t, w.SetAttribute(0, "WM/TrackNumber", uint32(7)))
	must(t, w.SetAttribute(0, "WM/Custom", []byte{1, 2, 3}))
	must(t, w.SetAttribute(0, "WM/Flag", true))
	must(t, w.SetAttribute(0, "WM/Big", uint64(1)<<40))
	must(t, w.SetAttribute(0, "WM/Small", uint16(9)))
	for name, want := range map[string]any{"Title": "Go tone", "Author": "wmwriter ü", "WM/TrackNumber": uint32(7),
		"WM/Custom": []byte{1, 2, 3}, "WM/Flag": true, "WM/Big": uint64(1) << 40, "WM/Small": uint16(9)} {
		got, err := w.Attribute(0, name)
		must(t, err)
		if fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprintf("%T", got) != fmt.Sprintf("%T", want) {
			t.Errorf("Attribute(%s) = %#v; want %#v", name, got, want)
		}
	}
	if _, err := w.Attribute(0, "WM/Nothing"); !IsHResult(err, ASF_E_NOTFOUND) {
		t.Fatalf("missing attribute = %v; want ASF_E_NOTFOUND", err)
	}
	if err := w.SetAttribute(0, "Title", 3.5); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("float attribute = %v; want E_INVALIDARG", err)
	}
	if err := w.SetAttribute(0, "Duration", uint64(5)); !IsHResult(err, NS_E_ATTRIBUTE_READ_ONLY) {
		t.Fatalf("SetAttribute(Duration) = %v; want NS_E_ATTRIBUTE_READ_ONLY", err)
	}
	n, err := w.AttributeCount(0)
	must(t, err)
	found := false
	for i := 0; i < n; i++ {
		name, value, err := w.AttributeByIndex(0, i)
		must(t, err)
		if name == "Title" {
			found = value == "Go tone"
		}
	}
	if !found {
		t.Fatalf("Title not among the %d attributes by index", n)
	}
	if _, _, err := w.AttributeByIndex(0, n+5); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("AttributeByIndex past the end = %v", err)
	}
	for i := 0; i < n; i++ {
		if name, _, _ := w.AttributeByIndex(0, i); name == "WM/Small" {
			must(t, w.DeleteAttribute(0, i))
			break
		}
	}
	if _, err := w.Attribute(0, "WM/Small"); !IsHResult(err, ASF_E_NOTFOUND) {
		t.Fatalf("deleted attribute = %v", err)
	}

	must(t, w.AddMarker("Intro", 0))
	must(t, w.AddMarker("Middle", 500*time.Millisecond))
	must(t, w.AddMarker("gone", 700*time.Millisecond))
	must(t, w.RemoveMarker(2))
	if n, err := w.MarkerCount(); err != nil || n != 2 {
		t.Fatalf("MarkerCount = %d, %v", n, err)
	}
	if name, ts, err := w.Marker(1); err != nil || name != "Middle" || ts != 500*time.Millisecond {
		t.Fatalf("Marker(1) = %q, %v, %v", name, ts, err)
	}
	must(t, w.AddScript("URL", "http://example.invalid/", 200*time.Millisecond))
	if n, err := w.ScriptCount(); err != nil || n != 1 {
		t.Fatalf("ScriptCount = %d, %v", n, err)
	}
	if typ, cmd, ts, err := w.Script(0); err != nil || typ != "URL" || cmd != "http://example.invalid/" || ts != 200*time.Millisecond {
		t.Fatalf("Script(0) = %q %q %v %v", typ, cmd, ts, err)
	}
	must(t, w.AddScript("TEXT", "x", 0))
	must(t, w.RemoveScript(1))
	if err := w.RemoveScript(5); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("RemoveScript(5) = %v", err)
	}

	path := filepath.Join(t.TempDir(), "tags.wma")
	must(t, w.SetOutputFilename(path))
	must(t, w.BeginWriting())
	if err := w.AddMarker("late", 0); !IsHResult(err, NS_E_INVALID_REQUEST) {
		t.Fatalf("AddMarker while writing = %v", err)
	}
	writeChunks(t, w, 0, noise(8, 16000), 1600, 16000)
	must(t, w.EndWriting())
	if d, err := w.Attribute(0, "Duration"); err != nil || d.(uint64) < 9_000_000 || d.(uint64) > 11_000_000 {
		t.Fatalf("Duration after writing = %v, %v", d, err)
	}

	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	requireTool(t, "ffprobe")
	tags := probe(t, path, "format_tags:chapter=start_time:chapter_tags=title")
	// ffprobe prints the chapters (markers) before the file's tags; it calls Author "artist".
	if tags["TAG:title"] != "Intro,Middle,Go tone" || tags["TAG:artist"] != "wmwriter ü" || tags["TAG:track"] != "7" ||
		tags["start_time"] != "0.000000,0.500000" {
		t.Fatalf("ffprobe tags and chapters: %v", tags)
	}
}

// AddVideoStream: uncompressed RGB24 frames that ffmpeg decodes.
func TestVideoStream(t *testing.T) {
	requireTool(t, "ffprobe")
	pm, err := NewProfileManager()
	must(t, err)
	defer pm.Close()
	p, err := pm.CreateEmptyProfile(WMT_VER_9_0)
	must(t, err)
	defer p.Close()
	a, err := p.AddAudioStream(1, 8000, 16)
	must(t, err)
	v, err := p.AddVideoStream(64, 48, 25, WMMEDIASUBTYPE_RGB24)
	must(t, err)
	w, path := startWriter(t, p, "video.wmv")
	ain, err := w.InputByName(fmt.Sprintf("Audio%d", a))
	must(t, err)
	vin, err := w.InputByName(fmt.Sprintf("Video%d", v))
	must(t, err)
	frame := FrameSize(WMMEDIASUBTYPE_RGB24, 64, 48)
	if frame != 64*3*48 {
		t.Fatalf("FrameSize = %d", frame)
	}
	for i := 0; i < 25; i++ {
		ts := time.Duration(i) * 40 * time.Millisecond
		if i%5 == 0 {
			must(t, w.WriteSample(ain, ts, noise(int64(i), 3200), 0)) // 200 ms of audio
		}
		must(t, w.WriteSample(vin, ts, bytes.Repeat([]byte{byte(i * 10)}, frame), WM_SF_CLEANPOINT))
	}
	if err := w.WriteSample(vin, time.Second, make([]byte, frame-1), WM_SF_CLEANPOINT); !IsHResult(err, NS_E_INVALID_DATA) {
		t.Fatalf("short frame = %v; want NS_E_INVALID_DATA", err)
	}
	must(t, w.EndWriting())
	info := probe(t, path, "stream=codec_name,width,height,nb_read_frames", "-count_frames", "-select_streams", "v")
	if info["codec_name"] != "rawvideo" || info["width"] != "64" || info["height"] != "48" || info["nb_read_frames"] != "25" {
		t.Fatalf("ffprobe video: %v", info)
	}
}

// Application sinks: a seekable one (an *os.File) and a streaming one (a
// bytes.Buffer) both give files that decode to the written samples.
func TestIOSinks(t *testing.T) {
	requireTool(t, "ffmpeg")
	p := pcmProfile(t, [3]int{2, 44100, 16})
	defer p.Close()
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "seekable.wma"))
	must(t, err)
	defer f.Close()
	seekable, err := NewIOSink(f)
	must(t, err)
	defer seekable.Close()
	var stream bytes.Buffer
	streaming, err := NewIOSink(&stream)
	must(t, err)
	defer streaming.Close()

	w, err := NewWriter()
	must(t, err)
	defer w.Close()
	must(t, w.SetProfile(p))
	must(t, w.AddSink(seekable))
	must(t, w.AddSink(streaming))
	must(t, w.BeginWriting())
	pcm := noise(9, 44100*4/2)
	writeChunks(t, w, 0, pcm, 17640, 44100*4)
	must(t, w.EndWriting())
	must(t, f.Close())

	streamed := filepath.Join(dir, "streamed.wma")
	must(t, os.WriteFile(streamed, stream.Bytes(), 0o644))
	for _, path := range []string{f.Name(), streamed} {
		if got := decodeS16(t, path, -1); !bytes.Equal(got, pcm) {
			t.Fatalf("%s: decoded %d bytes, wrote %d", filepath.Base(path), len(got), len(pcm))
		}
	}
}

type failingSink struct{ after, n int }

func (s *failingSink) OnHeader([]byte) error { return nil }
func (s *failingSink) OnDataUnit([]byte) error {
	s.n++
	if s.n > s.after {
		return errors.New("disk full")
	}
	return nil
}
func (s *failingSink) OnEndWriting([]byte) error { return nil }

type panickingSink struct{ failingSink }

func (s *panickingSink) OnDataUnit([]byte) error { panic("handler bug") }

// A handler error or panic ends the session with NS_E_FILE_WRITE.
func TestSinkHandlerFailure(t *testing.T) {
	for _, h := range []SinkHandler{&failingSink{after: 2}, &panickingSink{}} {
		p := pcmProfile(t, [3]int{2, 44100, 16})
		s, err := NewCallbackSink(h, false)
		must(t, err)
		w, err := NewWriter()
		must(t, err)
		must(t, w.SetProfile(p))
		must(t, w.AddSink(s))
		must(t, w.BeginWriting())
		var werr error
		for i := 0; i < 50 && werr == nil; i++ {
			werr = w.WriteSample(0, time.Duration(i)*100*time.Millisecond, make([]byte, 17640), 0)
		}
		if werr == nil {
			werr = w.EndWriting()
		}
		if !IsHResult(werr, NS_E_FILE_WRITE) {
			t.Fatalf("%T: error = %v; want NS_E_FILE_WRITE", h, werr)
		}
		w.Close()
		s.Close()
		p.Close()
	}
}

// Finalizers release forgotten wrappers (the safety net); nothing crashes when the
// collector runs them, also for a writer left in the middle of a file.
func TestFinalizers(t *testing.T) {
	for i := 0; i < 20; i++ {
		func() {
			pm, _ := NewProfileManager()
			p, _ := pm.CreateEmptyProfile(WMT_VER_9_0)
			p.AddAudioStream(1, 8000, 16)
			sc, _ := p.Stream(0)
			_ = sc
			w, _ := NewWriter()
			w.SetProfile(p)
			w.SetOutputFilename(filepath.Join(t.TempDir(), "f"+strconv.Itoa(i)+".wma"))
			w.BeginWriting()
			w.WriteSample(0, 0, make([]byte, 160), 0)
			b, _ := NewBuffer(10)
			_ = b
		}()
	}
	for i := 0; i < 3; i++ {
		runtime.GC()
	}

	// A forgotten clone's reference is released by its finalizer.
	p := pcmProfile(t)
	defer p.Close()
	func() {
		c, err := p.Clone()
		must(t, err)
		_ = c
	}()
	if n := p.refCount(); n != 2 {
		t.Fatalf("reference count with a live clone = %d; want 2", n)
	}
	deadline := time.Now().Add(5 * time.Second)
	for p.refCount() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("the clone's finalizer did not release its reference (count %d)", p.refCount())
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}

// Zero Go allocations per WriteSample: the slice is copied once, in C, into the
// sample buffer.
func TestWriteSampleAllocs(t *testing.T) {
	p := pcmProfile(t, [3]int{2, 44100, 16})
	defer p.Close()
	w, _ := startWriter(t, p, "allocs.wma")
	chunk := make([]byte, 17640)
	var ts time.Duration
	allocs := testing.AllocsPerRun(50, func() {
		if err := w.WriteSample(0, ts, chunk, 0); err != nil {
			t.Fatal(err)
		}
		ts += 100 * time.Millisecond
	})
	must(t, w.EndWriting())
	if allocs > 0 {
		t.Fatalf("%v Go allocations per WriteSample; want 0", allocs)
	}
}

func BenchmarkWriteSample1MiB(b *testing.B) {
	p := pcmProfile(b, [3]int{2, 44100, 16})
	defer p.Close()
	w, _ := startWriter(b, p, "bench.wma")
	chunk := make([]byte, 1<<20) // 1 MiB = 262144 frames ≈ 5.94 s
	const step = time.Duration(262144) * time.Second / 44100
	b.SetBytes(int64(len(chunk)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := w.WriteSample(0, time.Duration(i)*step, chunk, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	must(b, w.EndWriting())
}

// Every uncompressed video subtype AddVideoStream knows: the profile is accepted,
// frames of FrameSize bytes are written, and ffprobe reads them back (odd-ish sizes
// exercise the row padding and chroma rounding).
func TestVideoSubtypes(t *testing.T) {
	requireTool(t, "ffprobe")
	pix := map[GUID]string{WMMEDIASUBTYPE_RGB24: "bgr24", WMMEDIASUBTYPE_RGB32: "bgra", WMMEDIASUBTYPE_RGB555: "rgb555le",
		WMMEDIASUBTYPE_RGB565: "rgb565le", WMMEDIASUBTYPE_RGB8: "pal8", WMMEDIASUBTYPE_I420: "yuv420p",
		WMMEDIASUBTYPE_IYUV: "yuv420p", WMMEDIASUBTYPE_YV12: "yuv420p", WMMEDIASUBTYPE_YUY2: "yuyv422",
		WMMEDIASUBTYPE_UYVY: "uyvy422", WMMEDIASUBTYPE_YVYU: "yvyu422", WMMEDIASUBTYPE_P422: "yuv422p",
		WMMEDIASUBTYPE_YVU9: "yuv410p"}
	for st, want := range pix {
		t.Run(st.Name(), func(t *testing.T) {
			p := pcmProfile(t)
			defer p.Close()
			if _, err := p.AddVideoStream(62, 46, 25, st); err != nil {
				t.Fatal(err)
			}
			w, path := startWriter(t, p, "v.wmv")
			frame := make([]byte, FrameSize(st, 62, 46))
			for i := 0; i < 5; i++ {
				must(t, w.WriteSample(0, time.Duration(i)*40*time.Millisecond, frame, WM_SF_CLEANPOINT))
			}
			must(t, w.EndWriting())
			info := probe(t, path, "stream=codec_name,pix_fmt,width,height,nb_read_frames", "-count_frames")
			if info["codec_name"] != "rawvideo" || info["pix_fmt"] != want || info["width"] != "62" || info["height"] != "46" || info["nb_read_frames"] != "5" {
				t.Fatalf("ffprobe: %v; want rawvideo %s 62x46, 5 frames", info, want)
			}
		})
	}
}
