// The Go binding of wmwriter. The module lives in the bindings/go directory of the
// wmwriter repository, so its path ends in /bindings/go (the form the go command needs
// to find a module in a subdirectory of a repository); the package is
// github.com/wmwriter/wmwriter/bindings/go/wmwriter.
module github.com/wmwriter/wmwriter/bindings/go

go 1.19
