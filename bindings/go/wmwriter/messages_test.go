package wmwriter

import (
	"errors"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Every failing call sets its own last-error message: after a failure with a known
// message on this thread, the next failure's message is a different sentence (a stale
// message would describe the earlier call).
func TestEveryFailureHasItsOwnMessage(t *testing.T) {
	pm, err := NewProfileManager()
	must(t, err)
	defer pm.Close()
	p := pcmProfile(t, [3]int{2, 44100, 16})
	defer p.Close()
	idle, err := NewWriter() // never configured
	must(t, err)
	defer idle.Close()
	w, err := NewWriter()
	must(t, err)
	defer w.Close()
	must(t, w.SetProfile(p))
	props, err := w.InputProps(0)
	must(t, err)
	defer props.Close()
	sc, err := p.CreateNewStream(WMMEDIATYPE_Audio)
	must(t, err)
	defer sc.Close()
	b, err := NewBuffer(4)
	must(t, err)
	defer b.Close()
	s, err := NewFileSink()
	must(t, err)
	defer s.Close()
	video := VideoMediaType(WMMEDIASUBTYPE_RGB24, 8, 8, 25)
	other := PCMMediaType(2, 48000, 24)

	before := []struct {
		name string
		call func() error
	}{
		{"CreateEmptyProfile(bad version)", func() error { _, err := pm.CreateEmptyProfile(12345); return err }},
		{"LoadProfileByID", func() error { _, err := pm.LoadProfileByID(WMMEDIATYPE_Audio); return err }},
		{"SetSystemProfileVersion(7)", func() error { return pm.SetSystemProfileVersion(7) }},
		{"Profile.Stream(7)", func() error { _, err := p.Stream(7); return err }},
		{"Profile.StreamByNumber(9)", func() error { _, err := p.StreamByNumber(9); return err }},
		{"Profile.RemoveStreamByNumber(9)", func() error { return p.RemoveStreamByNumber(9) }},
		{"Profile.SetMaxPacketSize(5)", func() error { return p.SetMaxPacketSize(5) }},
		{"Profile.AddStream(nil)", func() error { return p.AddStream(nil) }},
		{"Profile.AddStream(no media type)", func() error { return p.AddStream(sc) }},
		{"Profile.ReconfigStream(not in profile)", func() error { return p.ReconfigStream(sc) }},
		{"Profile.SetName(too long)", func() error { return p.SetName(strings.Repeat("n", 300)) }},
		{"StreamConfig.MediaType(unset)", func() error { _, err := sc.MediaType(); return err }},
		{"StreamConfig.SetMediaType(video)", func() error { return sc.SetMediaType(&video) }},
		{"StreamConfig.SetMediaType(nil)", func() error { return sc.SetMediaType(nil) }},
		{"Writer.InputCount(unconfigured)", func() error { _, err := idle.InputCount(); return err }},
		{"Writer.BeginWriting(unconfigured)", func() error { return idle.BeginWriting() }},
		{"Writer.SetProfile(nil)", func() error { return idle.SetProfile(nil) }},
		{"Writer.SetProfileByID", func() error { return idle.SetProfileByID(WMMEDIATYPE_Audio) }},
		{"Writer.SetOutputFilename(\"\")", func() error { return idle.SetOutputFilename("") }},
		{"Writer.InputProps(7)", func() error { _, err := w.InputProps(7); return err }},
		{"Writer.InputFormat(0, 99)", func() error { _, err := w.InputFormat(0, 99); return err }},
		{"Writer.InputFormatCount(7)", func() error { _, err := w.InputFormatCount(7); return err }},
		{"Writer.SetInputProps(other format)", func() error { must(t, props.SetMediaType(&other)); return w.SetInputProps(0, props) }},
		{"Writer.AllocateSample(not writing)", func() error { _, err := w.AllocateSample(4); return err }},
		{"Writer.WriteSample(not writing)", func() error { return w.WriteSample(0, 0, make([]byte, 4), 0) }},
		{"Writer.WriteBuffer(not writing)", func() error { return w.WriteBuffer(0, 0, 0, b) }},
		{"Writer.EndWriting(not writing)", func() error { return w.EndWriting() }},
		{"Writer.Attribute(missing)", func() error { _, err := w.Attribute(0, "WM/Nothing"); return err }},
		{"Writer.SetAttribute(Duration)", func() error { return w.SetAttribute(0, "Duration", uint64(1)) }},
		{"Writer.SetAttribute(bad stream)", func() error { return w.SetAttribute(40, "Title", "x") }},
		{"Writer.AttributeByIndex(99)", func() error { _, _, err := w.AttributeByIndex(0, 99); return err }},
		{"Writer.DeleteAttribute(99)", func() error { return w.DeleteAttribute(0, 99) }},
		{"Writer.RemoveMarker(9)", func() error { return w.RemoveMarker(9) }},
		{"Writer.Marker(9)", func() error { _, _, err := w.Marker(9); return err }},
		{"Writer.RemoveScript(9)", func() error { return w.RemoveScript(9) }},
		{"Writer.Script(9)", func() error { _, _, _, err := w.Script(9); return err }},
		{"Writer.AddScript(empty)", func() error { return w.AddScript("", "", 0) }},
		{"Writer.Sink(9)", func() error { _, err := w.Sink(9); return err }},
		{"Writer.AddSink(nil)", func() error { return w.AddSink(nil) }},
		{"Buffer.SetLen(9)", func() error { return b.SetLen(9) }},
		{"Sink.Open(\"\")", func() error { return s.Open("") }},
	}
	path := filepath.Join(t.TempDir(), "msg.wma")
	during := []struct {
		name string
		call func() error
	}{
		{"BeginWriting(twice)", func() error { return w.BeginWriting() }},
		{"WriteSample(input 3)", func() error { return w.WriteSample(3, 0, make([]byte, 4), 0) }},
		{"WriteSample(3 bytes)", func() error { return w.WriteSample(0, 2*time.Second, make([]byte, 3), 0) }},
		{"WriteSample(empty)", func() error { return w.WriteSample(0, 2*time.Second, nil, 0) }},
		{"WriteSample(backwards)", func() error { return w.WriteSample(0, 0, make([]byte, 4), 0) }},
		{"WriteStreamSample(not passthrough)", func() error { return w.WriteStreamSample(1, 2*time.Second, 0, make([]byte, 4), 0) }},
		{"WriteStreamSample(stream 9)", func() error { return w.WriteStreamSample(9, 2*time.Second, 0, make([]byte, 4), 0) }},
		{"WriteBuffer(nil)", func() error { return w.WriteBuffer(0, 2*time.Second, 0, nil) }},
		{"SetProfile(writing)", func() error { return w.SetProfile(p) }},
		{"SetOutputFilename(writing)", func() error { return w.SetOutputFilename(path) }},
		{"SetInputProps(nil, writing)", func() error { return w.SetInputProps(0, nil) }},
		{"SetAttribute(writing)", func() error { return w.SetAttribute(0, "Title", "x") }},
		{"AddMarker(writing)", func() error { return w.AddMarker("m", 0) }},
		{"AddScript(writing)", func() error { return w.AddScript("URL", "x", 0) }},
		{"AddSink(writing)", func() error { return w.AddSink(s) }},
	}

	runtime.LockOSThread() // the poison and the call must share the thread
	defer runtime.UnlockOSThread()
	poison := func() string {
		_, err := pm.CreateEmptyProfile(0xDEAD)
		var e *Error
		if !errors.As(err, &e) || e.Message == "" {
			t.Fatalf("poison call: %v", err)
		}
		return e.Message
	}
	checkAll := func(cases []struct {
		name string
		call func() error
	}) {
		for _, c := range cases {
			old := poison()
			err := c.call()
			var e *Error
			switch {
			case err == nil:
				t.Errorf("%s: succeeded; the test expects a failure", c.name)
			case !errors.As(err, &e):
				t.Errorf("%s: %T %v", c.name, err, err)
			case e.local:
				t.Errorf("%s: refused in Go (%v); the test wants a library failure", c.name, e)
			case e.Message == "":
				t.Errorf("%s: %s with an empty message", c.name, e.Name)
			case e.Message == old:
				t.Errorf("%s: %s carries the previous failure's message %q (stale: the call set none)", c.name, e.Name, old)
			}
		}
	}
	checkAll(before)
	must(t, w.SetOutputFilename(path))
	must(t, w.BeginWriting())
	must(t, w.WriteSample(0, time.Second, make([]byte, 4), 0))
	checkAll(during)
	must(t, w.EndWriting())
}
