package main

import (
	"bytes"
	"go/ast"
	"go/types"
	"sort"
)

// fixedParamTypes are the predeclared integer types a parameter can require; a struct field whose type differs
// per target passed there does not compile on the targets where the field has another type (unix.Major(st.Dev)
// on linux/mips, where Dev is uint32 and Major takes uint64).
var fixedParamTypes = map[string]bool{
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true,
}

// declaredFuncs maps an exported function's name to its parameter types (one per parameter, as written) on each
// target that declares it.
type declaredFuncs map[string]map[target][]string

// add records the exported, non-generic, non-method functions that files declare for t.
func (d declaredFuncs) add(t target, files []*ast.File) {
	for _, f := range files {
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !fn.Name.IsExported() || fn.Type.TypeParams != nil {
				continue
			}
			var params []string
			for _, field := range fn.Type.Params.List {
				typ := types.ExprString(field.Type)
				for range max(1, len(field.Names)) {
					params = append(params, typ)
				}
			}
			if d[fn.Name.Name] == nil {
				d[fn.Name.Name] = map[target][]string{}
			}
			d[fn.Name.Name][t] = params
		}
	}
}

// fixedParams lists, per function, its parameter types where they are the same on every target that declares
// the function and at least one is a predeclared integer type; other functions are left out (the analyzer then
// knows nothing about their calls).
func fixedParams(d declaredFuncs) map[string][]string {
	out := map[string][]string{}
	for name, byTarget := range d {
		var first []string
		same, fixed := true, false
		for _, params := range byTarget {
			if first == nil {
				first = params
			} else if !equalStrings(first, params) {
				same = false
				break
			}
		}
		for _, p := range first {
			fixed = fixed || fixedParamTypes[p]
		}
		if same && fixed {
			out[name] = first
		}
	}
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// funcParamsJSON writes {header…, package:{function:[param types]}} with one function per line, sorted.
func funcParamsJSON(header tableHeader, funcs map[string]map[string][]string) []byte {
	var b bytes.Buffer
	writeHeader(&b, header)
	for i, pkg := range packageOrder {
		b.WriteString(separator(i) + "\n" + quote(pkg) + ":{")
		names := make([]string, 0, len(funcs[pkg]))
		for name := range funcs[pkg] {
			names = append(names, name)
		}
		sort.Strings(names)
		for j, name := range names {
			b.WriteString(separator(j) + "\n" + quote(name) + ":" + marshal(funcs[pkg][name]))
		}
		b.WriteString("\n}")
	}
	b.WriteString("\n}\n")
	return b.Bytes()
}
