// What the compiler and the runtime really do with a type, per GOARCH: a Go program built for the target and run
// on it (natively for amd64 and 386, under qemu-user-static for the others, under Node for wasm).
//
// Pointer bytes: reflect does not export a type's ptrdata, but every reflect.Type of the gc toolchain is a
// *reflect.rtype, a struct whose first field is the compiler-emitted internal/abi.Type, which begins with
// `Size_ uintptr; PtrBytes uintptr`. The probe reads those two words through the rtype pointer, and checks the
// first against reflect's Size() so that a change of the descriptor's layout fails loudly instead of lying.
//
// Heap cost: the probe allocates `new(T)` 16 times (kept reachable) and reads runtime/metrics before and after, each
// time after a collection, which flushes the per-P counters: the bucket of /gc/heap/allocs-by-size whose count
// rose by 16 is the size class (buckets end one byte above each class), its last bucket counts large objects,
// whose bytes are /gc/heap/allocs:bytes less the small buckets' bytes (whole pages); tiny allocations are counted
// apart (/gc/heap/tiny/allocs, for values that fit in the current 16-byte block), and a zero-size type allocates
// nothing.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { writeModule } from './goModule';
import { HUNG_AFTER_MS } from './timeouts';

export interface ProbedType {
  size: number;
  ptrBytes: number;
  heapKind: 'zero' | 'tiny' | 'small' | 'large';
  /** Size class for small objects, whole pages in bytes for large ones, the value's size for tiny ones. */
  heapBytes: number;
}

/**
 * How to run a linux binary of each GOARCH on this (amd64) machine. An amd64 kernel runs 386 binaries itself
 * (qemu-i386 user mode crashes Go's 386 runtime: "morestack on g0").
 */
const RUNNERS: Record<string, string[]> = {
  amd64: [], '386': [], arm: ['qemu-arm-static'], arm64: ['qemu-aarch64-static'],
  loong64: ['qemu-loongarch64-static'], mips: ['qemu-mips-static'], mipsle: ['qemu-mipsel-static'],
  mips64: ['qemu-mips64-static'], mips64le: ['qemu-mips64el-static'], ppc64: ['qemu-ppc64-static'],
  ppc64le: ['qemu-ppc64le-static'], riscv64: ['qemu-riscv64-static'], s390x: ['qemu-s390x-static'],
};

/** Go source of `galPtrBytes(reflect.Type) uintptr` (a name no fixture declares) (needs fmt and reflect imported). */
export const PTR_BYTES_FUNC = `
// galPtrBytes reads internal/abi.Type.PtrBytes: the second word of the descriptor a reflect.Type points to.
func galPtrBytes(t reflect.Type) uintptr {
	words := (*[2]uintptr)(reflect.ValueOf(t).UnsafePointer())
	if words[0] != t.Size() {
		panic(fmt.Sprintf("%v: abi.Type.Size_ is %d, reflect says %d: the descriptor's layout changed", t, words[0], t.Size()))
	}
	return words[1]
}
`;

