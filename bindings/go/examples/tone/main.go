// Command tone writes a tone to a Windows Media Audio file: uncompressed 16-bit stereo
// PCM at 44.1 kHz in an ASF container, through the Go binding of wmwriter.
//
//	go build -o tone ./examples/tone && ./tone -o tone.wma -seconds 2 -freq 440
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"os"

	"github.com/wmwriter/wmwriter/bindings/go/wmwriter"
)

const (
	rate     = 44100
	channels = 2
	frameLen = channels * 2 // bytes per frame: two 16-bit samples
)

func main() {
	out := flag.String("o", "tone.wma", "output file")
	seconds := flag.Float64("seconds", 2, "length in seconds")
	freq := flag.Float64("freq", 440, "frequency in Hz")
	flag.Parse()
	if err := run(*out, *seconds, *freq); err != nil {
		fmt.Fprintln(os.Stderr, "tone:", err)
		os.Exit(1)
	}
	fmt.Printf("tone: wrote %s (%g s of %g Hz)\n", *out, *seconds, *freq)
}

// run writes the file: a profile with one PCM stream, a writer, and the tone written
// through the input's io.Writer in blocks of about 50 ms.
func run(path string, seconds, freq float64) error {
	if !(seconds > 0) {
		return fmt.Errorf("length must be positive, not %g s", seconds)
	}
	pm, err := wmwriter.NewProfileManager()
	if err != nil {
		return err
	}
	defer pm.Close()
	profile, err := pm.CreateEmptyProfile(wmwriter.WMT_VER_9_0)
	if err != nil {
		return err
	}
	defer profile.Close()
	if err := profile.SetName("Tone"); err != nil {
		return err
	}
	if _, err := profile.AddAudioStream(channels, rate, 16); err != nil {
		return err
	}

	w, err := wmwriter.NewWriter()
	if err != nil {
		return err
	}
	defer w.Close()
	if err := w.SetProfile(profile); err != nil {
		return err
	}
	if err := w.SetAttribute(0, "Title", fmt.Sprintf("%g Hz tone", freq)); err != nil {
		return err
	}
	if err := w.SetOutputFilename(path); err != nil {
		return err
	}
	if err := w.BeginWriting(); err != nil {
		return err
	}
	in, err := w.InputWriter(0, rate*frameLen)
	if err != nil {
		return err
	}

	frames := int(math.Round(seconds * rate))
	block := make([]byte, 0, rate/20*frameLen)
	for i := 0; i < frames; i++ {
		v := uint16(int16(8000 * math.Sin(2*math.Pi*freq*float64(i)/rate)))
		block = binary.LittleEndian.AppendUint16(block, v) // left
		block = binary.LittleEndian.AppendUint16(block, v) // right
		if len(block) == cap(block) || i == frames-1 {
			if _, err := in.Write(block); err != nil {
				return err
			}
			block = block[:0]
		}
	}
	if err := in.Close(); err != nil {
		return err
	}
	return w.EndWriting()
}
