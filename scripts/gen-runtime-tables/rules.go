package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// mallocRule is a comparison of the runtime's allocation path that core/src/layout/memoryCosts.ts mirrors.
type mallocRule struct {
	file    string // under GOROOT/src
	pattern string // a regexp over the file with runs of blanks collapsed to one space
	meaning string
}

var mallocRules = []mallocRule{
	{"runtime/malloc.go", `if size == 0 \{ return unsafe\.Pointer\(&zerobase\)`, "a zero-size allocation returns zerobase"},
	{"runtime/malloc.go", `maxTinySize = _TinySize`, "the tiny allocator's limit is TinySize"},
	{"runtime/malloc.go", `_TinySize = gc\.TinySize`, "the tiny allocator's limit is internal/runtime/gc.TinySize"},
	{"runtime/malloc.go", `maxSmallSize = gc\.MaxSmallSize`, "maxSmallSize is internal/runtime/gc.MaxSmallSize"},
	{"runtime/malloc.go", `if size <= maxSmallSize-gc\.MallocHeaderSize \{ if typ == nil \|\| !typ\.Pointers\(\) \{`, "objects up to MaxSmallSize-MallocHeaderSize are small, pointer-free ones take the noscan path"},
	{"runtime/malloc.go", `if size < maxTinySize && gp\.secret == 0 \{ x, elemsize = mallocgcTiny`, "pointer-free objects below TinySize go to the tiny allocator"},
	{"runtime/malloc.go", `if heapBitsInSpan\(size\) \{ x, elemsize = mallocgcSmallScanNoHeader\(size, typ\) \} else \{ x, elemsize = mallocgcSmallScanHeader\(size, typ\)`, "objects with pointers get a malloc header unless heapBitsInSpan"},
	{"runtime/malloc.go", `func mallocgcSmallScanHeader\(size uintptr, typ \*_type\) [^{]*\{[\s\S]*?size \+= gc\.MallocHeaderSize`, "the header is added to the size before the class is chosen"},
	{"runtime/mbitmap.go", `func heapBitsInSpan\(userSize uintptr\) bool \{ [^}]*return userSize <= gc\.MinSizeForMallocHeader`, "heapBitsInSpan is size <= MinSizeForMallocHeader"},
	{"runtime/mcache.go", `npages := size >> gc\.PageShift if size&pageMask != 0 \{ npages\+\+`, "large objects take whole pages, rounded up"},
}

// checkMallocRules fails when the runtime no longer contains a comparison the extension relies on.
func checkMallocRules(src string) error {
	texts := map[string]string{}
	for _, rule := range mallocRules {
		text, ok := texts[rule.file]
		if !ok {
			raw, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(rule.file)))
			if err != nil {
				return err
			}
			text = collapseBlanks(stripComments(string(raw)))
			texts[rule.file] = text
		}
		if !regexp.MustCompile(rule.pattern).MatchString(text) {
			return fmt.Errorf("%s no longer says that %s (pattern %q); update memoryCosts.ts and this generator", rule.file, rule.meaning, rule.pattern)
		}
	}
	return nil
}

var lineComment = regexp.MustCompile(`//[^\n]*`)

func stripComments(s string) string { return lineComment.ReplaceAllString(s, "") }

func collapseBlanks(s string) string { return strings.Join(strings.Fields(s), " ") }
