// Command reference is the proof job's judge: it loads packages for one target (GOOS/GOARCH in the environment
// of `go list`, so the toolchain's own build tags for that GOARCH apply; see load.go) and lays out every struct type it finds with go/types' gc sizes (types.SizesFor("gc", goarch)), which agree
// with the compiler in Go 1.26. It writes one JSON line per struct; the TypeScript side of the proof lays out
// the same structs with the engine and compares. A sample of every run is re-asserted by the compiler itself
// (see verify.go), so the reference is checked too.
//
// Three kinds of entries, each keyed by a source position (absolute file, 1-based line, 1-based byte column):
//
//	type      a declared type (package level or local, alias or defined) whose underlying type is a struct,
//	          at the position of its name: what the editor shows a hint for
//	literal   every anonymous struct type (`struct{…}` as the type of a field, variable, composite literal,
//	          conversion, signature; not the one a type declaration names), at the position of the `struct` keyword
//	instance  every use of a generic type with concrete type arguments whose underlying type is a struct
//	          (`Box[uint64]`), at the position of the generic type's name in that use
//
// Types that depend on type parameters have no layout and are not listed. Types gc rejects (larger than the
// target's address space, a struct whose fields pass gc's offset limit) are listed with `rejected` instead of
// numbers, since go/types does not apply those limits.
//
// Usage: reference -goarch amd64 [-goos linux] [-dir d] [-tests] [-include prefix,...] [-verify n]
// [-fieldalignment out.json] pattern...
// or, to re-check an earlier (cached) output with the compiler: reference -goarch amd64 -from out.jsonl -verify n
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"sort"
	"strings"
)

// entry is one output line.
type entry struct {
	Kind    string  `json:"kind"`
	Pos     string  `json:"pos"`
	Name    string  `json:"name,omitempty"`
	Size    int64   `json:"size"`
	Align   int64   `json:"align"`
	Offsets []int64 `json:"offsets"`
	// Why gc rejects the type; Size, Align and Offsets are then meaningless.
	Rejected string `json:"rejected,omitempty"`
	// For the compiler sample: the package path and name, whether a type is declared inside a function, and
	// the struct's field names.
	Pkg     string   `json:"pkg,omitempty"`
	PkgName string   `json:"pkgName,omitempty"`
	Local   bool     `json:"local,omitempty"`
	Fields  []string `json:"fields,omitempty"`
}

type options struct {
	goos, goarch, dir string
	tests             bool
	include           []string
	verify            int
	fieldalignment    string
	from              string
	patterns          []string
}

