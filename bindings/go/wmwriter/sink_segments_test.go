package wmwriter

import "testing"

// The file-sink 2/3 setters and getters through the Go wrapper (their effect on the
// file is tested in the Rust and C suites).
func TestFileSinkScheduleAndSettings(t *testing.T) {
	s, err := NewFileSink()
	must(t, err)
	defer s.Close()
	must(t, s.Stop(2e7))
	if err := s.Start(1e7); err == nil {
		t.Fatal("a start before the last stop was accepted")
	}
	must(t, s.Start(4e7))
	if st, err := s.IsStopped(); err != nil || st {
		t.Fatalf("IsStopped before writing = %v, %v", st, err)
	}
	must(t, s.SetControlStream(2, true))
	if c, err := s.ControlStream(2); err != nil || !c {
		t.Fatalf("ControlStream(2) = %v, %v", c, err)
	}
	if err := s.SetControlStream(64, true); err == nil {
		t.Fatal("stream 64 accepted")
	}
	must(t, s.SetUnbufferedIO(true, false))
	if u, err := s.UnbufferedIO(); err != nil || !u {
		t.Fatalf("UnbufferedIO = %v, %v", u, err)
	}
	must(t, s.CompleteOperations())
	if m, err := s.Mode(); err != nil || m != WMT_FM_SINGLE_BUFFERS|WMT_FM_FILESINK_DATA_UNITS|WMT_FM_FILESINK_UNBUFFERED {
		t.Fatalf("Mode = %v, %v", m, err)
	}
	if n, err := s.FileSize(); err != nil || n != 0 {
		t.Fatalf("FileSize before writing = %v, %v", n, err)
	}
	if d, err := s.FileDuration(); err != nil || d != 0 {
		t.Fatalf("FileDuration before writing = %v, %v", d, err)
	}
	must(t, s.CloseFile())
	if c, err := s.IsClosed(); err != nil || !c {
		t.Fatalf("IsClosed = %v, %v", c, err)
	}
	must(t, s.SetFlushInterval(250))
	if v, err := s.FlushInterval(); err != nil || v != 250 {
		t.Fatalf("FlushInterval = %v, %v", v, err)
	}
}
