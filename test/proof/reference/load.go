package main

// A streaming loader in place of go/packages' whole-graph load: `go list -deps -test` gives the package
// variants in dependency order, and each is parsed and type-checked in turn with go/types, its struct entries
// taken, and its syntax and type information dropped, so that only the packages' types stay in memory (go/packages
// holds every syntax tree and types.Info of the graph at once: 5 GB per target on GOROOT/src).
//
// Only the variants whose files are laid out are checked with function bodies (local types, struct literals and
// instances there): a package's own entries come from its test variant when it has one ("p [p.test]" holds all of
// p's files), and dependencies recompiled for another package's test ("q [p.test]") only provide types.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/fieldalignment"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// listedPackage is one package variant as `go list -json -deps -test` prints it.
type listedPackage struct {
	ImportPath string
	Name       string
	Dir        string
	GoFiles    []string
	// For the test variant "p [p.test]": the _test.go files among GoFiles.
	TestGoFiles []string
	Imports     []string
	ImportMap   map[string]string
	ForTest     string
	DepOnly     bool
	Module      *struct{ GoVersion string }
	Error       *struct{ Err string }
}

// checkedPackage is what stays of a package once checked: its types, for the packages that import it.
type checkedPackage struct {
	types *types.Package
}

// loadStats count what the loader did, for the closing line on stderr.
type loadStats struct {
	packages, withBodies, withErrors int
}

// walkPackages lists, parses and type-checks every package variant the patterns need, for one target, calling
// visit for each variant whose own structs are laid out (with function bodies checked and full type information).
func walkPackages(o options, included func(string) bool, visit func(pkg *listedPackage, fset *token.FileSet, files []*ast.File, info *types.Info, tpkg *types.Package)) (loadStats, error) {
	var stats loadStats
	listed, err := goList(o)
	if err != nil {
		return stats, err
	}
	hasTestVariant := map[string]bool{}
	plain := map[string]bool{}
	laidOutBase := map[string]bool{}
	for _, p := range listed {
		if p.ForTest == "" {
			plain[p.ImportPath] = true
		}
		if p.ForTest != "" && basePath(p.ImportPath) == p.ForTest {
			hasTestVariant[p.ForTest] = true
		}
	}
	// How many variants still to check import each one: a package's types are dropped after its last importer.
	importers := map[string]int{}
	for _, p := range listed {
		if isTestMain(p) {
			continue
		}
		for _, id := range p.Imports {
			importers[id]++
		}
	}
	done := map[string]*checkedPackage{}
	sizes := types.SizesFor("gc", o.goarch)
	for _, p := range listed {
		if isTestMain(p) {
			continue // the generated test main: no source of the corpus
		}
		laidOut := layOut(p, included, hasTestVariant, plain, laidOutBase)
		if p.Error != nil {
			fmt.Fprintf(os.Stderr, "reference: %s: %s\n", p.ImportPath, strings.TrimSpace(p.Error.Err))
			stats.withErrors++
		}
		tpkg, fset, files, info, errs := check(p, done, sizes, !laidOut)
		stats.packages++
		if len(errs) > 0 {
			stats.withErrors++
			for i, e := range errs {
				if i == 3 {
					fmt.Fprintf(os.Stderr, "reference: %s: … %d more type errors\n", p.ImportPath, len(errs)-3)
					break
				}
				fmt.Fprintf(os.Stderr, "reference: %s: %v\n", p.ImportPath, e)
			}
		}
		done[p.ImportPath] = &checkedPackage{types: tpkg}
		if laidOut {
			stats.withBodies++
			visit(p, fset, files, info, tpkg)
		}
		for _, id := range p.Imports {
			if importers[id]--; importers[id] == 0 {
				delete(done, id)
			}
		}
	}
	return stats, nil
}

// layOut says whether a package variant's own structs are listed: those of every package whose files are under
// the included folders (dependencies among them too), each from one variant: a package's test variant when it
// has one (it holds all its files), a package recompiled for another's test only when it is listed no other way.
func layOut(p *listedPackage, included func(string) bool, hasTestVariant, plain, laidOutBase map[string]bool) bool {
	base := basePath(p.ImportPath)
	var yes bool
	switch {
	case !included(p.Dir + string(filepath.Separator)):
		yes = false
	case p.ForTest == "":
		yes = !hasTestVariant[base]
	case base == p.ForTest || base == p.ForTest+"_test":
		yes = true
	default:
		yes = !plain[base] && !laidOutBase[base]
	}
	if yes {
		laidOutBase[base] = true
	}
	return yes
}

