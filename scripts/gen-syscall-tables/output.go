package main

import (
	"bytes"
	"encoding/json"
	"sort"
)

// tableHeader says where a table comes from; both files start with it.
type tableHeader struct {
	GeneratedBy string `json:"generatedBy"`
	XSysVersion string `json:"xsysVersion"`
	GoVersion   string `json:"goVersion"`
}

// packageOrder is the order in which both files list the packages.
var packageOrder = []string{"unix", "syscall"}

// sysnumJSON writes {header…, "targets":[…], "numbers":{package:{target:{name:number}}}} with one target
// per line and names in the order of their numbers, as in the zsysnum files, so a diff shows which targets
// changed.
func sysnumJSON(header tableHeader, numbers map[string]map[target]map[string]int64) []byte {
	var b bytes.Buffer
	writeHeader(&b, header)
	b.WriteString("\n" + `"numbers":{`)
	for i, pkg := range packageOrder {
		b.WriteString(separator(i) + "\n" + quote(pkg) + ":{")
		for j, t := range tableTargets {
			b.WriteString(separator(j) + "\n" + quote(t.String()) + ":{")
			for k, name := range namesByNumber(numbers[pkg][t]) {
				b.WriteString(separator(k) + quote(name) + ":" + marshal(numbers[pkg][t][name]))
			}
			b.WriteString("}")
		}
		b.WriteString("\n}")
	}
	b.WriteString("\n}}\n")
	return b.Bytes()
}

// fieldTypesJSON writes {header…, "targets":[…], package:{struct:{field:{target:type}}}} with one field per
// line.
func fieldTypesJSON(header tableHeader, structs map[string][]structEntry) []byte {
	var b bytes.Buffer
	writeHeader(&b, header)
	for i, pkg := range packageOrder {
		b.WriteString(separator(i) + "\n" + quote(pkg) + ":{")
		for j, s := range structs[pkg] {
			b.WriteString(separator(j) + "\n" + quote(s.name) + ":{")
			for k, f := range s.fields {
				b.WriteString(separator(k) + "\n" + quote(f.name) + ":{")
				for l, tt := range f.types {
					b.WriteString(separator(l) + quote(tt.target.String()) + ":" + quote(tt.typ))
				}
				b.WriteString("}")
			}
			b.WriteString("\n}")
		}
		b.WriteString("\n}")
	}
	b.WriteString("\n}\n")
	return b.Bytes()
}

func writeHeader(b *bytes.Buffer, header tableHeader) {
	fields := marshal(header)
	b.WriteString(fields[:len(fields)-1] + ",\n") // the header's fields, then more in the same object
	targets := make([]string, len(tableTargets))
	for i, t := range tableTargets {
		targets[i] = t.String()
	}
	b.WriteString(`"targets":` + marshal(targets) + ",")
}

func namesByNumber(numbers map[string]int64) []string {
	names := make([]string, 0, len(numbers))
	for name := range numbers {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		if numbers[names[i]] != numbers[names[j]] {
			return numbers[names[i]] < numbers[names[j]]
		}
		return names[i] < names[j]
	})
	return names
}

func separator(index int) string {
	if index == 0 {
		return ""
	}
	return ","
}

func quote(s string) string { return marshal(s) }

// marshal encodes values that cannot fail to encode (strings, numbers, string slices, tableHeader) without
// escaping <, > and &, which appear in no name but would make a type like `chan<- int` unreadable.
func marshal(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}
