// Command gen-runtime-tables writes core/src/generated/runtimeTables.json: the figures of Go's runtime that
// decide what a value costs on each GOARCH, read from the sources of the toolchain on PATH (its GOROOT):
//
//   - cacheLinePadSize: internal/cpu.CacheLinePadSize per GOARCH, the line size the runtime pads its own hot
//     structures to (32 on arm and mips, 64 on amd64, 128 on arm64 and ppc64, 256 on s390x);
//   - heap: the malloc size classes (internal/runtime/gc/sizeclasses.go), the tiny-allocator block, the
//     malloc header and the word-size-dependent size above which objects with pointers carry one
//     (internal/runtime/gc/malloc.go), and the page size large objects are rounded to.
//
// Usage:
//
//	cd scripts/gen-runtime-tables && go run .
//	cd scripts/gen-runtime-tables && go run . -out /tmp/runtimeTables.json
//
// The program parses sources, it does not import them: internal/cpu's files are selected per GOARCH as the
// gc toolchain would (go/build's MatchFile). It also checks that the runtime still decides between the tiny
// allocator, small size classes with or without a malloc header, and large objects with the comparisons the
// extension's core/src/layout/memoryCosts.ts encodes, and fails when a Go release changes them.
// `go test` in this folder regenerates the table from GOROOT and compares it with the committed file.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"

	"goarchlens/genkit"
)

// arches is every GOARCH the gc toolchain builds for, as core/src/targets.ts lists them.
var arches = []string{
	"386", "amd64", "arm", "arm64", "loong64", "mips", "mipsle", "mips64", "mips64le",
	"ppc64", "ppc64le", "riscv64", "s390x", "wasm",
}

// table is the JSON file's shape.
type table struct {
	GeneratedBy      string         `json:"generatedBy"`
	GoVersion        string         `json:"goVersion"`
	CacheLinePadSize map[string]int `json:"cacheLinePadSize"`
	Heap             heapTable      `json:"heap"`
}

type heapTable struct {
	// SizeClasses holds each class's object size, class 0 (large objects) excluded.
	SizeClasses      []int `json:"sizeClasses"`
	MaxSmallSize     int   `json:"maxSmallSize"`
	TinySize         int   `json:"tinySize"`
	MallocHeaderSize int   `json:"mallocHeaderSize"`
	PageShift        int   `json:"pageShift"`
	// MinSizeForMallocHeader is per GOARCH (PtrSize * PtrBits): objects with pointers larger than it get a header.
	MinSizeForMallocHeader map[string]int `json:"minSizeForMallocHeader"`
}

func main() {
	genkit.Main("gen-runtime-tables", filepath.Join("..", "..", "core", "src", "generated", "runtimeTables.json"), "output file", func(out string) error {
		content, err := generate()
		if err != nil {
			return err
		}
		return genkit.WriteFile(out, content)
	})
}

// generate reads the toolchain's sources and returns the table as indented JSON.
func generate() ([]byte, error) {
	tc, err := genkit.ReadToolchain()
	if err != nil {
		return nil, err
	}
	src := filepath.Join(tc.GOROOT, "src")
	t := table{GeneratedBy: "scripts/gen-runtime-tables", GoVersion: tc.GOVERSION, CacheLinePadSize: map[string]int{}}
	for _, arch := range arches {
		size, err := cacheLinePadSize(filepath.Join(src, "internal", "cpu"), arch)
		if err != nil {
			return nil, fmt.Errorf("internal/cpu for %s: %w", arch, err)
		}
		t.CacheLinePadSize[arch] = size
	}
	if t.Heap, err = readHeap(src); err != nil {
		return nil, err
	}
	if err := checkMallocRules(src); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(t); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
