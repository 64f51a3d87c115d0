package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"regexp"
	"sort"
	"strconv"

	"golang.org/x/tools/go/analysis"
)

// alignmentFinding is one "could be smaller" report of the fieldalignment analyzer.
type alignmentFinding struct {
	Pos     string `json:"pos"`
	Name    string `json:"name"`
	Size    int64  `json:"size"`
	Optimal int64  `json:"optimal"`
}

var sizeMessage = regexp.MustCompile(`^(\S+) has size (\d+).* but the optimal size is (\d+)`)

// alignmentCollector gathers golang.org/x/tools' fieldalignment size findings (not the pointer-bytes ones, which
// are about GC scanning rather than size) package by package, once per position.
type alignmentCollector struct {
	included func(string) bool
	seen     map[string]bool
	findings []alignmentFinding
	err      error
}

func newAlignmentCollector(included func(string) bool) *alignmentCollector {
	return &alignmentCollector{included: included, seen: map[string]bool{}, findings: []alignmentFinding{}}
}

func (c *alignmentCollector) add(fset *token.FileSet, files []*ast.File, info *types.Info, tpkg *types.Package, sizes types.Sizes) {
	err := fieldAlignmentFindings(fset, files, info, tpkg, sizes, func(d analysis.Diagnostic) {
		m := sizeMessage.FindStringSubmatch(d.Message)
		if m == nil {
			return
		}
		p := fset.Position(d.Pos)
		key := fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Column)
		if c.seen[key] || !c.included(p.Filename) {
			return
		}
		c.seen[key] = true
		size, _ := strconv.ParseInt(m[2], 10, 64)
		optimal, _ := strconv.ParseInt(m[3], 10, 64)
		c.findings = append(c.findings, alignmentFinding{Pos: key, Name: m[1], Size: size, Optimal: optimal})
	})
	if err != nil && c.err == nil {
		c.err = err
	}
}

// write writes the findings as a JSON array, sorted by position.
func (c *alignmentCollector) write(file string) error {
	if c.err != nil {
		return c.err
	}
	sort.Slice(c.findings, func(i, j int) bool { return c.findings[i].Pos < c.findings[j].Pos })
	data, err := json.MarshalIndent(c.findings, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(file, data, 0o644)
}
