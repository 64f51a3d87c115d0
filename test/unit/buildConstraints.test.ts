import * as assert from 'assert';
import { evaluateConstraint, fileMatchesTarget, findBuildConstraint } from '../../core/src/parse/buildConstraints';

const amd64 = { goos: 'linux', goarch: 'amd64' };
const arm64 = { goos: 'linux', goarch: 'arm64' };
const darwinArm64 = { goos: 'darwin', goarch: 'arm64' };
const android = { goos: 'android', goarch: 'arm64' };

describe('build constraints', () => {
  it('honours _GOARCH, _GOOS and _GOOS_GOARCH file suffixes', () => {
    assert.strictEqual(fileMatchesTarget('x_arm64.go', undefined, arm64), true);
    assert.strictEqual(fileMatchesTarget('x_arm64.go', undefined, amd64), false);
    assert.strictEqual(fileMatchesTarget('x_linux_amd64.go', undefined, amd64), true);
    assert.strictEqual(fileMatchesTarget('x_linux_amd64.go', undefined, arm64), false);
    assert.strictEqual(fileMatchesTarget('x_darwin.go', undefined, darwinArm64), true);
    assert.strictEqual(fileMatchesTarget('x_darwin.go', undefined, arm64), false);
    assert.strictEqual(fileMatchesTarget('x_arm64_test.go', undefined, amd64), false);
  });

  it('treats a lone suffix-like name and unknown suffixes as unconstrained', () => {
    assert.strictEqual(fileMatchesTarget('linux.go', undefined, darwinArm64), true);
    assert.strictEqual(fileMatchesTarget('x_foo.go', undefined, amd64), true);
  });

  it('builds _linux files for android, as go/build does', () => {
    assert.strictEqual(fileMatchesTarget('x_linux.go', undefined, android), true);
    assert.strictEqual(evaluateConstraint('linux', android), true);
  });

  it('evaluates //go:build expressions with !, && , || and parentheses', () => {
    assert.strictEqual(evaluateConstraint('amd64 || arm64', arm64), true);
    assert.strictEqual(evaluateConstraint('linux && !arm64', arm64), false);
    assert.strictEqual(evaluateConstraint('(darwin || linux) && (amd64 || arm64)', amd64), true);
    assert.strictEqual(evaluateConstraint('unix', darwinArm64), true);
    assert.strictEqual(evaluateConstraint('unix', { goos: 'windows', goarch: 'amd64' }), false);
    assert.strictEqual(evaluateConstraint('go1.21 && gc', amd64), true);
    assert.strictEqual(evaluateConstraint('go1.99', amd64), false);
    assert.strictEqual(evaluateConstraint('ignore', amd64), false);
    assert.strictEqual(evaluateConstraint('cgo', amd64), false);
  });

  it('rejects malformed expressions instead of guessing', () => {
    assert.strictEqual(evaluateConstraint('linux &&', amd64), false);
    assert.strictEqual(evaluateConstraint('(linux', amd64), false);
  });

  it('honours old // +build lines when there is no //go:build line', () => {
    const constraint = findBuildConstraint('// +build ppc64 s390x\n// +build !cgo\n\npackage p\n');
    assert.strictEqual(constraint, '((ppc64) || (s390x)) && ((!cgo))');
    assert.strictEqual(fileMatchesTarget('x.go', constraint, { goos: 'linux', goarch: 's390x' }), true);
    assert.strictEqual(fileMatchesTarget('x.go', constraint, amd64), false);
    assert.strictEqual(findBuildConstraint('//go:build amd64\n// +build arm64\n\npackage p\n'), 'amd64');
  });

  it('never builds files whose names start with _ or .', () => {
    assert.strictEqual(fileMatchesTarget('_scratch.go', undefined, amd64), false);
    assert.strictEqual(fileMatchesTarget('.hidden.go', undefined, amd64), false);
  });

  it('finds the //go:build line only before the package clause', () => {
    assert.strictEqual(findBuildConstraint('// Copyright\n\n//go:build arm64\n\npackage x\n'), 'arm64');
    assert.strictEqual(findBuildConstraint('package x\n//go:build arm64\n'), undefined);
  });
});
