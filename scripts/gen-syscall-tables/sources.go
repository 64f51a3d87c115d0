package main

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"goarchlens/genkit"
)

// target is one GOOS/GOARCH pair the tables cover.
type target struct{ goos, goarch string }

func (t target) String() string { return t.goos + "/" + t.goarch }

// tableTargets are the targets of both tables, in the order they are written. x/sys also has linux/ppc and
// linux/sparc64 files, but gc cannot build for those GOARCHes, so they are left out.
var tableTargets = []target{
	{"linux", "386"}, {"linux", "amd64"}, {"linux", "arm"}, {"linux", "arm64"}, {"linux", "loong64"},
	{"linux", "mips"}, {"linux", "mipsle"}, {"linux", "mips64"}, {"linux", "mips64le"},
	{"linux", "ppc64"}, {"linux", "ppc64le"}, {"linux", "riscv64"}, {"linux", "s390x"},
	{"darwin", "amd64"}, {"darwin", "arm64"},
}

// packageSource is one package whose sources the tables describe.
type packageSource struct {
	name string // the package name, also the key in the tables: "unix" or "syscall"
	dir  string
}

// sourceReader selects and parses package files per target, parsing each file once for all targets.
type sourceReader struct {
	fset        *token.FileSet
	goroot      string
	releaseTags []string
	parsed      map[string]*ast.File
}

func newSourceReader(tc genkit.Toolchain) (*sourceReader, error) {
	tags, err := releaseTags(tc.GOVERSION)
	if err != nil {
		return nil, err
	}
	return &sourceReader{fset: token.NewFileSet(), goroot: tc.GOROOT, releaseTags: tags, parsed: map[string]*ast.File{}}, nil
}

// releaseTags returns the go1.N build tags a toolchain satisfies ("go1.26.8" gives go1.1 … go1.26). They are
// derived from the `go` on PATH rather than taken from go/build's defaults, which describe the toolchain that
// compiled this program.
func releaseTags(goVersion string) ([]string, error) {
	m := regexp.MustCompile(`^go1\.(\d+)`).FindStringSubmatch(goVersion)
	if m == nil {
		return nil, fmt.Errorf("cannot read a Go release from GOVERSION %q", goVersion)
	}
	minor, _ := strconv.Atoi(m[1])
	tags := make([]string, 0, minor)
	for i := 1; i <= minor; i++ {
		tags = append(tags, "go1."+strconv.Itoa(i))
	}
	return tags, nil
}

// filesFor returns the parsed non-test files of dir that the gc toolchain compiles for t with cgo disabled
// (file name suffixes and //go:build lines both honoured).
func (r *sourceReader) filesFor(dir string, t target) ([]*ast.File, error) {
	ctx := build.Context{
		GOOS:        t.goos,
		GOARCH:      t.goarch,
		GOROOT:      r.goroot,
		Compiler:    "gc",
		ReleaseTags: r.releaseTags,
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var files []*ast.File
	for _, name := range names {
		match, err := ctx.MatchFile(dir, name)
		if err != nil {
			return nil, err
		}
		if !match {
			continue
		}
		f, err := r.parse(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		if len(files) > 0 && f.Name.Name != files[0].Name.Name {
			return nil, fmt.Errorf("%s: package %s, but other files are package %s", name, f.Name.Name, files[0].Name.Name)
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no Go files in %s", dir)
	}
	return files, nil
}

func (r *sourceReader) parse(path string) (*ast.File, error) {
	if f, ok := r.parsed[path]; ok {
		return f, nil
	}
	f, err := parser.ParseFile(r.fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	r.parsed[path] = f
	return f, nil
}

// declSpecs lists the specs of the files' top-level declarations of one kind (token.CONST, token.TYPE), in order.
func declSpecs(files []*ast.File, tok token.Token) []ast.Spec {
	var specs []ast.Spec
	for _, f := range files {
		for _, decl := range f.Decls {
			if gen, ok := decl.(*ast.GenDecl); ok && gen.Tok == tok {
				specs = append(specs, gen.Specs...)
			}
		}
	}
	return specs
}
