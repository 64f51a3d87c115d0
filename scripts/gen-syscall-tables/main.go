// Command gen-syscall-tables writes the tables behind Go Arch Lens's portability analyzers:
//
//   - core/src/generated/syscalls/sysnum.json: every exported SYS_* constant and its number, per target, for
//     golang.org/x/sys/unix (at a pinned version) and for the standard library's syscall package (of the `go`
//     on PATH);
//   - core/src/generated/syscalls/fieldtypes.json: the fields of exported structs of both packages whose
//     declared type, or whose presence, differs between targets (syscall.Stat_t.Nlink is uint64 on
//     linux/amd64, uint32 on linux/arm64 and uint16 on darwin);
//   - core/src/generated/syscalls/funcparams.json: the parameter types of exported functions of both packages
//     that are the same on every target and include a predeclared integer type (unix.Major takes a uint64), so
//     that a per-target field passed there can be flagged.
//
// Usage (needs the Go toolchain and the Go module proxy, or golang.org/x/sys already in the module cache):
//
//	cd scripts/gen-syscall-tables && go run .
//	cd scripts/gen-syscall-tables && go run . -out /tmp/syscalls
//
// The program reads sources, it does not import them: for each target it selects the package files the gc
// toolchain would compile (go/build's MatchFile with GOOS, GOARCH, the toolchain's release tags and cgo off)
// and parses them. `go test` in this folder proves every entry of the committed tables with the compiler.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"goarchlens/genkit"
)

// xsysVersion is the golang.org/x/sys release the tables describe; the extension's tests pin the same one.
const xsysVersion = "v0.49.0"

func main() {
	genkit.Main("gen-syscall-tables", filepath.Join("..", "..", "core", "src", "generated", "syscalls"), "output folder", run)
}

func run(outDir string) error {
	files, err := generate()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	for name, content := range files {
		if err := genkit.WriteFile(filepath.Join(outDir, name), content); err != nil {
			return err
		}
	}
	return nil
}

// generate reads both packages for every target and returns the JSON files by name.
func generate() (map[string][]byte, error) {
	tc, err := genkit.ReadToolchain()
	if err != nil {
		return nil, err
	}
	xsys, err := downloadModule("golang.org/x/sys", xsysVersion)
	if err != nil {
		return nil, err
	}
	sources := []packageSource{
		{name: "unix", dir: filepath.Join(xsys.Dir, "unix")},
		{name: "syscall", dir: filepath.Join(tc.GOROOT, "src", "syscall")},
	}
	reader, err := newSourceReader(tc)
	if err != nil {
		return nil, err
	}
	header := tableHeader{GeneratedBy: "scripts/gen-syscall-tables", XSysVersion: xsysVersion, GoVersion: tc.GOVERSION}

	numbers := map[string]map[target]map[string]int64{}
	structs := map[string]declaredStructs{}
	funcs := map[string]declaredFuncs{}
	for _, src := range sources {
		numbers[src.name] = map[target]map[string]int64{}
		structs[src.name] = declaredStructs{}
		funcs[src.name] = declaredFuncs{}
		for _, t := range tableTargets {
			files, err := reader.filesFor(src.dir, t)
			if err != nil {
				return nil, fmt.Errorf("%s for %s: %w", src.name, t, err)
			}
			if numbers[src.name][t], err = syscallNumbers(reader.fset, files); err != nil {
				return nil, fmt.Errorf("%s for %s: %w", src.name, t, err)
			}
			if err := structs[src.name].add(t, files); err != nil {
				return nil, fmt.Errorf("%s for %s: %w", src.name, t, err)
			}
			funcs[src.name].add(t, files)
		}
	}
	fieldTables := map[string][]structEntry{}
	funcTables := map[string]map[string][]string{}
	for _, src := range sources {
		fieldTables[src.name] = targetDependentStructs(structs[src.name], tableTargets)
		funcTables[src.name] = fixedParams(funcs[src.name])
	}
	return map[string][]byte{
		"sysnum.json":     sysnumJSON(header, numbers),
		"fieldtypes.json": fieldTypesJSON(header, fieldTables),
		"funcparams.json": funcParamsJSON(header, funcTables),
	}, nil
}

// moduleDownload is the part of `go mod download -json` that the generator and its test use.
type moduleDownload struct {
	Dir      string
	Sum      string
	GoModSum string
	Error    string
}

// downloadModule puts a module version in the module cache (from the Go module proxy if needed).
func downloadModule(path, version string) (moduleDownload, error) {
	var m moduleDownload
	out, err := genkit.Go("mod", "download", "-json", path+"@"+version)
	// On failure go still prints the JSON object, whose Error field says more than the exit status.
	if jsonErr := json.Unmarshal(out, &m); jsonErr != nil && err == nil {
		err = jsonErr
	}
	if m.Error != "" {
		return m, fmt.Errorf("cannot download %s@%s: %s", path, version, m.Error)
	}
	if err != nil || m.Dir == "" {
		return m, fmt.Errorf("cannot download %s@%s: %v", path, version, err)
	}
	return m, nil
}
