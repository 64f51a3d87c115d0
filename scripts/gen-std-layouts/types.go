package main

// stdType names one standard-library type to measure. A generic type is measured through two very different
// instantiations; it enters the table only if both agree, i.e. its layout does not depend on the type argument.
type stdType struct {
	pkg  string
	name string
	// typeArgs holds the two instantiations' type arguments for a generic type, nil otherwise.
	typeArgs []string
}

// key is how the engine looks the type up: import path, dot, type name without type arguments.
func (t stdType) key() string { return t.pkg + "." + t.name }

func (t stdType) generic() bool { return t.typeArgs != nil }

// genericProbeArgs are two type arguments of different size and alignment.
var genericProbeArgs = []string{"byte", "[7]complex128"}

func plain(pkg string, names ...string) []stdType {
	types := make([]stdType, len(names))
	for i, n := range names {
		types[i] = stdType{pkg: pkg, name: n}
	}
	return types
}

func genericAny(pkg, name string) stdType {
	return stdType{pkg: pkg, name: name, typeArgs: genericProbeArgs}
}

// curatedTypes are standard-library types that Go code commonly stores in struct fields or embeds.
func curatedTypes() []stdType {
	var all []stdType
	add := func(ts ...stdType) { all = append(all, ts...) }
	add(plain("sync", "Mutex", "RWMutex", "WaitGroup", "Once", "Cond", "Map", "Pool")...)
	add(plain("sync/atomic", "Bool", "Int32", "Int64", "Uint32", "Uint64", "Uintptr", "Value")...)
	add(genericAny("sync/atomic", "Pointer"))
	add(plain("time", "Time", "Duration", "Location", "Month", "Weekday", "Timer", "Ticker")...)
	add(plain("context", "Context", "CancelFunc")...)
	add(plain("bytes", "Buffer", "Reader")...)
	add(plain("strings", "Builder", "Reader")...)
	add(plain("bufio", "Reader", "Writer", "Scanner", "ReadWriter")...)
	add(plain("io", "Reader", "Writer", "ReadCloser", "WriteCloser", "SectionReader")...)
	add(plain("io/fs", "FileMode", "FileInfo")...)
	add(plain("os", "File", "FileMode", "Signal", "Process")...)
	add(plain("os/exec", "Cmd")...)
	add(plain("net", "IP", "IPMask", "IPNet", "TCPAddr", "UDPAddr", "Conn", "Listener", "Dialer")...)
	add(plain("net/netip", "Addr", "AddrPort", "Prefix")...)
	add(plain("net/http", "Client", "Header", "Request", "Response", "Server", "Transport", "Cookie")...)
	add(plain("net/url", "URL", "Values")...)
	add(plain("reflect", "Value", "Type", "Kind", "StructField")...)
	add(plain("math/big", "Int", "Float", "Rat")...)
	add(plain("math/rand", "Rand")...)
	add(plain("math/rand/v2", "PCG")...)
	add(plain("hash/maphash", "Hash", "Seed")...)
	add(plain("encoding/json", "RawMessage", "Number", "Decoder", "Encoder")...)
	add(plain("log", "Logger")...)
	add(plain("log/slog", "Logger", "Level", "Attr", "Value", "Record")...)
	add(plain("regexp", "Regexp")...)
	add(plain("container/list", "List", "Element")...)
	add(plain("database/sql", "DB", "NullString", "NullInt64", "NullInt32", "NullBool", "NullFloat64", "NullTime")...)
	add(plain("crypto/tls", "Config")...)
	add(plain("runtime", "MemStats", "Frame")...)
	add(genericAny("unique", "Handle"))
	add(genericAny("weak", "Pointer"))
	add(plain("syscall", "Stat_t", "Timespec", "Timeval", "Rusage", "SysProcAttr")...)
	return all
}

type target struct{ goos, goarch string }

func (t target) String() string { return t.goos + "/" + t.goarch }

// tableTargets are every gc GOARCH with the GOOS the table describes: linux, and js for wasm.
var tableTargets = []target{
	{"linux", "386"}, {"linux", "amd64"}, {"linux", "arm"}, {"linux", "arm64"}, {"linux", "loong64"},
	{"linux", "mips"}, {"linux", "mipsle"}, {"linux", "mips64"}, {"linux", "mips64le"}, {"linux", "ppc64"},
	{"linux", "ppc64le"}, {"linux", "riscv64"}, {"linux", "s390x"}, {"js", "wasm"},
}

// otherGoosTargets are measured only to find types whose layout depends on GOOS, which a table keyed by
// GOARCH cannot express (syscall structs mirror each kernel's ABI).
var otherGoosTargets = []target{
	{"darwin", "amd64"}, {"darwin", "arm64"}, {"windows", "386"}, {"windows", "amd64"}, {"windows", "arm64"},
	{"freebsd", "amd64"}, {"wasip1", "wasm"},
}
