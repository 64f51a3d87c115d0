// Package atomics shows the classic 32-bit crash: a plain int64 updated with sync/atomic must be 8-byte aligned,
// which on 386, arm and mips only its position in the struct can guarantee.
package atomics

import "sync/atomic"

// Stats works on amd64 and arm64 but panics on 386/arm: hits is at offset 4 there.
type Stats struct {
	enabled bool
	hits    int64
}

func (s *Stats) Hit() {
	atomic.AddInt64(&s.hits, 1)
}

// SafeStats uses atomic.Int64, which gc aligns to 8 bytes on every target.
type SafeStats struct {
	enabled bool
	hits    atomic.Int64
}

func (s *SafeStats) Hit() {
	s.hits.Add(1)
}
