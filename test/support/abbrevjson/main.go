// Command abbrevjson reads `go-arch-lens layout --json` output from stdin as a stream (it may be larger than any
// one JavaScript string) and writes the same document with every string longer than 64 bytes replaced by
// "<N bytes: first 16 bytes>", small enough for JSON.parse. It fails on anything that is not one complete
// {"structs": [...], ...} document.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

func main() {
	dec := json.NewDecoder(bufio.NewReaderSize(os.Stdin, 1<<20))
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	expect(dec, json.Delim('{'))
	expect(dec, "structs")
	expect(dec, json.Delim('['))
	fmt.Fprint(out, `{"structs":[`)
	for i := 0; dec.More(); i++ {
		var item any
		if err := dec.Decode(&item); err != nil {
			fail("struct %d: %v", i, err)
		}
		text, err := json.Marshal(abbreviate(item))
		if err != nil {
			fail("struct %d: %v", i, err)
		}
		if i > 0 {
			fmt.Fprint(out, ",")
		}
		out.Write(text)
	}
	expect(dec, json.Delim(']'))
	fmt.Fprint(out, "]")
	// The members after "structs" (e.g. "skipped") are small: decoded whole.
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			fail("member after structs: %v", err)
		}
		var value any
		if err := dec.Decode(&value); err != nil {
			fail("member %v: %v", key, err)
		}
		name, _ := json.Marshal(key)
		text, _ := json.Marshal(abbreviate(value))
		fmt.Fprintf(out, ",%s:%s", name, text)
	}
	expect(dec, json.Delim('}'))
	if _, err := dec.Token(); err != io.EOF {
		fail("text after the document: %v", err)
	}
	fmt.Fprintln(out, "}")
}

func expect(dec *json.Decoder, want json.Token) {
	got, err := dec.Token()
	if err != nil || got != want {
		fail("want %v, got %v (%v)", want, got, err)
	}
}

func abbreviate(v any) any {
	switch v := v.(type) {
	case string:
		if len(v) > 64 {
			return fmt.Sprintf("<%d bytes: %s>", len(v), v[:16])
		}
	case []any:
		for i := range v {
			v[i] = abbreviate(v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = abbreviate(v[k])
		}
	}
	return v
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "abbrevjson: "+format+"\n", args...)
	os.Exit(1)
}