func main() {
	var o options
	var include string
	flag.StringVar(&o.goarch, "goarch", "amd64", "GOARCH to lay out for")
	flag.StringVar(&o.goos, "goos", "linux", "GOOS to lay out for")
	flag.StringVar(&o.dir, "dir", ".", "directory go list runs in (a module for module patterns)")
	flag.BoolVar(&o.tests, "tests", true, "include test files and test packages")
	flag.StringVar(&include, "include", "", "comma-separated path prefixes: only structs in files under them are listed")
	flag.IntVar(&o.verify, "verify", 0, "re-assert this many randomly chosen layouts with the compiler")
	flag.StringVar(&o.fieldalignment, "fieldalignment", "", "also run the fieldalignment analyzer and write its size findings to this file")
	flag.StringVar(&o.from, "from", "", "only re-assert a sample (-verify) of the entries of this earlier output, loading nothing")
	flag.Parse()
	o.patterns = flag.Args()
	if include != "" {
		o.include = strings.Split(include, ",")
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "reference:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	if o.from != "" {
		all, err := readEntries(o.from)
		if err != nil {
			return err
		}
		return verifySample(all, o)
	}
	sizes := types.SizesFor("gc", o.goarch)
	if sizes == nil {
		return fmt.Errorf("no gc sizes for GOARCH %s", o.goarch)
	}
	l := &lister{sizes: sizes, limits: gcLimitsFor(o.goarch), seen: map[string]bool{}, include: o.include}
	var all []entry
	alignment := newAlignmentCollector(l.included)
	stats, err := walkPackages(o, l.included, func(p *listedPackage, fset *token.FileSet, files []*ast.File, info *types.Info, tpkg *types.Package) {
		l.fset = fset
		all = append(all, l.packageEntries(basePath(p.ImportPath), p.Name, files, info)...)
		if o.fieldalignment != "" {
			alignment.add(fset, files, info, tpkg, sizes)
		}
	})
	if err != nil {
		return err
	}
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer out.Flush()
	enc := json.NewEncoder(out)
	sort.Slice(all, func(i, j int) bool { return all[i].Kind+all[i].Pos < all[j].Kind+all[j].Pos })
	for _, e := range all {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	if o.fieldalignment != "" {
		if err := alignment.write(o.fieldalignment); err != nil {
			return err
		}
	}
	if o.verify > 0 {
		if err := verifySample(all, o); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "reference %s/%s: %d structs; %d package variants checked, %d with bodies, %d with errors\n",
		o.goos, o.goarch, len(all), stats.packages, stats.withBodies, stats.withErrors)
	return nil
}

// gcLimits are cmd/compile's size limits (ssagen.Arch.MAXWIDTH per GOARCH and the 32-bit field offset limit of
// types.CalcStructSize), which go/types does not apply.
type gcLimits struct {
	maxWidth       int64
	maxFieldOffset int64
}

func gcLimitsFor(goarch string) gcLimits {
	maxWidth := int64(1 << 50)
	switch goarch {
	case "386", "arm":
		maxWidth = 1<<32 - 1
	case "mips", "mipsle":
		maxWidth = 1<<31 - 1
	}
	maxOffset := maxWidth
	if maxWidth < 1<<32 {
		maxOffset = 1<<31 - 1
	}
	return gcLimits{maxWidth: maxWidth, maxFieldOffset: maxOffset}
}

type lister struct {
	sizes    types.Sizes
	limits   gcLimits
	fset     *token.FileSet
	seen     map[string]bool
	include  []string
	rejected map[types.Type]string
}

func (l *lister) included(file string) bool {
	if len(l.include) == 0 {
		return true
	}
	for _, prefix := range l.include {
		if strings.HasPrefix(file, prefix) {
			return true
		}
	}
	return false
}

func (l *lister) packageEntries(pkgPath, pkgName string, files []*ast.File, info *types.Info) []entry {
	var entries []entry
	add := func(kind string, pos token.Pos, name string, t types.Type, local bool) {
		position := l.fset.Position(pos)
		if !l.included(position.Filename) {
			return
		}
		key := fmt.Sprintf("%s:%d:%d", position.Filename, position.Line, position.Column)
		if l.seen[kind+key] {
			return
		}
		e, ok := l.layout(t, pkgPath)
		if !ok {
			return
		}
		l.seen[kind+key] = true
		e.Kind, e.Pos, e.Name, e.Pkg, e.PkgName, e.Local = kind, key, name, pkgPath, pkgName, local
		entries = append(entries, e)
	}
	for _, file := range files {
		// The struct type a type declaration names is listed as that type, not again as a literal: the two differ
		// only where gc treats a named type specially (the align64 marker).
		declared := map[*ast.StructType]bool{}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.TypeSpec:
				if st, ok := n.Type.(*ast.StructType); ok {
					declared[st] = true
				}
				if n.TypeParams != nil {
					return true
				}
				if obj, ok := info.Defs[n.Name].(*types.TypeName); ok {
					add("type", n.Name.Pos(), n.Name.Name, obj.Type(), obj.Parent() != obj.Pkg().Scope())
				}
			case *ast.StructType:
				if tv, ok := info.Types[n]; ok && !declared[n] {
					add("literal", n.Struct, "", tv.Type, false)
				}
			}
			return true
		})
	}
	for ident, inst := range info.Instances {
		if _, isNamed := inst.Type.(*types.Named); isNamed {
			add("instance", ident.Pos(), ident.Name, inst.Type, false)
		}
	}
	return entries
}

// layout lays out t if its underlying type is a struct without type parameters and valid types. A field the
// package cannot name (unexported, of a struct declared in another package: `type S other.T`) gets no name, so
// that the compiler sample leaves its offset out.
func (l *lister) layout(t types.Type, pkgPath string) (entry, bool) {
	st, ok := types.Unalias(t).Underlying().(*types.Struct)
	if !ok || !layable(t, map[types.Type]bool{}) {
		return entry{}, false
	}
	if why := l.gcRejects(st, map[types.Type]bool{}); why != "" {
		return entry{Rejected: why, Offsets: []int64{}}, true
	}
	fields := make([]*types.Var, st.NumFields())
	names := make([]string, st.NumFields())
	for i := range fields {
		fields[i] = st.Field(i)
		if fields[i].Exported() || fields[i].Pkg() == nil || fields[i].Pkg().Path() == pkgPath {
			names[i] = fields[i].Name()
		}
	}
	align := l.sizes.Alignof(st)
	if isAtomicAlign64(t) {
		// gc aligns the align64 marker type itself to 8 (go/types only a struct holding it); the compiler sample
		// caught this on riscv64.
		align = 8
	}
	return entry{Size: l.sizes.Sizeof(st), Align: align, Offsets: l.sizes.Offsetsof(fields), Fields: names}, true
}

