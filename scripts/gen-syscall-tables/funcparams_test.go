package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestCompilerAgreesWithFuncParams calls every function of funcparams.json whose parameters are all predeclared
// integers with a value of exactly each parameter's type, for every table target: where the function exists the
// call must compile (an integer of another type would not); a function absent on a target is left out there.
func TestCompilerAgreesWithFuncParams(t *testing.T) {
	var sysnum committedSysnum
	var funcs map[string]any
	readCommitted(t, "sysnum.json", &sysnum)
	readCommitted(t, "funcparams.json", &funcs)
	if params, _ := funcs["unix"].(map[string]any)["Major"].([]any); len(params) != 1 || params[0] != "uint64" {
		t.Fatalf("landmark unix.Major(uint64) missing: %v", params)
	}
	module := writeProbeModule(t, sysnum.XSysVersion)
	var calls []string
	for _, pkg := range packageOrder {
		names := sortedKeys(funcs[pkg].(map[string]any))
		for _, name := range names {
			var args []string
			for _, p := range funcs[pkg].(map[string]any)[name].([]any) {
				if !fixedParamTypes[p.(string)] {
					args = nil
					break
				}
				args = append(args, fmt.Sprintf("%s(0)", p))
			}
			if args != nil {
				calls = append(calls, fmt.Sprintf("\t%s.%s(%s)", pkg, name, strings.Join(args, ", ")))
			}
		}
	}
	sort.Strings(calls)
	src := "package calls\n\nimport (\n\t\"syscall\"\n\n\t\"golang.org/x/sys/unix\"\n)\n\nvar _ = syscall.Getpid\nvar _ = unix.Getpid\n\nfunc _() {\n" + strings.Join(calls, "\n") + "\n}\n"
	writeFile(t, filepath.Join(module, "calls", "calls.go"), src)
	undefinedOnly := regexp.MustCompile(`^calls/calls\.go:\d+:\d+: (undefined: (unix|syscall)\.\w+|too many errors)$`)
	for _, target := range sysnum.Targets {
		goos, goarch, _ := strings.Cut(target, "/")
		out, _ := buildFor(module, goos, goarch, "-gcflags=-e", "./calls")
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if line != "" && !strings.HasPrefix(line, "#") && !undefinedOnly.MatchString(line) {
				t.Errorf("%s: %s", target, line)
			}
		}
	}
	t.Logf("checked %d calls on %d targets", len(calls), len(sysnum.Targets))
}
