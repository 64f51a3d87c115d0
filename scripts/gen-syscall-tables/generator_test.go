package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"goarchlens/genkit"
)

var committedDir = filepath.Join("..", "..", "core", "src", "generated", "syscalls")

// importPaths maps the tables' package keys to import paths.
var importPaths = map[string]string{"unix": "golang.org/x/sys/unix", "syscall": "syscall"}

func TestCommittedTablesMatchSources(t *testing.T) {
	generated, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range generated {
		committed, err := os.ReadFile(filepath.Join(committedDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(committed, content) {
			t.Errorf("%s is stale: run `go run .` in scripts/gen-syscall-tables", name)
		}
	}
}

func TestSyscallNumbersResolvesAliasesAndRefusesOtherExpressions(t *testing.T) {
	numbers, err := parseSyscallNumbers("package p\nconst (\n\tSYS_NEWFSTATAT = 0x4f\n\tSYS_OTHER = 3\n)\nconst SYS_FSTATAT = SYS_NEWFSTATAT\n")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"SYS_NEWFSTATAT": 79, "SYS_OTHER": 3, "SYS_FSTATAT": 79}
	if fmt.Sprint(numbers) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", numbers, want)
	}
	for _, c := range []struct{ src, wantErr string }{
		{"package p\nconst SYS_A = 1 + 2\n", "neither an integer literal"},
		{"package p\nconst (\n\tSYS_A = 1 << iota\n\tSYS_B\n)\n", "SYS_B has no value of its own"},
		{"package p\nconst SYS_A = SYS_B\nconst SYS_B = SYS_A\n", "in terms of itself"},
		{"package p\nconst SYS_A = 1\nconst SYS_A = 2\n", "declared twice"},
	} {
		_, err := parseSyscallNumbers(c.src)
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%q: got error %v, want one saying %q", c.src, err, c.wantErr)
		}
	}
}

func parseSyscallNumbers(src string) (map[string]int64, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		return nil, err
	}
	return syscallNumbers(fset, []*ast.File{f})
}

// TestFileSelectionMatchesGoList checks that the generator reads, for each target, exactly the files the go
// command compiles: a file it wrongly skipped would drop names from every target without any other test
// noticing.
func TestFileSelectionMatchesGoList(t *testing.T) {
	module := writeProbeModule(t, xsysVersion)
	tc, err := genkit.ReadToolchain()
	if err != nil {
		t.Fatal(err)
	}
	reader, err := newSourceReader(tc)
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range tableTargets {
		cmd := exec.Command("go", "list", "-f", "{{.Dir}}\t{{join .GoFiles \" \"}}", "syscall", importPaths["unix"])
		cmd.Dir = module
		cmd.Env = append(os.Environ(), "GOOS="+target.goos, "GOARCH="+target.goarch, "CGO_ENABLED=0", "GOWORK=off", "GOFLAGS=-mod=readonly", "GOTOOLCHAIN=local")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: go list: %v\n%s", target, err, out)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			dir, goFiles, _ := strings.Cut(line, "\t")
			files, err := reader.filesFor(dir, target)
			if err != nil {
				t.Fatal(err)
			}
			var selected []string
			for _, f := range files {
				selected = append(selected, filepath.Base(reader.fset.File(f.Pos()).Name()))
			}
			if got := strings.Join(selected, " "); got != goFiles {
				t.Errorf("%s in %s:\ngenerator reads %s\ngo list compiles %s", target, dir, got, goFiles)
			}
		}
	}
}

// committedSysnum and committedFieldTypes are the committed JSON files as the extension reads them.
type committedSysnum struct {
	XSysVersion string                                 `json:"xsysVersion"`
	Targets     []string                               `json:"targets"`
	Numbers     map[string]map[string]map[string]int64 `json:"numbers"`
}

type fieldTable = map[string]map[string]map[string]string // struct → field → target → type

type committedFieldTypes struct {
	Unix    fieldTable `json:"unix"`
	Syscall fieldTable `json:"syscall"`
}

func (c committedFieldTypes) byPackage(pkg string) fieldTable {
	if pkg == "unix" {
		return c.Unix
	}
	return c.Syscall
}