// layable says whether t has a layout: no type parameters, no invalid (erroneous) types.
func layable(t types.Type, visiting map[types.Type]bool) bool {
	if visiting[t] {
		return true
	}
	visiting[t] = true
	switch t := t.(type) {
	case *types.Basic:
		return t.Kind() != types.Invalid
	case *types.TypeParam:
		return false
	case *types.Alias:
		return layable(types.Unalias(t), visiting)
	case *types.Named:
		if t.TypeParams().Len() > 0 && t.TypeArgs().Len() == 0 {
			return false
		}
		for i := 0; i < t.TypeArgs().Len(); i++ {
			if !layable(t.TypeArgs().At(i), visiting) {
				return false
			}
		}
		return layable(t.Underlying(), visiting)
	case *types.Array:
		return t.Len() >= 0 && layable(t.Elem(), visiting)
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if !layable(t.Field(i).Type(), visiting) {
				return false
			}
		}
		return true
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		// Fixed-size headers, whatever they point at; but an element that mentions a type parameter still means
		// the type is generic and the compiler never lays it out on its own.
		return !mentionsTypeParam(t, map[types.Type]bool{})
	}
	return true
}

func mentionsTypeParam(t types.Type, visiting map[types.Type]bool) bool {
	if visiting[t] {
		return false
	}
	visiting[t] = true
	switch t := t.(type) {
	case *types.TypeParam:
		return true
	case *types.Alias:
		return mentionsTypeParam(types.Unalias(t), visiting)
	case *types.Named:
		for i := 0; i < t.TypeArgs().Len(); i++ {
			if mentionsTypeParam(t.TypeArgs().At(i), visiting) {
				return true
			}
		}
		return false
	case *types.Pointer:
		return mentionsTypeParam(t.Elem(), visiting)
	case *types.Slice:
		return mentionsTypeParam(t.Elem(), visiting)
	case *types.Array:
		return mentionsTypeParam(t.Elem(), visiting)
	case *types.Chan:
		return mentionsTypeParam(t.Elem(), visiting)
	case *types.Map:
		return mentionsTypeParam(t.Key(), visiting) || mentionsTypeParam(t.Elem(), visiting)
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if mentionsTypeParam(t.Field(i).Type(), visiting) {
				return true
			}
		}
	case *types.Signature:
		return mentionsTypeParam(t.Params(), visiting) || mentionsTypeParam(t.Results(), visiting)
	case *types.Tuple:
		for i := 0; i < t.Len(); i++ {
			if mentionsTypeParam(t.At(i).Type(), visiting) {
				return true
			}
		}
	case *types.Interface:
		for i := 0; i < t.NumMethods(); i++ {
			if mentionsTypeParam(t.Method(i).Type(), visiting) {
				return true
			}
		}
		for i := 0; i < t.NumEmbeddeds(); i++ {
			if mentionsTypeParam(t.EmbeddedType(i), visiting) {
				return true
			}
		}
	}
	return false
}

// gcRejects applies cmd/compile's size limits to arrays and structs inside t.
func (l *lister) gcRejects(t types.Type, visiting map[types.Type]bool) string {
	if visiting[t] {
		return ""
	}
	visiting[t] = true
	switch u := types.Unalias(t).Underlying().(type) {
	case *types.Array:
		if why := l.gcRejects(u.Elem(), visiting); why != "" {
			return why
		}
		if elem := l.sizes.Sizeof(u.Elem()); elem != 0 && uint64(u.Len()) > uint64(l.limits.maxWidth-1)/uint64(elem) {
			return "larger than address space"
		}
	case *types.Struct:
		var offset int64
		for i := 0; i < u.NumFields(); i++ {
			f := u.Field(i).Type()
			if why := l.gcRejects(f, visiting); why != "" {
				return why
			}
			align := l.sizes.Alignof(f)
			offset = (offset+align-1)/align*align + l.sizes.Sizeof(f)
			if offset >= l.limits.maxFieldOffset || offset < 0 {
				return "type too large"
			}
		}
	}
	return ""
}

func readEntries(file string) ([]entry, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var all []entry
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" {
			continue
		}
		var e entry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			return nil, fmt.Errorf("%s: %v", file, err)
		}
		all = append(all, e)
	}
	return all, nil
}

// isAtomicAlign64 says whether t is the zero-size align64 marker of sync/atomic or internal/runtime/atomic.
func isAtomicAlign64(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Name() != "align64" || named.Obj().Pkg() == nil {
		return false
	}
	path := named.Obj().Pkg().Path()
	return path == "sync/atomic" || path == "internal/runtime/atomic"
}