func isTestMain(p *listedPackage) bool {
	return p.Name == "main" && strings.HasSuffix(p.ImportPath, ".test")
}

// basePath strips the " [p.test]" suffix of a test variant's ID.
func basePath(id string) string {
	if i := strings.Index(id, " ["); i >= 0 {
		return id[:i]
	}
	return id
}

func goList(o options) ([]*listedPackage, error) {
	args := append([]string{"list", "-e", "-deps", "-json=ImportPath,Name,Dir,GoFiles,TestGoFiles,Imports,ImportMap,ForTest,DepOnly,Module,Error"}, testFlag(o)...)
	cmd := exec.Command("go", append(args, o.patterns...)...)
	cmd.Dir = o.dir
	// cgo off, as for every cross build: cgo files are left out, like the engine does.
	cmd.Env = append(os.Environ(), "GOOS="+o.goos, "GOARCH="+o.goarch, "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v\n%s", err, stderr.String())
	}
	var listed []*listedPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		p := new(listedPackage)
		if err := dec.Decode(p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list output: %v", err)
		}
		listed = append(listed, p)
	}
	return listed, nil
}

func testFlag(o options) []string {
	if o.tests {
		return []string{"-test"}
	}
	return nil
}

// check parses and type-checks one package variant against the already checked ones. Without bodies, function
// bodies are skipped and no type information is kept (the package only provides types to its importers).
func check(p *listedPackage, done map[string]*checkedPackage, sizes types.Sizes, typesOnly bool) (*types.Package, *token.FileSet, []*ast.File, *types.Info, []error) {
	fset := token.NewFileSet()
	var errs []error
	files := make([]*ast.File, 0, len(p.GoFiles))
	mode := parser.SkipObjectResolution | parser.ParseComments
	if typesOnly {
		mode = parser.SkipObjectResolution
	}
	for _, name := range p.GoFiles {
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(p.Dir, name)
		}
		f, err := parser.ParseFile(fset, path, nil, mode)
		if f != nil {
			files = append(files, f)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	var info *types.Info
	if !typesOnly {
		info = &types.Info{
			Types:      map[ast.Expr]types.TypeAndValue{},
			Defs:       map[*ast.Ident]types.Object{},
			Uses:       map[*ast.Ident]types.Object{},
			Instances:  map[*ast.Ident]types.Instance{},
			Selections: map[*ast.SelectorExpr]*types.Selection{},
		}
	}
	conf := types.Config{
		Importer:         importerFor(p, done),
		Sizes:            sizes,
		IgnoreFuncBodies: typesOnly,
		Error:            func(err error) { errs = append(errs, err) },
	}
	if p.Module != nil && p.Module.GoVersion != "" {
		conf.GoVersion = "go" + p.Module.GoVersion
	}
	tpkg, _ := conf.Check(basePath(p.ImportPath), fset, files, info)
	return tpkg, fset, files, info, errs
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func importerFor(p *listedPackage, done map[string]*checkedPackage) types.Importer {
	return importerFunc(func(path string) (*types.Package, error) {
		if path == "unsafe" {
			return types.Unsafe, nil
		}
		id := path
		if mapped, ok := p.ImportMap[path]; ok {
			id = mapped
		}
		c, ok := done[id]
		if !ok || c.types == nil {
			return nil, fmt.Errorf("%s: import %q (%s) not checked", p.ImportPath, path, id)
		}
		return c.types, nil
	})
}

// fieldAlignmentFindings runs the fieldalignment analyzer on one checked package.
func fieldAlignmentFindings(fset *token.FileSet, files []*ast.File, info *types.Info, tpkg *types.Package, sizes types.Sizes, report func(analysis.Diagnostic)) error {
	pass := &analysis.Pass{
		Analyzer:   fieldalignment.Analyzer,
		Fset:       fset,
		Files:      files,
		Pkg:        tpkg,
		TypesInfo:  info,
		TypesSizes: sizes,
		ResultOf:   map[*analysis.Analyzer]any{inspect.Analyzer: inspector.New(files)},
		Report:     report,
	}
	_, err := fieldalignment.Analyzer.Run(pass)
	return err
}