func readCommitted(t *testing.T, name string, into any) {
	t.Helper()
	content, err := os.ReadFile(filepath.Join(committedDir, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(content, into); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// TestCompilerAgreesWithCommittedTables builds, for every target, one package in which every number and
// field type of the tables is a compile-time assertion, and one in which every name the tables call absent
// on that target is referenced. The first must compile; the second must fail on each of its lines and only
// there.
func TestCompilerAgreesWithCommittedTables(t *testing.T) {
	var sysnum committedSysnum
	var fields committedFieldTypes
	readCommitted(t, "sysnum.json", &sysnum)
	readCommitted(t, "fieldtypes.json", &fields)
	checkLandmarks(t, sysnum, fields)

	module := writeProbeModule(t, sysnum.XSysVersion)
	for _, target := range sysnum.Targets {
		t.Run(target, func(t *testing.T) {
			p := newProbe(sysnum, fields, target)
			p.write(t, module)
			goos, goarch, _ := strings.Cut(target, "/")
			if out, err := buildFor(module, goos, goarch, "-gcflags=-e", "./present"); err != nil {
				t.Errorf("claims that must hold do not compile:\n%s", out)
			}
			p.checkAbsent(t, module, goos, goarch)
			t.Logf("checked %d claims that must compile and %d names that must be absent", len(p.present), len(p.absent))
			if len(p.unchecked) > 0 {
				t.Logf("only the presence of these fields is checked, their types name unexported things: %v", p.unchecked)
			}
		})
	}
}

// checkLandmarks guards against a table that is empty or keyed wrongly, which the compiler check alone
// would let pass.
func checkLandmarks(t *testing.T, sysnum committedSysnum, fields committedFieldTypes) {
	t.Helper()
	for _, c := range []struct {
		pkg, target, name string
		want              int64
	}{
		{"unix", "linux/amd64", "SYS_WRITE", 1}, {"unix", "linux/arm64", "SYS_WRITE", 64},
		{"syscall", "linux/amd64", "SYS_WRITE", 1}, {"syscall", "linux/arm64", "SYS_WRITE", 64},
	} {
		if got, ok := sysnum.Numbers[c.pkg][c.target][c.name]; !ok || got != c.want {
			t.Errorf("%s.%s on %s: got %d (present %v), want %d", c.pkg, c.name, c.target, got, ok, c.want)
		}
	}
	if _, ok := sysnum.Numbers["unix"]["linux/arm64"]["SYS_OPEN"]; ok {
		t.Error("unix.SYS_OPEN is listed for linux/arm64")
	}
	for _, pkg := range packageOrder {
		for _, target := range sysnum.Targets {
			if n := len(sysnum.Numbers[pkg][target]); n < 200 {
				t.Errorf("%s on %s has only %d syscall numbers", pkg, target, n)
			}
		}
	}
	if got := fields.Syscall["Stat_t"]["Nlink"]["linux/arm64"]; got != "uint32" {
		t.Errorf("syscall.Stat_t.Nlink on linux/arm64 is %q in the table, want uint32", got)
	}
}

// probe is the source of the two packages built for one target.
type probe struct {
	present []string    // lines of package present: declarations that must compile
	absent  []absentRef // lines of package absent: each must be rejected
	// absentDecls are declarations the absent lines need (a variable of a struct type that exists).
	absentDecls []string
	// unchecked lists fields whose type names something unexported, so no other package can spell it;
	// only their presence is checked.
	unchecked []string
}

// absentRef is one reference the compiler must reject, and the name its error must mention.
type absentRef struct{ line, name string }

func newProbe(sysnum committedSysnum, fields committedFieldTypes, target string) *probe {
	p := &probe{}
	for _, pkg := range packageOrder {
		for _, name := range unionOfNames(sysnum.Numbers[pkg]) {
			if number, ok := sysnum.Numbers[pkg][target][name]; ok {
				p.present = append(p.present, fmt.Sprintf("var _ = [1]struct{}{}[%s.%s-%d]", pkg, name, number))
			} else {
				p.absent = append(p.absent, absentRef{fmt.Sprintf("var _ = %s.%s", pkg, name), pkg + "." + name})
			}
		}
		table := fields.byPackage(pkg)
		for _, structName := range sortedKeys(table) {
			p.addStruct(pkg, structName, table[structName], target)
		}
	}
	return p
}

func (p *probe) addStruct(pkg, structName string, fields map[string]map[string]string, target string) {
	qualified := pkg + "." + structName
	if !structExistsOn(fields, target) {
		p.absent = append(p.absent, absentRef{"var _ " + qualified, qualified})
		return
	}
	present, absent := "p_"+pkg+"_"+structName, "a_"+pkg+"_"+structName
	p.present = append(p.present, fmt.Sprintf("var %s %s", present, qualified))
	absentDeclared := false
	for _, fieldName := range sortedKeys(fields) {
		if !token.IsExported(fieldName) {
			continue // no other package can refer to it
		}
		typ, ok := fields[fieldName][target]
		if !ok {
			if !absentDeclared {
				p.absentDecls = append(p.absentDecls, fmt.Sprintf("var %s %s", absent, qualified))
				absentDeclared = true
			}
			p.absent = append(p.absent, absentRef{fmt.Sprintf("var _ = %s.%s", absent, fieldName), fieldName})
			continue
		}
		// A pointer to the field is assignable to *T only if the field's type is identical to T.
		if spelled, ok := qualifyType(typ, pkg); ok {
			p.present = append(p.present, fmt.Sprintf("var _ *%s = &%s.%s", spelled, present, fieldName))
		} else {
			p.unchecked = append(p.unchecked, fmt.Sprintf("%s.%s %s", qualified, fieldName, typ))
			p.present = append(p.present, fmt.Sprintf("var _ = &%s.%s", present, fieldName))
		}
	}
}

func structExistsOn(fields map[string]map[string]string, target string) bool {
	for _, types := range fields {
		if _, ok := types[target]; ok {
			return true
		}
	}
	return false
}

// qualifyType spells a type written inside package pkg as another package must: "[4]Timespec" becomes
// "[4]unix.Timespec". It fails for types that name something unexported.
func qualifyType(typ, pkg string) (string, bool) {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(typ))
	s.Init(file, []byte(typ), nil, 0)
	var out strings.Builder
	last := 0
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok != token.IDENT || types.Universe.Lookup(lit) != nil {
			continue
		}
		if !token.IsExported(lit) {
			return "", false
		}
		offset := file.Offset(pos)
		out.WriteString(typ[last:offset] + pkg + ".")
		last = offset
	}
	out.WriteString(typ[last:])
	return out.String(), true
}

func (p *probe) write(t *testing.T, module string) {
	t.Helper()
	present := "package present\n\nimport (\n\t\"syscall\"\n\n\t\"golang.org/x/sys/unix\"\n)\n\n" + strings.Join(p.present, "\n") + "\n"
	writeFile(t, filepath.Join(module, "present", "present.go"), present)
	absent, _ := p.absentSource()
	writeFile(t, filepath.Join(module, "absent", "absent.go"), absent)
}

// absentSource returns package absent and the line of its first reference; reference i is on line first+i.
func (p *probe) absentSource() (source string, first int) {
	var b strings.Builder
	b.WriteString("package absent\n\n")
	for _, pkg := range packageOrder {
		b.WriteString(fmt.Sprintf("import %s %q\n", pkg, importPaths[pkg]))
	}
	// Keep both imports used even when a target lacks nothing from one package.
	b.WriteString("var _ = unix.Getpid\nvar _ = syscall.Getpid\n")
	for _, d := range p.absentDecls {
		b.WriteString(d + "\n")
	}
	first = strings.Count(b.String(), "\n") + 1
	for _, ref := range p.absent {
		b.WriteString(ref.line + "\n")
	}
	return b.String(), first
}

var compileError = regexp.MustCompile(`(?m)^\S*absent\.go:(\d+):\d+: (.*)$`)

// checkAbsent builds package absent and requires one error on each reference line and none elsewhere.
func (p *probe) checkAbsent(t *testing.T, module, goos, goarch string) {
	t.Helper()
	out, err := buildFor(module, goos, goarch, "-gcflags=-e", "./absent")
	if err == nil {
		t.Fatalf("%d references to absent names compiled", len(p.absent))
	}
	errorsByLine := map[int][]string{}
	for _, m := range compileError.FindAllStringSubmatch(out, -1) {
		line, _ := strconv.Atoi(m[1])
		errorsByLine[line] = append(errorsByLine[line], m[2])
	}
	_, first := p.absentSource()
	for i, ref := range p.absent {
		messages := strings.Join(errorsByLine[first+i], "; ")
		if !strings.Contains(messages, "undefined") || !strings.Contains(messages, ref.name) {
			t.Errorf("%q compiles on %s/%s (compiler said %q), but the tables call it absent", ref.line, goos, goarch, messages)
		}
		delete(errorsByLine, first+i)
	}
	if len(errorsByLine) > 0 {
		t.Errorf("unexpected errors in the absent package:\n%s", out)
	}
}

func unionOfNames(byTarget map[string]map[string]int64) []string {
	seen := map[string]bool{}
	for _, names := range byTarget {
		for name := range names {
			seen[name] = true
		}
	}
	return sortedKeys(seen)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// writeProbeModule creates a module that requires the pinned x/sys, with its checksums, so builds need no
// network and no checksum database.
func writeProbeModule(t *testing.T, version string) string {
	t.Helper()
	tc, err := genkit.ReadToolchain()
	if err != nil {
		t.Fatal(err)
	}
	xsys, err := downloadModule("golang.org/x/sys", version)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gomod := fmt.Sprintf("module verifysyscalltables\n\ngo %s\n\nrequire golang.org/x/sys %s\n", strings.TrimPrefix(tc.GOVERSION, "go"), version)
	gosum := fmt.Sprintf("golang.org/x/sys %s %s\ngolang.org/x/sys %s/go.mod %s\n", version, xsys.Sum, version, xsys.GoModSum)
	writeFile(t, filepath.Join(dir, "go.mod"), gomod)
	writeFile(t, filepath.Join(dir, "go.sum"), gosum)
	return dir
}

func buildFor(module, goos, goarch string, args ...string) (string, error) {
	cmd := exec.Command("go", append([]string{"build"}, args...)...)
	cmd.Dir = module
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0", "GOWORK=off", "GOFLAGS=-mod=readonly", "GOTOOLCHAIN=local")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
