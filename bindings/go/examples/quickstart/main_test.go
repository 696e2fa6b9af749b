package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The quick start runs as written and writes a 1 s file that ffprobe reads.
func TestQuickstart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quickstart.wma")
	args := os.Args
	defer func() { os.Args = args }()
	os.Args = []string{"quickstart", path}
	main()
	ffprobe, err := exec.LookPath("ffprobe")
	if err != nil {
		if os.Getenv("WMWRITER_REQUIRE_TOOLS") == "1" {
			t.Fatal("ffprobe is required (WMWRITER_REQUIRE_TOOLS=1) but not found")
		}
		t.Skip("ffprobe not found")
	}
	out, err := exec.Command(ffprobe, "-v", "error", "-show_entries", "format=duration:stream=codec_name,channels",
		"-of", "default=noprint_wrappers=1", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ffprobe: %v\n%s", err, out)
	}
	if got := strings.Fields(string(out)); strings.Join(got, " ") != "codec_name=pcm_s16le channels=1 duration=1.000000" {
		t.Fatalf("ffprobe: %q", got)
	}
}
