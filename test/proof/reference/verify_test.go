package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// A module with a package that builds, one with a type error (whose struct go/types still lays out) and a main
// package: the sample must leave the broken package out instead of failing the run, and build the main package
// without leaving its binary behind.
func TestVerifySampleTakesOnlyPackagesThatBuild(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":           "module x\n\ngo 1.26\n",
		"good/good.go":     "package good\n\ntype T struct {\n\tA int8\n\tB int64\n}\n",
		"bad/bad.go":       "package bad\n\ntype U struct {\n\tA int64\n}\n\nvar _ = notDeclaredOnThisTarget\n",
		"cmd/tool/main.go": "package main\n\ntype V struct {\n\tA int32\n\tB int8\n}\n\nfunc main() {}\n",
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pos := func(name string) string { return fmt.Sprintf("%s:3:6", filepath.Join(dir, name)) }
	entries := []entry{
		{Kind: "type", Pos: pos("good/good.go"), Name: "T", Size: 16, Align: 8, Offsets: []int64{0, 8}, Pkg: "x/good", PkgName: "good", Fields: []string{"A", "B"}},
		{Kind: "type", Pos: pos("bad/bad.go"), Name: "U", Size: 8, Align: 8, Offsets: []int64{0}, Pkg: "x/bad", PkgName: "bad", Fields: []string{"A"}},
		{Kind: "type", Pos: pos("cmd/tool/main.go"), Name: "V", Size: 8, Align: 4, Offsets: []int64{0, 4}, Pkg: "x/cmd/tool", PkgName: "main", Fields: []string{"A", "B"}},
	}
	// 16 samples allow 3 packages: every package is drawn.
	if err := verifySample(entries, options{goos: "linux", goarch: "amd64", dir: dir, verify: 16}); err != nil {
		t.Fatalf("the sample failed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "tool")); err == nil {
		t.Fatal("the main package's binary was left in the folder go ran in")
	}
}

// A wrong layout must still fail the sample (amd64's numbers claimed on 386, where int64 is 4-byte aligned): the
// filter must not take away what the sample proves.
func TestVerifySampleRejectsAWrongLayout(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module x\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "t.go"), []byte("package x\n\ntype T struct {\n\tA int8\n\tB int64\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wrong := entry{Kind: "type", Pos: filepath.Join(dir, "t.go") + ":3:6", Name: "T", Size: 16, Align: 8, Offsets: []int64{0, 8}, Pkg: "x", PkgName: "x", Fields: []string{"A", "B"}}
	if err := verifySample([]entry{wrong}, options{goos: "linux", goarch: "386", dir: dir, verify: 1}); err == nil {
		t.Fatal("amd64's layout of T was confirmed on 386")
	}
}
