// Command gen-std-layouts writes core/src/generated/stdLayouts.json: the size and alignment of commonly used
// standard-library types for every gc GOARCH. The engine falls back to this table when it cannot read GOROOT
// sources (no `go` installed, untrusted workspace).
//
// Usage, from the repository root (needs only the Go toolchain; takes minutes on a cold build cache because
// the standard library is compiled for every target):
//
//	cd scripts/gen-std-layouts && go run .
//	cd scripts/gen-std-layouts && go run . -out /tmp/stdLayouts.json
//
// Every number comes from the compiler, not from go/types: for each target the program builds a package of
// probe lines `var _ = [1]struct{}{}[unsafe.Sizeof(v)+1]`, whose index is always out of range, and reads the
// value from gc's error ("index 25 out of bounds"). A second build of exact assertions
// `[unsafe.Sizeof(v)-24]` (too small overflows, too large is out of range) must then compile without error;
// otherwise nothing is written and the program exits non-zero.
//
// The table is for GOOS linux (js for wasm). Types whose layout differs on darwin, windows, freebsd or wasip1
// are listed under "goosDependent" with the differing values, because a GOARCH-keyed entry is wrong there.
// Types missing on a target are listed under "absent". "genericAnyTypeArgs" lists generic types whose layout
// was checked to be the same for two unlike type arguments; their key has no type arguments.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"goarchlens/genkit"
)

func main() {
	genkit.Main("gen-std-layouts", filepath.Join("..", "..", "core", "src", "generated", "stdLayouts.json"), "output file", run)
}

func run(outPath string) error {
	tc, err := genkit.ReadToolchain()
	if err != nil {
		return err
	}
	goVersion := tc.GOVERSION
	ws, err := newWorkspace(goVersion)
	if err != nil {
		return err
	}
	defer ws.remove()
	types := curatedTypes()

	table := map[string]measurement{}
	for _, t := range tableTargets {
		m, err := timed(ws, types, t)
		if err != nil {
			return err
		}
		table[t.goarch] = m
	}
	goosDependent := map[string]map[string]*shape{}
	for _, t := range otherGoosTargets {
		m, err := timed(ws, types, t)
		if err != nil {
			return err
		}
		recordGoosDifferences(goosDependent, types, table[t.goarch], m, t)
	}
	data := renderTable(goVersion, types, table, goosDependent)
	if err := os.WriteFile(outPath, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d types x %d targets, all verified by the compiler\n", outPath, len(types), len(tableTargets))
	return nil
}

func timed(ws *workspace, types []stdType, t target) (measurement, error) {
	start := time.Now()
	m, err := ws.measure(types, t)
	if err == nil {
		fmt.Fprintf(os.Stderr, "%-14s %3d types verified in %s\n", t, len(m), time.Since(start).Round(time.Millisecond))
	}
	return m, err
}

// recordGoosDifferences notes, per type, the other-GOOS targets where the layout differs from linux's for the
// same GOARCH (nil value: the type does not exist there).
func recordGoosDifferences(into map[string]map[string]*shape, types []stdType, linux, other measurement, t target) {
	for _, ty := range types {
		key := ty.key()
		base, inLinux := linux[key]
		s, inOther := other[key]
		if inLinux == inOther && (!inOther || s == base) {
			continue
		}
		if into[key] == nil {
			into[key] = map[string]*shape{}
		}
		if inOther {
			into[key][t.String()] = &s
		} else {
			into[key][t.String()] = nil
		}
	}
}

// renderTable writes stable JSON: sorted keys, one line per type so that diffs show which types changed.
func renderTable(goVersion string, types []stdType, table map[string]measurement, goosDependent map[string]map[string]*shape) []byte {
	keys := make([]string, 0, len(types))
	var generic []string
	absent := map[string][]string{}
	for _, ty := range types {
		keys = append(keys, ty.key())
		if ty.generic() {
			generic = append(generic, ty.key())
		}
		for _, t := range tableTargets {
			if _, ok := table[t.goarch][ty.key()]; !ok {
				absent[ty.key()] = append(absent[ty.key()], t.goarch)
			}
		}
	}
	sort.Strings(keys)
	sort.Strings(generic)
	targets := make([]string, len(tableTargets))
	for i, t := range tableTargets {
		targets[i] = t.String()
	}

	var b bytes.Buffer
	field := func(name string, v any, last bool) {
		j, _ := json.Marshal(v) // maps marshal with sorted keys
		sep := ","
		if last {
			sep = ""
		}
		fmt.Fprintf(&b, "  %q: %s%s\n", name, j, sep)
	}
	b.WriteString("{\n")
	field("generatedBy", "scripts/gen-std-layouts", false)
	field("goVersion", goVersion, false)
	field("targets", targets, false)
	field("genericAnyTypeArgs", generic, false)
	field("absent", absent, false)
	field("goosDependent", goosDependent, false)
	b.WriteString("  \"types\": {\n")
	for i, key := range keys {
		perArch := map[string]shape{}
		for _, t := range tableTargets {
			if s, ok := table[t.goarch][key]; ok {
				perArch[t.goarch] = s
			}
		}
		j, _ := json.Marshal(perArch)
		sep := ","
		if i == len(keys)-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "    %q: %s%s\n", key, j, sep)
	}
	b.WriteString("  }\n}\n")
	return b.Bytes()
}
