package main

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"strings"
)

// syscallNumbers returns every exported SYS_* constant declared in files, with its value.
//
// In the zsysnum_* files every value is an integer literal; a few hand-written files add aliases such as
// `const SYS_FSTATAT = SYS_NEWFSTATAT` (x/sys, linux/arm64). Anything else (other expressions, iota, an
// implicitly repeated value) is reported as an error rather than guessed, so that a change in how those files
// are written cannot slip wrong numbers into the table.
func syscallNumbers(fset *token.FileSet, files []*ast.File) (map[string]int64, error) {
	decls := map[string]*ast.Ident{} // SYS_ name → its declaring identifier (for positions)
	values := map[string]ast.Expr{}
	for _, spec := range declSpecs(files, token.CONST) {
		if err := collectSyscallConstants(fset, spec.(*ast.ValueSpec), decls, values); err != nil {
			return nil, err
		}
	}
	numbers := map[string]int64{}
	for name := range values {
		value, err := evalSyscallNumber(name, values, map[string]bool{})
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", fset.Position(decls[name].Pos()), name, err)
		}
		numbers[name] = value
	}
	return numbers, nil
}

func collectSyscallConstants(fset *token.FileSet, spec *ast.ValueSpec, decls map[string]*ast.Ident, values map[string]ast.Expr) error {
	for i, name := range spec.Names {
		if !strings.HasPrefix(name.Name, "SYS_") {
			continue
		}
		where := fset.Position(name.Pos())
		if i >= len(spec.Values) {
			return fmt.Errorf("%s: %s has no value of its own; teach syscallNumbers about repeated values", where, name.Name)
		}
		if _, dup := values[name.Name]; dup {
			return fmt.Errorf("%s: %s is declared twice for one target", where, name.Name)
		}
		decls[name.Name] = name
		values[name.Name] = spec.Values[i]
	}
	return nil
}

// evalSyscallNumber evaluates an integer literal or the name of another SYS_ constant.
func evalSyscallNumber(name string, values map[string]ast.Expr, visiting map[string]bool) (int64, error) {
	if visiting[name] {
		return 0, fmt.Errorf("%s is defined in terms of itself", name)
	}
	visiting[name] = true
	switch expr := values[name].(type) {
	case *ast.BasicLit:
		if expr.Kind != token.INT {
			break
		}
		value, exact := constant.Int64Val(constant.MakeFromLiteral(expr.Value, expr.Kind, 0))
		if !exact {
			return 0, fmt.Errorf("value %s does not fit in an int64", expr.Value)
		}
		return value, nil
	case *ast.Ident:
		if _, ok := values[expr.Name]; ok {
			return evalSyscallNumber(expr.Name, values, visiting)
		}
	}
	return 0, fmt.Errorf("value is neither an integer literal nor another SYS_ constant; teach syscallNumbers to evaluate it")
}
