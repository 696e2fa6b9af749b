package wmwriter

import (
	"fmt"
	"sync"
	"time"
)

// SampleWriter is the io.Writer of one writer input (Writer.InputWriter): it cuts the
// byte stream written to it into samples of about 100 ms, whole blocks of the input's
// PCM format, and writes each with WriteSample at a running time computed from the
// bytes before it. It is safe for concurrent use, though concurrent Writes interleave
// in an unspecified order.
type SampleWriter struct {
	mu      sync.Mutex
	w       *Writer
	input   uint32
	bps     int64 // bytes per second
	align   int   // block align: every sample is a multiple of it
	chunk   int   // bytes per full sample
	pending []byte
	written int64 // bytes handed to WriteSample
	start   time.Duration
	err     error // sticky: the first failure
	closed  bool
}

// InputWriter returns an io.Writer for input that turns a byte stream of
// bytesPerSecond bytes per second (channels × bytes per sample × rate for PCM) into
// samples, starting at time 0. The block size comes from the input's format (its
// WAVEFORMATEX nBlockAlign; 1 for other formats). Bytes of an incomplete sample wait
// in the SampleWriter until more arrive, Flush, or Close; Close the SampleWriter
// before Writer.EndWriting.
func (w *Writer) InputWriter(input uint32, bytesPerSecond int) (*SampleWriter, error) {
	if bytesPerSecond <= 0 {
		return nil, invalidArg("Writer.InputWriter", fmt.Sprintf("bytes per second must be positive, not %d", bytesPerSecond))
	}
	props, err := w.InputProps(input)
	if err != nil {
		return nil, err
	}
	mt, err := props.MediaType()
	props.Close()
	if err != nil {
		return nil, err
	}
	align := mt.BlockAlign()
	if align <= 0 {
		align = 1
	}
	chunk := bytesPerSecond / 10 / align * align
	if chunk < align {
		chunk = align
	}
	return &SampleWriter{w: w, input: input, bps: int64(bytesPerSecond), align: align, chunk: chunk,
		pending: make([]byte, 0, chunk)}, nil
}

// SetStartTime sets the time of the first byte (default 0); call it before writing.
func (sw *SampleWriter) SetStartTime(t time.Duration) {
	sw.mu.Lock()
	sw.start = t
	sw.mu.Unlock()
}

// Time is the sample time of the next byte that will be written to the input.
func (sw *SampleWriter) Time() time.Duration {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	return sw.timeAt(sw.written)
}

// timeAt is the time of byte n, exact in 100 ns units without overflow.
func (sw *SampleWriter) timeAt(n int64) time.Duration {
	t100 := n/sw.bps*10_000_000 + n%sw.bps*10_000_000/sw.bps
	return sw.start + time.Duration(t100)*100
}

// emit writes one sample; the caller holds mu.
func (sw *SampleWriter) emit(b []byte) error {
	if err := sw.w.WriteSample(sw.input, sw.timeAt(sw.written), b, 0); err != nil {
		sw.err = err
		return err
	}
	sw.written += int64(len(b))
	return nil
}

// Write queues p and writes every complete sample (io.Writer). After a failure it
// returns that error for every later call.
func (sw *SampleWriter) Write(p []byte) (int, error) {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	if sw.closed {
		return 0, closedError("SampleWriter.Write", "SampleWriter")
	}
	if sw.err != nil {
		return 0, sw.err
	}
	n := 0
	if len(sw.pending) > 0 {
		k := sw.chunk - len(sw.pending)
		if k > len(p) {
			k = len(p)
		}
		sw.pending = append(sw.pending, p[:k]...)
		p = p[k:]
		if len(sw.pending) < sw.chunk {
			return k, nil
		}
		if err := sw.emit(sw.pending); err != nil {
			sw.pending = sw.pending[:len(sw.pending)-k]
			return 0, err
		}
		sw.pending = sw.pending[:0]
		n = k
	}
	for len(p) >= sw.chunk { // straight from the caller's memory: one copy, in C
		if err := sw.emit(p[:sw.chunk]); err != nil {
			return n, err
		}
		p = p[sw.chunk:]
		n += sw.chunk
	}
	sw.pending = append(sw.pending, p...)
	return n + len(p), nil
}

// Flush writes the queued whole blocks as a (shorter) sample; a partial block stays.
func (sw *SampleWriter) Flush() error {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	if sw.closed {
		return closedError("SampleWriter.Flush", "SampleWriter")
	}
	return sw.flush()
}

func (sw *SampleWriter) flush() error {
	if sw.err != nil {
		return sw.err
	}
	whole := len(sw.pending) / sw.align * sw.align
	if whole == 0 {
		return nil
	}
	if err := sw.emit(sw.pending[:whole]); err != nil {
		return err
	}
	sw.pending = append(sw.pending[:0], sw.pending[whole:]...)
	return nil
}

// Close flushes and stops the SampleWriter; it does not end the writer's session. It
// fails with NS_E_INVALID_DATA if bytes of an incomplete block are left over.
// Calling it again returns nil.
func (sw *SampleWriter) Close() error {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	if sw.closed {
		return nil
	}
	sw.closed = true
	if err := sw.flush(); err != nil {
		return err
	}
	if len(sw.pending) > 0 {
		return &Error{HResult: NS_E_INVALID_DATA, Name: "NS_E_INVALID_DATA", Op: "SampleWriter.Close", local: true,
			Message: fmt.Sprintf("%d bytes left over: not a whole block of %d bytes", len(sw.pending), sw.align)}
	}
	return nil
}
