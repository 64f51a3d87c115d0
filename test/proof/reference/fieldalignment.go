package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/passes/fieldalignment"
	"golang.org/x/tools/go/packages"
)

// alignmentFinding is one "could be smaller" report of the fieldalignment analyzer.
type alignmentFinding struct {
	Pos     string `json:"pos"`
	Name    string `json:"name"`
	Size    int64  `json:"size"`
	Optimal int64  `json:"optimal"`
}

var sizeMessage = regexp.MustCompile(`^(\S+) has size (\d+).* but the optimal size is (\d+)`)

// writeFieldAlignment runs golang.org/x/tools' fieldalignment over the loaded packages and writes its size
// findings (not the pointer-bytes ones, which are about GC scanning rather than size) as a JSON array.
func writeFieldAlignment(pkgs []*packages.Package, o options, included func(string) bool) error {
	graph, err := checker.Analyze([]*analysis.Analyzer{fieldalignment.Analyzer}, pkgs, &checker.Options{})
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	findings := []alignmentFinding{}
	for act := range graph.All() {
		if act.Analyzer != fieldalignment.Analyzer {
			continue
		}
		for _, d := range act.Diagnostics {
			m := sizeMessage.FindStringSubmatch(d.Message)
			if m == nil {
				continue
			}
			p := act.Package.Fset.Position(d.Pos)
			key := fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Column)
			if seen[key] || !included(p.Filename) {
				continue
			}
			seen[key] = true
			size, _ := strconv.ParseInt(m[2], 10, 64)
			optimal, _ := strconv.ParseInt(m[3], 10, 64)
			findings = append(findings, alignmentFinding{Pos: key, Name: m[1], Size: size, Optimal: optimal})
		}
	}
	sort.Slice(findings, func(i, j int) bool { return findings[i].Pos < findings[j].Pos })
	data, err := json.MarshalIndent(findings, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(o.fieldalignment, data, 0o644)
}
