package main

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/constant"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// cacheLinePadSize finds the CacheLinePadSize constant among the internal/cpu files gc compiles for arch.
func cacheLinePadSize(dir, arch string) (int, error) {
	ctx := build.Default
	ctx.GOARCH = arch
	ctx.GOOS = "linux"
	if arch == "wasm" {
		ctx.GOOS = "js"
	}
	ctx.CgoEnabled = false
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	found := []int{}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		if ok, err := ctx.MatchFile(dir, name); err != nil || !ok {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, name), nil, 0)
		if err != nil {
			return 0, err
		}
		if value, ok := constants(file)["CacheLinePadSize"]; ok {
			n, err := intLiteral(value)
			if err != nil {
				return 0, fmt.Errorf("%s: CacheLinePadSize: %w", name, err)
			}
			found = append(found, n)
		}
	}
	if len(found) != 1 {
		return 0, fmt.Errorf("expected one CacheLinePadSize declaration, found %d", len(found))
	}
	return found[0], nil
}

// readHeap reads the size classes and malloc constants of internal/runtime/gc.
func readHeap(src string) (heapTable, error) {
	dir := filepath.Join(src, "internal", "runtime", "gc")
	classes, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, "sizeclasses.go"), nil, 0)
	if err != nil {
		return heapTable{}, err
	}
	malloc, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, "malloc.go"), nil, 0)
	if err != nil {
		return heapTable{}, err
	}
	consts := constants(classes)
	for name, value := range constants(malloc) {
		consts[name] = value
	}
	var h heapTable
	ints := map[string]*int{
		"MaxSmallSize": &h.MaxSmallSize, "TinySize": &h.TinySize, "MallocHeaderSize": &h.MallocHeaderSize,
		"PageShift": &h.PageShift,
	}
	for name, dst := range ints {
		if *dst, err = intLiteral(consts[name]); err != nil {
			return h, fmt.Errorf("internal/runtime/gc.%s: %w", name, err)
		}
	}
	if h.SizeClasses, err = sizeClassToSize(classes); err != nil {
		return h, err
	}
	// The header threshold is written in terms of the word size; the extension computes it per GOARCH.
	if got := exprText(consts["MinSizeForMallocHeader"]); got != "goarch.PtrSize * goarch.PtrBits" {
		return h, fmt.Errorf("internal/runtime/gc.MinSizeForMallocHeader is %q now; update the generator", got)
	}
	h.MinSizeForMallocHeader = map[string]int{}
	for _, arch := range arches {
		word := ptrSize(arch)
		h.MinSizeForMallocHeader[arch] = word * word * 8
	}
	return h, nil
}

// ptrSize is goarch.PtrSize: 4 on the 32-bit targets, 8 elsewhere.
func ptrSize(arch string) int {
	switch arch {
	case "386", "arm", "mips", "mipsle":
		return 4
	}
	return 8
}

// sizeClassToSize reads the SizeClassToSize array and drops class 0, which stands for large objects.
func sizeClassToSize(file *ast.File) ([]int, error) {
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.VAR {
			continue
		}
		for _, spec := range gen.Specs {
			vs := spec.(*ast.ValueSpec)
			if len(vs.Names) != 1 || vs.Names[0].Name != "SizeClassToSize" || len(vs.Values) != 1 {
				continue
			}
			lit, ok := vs.Values[0].(*ast.CompositeLit)
			if !ok {
				return nil, fmt.Errorf("SizeClassToSize is not a composite literal")
			}
			sizes := []int{}
			for i, elt := range lit.Elts {
				n, err := intLiteral(elt)
				if err != nil {
					return nil, fmt.Errorf("SizeClassToSize[%d]: %w", i, err)
				}
				if i > 0 {
					sizes = append(sizes, n)
				}
			}
			return sizes, nil
		}
	}
	return nil, fmt.Errorf("sizeclasses.go declares no SizeClassToSize")
}

// constants maps each constant declared in file to the expression it is given.
func constants(file *ast.File) map[string]ast.Expr {
	out := map[string]ast.Expr{}
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.CONST {
			continue
		}
		for _, spec := range gen.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if i < len(vs.Values) {
					out[name.Name] = vs.Values[i]
				}
			}
		}
	}
	return out
}

func intLiteral(expr ast.Expr) (int, error) {
	lit, ok := expr.(*ast.BasicLit)
	if !ok || lit.Kind != token.INT {
		return 0, fmt.Errorf("not an integer literal: %q", exprText(expr))
	}
	value, ok := constant.Int64Val(constant.MakeFromLiteral(lit.Value, lit.Kind, 0))
	if !ok {
		return 0, fmt.Errorf("%s does not fit in int64", lit.Value)
	}
	return int(value), nil
}

func exprText(expr ast.Expr) string {
	if expr == nil {
		return "<missing>"
	}
	var b strings.Builder
	printer.Fprint(&b, token.NewFileSet(), expr)
	return b.String()
}
