// Package racy has a data race that `go test -race` reports.
package racy

import "sync"

// Count increments a shared counter from several goroutines without synchronisation.
func Count(workers int) int {
	total := 0
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			total++ // racy write
		}()
	}
	wg.Wait()
	return total
}
