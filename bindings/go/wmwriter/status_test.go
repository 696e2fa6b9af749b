package wmwriter

import (
	"encoding/binary"
	"net"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"
)

type statusLog struct {
	sync.Mutex
	got []uint32
	hrs []int32
	val [][]byte
}

func (l *statusLog) fn(st uint32, hr int32, v []byte) {
	l.Lock()
	defer l.Unlock()
	l.got = append(l.got, st)
	l.hrs = append(l.hrs, hr)
	l.val = append(l.val, v)
}

func (l *statusLog) statuses() []uint32 {
	l.Lock()
	defer l.Unlock()
	return append([]uint32(nil), l.got...)
}

func (l *statusLog) wait(t *testing.T, st uint32) []byte {
	t.Helper()
	for i := 0; i < 1000; i++ {
		l.Lock()
		for j, g := range l.got {
			if g == st {
				v := l.val[j]
				l.Unlock()
				return v
			}
		}
		l.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("status %d never came; got %v", st, l.statuses())
	return nil
}

func equalStatuses(a []uint32, b ...uint32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestAdviseWriterAndSinks: wm_writer_advise / wm_writer_unadvise and
// wm_writer_sink_advise / wm_writer_sink_unadvise deliver the session statuses of the
// writer and of a file sink, the client statuses of a network sink (with the client's
// address and port), and nothing after Unadvise.
func TestAdviseWriterAndSinks(t *testing.T) {
	w := stereoWriter(t)
	var lw, lf, ln statusLog
	aw, err := w.Advise(lw.fn)
	must(t, err)
	if _, err := w.Advise(nil); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("Advise(nil) = %v", err)
	}
	fs, err := NewFileSink()
	must(t, err)
	defer fs.Close()
	path := t.TempDir() + "/status.asf"
	must(t, fs.Open(path))
	af, err := fs.Advise(lf.fn)
	must(t, err)
	ns, err := NewNetworkSink()
	must(t, err)
	defer ns.Close()
	port, err := ns.NetworkOpen(0)
	must(t, err)
	an, err := ns.Advise(ln.fn)
	must(t, err)
	must(t, w.AddSink(fs))
	must(t, w.AddSink(ns))

	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(int(port))), 10*time.Second)
	must(t, err)
	_, err = c.Write([]byte("GET / HTTP/1.0\r\nUser-Agent: gotest\r\n\r\n"))
	must(t, err)
	mine := c.LocalAddr().(*net.TCPAddr).Port

	must(t, w.BeginWriting())
	writeChunks(t, w, 0, tone(440, 44100, 44100), 17640, 176400)
	must(t, w.EndWriting())
	v := ln.wait(t, WMT_CLIENT_CONNECT)
	if len(v) != 8 || binary.LittleEndian.Uint32(v[0:4]) != 0x7F000001 || int(binary.LittleEndian.Uint32(v[4:8])) != mine {
		t.Fatalf("WMT_CLIENT_CONNECT value %x; want 127.0.0.1 port %d", v, mine)
	}
	c.Close()
	must(t, ns.Disconnect())
	ln.wait(t, WMT_CLIENT_DISCONNECT)

	if got := lw.statuses(); !equalStatuses(got, WMT_STARTED, WMT_CLOSED) {
		t.Fatalf("writer statuses %v; want [STARTED CLOSED]", got)
	}
	if got := lf.statuses(); !equalStatuses(got, WMT_STARTED, WMT_CLOSED) {
		t.Fatalf("file sink statuses %v; want [STARTED CLOSED]", got)
	}
	for _, hr := range lw.hrs {
		if hr != S_OK {
			t.Fatalf("writer status hr 0x%08X", uint32(hr))
		}
	}
	if st, err := os.Stat(path); err != nil || st.Size() < 44100*4 {
		t.Fatalf("file %v, %v", st, err)
	}

	must(t, w.Unadvise(aw))
	if err := w.Unadvise(aw); !IsHResult(err, E_INVALIDARG) {
		t.Fatalf("second Unadvise = %v; want E_INVALIDARG", err)
	}
	must(t, fs.Unadvise(af))
	must(t, ns.Unadvise(an))
	// A second session after Unadvise: no status reaches the logs.
	must(t, fs.Open(t.TempDir()+"/second.asf"))
	must(t, w.BeginWriting())
	writeChunks(t, w, 0, tone(440, 44100, 4410), 17640, 176400)
	must(t, w.EndWriting())
	if got := lw.statuses(); len(got) != 2 {
		t.Fatalf("writer statuses after Unadvise %v", got)
	}
	if got := lf.statuses(); len(got) != 2 {
		t.Fatalf("file sink statuses after Unadvise %v", got)
	}
}

// TestAdviseWriterError: a write that fails (/dev/full) reaches the writer's callback
// as WMT_ERROR with NS_E_FILE_WRITE.
func TestAdviseWriterError(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	w := stereoWriter(t)
	var l statusLog
	_, err := w.Advise(l.fn)
	must(t, err)
	must(t, w.SetOutputFilename("/dev/full"))
	werr := w.BeginWriting()
	for i := 0; werr == nil && i < 200; i++ {
		werr = w.WriteSample(0, time.Duration(i)*100*time.Millisecond, make([]byte, 17640), 0)
	}
	if werr == nil {
		werr = w.EndWriting()
	}
	if !IsHResult(werr, NS_E_FILE_WRITE) {
		t.Fatalf("writing to /dev/full: %v; want NS_E_FILE_WRITE", werr)
	}
	l.Lock()
	defer l.Unlock()
	found := false
	for i, st := range l.got {
		if st == WMT_ERROR && l.hrs[i] == NS_E_FILE_WRITE {
			found = true
		}
	}
	if !found {
		t.Fatalf("statuses %v hrs %v: no WMT_ERROR with NS_E_FILE_WRITE", l.got, l.hrs)
	}
}
