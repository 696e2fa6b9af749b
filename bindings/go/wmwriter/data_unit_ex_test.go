package wmwriter

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"testing"
	"time"
)

// forwarder is an application sink that hands every data packet of the writer to a
// stopped file sink through OnDataUnitEx, split into the packet header, the payload
// headers and the payload data (this writer's PCM packets at default settings: a
// 14-byte packet header, then per payload stream(1) object(1) offset(4) replicated
// length(1) replicated data, length(2), data).
type forwarder struct {
	target *Sink
	units  int
	err    error
}

func (f *forwarder) OnHeader([]byte) error     { return nil }
func (f *forwarder) OnEndWriting([]byte) error { return nil }
func (f *forwarder) OnDataUnit(d []byte) error {
	f.units++
	count := int(d[13] & 0x3F)
	at := 14
	var heads [][]byte
	var frags []PayloadFragment
	for i := 0; i < count; i++ {
		rep := int(d[at+6])
		hl := 7 + rep + 2
		n := int(binary.LittleEndian.Uint16(d[at+7+rep:]))
		heads = append(heads, d[at:at+hl])
		frags = append(frags, PayloadFragment{Payload: uint32(i), Data: d[at+hl : at+hl+n]})
		at += hl + n
	}
	if err := f.target.OnDataUnitEx(d[:14], heads, frags); err != nil && f.err == nil {
		f.err = err
	}
	return nil
}

// TestOnDataUnitEx: wm_writer_file_sink_on_data_unit_ex through Sink.OnDataUnitEx
// writes, from segments, a file whose packets ffprobe counts and ffmpeg decodes to the
// same PCM as the writer's own file.
func TestOnDataUnitEx(t *testing.T) {
	dir := t.TempDir()
	full, fwd := filepath.Join(dir, "full.wma"), filepath.Join(dir, "fwd.wma")
	w := stereoWriter(t)
	must(t, w.SetOutputFilename(full))
	f, err := NewFileSink()
	must(t, err)
	defer f.Close()
	must(t, f.Open(fwd))
	if err := f.OnDataUnitEx(nil, nil, nil); !IsHResult(err, NS_E_INVALID_REQUEST) && !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("OnDataUnitEx while not writing = %v", err)
	}
	must(t, f.Stop(0)) // f takes only what the forwarder gives it
	h := &forwarder{target: f}
	cbs, err := NewCallbackSink(h, true)
	must(t, err)
	defer cbs.Close()
	must(t, w.AddSink(cbs))
	must(t, w.AddSink(f))
	must(t, w.BeginWriting())
	pcm := make([]byte, 4410*4)
	for i := 0; i < 40; i++ {
		for k := range pcm {
			pcm[k] = byte(k*13 + i*5)
		}
		must(t, w.WriteSample(0, time.Duration(i)*100*time.Millisecond, pcm, 0))
	}
	must(t, w.EndWriting())
	if h.err != nil {
		t.Fatalf("OnDataUnitEx: %v", h.err)
	}
	if h.units == 0 {
		t.Fatal("no data unit reached the forwarder")
	}
	a := probe(t, full, "stream=nb_read_packets", "-count_packets")
	b := probe(t, fwd, "stream=nb_read_packets", "-count_packets")
	if a["nb_read_packets"] != "40" || b["nb_read_packets"] != a["nb_read_packets"] {
		t.Fatalf("ffprobe packets: writer's file %q, forwarded %q; want 40 each", a["nb_read_packets"], b["nb_read_packets"])
	}
	if !bytes.Equal(decodeS16(t, fwd, 0), decodeS16(t, full, 0)) {
		t.Fatal("the forwarded file decodes to other PCM than the writer's")
	}
}
