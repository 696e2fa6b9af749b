// Command gen writes the generated files of package wmwriter (zconst.go, zguid.go)
// from include/wmwriter.h. Run it with `go generate ./...` in bindings/go.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wmwriter/wmwriter/bindings/go/internal/headerconst"
)

func main() {
	header := flag.String("header", "../../../include/wmwriter.h", "path of wmwriter.h")
	dir := flag.String("dir", ".", "directory of package wmwriter")
	flag.Parse()
	if err := run(*header, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(header, dir string) error {
	text, err := os.ReadFile(header)
	if err != nil {
		return err
	}
	h, err := headerconst.Parse(text)
	if err != nil {
		return fmt.Errorf("%s: %v", header, err)
	}
	zconst, zguid, err := h.Render()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "zconst.go"), zconst, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "zguid.go"), zguid, 0o644)
}