const PROBE_MAIN = `
package main

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"unsafe"
)

${PTR_BYTES_FUNC}
var sink = make([]any, 0, 1024)

var samples = []metrics.Sample{
	{Name: "/gc/heap/allocs-by-size:bytes"}, {Name: "/gc/heap/tiny/allocs:objects"},
	{Name: "/gc/heap/allocs:bytes"}, {Name: "/gc/heap/allocs:objects"},
}

type counts struct {
	bySize               []uint64
	upper                []float64
	tiny, bytes, objects uint64
}

// read flushes every P's allocation counters (a collection does; tiny allocations are counted only then).
func read() counts {
	runtime.GC()
	metrics.Read(samples)
	hist := samples[0].Value.Float64Histogram()
	return counts{
		bySize: append([]uint64(nil), hist.Counts...), upper: hist.Buckets[1:],
		tiny: samples[1].Value.Uint64(), bytes: samples[2].Value.Uint64(), objects: samples[3].Value.Uint64(),
	}
}

func heap[T any]() (string, uint64) {
	const n = 16
	sink = sink[:0]
	before := read()
	for i := 0; i < n; i++ {
		sink = append(sink, new(T))
	}
	after := read()
	// The tiny allocator packs values into 16-byte blocks: it counts a value as tiny when it fits in the current
	// block, and as a 16-byte object when it starts a new one, so at least half of 16 values of 8 bytes are tiny.
	if after.tiny-before.tiny >= n/2 {
		var v T
		return "tiny", uint64(unsafe.Sizeof(v))
	}
	if after.objects-before.objects < n {
		return "zero", 0
	}
	smallBytes := uint64(0)
	large := -1
	for i := range after.bySize {
		count := after.bySize[i] - before.bySize[i]
		// Buckets are [previous class + 1, class + 1); the last one, up to +Inf, counts large objects.
		if math.IsInf(after.upper[i], 1) {
			large = i
			continue
		}
		smallBytes += count * (uint64(after.upper[i]) - 1)
		if count >= n {
			return "small", uint64(after.upper[i]) - 1
		}
	}
	if after.bySize[large]-before.bySize[large] >= n {
		// The runtime's own small allocations meanwhile are in the other buckets: what is left is ours.
		return "large", (after.bytes - before.bytes - smallBytes) / (after.bySize[large] - before.bySize[large])
	}
	panic("no size class counted the allocations")
}

func report[T any](name string) {
	var v T
	kind, bytes := heap[T]()
	fmt.Printf("%s %d %d %s %d\\n", name, unsafe.Sizeof(v), galPtrBytes(reflect.TypeFor[T]()), kind, bytes)
}

func main() {
	debug.SetGCPercent(-1)
`;

/**
 * Builds `source` (a `package main` file declaring the named types) for `goarch` with a main that reports
 * each type, runs it on the target and returns what the compiler and runtime say.
 */
export function probeTypes(source: string, typeNames: string[], goarch: string): Map<string, ProbedType> {
  const main = PROBE_MAIN + typeNames.map((n) => `\treport[${n}](${JSON.stringify(n)})\n`).join('') + '}\n';
  const root = writeModule({ 'go.mod': 'module probe\n\ngo 1.26\n', 'types.go': source, 'main.go': main }, 'gal-probe-');
  const goos = goarch === 'wasm' ? 'js' : 'linux';
  const binary = path.join(root, 'probe');
  const build = spawnSync('go', ['build', '-o', binary, '.'], {
    cwd: root, encoding: 'utf8', env: { ...process.env, GOOS: goos, GOARCH: goarch, CGO_ENABLED: '0' },
  });
  if (build.status !== 0) throw new Error(`go build for ${goarch} failed:\n${build.stderr}`);
  const results = new Map<string, ProbedType>();
  for (const line of runOnTarget(binary, goarch, root).trim().split('\n')) {
    const [name, size, ptr, heapKind, heapBytes] = line.split(' ');
    results.set(name, { size: Number(size), ptrBytes: Number(ptr), heapKind: heapKind as ProbedType['heapKind'], heapBytes: Number(heapBytes) });
  }
  return results;
}

/** Runs a binary built for linux/`goarch` (js/wasm) here and returns its standard output. */
export function runOnTarget(binary: string, goarch: string, cwd: string): string {
  const [command, ...args] = runnerFor(goarch, binary);
  const run = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: HUNG_AFTER_MS, maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`the ${goarch} probe failed (${command}): ${run.error?.message ?? ''}\n${run.stderr}`);
  return run.stdout;
}

function runnerFor(goarch: string, binary: string): string[] {
  if (goarch === 'wasm') {
    const goroot = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout.trim();
    const wasmExec = [path.join(goroot, 'lib', 'wasm', 'wasm_exec_node.js'), path.join(goroot, 'misc', 'wasm', 'wasm_exec_node.js')]
      .find((f) => fs.existsSync(f));
    if (!wasmExec) throw new Error(`no wasm_exec_node.js under ${goroot}`);
    return [process.execPath, wasmExec, binary];
  }
  const runner = RUNNERS[goarch];
  if (!runner) throw new Error(`no way to run ${goarch} binaries here`);
  return [...runner, binary];
}
