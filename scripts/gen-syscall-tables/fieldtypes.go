package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
)

// declaredField is one field of a struct, with its type as written in the source.
type declaredField struct{ name, typ string }

// declaredStructs maps an exported struct type's name to its fields on each target that declares it.
type declaredStructs map[string]map[target][]declaredField

// add records the exported, non-generic struct types that files declare for t.
func (d declaredStructs) add(t target, files []*ast.File) error {
	for _, spec := range declSpecs(files, token.TYPE) {
		ts := spec.(*ast.TypeSpec)
		st, isStruct := ts.Type.(*ast.StructType)
		if !isStruct || !ts.Name.IsExported() || ts.Assign.IsValid() || ts.TypeParams != nil {
			continue
		}
		fields, err := structFields(st)
		if err != nil {
			return fmt.Errorf("%s: %w", ts.Name.Name, err)
		}
		if d[ts.Name.Name] == nil {
			d[ts.Name.Name] = map[target][]declaredField{}
		}
		d[ts.Name.Name][t] = fields
	}
	return nil
}

// structFields lists a struct's fields in order. Blank (_) fields are left out: no code can name them, and
// a struct may have several.
func structFields(st *ast.StructType) ([]declaredField, error) {
	var fields []declaredField
	for _, field := range st.Fields.List {
		typ := types.ExprString(field.Type)
		if len(field.Names) == 0 {
			name, err := embeddedFieldName(field.Type)
			if err != nil {
				return nil, err
			}
			fields = append(fields, declaredField{name, typ})
		}
		for _, name := range field.Names {
			if name.Name != "_" {
				fields = append(fields, declaredField{name.Name, typ})
			}
		}
	}
	return fields, nil
}

// embeddedFieldName is the implicit name of an embedded field (syscall.FileHandle embeds *fileHandle).
func embeddedFieldName(typ ast.Expr) (string, error) {
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	switch t := typ.(type) {
	case *ast.Ident:
		return t.Name, nil
	case *ast.SelectorExpr:
		return t.Sel.Name, nil
	}
	return "", fmt.Errorf("embedded field of unexpected form %s", types.ExprString(typ))
}

// fieldEntry is one field of a table struct: its type on each target that has the field, in target order.
type fieldEntry struct {
	name  string
	types []targetType
}

type targetType struct {
	target target
	typ    string
}

// structEntry is a struct whose fields depend on the target.
type structEntry struct {
	name   string
	fields []fieldEntry
}

// targetDependentStructs returns, sorted by name, the structs declared for two or more targets in which some
// field's type differs between targets or some field is missing on a target that declares the struct
// (darwin's Stat_t has Atimespec where linux has Atim). Every field of such a struct is listed, in the order
// of the first target that declares it, followed by fields only later targets have.
func targetDependentStructs(declared declaredStructs, targets []target) []structEntry {
	var names []string
	for name := range declared {
		names = append(names, name)
	}
	sort.Strings(names)
	var entries []structEntry
	for _, name := range names {
		perTarget := declared[name]
		fields := mergeFields(perTarget, targets)
		if len(perTarget) >= 2 && anyFieldDiffers(fields, len(perTarget)) {
			entries = append(entries, structEntry{name, fields})
		}
	}
	return entries
}

func mergeFields(perTarget map[target][]declaredField, targets []target) []fieldEntry {
	var fields []fieldEntry
	index := map[string]int{}
	for _, t := range targets {
		for _, f := range perTarget[t] {
			i, seen := index[f.name]
			if !seen {
				i = len(fields)
				index[f.name] = i
				fields = append(fields, fieldEntry{name: f.name})
			}
			fields[i].types = append(fields[i].types, targetType{t, f.typ})
		}
	}
	return fields
}

func anyFieldDiffers(fields []fieldEntry, declaringTargets int) bool {
	for _, f := range fields {
		if len(f.types) < declaringTargets {
			return true
		}
		for _, tt := range f.types[1:] {
			if tt.typ != f.types[0].typ {
				return true
			}
		}
	}
	return false
}
