// Package syscalls hard-codes things that differ per architecture.
package syscalls

import (
	"syscall"
	"unsafe"
)

// WriteRaw passes syscall number 1: write on linux/amd64, but not on linux/arm64 (where write is 64).
func WriteRaw(fd int, p []byte) (int, error) {
	n, _, errno := syscall.Syscall(1, uintptr(fd), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}

// Links stores Stat_t.Nlink in a uint64: that field is uint64 on linux/amd64 but uint32 on linux/arm64.
func Links(path string) (uint64, error) {
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return 0, err
	}
	return uint64(st.Nlink), nil
}
