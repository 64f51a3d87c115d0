package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The committed table must be exactly what the toolchain's sources give today.
func TestCommittedTableMatchesGOROOT(t *testing.T) {
	fresh, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join("..", "..", "core", "src", "generated", "runtimeTables.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, committed) {
		t.Fatalf("core/src/generated/runtimeTables.json is stale: run `npm run gen:runtime-tables`\nfresh:\n%s", fresh)
	}
}
