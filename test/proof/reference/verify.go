package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
)

// verifySample re-asserts a random sample of the reference's own layouts with the compiler: for each sampled
// package-level named struct type, a file of compile-time assertions on unsafe.Sizeof, Alignof and every
// field's Offsetof is added to its package through `go build -overlay` (nothing is written into the source
// tree) and the package is built for the target. An assertion is an array index that is out of range unless
// the value is exactly the claimed one, so a build that succeeds proves every number.
//
// The sample takes up to n types from at most n/8+1 packages, so that the builds (and the dependencies the
// compiler must build first for a new target) stay few. Only packages that build for the target as they are
// qualify: go/types lays out the structs of a package with type errors too (bbolt and prometheus' util/runtime
// on js/wasm, which lack syscall names there), and those entries are compared, but no assertion can be built
// into such a package.
func verifySample(all []entry, o options) error {
	seed := uint64(os.Getpid())
	if s := os.Getenv("PROOF_SEED"); s != "" {
		fmt.Sscan(s, &seed)
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	modCache := goEnv("GOMODCACHE")
	byPkg := map[string][]entry{}
	for _, e := range all {
		// The go command refuses overlays inside the module cache: there the sample is asserted from a package of
		// its own that imports the module's package, so only exported types of importable packages qualify.
		if inModCache(fileOf(e.Pos), modCache) && (!isExported(e.Name) || e.PkgName == "main" || strings.Contains(e.Pkg, "/internal/") || strings.HasSuffix(e.Pkg, "/internal")) {
			continue
		}
		// Vendored packages are left out: a go build outside their vendoring module cannot name them.
		if e.Kind == "type" && !e.Local && e.Rejected == "" && !strings.HasSuffix(fileOf(e.Pos), "_test.go") && e.PkgName != "" &&
			!strings.Contains(fileOf(e.Pos), "/vendor/") {
			byPkg[e.Pkg] = append(byPkg[e.Pkg], e)
		}
	}
	pkgs := make([]string, 0, len(byPkg))
	for p := range byPkg {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	rng.Shuffle(len(pkgs), func(i, j int) { pkgs[i], pkgs[j] = pkgs[j], pkgs[i] })
	tmp, err := os.MkdirTemp("", "proof-verify-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	pkgs, err = buildablePackages(pkgs, o.verify/8+1, func(p string) bool { return inModCache(fileOf(byPkg[p][0].Pos), modCache) }, o, tmp)
	if err != nil {
		return err
	}
	var sample []entry
	for len(sample) < o.verify {
		added := false
		for _, p := range pkgs {
			if list := byPkg[p]; len(list) > 0 && len(sample) < o.verify {
				i := rng.IntN(len(list))
				sample = append(sample, list[i])
				byPkg[p] = append(list[:i], list[i+1:]...)
				added = true
			}
		}
		if !added {
			break
		}
	}
	if len(sample) == 0 {
		return nil
	}
	files := map[string][]string{}
	pkgNames := map[string]string{}
	importPaths := map[string]string{}
	var external []string
	externalImports := map[string]string{}
	for _, e := range sample {
		dir := filepath.Dir(fileOf(e.Pos))
		if inModCache(dir, modCache) {
			alias, ok := externalImports[e.Pkg]
			if !ok {
				alias = fmt.Sprintf("p%d", len(externalImports))
				externalImports[e.Pkg] = alias
			}
			external = append(external, assertions(e, alias+".")...)
			continue
		}
		files[dir] = append(files[dir], assertions(e, "")...)
		pkgNames[dir] = e.PkgName
		importPaths[dir] = e.Pkg
	}
	overlay := map[string]map[string]string{"Replace": {}}
	var pkgPaths []string
	for dir, lines := range files {
		name := filepath.Join(tmp, strings.ReplaceAll(dir, string(filepath.Separator), "_")+".go")
		src := fmt.Sprintf("package %s\n\nimport \"unsafe\"\n\n%s\n", pkgNames[dir], strings.Join(lines, "\n"))
		if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
			return err
		}
		overlay["Replace"][filepath.Join(dir, "zz_proof_assertions.go")] = name
		pkgPaths = append(pkgPaths, importPaths[dir])
	}
	if len(external) > 0 {
		var imports []string
		for pkg, alias := range externalImports {
			imports = append(imports, fmt.Sprintf("\t%s %q", alias, pkg))
		}
		sort.Strings(imports)
		name := filepath.Join(tmp, "external.go")
		src := fmt.Sprintf("package zz_proof_assertions\n\nimport (\n\t\"unsafe\"\n%s\n)\n\n%s\n", strings.Join(imports, "\n"), strings.Join(external, "\n"))
		if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
			return err
		}
		abs, err := filepath.Abs(o.dir)
		if err != nil {
			return err
		}
		overlay["Replace"][filepath.Join(abs, "zz_proof_assertions", "assert.go")] = name
		pkgPaths = append(pkgPaths, "./zz_proof_assertions")
		files["external"] = external
	}
	data, _ := json.Marshal(overlay)
	overlayFile := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(overlayFile, data, 0o644); err != nil {
		return err
	}
	sort.Strings(pkgPaths)
	// One build per package: std and cmd packages cannot share a go build.
	for _, pkg := range pkgPaths {
		cmd, err := buildCommand(pkg, pkg == "./zz_proof_assertions", overlayFile, o, tmp)
		if err != nil {
			return err
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("the compiler rejects the reference's layouts for %s/%s (seed %d): %v\n%s", o.goos, o.goarch, seed, err, out)
		}
	}
	fmt.Fprintf(os.Stderr, "reference %s/%s: %d layouts (%d assertions) in %d packages confirmed by the compiler (seed %d)\n",
		o.goos, o.goarch, len(sample), countAssertions(files), len(files), seed)
	return nil
}

// buildablePackages returns the first max of pkgs that build for the target without assertions.
func buildablePackages(pkgs []string, max int, external func(string) bool, o options, tmp string) ([]string, error) {
	var chosen []string
	for _, p := range pkgs {
		if len(chosen) == max {
			break
		}
		cmd, err := buildCommand(p, external(p), "", o, tmp)
		if err != nil {
			return nil, err
		}
		if cmd.Run() == nil {
			chosen = append(chosen, p)
		}
	}
	return chosen, nil
}

// buildCommand is `go build` of pkg for the target, with the overlay when one is given. The output goes to the null
// device: a main package would otherwise leave its binary in the folder go runs in (GOROOT/src).
func buildCommand(pkg string, external bool, overlayFile string, o options, tmp string) (*exec.Cmd, error) {
	args := []string{"build", "-o", os.DevNull}
	if overlayFile != "" {
		args = append(args, "-overlay", overlayFile)
	}
	if external {
		// A package of a module's tests may need requirements the corpus go.mod leaves out: go may add them,
		// to a copy of go.mod and go.sum.
		modfile, err := copyModFiles(o.dir, tmp)
		if err != nil {
			return nil, err
		}
		args = append(args, "-mod=mod", "-modfile="+modfile)
	}
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Dir = o.dir
	cmd.Env = append(os.Environ(), "GOOS="+o.goos, "GOARCH="+o.goarch, "CGO_ENABLED=0")
	return cmd, nil
}

func countAssertions(files map[string][]string) int {
	n := 0
	for _, lines := range files {
		n += len(lines)
	}
	return n
}

// assertions are two lines per number, so that a value too small (negative index) and too large (index out of
// range) both fail to compile.
func assertions(e entry, qualifier string) []string {
	value := fmt.Sprintf("(*(*%s%s)(nil))", qualifier, e.Name)
	claims := [][2]string{
		{fmt.Sprintf("unsafe.Sizeof(%s)", value), fmt.Sprint(e.Size)},
		{fmt.Sprintf("unsafe.Alignof(%s)", value), fmt.Sprint(e.Align)},
	}
	for i, f := range e.Fields {
		if f != "" && f != "_" && (qualifier == "" || isExported(f)) {
			claims = append(claims, [2]string{fmt.Sprintf("unsafe.Offsetof((*%s%s)(nil).%s)", qualifier, e.Name, f), fmt.Sprint(e.Offsets[i])})
		}
	}
	var lines []string
	for _, c := range claims {
		lines = append(lines,
			fmt.Sprintf("var _ = [1]struct{}{}[%s-%s] // %s", c[0], c[1], e.Pos),
			fmt.Sprintf("var _ = [1]struct{}{}[%s-%s]", c[1], c[0]))
	}
	return lines
}

// fileOf strips `:line:col` from a position key.
func fileOf(pos string) string {
	i := strings.LastIndex(pos, ":")
	j := strings.LastIndex(pos[:i], ":")
	return pos[:j]
}

func goEnv(name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func inModCache(path, modCache string) bool {
	return modCache != "" && strings.HasPrefix(path, modCache+string(filepath.Separator))
}

func isExported(name string) bool {
	return name != "" && unicode.IsUpper([]rune(name)[0])
}

// copyModFiles copies dir's go.mod and go.sum into tmp; returns the copy of go.mod.
func copyModFiles(dir, tmp string) (string, error) {
	for _, name := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			return "", err
		}
	}
	return filepath.Join(tmp, "go.mod"), nil
}
