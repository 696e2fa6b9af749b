package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The example writes a 2 s stereo PCM file that ffprobe reads as such.
func TestTone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tone.wma")
	if err := run(path, 2, 440); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Size() < 2*44100*4 {
		t.Fatalf("output: %v, %v", st, err)
	}
	ffprobe, err := exec.LookPath("ffprobe")
	if err != nil {
		if os.Getenv("WMWRITER_REQUIRE_TOOLS") == "1" {
			t.Fatal("ffprobe is required (WMWRITER_REQUIRE_TOOLS=1) but not found")
		}
		t.Skip("ffprobe not found")
	}
	out, err := exec.Command(ffprobe, "-v", "error", "-show_entries",
		"format=duration:format_tags=title:stream=codec_name,channels,sample_rate",
		"-of", "default=noprint_wrappers=1", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ffprobe: %v\n%s", err, out)
	}
	info := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, v, _ := strings.Cut(line, "=")
		info[k] = v
	}
	if info["codec_name"] != "pcm_s16le" || info["channels"] != "2" || info["sample_rate"] != "44100" || info["TAG:title"] != "440 Hz tone" {
		t.Fatalf("ffprobe: %v", info)
	}
	if d, _ := strconv.ParseFloat(info["duration"], 64); d < 1.95 || d > 2.05 {
		t.Fatalf("duration %v s; want 2", info["duration"])
	}
	if err := run(path, 0, 440); err == nil {
		t.Fatal("run with 0 s succeeded")
	}
}
