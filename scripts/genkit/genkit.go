// Package genkit holds what the table generators under scripts/ share: their command line (-out, the error
// message and exit status) and the questions they ask the go command on PATH.
package genkit

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
)

// Main parses the -out flag (defaultOut when absent; what it names is said by outUsage), runs generate with it
// and, when that fails, prints "name: error" and exits 1.
func Main(name, defaultOut, outUsage string, generate func(out string) error) {
	out := flag.String("out", defaultOut, outUsage)
	flag.Parse()
	if err := generate(*out); err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}

// WriteFile writes a generated file and says so on standard output.
func WriteFile(path string, content []byte) error {
	if err := os.WriteFile(path, content, 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s (%d bytes)\n", path, len(content))
	return nil
}

// Go runs the go command outside any module, so that neither the generator's module nor a go.work file changes
// what it answers; a failure carries go's standard error.
func Go(args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	out, err := cmd.Output()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return out, fmt.Errorf("go %v: %v\n%s", args, err, exitErr.Stderr)
	}
	if err != nil {
		return out, fmt.Errorf("go %v: %v (is go on PATH?)", args, err)
	}
	return out, nil
}

// Toolchain is what the generated tables record about the go command on PATH.
type Toolchain struct {
	GOROOT    string
	GOVERSION string
}

// ReadToolchain asks `go env` for the toolchain's GOROOT and version.
func ReadToolchain() (Toolchain, error) {
	var tc Toolchain
	out, err := Go("env", "-json", "GOROOT", "GOVERSION")
	if err != nil {
		return tc, err
	}
	if err := json.Unmarshal(out, &tc); err != nil {
		return tc, fmt.Errorf("cannot read `go env -json`: %w", err)
	}
	if tc.GOROOT == "" || tc.GOVERSION == "" {
		return tc, errors.New("`go env` reports no GOROOT or GOVERSION")
	}
	return tc, nil
}
