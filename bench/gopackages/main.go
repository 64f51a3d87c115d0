// Command gopackages type-checks the packages named on its command line with golang.org/x/tools/go/packages for
// GOOS/GOARCH from the environment and prints the type errors, one per line. bench/buildCheck.js times it against
// the go command's own ways of compiling (go vet, go build, go list -export) to pick the build check's method.
package main

import (
	"fmt"
	"os"

	"golang.org/x/tools/go/packages"
)

func main() {
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedImports}
	pkgs, err := packages.Load(cfg, os.Args[1:]...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	errors := 0
	for _, pkg := range pkgs {
		for _, e := range pkg.Errors {
			fmt.Println(e)
			errors++
		}
	}
	if errors > 0 {
		os.Exit(1)
	}
}
