package wmwriter_test

import (
	"encoding/binary"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/wmwriter/wmwriter/bindings/go/wmwriter"
)

// Write one second of a 440 Hz tone, 16-bit stereo PCM at 44.1 kHz, to a .wma file
// through the io.Writer of the writer's input.
func Example() {
	dir, err := os.MkdirTemp("", "wmwriter-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "tone.wma")

	pm, err := wmwriter.NewProfileManager()
	if err != nil {
		log.Fatal(err)
	}
	defer pm.Close()
	profile, err := pm.CreateEmptyProfile(wmwriter.WMT_VER_9_0)
	if err != nil {
		log.Fatal(err)
	}
	defer profile.Close()
	if _, err := profile.AddAudioStream(2, 44100, 16); err != nil {
		log.Fatal(err)
	}

	w, err := wmwriter.NewWriter()
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()
	if err := w.SetProfile(profile); err != nil {
		log.Fatal(err)
	}
	if err := w.SetOutputFilename(path); err != nil {
		log.Fatal(err)
	}
	if err := w.BeginWriting(); err != nil {
		log.Fatal(err)
	}
	in, err := w.InputWriter(0, 44100*4) // 4 bytes per stereo frame
	if err != nil {
		log.Fatal(err)
	}
	frame := make([]byte, 4)
	for i := 0; i < 44100; i++ {
		v := int16(8000 * math.Sin(2*math.Pi*440*float64(i)/44100))
		binary.LittleEndian.PutUint16(frame[0:], uint16(v)) // left
		binary.LittleEndian.PutUint16(frame[2:], uint16(v)) // right
		if _, err := in.Write(frame); err != nil {
			log.Fatal(err)
		}
	}
	if err := in.Close(); err != nil {
		log.Fatal(err)
	}
	if err := w.EndWriting(); err != nil {
		log.Fatal(err)
	}

	duration, err := w.Attribute(0, "Duration") // 100 ns units
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %s: %.1f s\n", filepath.Base(path), float64(duration.(uint64))/1e7)

	// Errors carry the SDK's HRESULT, its name and the library's message.
	err = w.WriteSample(0, 0, frame, 0)
	fmt.Println(wmwriter.IsHResult(err, wmwriter.NS_E_INVALID_REQUEST))
	// Output:
	// wrote tone.wma: 1.0 s
	// true
}
