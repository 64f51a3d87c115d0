// Package layout holds structs whose size differs between 64-bit and 32-bit targets, or that waste bytes on
// padding. Open this file with Go Arch Lens to see sizes per GOARCH after each type name.
package layout

import (
	"sync"
	"time"
)

// Header wastes padding on every target: reordering puts the int64 first.
type Header struct {
	Valid   bool  // 1 byte, then padding before Offset
	Offset  int64 // 8-aligned on 64-bit targets, 4-aligned on 386/arm
	Flags   uint8
	Version uint16
}

// Session mixes pointer-sized fields, so it is much smaller on 32-bit targets.
type Session struct {
	ID      string
	Started time.Time
	mu      sync.Mutex
	Tags    []string
	Active  bool
}

// Packet ends in a zero-size field, which gc pads so the field's address stays inside the struct.
type Packet struct {
	Length uint32
	Kind   uint8
	_      struct{}
}

// Event shows a generic type instantiated with concrete arguments.
type Event struct {
	Key   Pair[uint8, int64]
	Stamp int64
}

// Pair has no single layout: it depends on K and V.
type Pair[K comparable, V any] struct {
	Key   K
	Value V
}
