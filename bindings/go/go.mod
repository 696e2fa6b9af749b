// The Go binding of wmwriter. The module lives in the bindings/go directory of the
// wmwriter repository, so its path ends in /bindings/go (the form the go command needs
// to find a module in a subdirectory of a repository); the package is
// github.com/wmwriter/wmwriter/bindings/go/wmwriter.
module github.com/wmwriter/wmwriter/bindings/go

// 1.19: the Go of Debian 12 (golang-go), which scripts/setup-test-deps.sh installs
// when no go is on PATH.
go 1.19
