/**
 * The peer every WebAssembly figure is held against: the same model, shapes and optimizer in
 * PyTorch on the same CPU (scripts/peer/pytorch_lstm.py), at its fastest (its own threads over a
 * single-threaded OpenBLAS, denormals flushed). Optional: it needs `import torch` to work for
 * /usr/bin/python3 (or PEER_PYTHON).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const PYTHON = process.env.PEER_PYTHON ?? '/usr/bin/python3';
const PEER_SCRIPT = join(import.meta.dirname, '..', 'peer', 'pytorch_lstm.py');

export interface PeerResult {
  examplesPerSecond: number;
  blas: string;
  torch: string;
}

/** Why the peer cannot run here (with how to get it), or null when it can. */
export function peerUnavailableReason(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  return probe.status === 0
    ? null
    : `PyTorch is not available to ${PYTHON} (apt-get install python3-torch libopenblas0-pthread)`;
}

/**
 * PyTorch at its fastest here: its own threads, OpenBLAS single-threaded under them (measured at
 * L=200 with 2 threads: ~300 examples/s this way, ~120 with OpenBLAS's own 2 threads on top), and
 * OpenBLAS choosing its kernels for this CPU. This machine sets OPENBLAS_CORETYPE=Haswell and
 * OPENBLAS_L2_SIZE=512 for older OpenBLAS builds; they hold Debian's OpenBLAS to its AVX2 kernels
 * (measured side by side at L=200: 392 examples/s on 1 thread with them, 546 without, where it
 * picks its AVX-512 "Cooperlake" kernels). The peer's JSON says which kernels it ran.
 */
export function peerEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1' };
  delete env['OPENBLAS_CORETYPE'];
  delete env['OPENBLAS_L2_SIZE'];
  return env;
}

/** One measurement of the peer's training step; a string says why it failed. */
export function measurePeer(c: { maxlen: number; batch: number; steps: number; threads: number }): PeerResult | string {
  const run = spawnSync(
    PYTHON,
    [
      PEER_SCRIPT,
      '--threads',
      String(c.threads),
      '--maxlen',
      String(c.maxlen),
      '--batch',
      String(c.batch),
      '--steps',
      String(c.steps),
    ],
    { encoding: 'utf8', env: peerEnvironment() },
  );
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  if (run.status !== 0 || !line.startsWith('{')) return run.stderr.trim().split('\n').at(-1) ?? 'no output';
  return JSON.parse(line) as PeerResult;
}

export const PEER_DESCRIPTION = `PyTorch on the CPU (${PYTHON}), same model and shapes, RMSprop, denormals flushed`;
