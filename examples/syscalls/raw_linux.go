// Package syscalls hard-codes things that differ per architecture. It builds on linux/amd64, the machine it was
// written on, and Go Arch Lens shows why it does not build (or misbehaves) on the other targets.
package syscalls

import (
	"syscall"
	"unsafe"
)

// WriteRaw passes syscall number 1: write on linux/amd64, but io_destroy on linux/arm64 and exit on 386/arm.
func WriteRaw(fd int, p []byte) (int, error) {
	n, _, errno := syscall.Syscall(1, uintptr(fd), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}

// OpenRaw uses SYS_OPEN, which linux/arm64, riscv64 and loong64 do not have (they only have openat).
func OpenRaw(path *byte) (uintptr, error) {
	fd, _, errno := syscall.Syscall(syscall.SYS_OPEN, uintptr(unsafe.Pointer(path)), syscall.O_RDONLY, 0)
	if errno != 0 {
		return 0, errno
	}
	return fd, nil
}

// Links stores Stat_t.Nlink in a uint64: that field is uint64 on linux/amd64 but uint32 on linux/arm64, 386 and arm.
func Links(path string) (uint64, error) {
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return 0, err
	}
	var links uint64 = st.Nlink
	return links, nil
}
