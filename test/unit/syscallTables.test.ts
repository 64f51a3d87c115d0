import * as assert from 'assert';
import {
  fieldTypes,
  structTargets,
  syscallNames,
  syscallNamesFor,
  syscallNumber,
  syscallTableSources,
  syscallTableTargets,
  targetsWithout,
  type SyscallSource,
} from '../../core/src/generated/syscalls';

// The tables are generated from x/sys and std sources; `go test` in scripts/gen-syscall-tables proves every
// entry with the compiler. These tests check the accessors and the facts the analyzers rely on.

const LINUX = syscallTableTargets.filter((t) => t.startsWith('linux/'));
const SOURCES: SyscallSource[] = ['unix', 'syscall'];

describe('generated syscall tables', () => {
  it('cover the linux and darwin targets and say where they come from', () => {
    assert.deepStrictEqual([...syscallTableTargets].sort(), [
      'darwin/amd64', 'darwin/arm64',
      'linux/386', 'linux/amd64', 'linux/arm', 'linux/arm64', 'linux/loong64', 'linux/mips', 'linux/mips64',
      'linux/mips64le', 'linux/mipsle', 'linux/ppc64', 'linux/ppc64le', 'linux/riscv64', 'linux/s390x',
    ]);
    assert.strictEqual(syscallTableSources.xsysVersion, 'v0.49.0');
    assert.match(syscallTableSources.goVersion, /^go1\.\d+/);
  });

  it('give SYS_WRITE 1 on linux/amd64 and 64 on linux/arm64 in both packages', () => {
    for (const source of SOURCES) {
      assert.strictEqual(syscallNumber(source, 'linux/amd64', 'SYS_WRITE'), 1);
      assert.strictEqual(syscallNumber(source, 'linux/arm64', 'SYS_WRITE'), 64);
    }
  });

  it('answer undefined for unknown targets and names, including Object.prototype keys', () => {
    assert.strictEqual(syscallNumber('unix', 'linux/amd64', 'SYS_NOPE'), undefined);
    assert.strictEqual(syscallNumber('unix', 'plan9/amd64', 'SYS_WRITE'), undefined);
    assert.strictEqual(syscallNumber('unix', 'linux/amd64', 'constructor'), undefined);
    assert.strictEqual(fieldTypes('syscall', 'Stat_t', 'toString'), undefined);
    assert.strictEqual(fieldTypes('syscall', 'constructor', 'name'), undefined);
    assert.deepStrictEqual(syscallNamesFor('unix', 'plan9/amd64', 1), []);
  });

  it('list every name of a number, aliases included', () => {
    assert.deepStrictEqual(syscallNamesFor('unix', 'linux/amd64', 1), ['SYS_WRITE']);
    // x/sys adds `const SYS_FSTATAT = SYS_NEWFSTATAT` on arm64; std only has SYS_FSTATAT there.
    assert.deepStrictEqual(syscallNamesFor('unix', 'linux/arm64', 79), ['SYS_FSTATAT', 'SYS_NEWFSTATAT']);
    assert.deepStrictEqual(syscallNamesFor('syscall', 'linux/arm64', 79), ['SYS_FSTATAT']);
  });

  it('find the legacy calls that arm64, riscv64 and loong64 lack', () => {
    for (const source of SOURCES) {
      for (const name of ['SYS_OPEN', 'SYS_STAT', 'SYS_LSTAT', 'SYS_POLL', 'SYS_ACCESS', 'SYS_PIPE', 'SYS_DUP2', 'SYS_FORK']) {
        assert.deepStrictEqual(targetsWithout(source, name, LINUX), ['linux/arm64', 'linux/loong64', 'linux/riscv64'], `${source}.${name}`);
      }
      assert.deepStrictEqual(targetsWithout(source, 'SYS_WRITE'), []);
      assert.deepStrictEqual(targetsWithout(source, 'SYS_NOPE'), []);
    }
  });

  it('know SYS_MMAP is missing on linux/arm in x/sys, though std syscall still declares it', () => {
    assert.deepStrictEqual(targetsWithout('unix', 'SYS_MMAP', LINUX), ['linux/arm']);
    assert.strictEqual(syscallNumber('unix', 'linux/arm', 'SYS_MMAP2'), 192);
    assert.deepStrictEqual(targetsWithout('syscall', 'SYS_MMAP', LINUX), []);
    assert.strictEqual(syscallNumber('syscall', 'linux/arm', 'SYS_MMAP'), 90);
  });

  it('count the names of linux/amd64 that some linux arch lacks: 70 in x/sys, 92 in std', () => {
    for (const [source, count, union] of [['unix', 70, 198], ['syscall', 92, 258]] as const) {
      const amd64Names = syscallNames(source, 'linux/amd64');
      assert.strictEqual(amd64Names.filter((n) => targetsWithout(source, n, LINUX).length > 0).length, count, source);
      // Counting names of every linux arch, not just amd64's, finds many more (e.g. 32-bit-only *64 calls).
      const allNames = [...new Set(LINUX.flatMap((t) => syscallNames(source, t)))];
      assert.strictEqual(allNames.filter((n) => targetsWithout(source, n, LINUX).length > 0).length, union, source);
    }
  });

  it('record Stat_t field types that differ per target', () => {
    const nlink = fieldTypes('syscall', 'Stat_t', 'Nlink')!;
    assert.strictEqual(nlink['linux/amd64'], 'uint64');
    assert.strictEqual(nlink['linux/arm64'], 'uint32');
    assert.strictEqual(nlink['darwin/arm64'], 'uint16');
    const blksize = fieldTypes('syscall', 'Stat_t', 'Blksize')!;
    assert.strictEqual(blksize['linux/amd64'], 'int64');
    assert.strictEqual(blksize['linux/arm64'], 'int32');
    assert.strictEqual(fieldTypes('unix', 'Stat_t', 'Nlink')?.['linux/amd64'], 'uint64');
  });

  it('give 32-bit targets an int32 Timespec.Sec', () => {
    for (const source of SOURCES) {
      const sec = fieldTypes(source, 'Timespec', 'Sec')!;
      for (const target of ['linux/386', 'linux/arm', 'linux/mips', 'linux/mipsle']) assert.strictEqual(sec[target], 'int32', `${source} ${target}`);
      for (const target of ['linux/amd64', 'linux/arm64', 'darwin/arm64']) assert.strictEqual(sec[target], 'int64', `${source} ${target}`);
    }
  });

  it('tell a missing field from a missing struct', () => {
    assert.deepStrictEqual(structTargets('syscall', 'Stat_t'), syscallTableTargets);
    const atimespec = fieldTypes('syscall', 'Stat_t', 'Atimespec')!;
    assert.deepStrictEqual(Object.keys(atimespec).sort(), ['darwin/amd64', 'darwin/arm64']);
    assert.strictEqual(atimespec['darwin/arm64'], 'Timespec');
    assert.deepStrictEqual(structTargets('syscall', 'NoSuchStruct'), []);
    // Structs whose fields are the same everywhere are not in the table.
    assert.strictEqual(fieldTypes('unix', 'Winsize', 'Row'), undefined); // uint16 on every target
  });
});
