// quickstart: one second of a 440 Hz tone as 16-bit mono 44.1 kHz PCM in a .wma file.
package main

import (
	"encoding/binary"
	"log"
	"math"
	"os"
	"time"

	"github.com/wmwriter/wmwriter/bindings/go/wmwriter"
)

func main() {
	out := "quickstart.wma"
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	pm, err := wmwriter.NewProfileManager()
	check(err)
	defer pm.Close()
	profile, err := pm.CreateEmptyProfile(wmwriter.WMT_VER_9_0)
	check(err)
	defer profile.Close()
	_, err = profile.AddAudioStream(1, 44100, 16) // PCM: 1 channel, 44100 Hz, 16-bit
	check(err)
	w, err := wmwriter.NewWriter()
	check(err)
	defer w.Close()
	check(w.SetProfile(profile))
	check(w.SetOutputFilename(out))
	check(w.BeginWriting())
	pcm := make([]byte, 2*44100)
	for n := 0; n < 44100; n++ { // little-endian 16-bit samples of a 440 Hz sine
		binary.LittleEndian.PutUint16(pcm[2*n:], uint16(int16(8000*math.Sin(2*math.Pi*440*float64(n)/44100))))
	}
	for i := 0; i < 10; i++ { // ten 100 ms samples: input 0, time as a time.Duration
		check(w.WriteSample(0, time.Duration(i)*100*time.Millisecond, pcm[i*8820:(i+1)*8820], 0))
	}
	check(w.EndWriting())
}

// check stops on an error: a *wmwriter.Error says "wmwriter: OP: NAME (0xHRESULT): what was wrong".
func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
