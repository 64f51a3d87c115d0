// Package corpus pins, through go.mod and go.sum, the module versions the proof job lays out. The imports keep
// `go mod tidy` from dropping them; the package itself has no code.
package corpus

import (
	_ "github.com/cilium/ebpf"
	_ "github.com/prometheus/prometheus/tsdb"
	_ "go.etcd.io/bbolt"
	_ "go.etcd.io/raft/v3"
	_ "golang.org/x/sys/unix"
)
