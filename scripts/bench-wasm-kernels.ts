/**
 * Speed of the WebAssembly training step (src/model/wasm) in Node, one thread:
 *   - the machine's f32x4 peak as WebAssembly can reach it (simdPeak: 12 independent mul+add chains
 *     in registers, no memory traffic; WebAssembly SIMD has no FMA, so mul and add count as 2 flops);
 *   - the matrix kernels alone at the step's shapes (B=128 rows, E=H=128);
 *   - whole training steps (RMSprop) at B=128, E=H=128, V=20000, L=200 and L=100, random token
 *     ids, with the time of each phase: examples/s and GFLOP/s;
 *   - the peer in the same run: PyTorch's CPU LSTM, same model, shapes and optimizer, with one thread
 *     and with every core, when /usr/bin/python3 (or PEER_PYTHON) can import torch.
 * Usage: npm run bench:wasm-kernels [-- --steps 5]
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { measurePeer, PEER_DESCRIPTION, peerUnavailableReason } from './lib/peer';
import { join } from 'node:path';
import { seededRandom } from '../src/data/random';
import { createMemory, instantiateKernels, WasmTrainer, type LstmWeights } from '../src/model/wasm/wasmTrainer';
import { buildWasm } from './build-wasm';

const stepsArg = process.argv.indexOf('--steps');
const timedSteps = stepsArg > 0 ? Number(process.argv[stepsArg + 1]) : 5;
const B = 128;
const E = 128;
const H = 128;
const V = 20000;
const G = 4 * H;

const wasmExamplesPerSecond = new Map<number, number>();

const gflops = (flops: number, ms: number) => flops / ms / 1e6;
const fmt = (x: number, digits = 1) => x.toFixed(digits);

/** Best of `repeats` timings of `run` (ms), after one warm-up call (tier-up to optimized code). */
function best(run: () => void, repeats: number): number {
  run();
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    run();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

async function main(): Promise<void> {
  const dir = await buildWasm();
  const module = new WebAssembly.Module(readFileSync(join(dir, 'lstm.wasm')));
  console.log(`WebAssembly SIMD training step, Node ${process.version}, one thread\n`);

  // ---- Peak.
  const memory = createMemory(false);
  const kernels = await instantiateKernels(module, memory);
  const iterations = 20_000_000;
  const peakMs = best(() => kernels.simdPeak(iterations), 3);
  const peak = gflops(iterations * 96, peakMs);
  console.log(`f32x4 peak (simdPeak: 12 register chains of x = x·m + c, mul + add, no loads): ${fmt(peak)} GFLOP/s`);

  // ---- Matrix kernels at the step's shapes, on random data in a scratch memory.
  memory.grow(200);
  const base = Math.ceil(kernels.heapBase() / 64) * 64;
  const floats = new Float32Array(memory.buffer);
  const random = seededRandom(1);
  for (let i = base / 4; i < floats.length; i++) floats[i] = random() - 0.5;
  const a = base;
  const b = a + 4 * B * G * 4; // room for [128, 512] and up
  const c = b + 4 * G * G * 4;
  const kernelCases: { name: string; flops: number; run: () => void }[] = [
    {
      name: 'gemm h·U        [128×128]·[128×512] (forward step)',
      flops: 2 * B * H * G,
      run: () => kernels.gemm(a, H, b, G, c, G, B, G, H, 1),
    },
    {
      name: 'gemm dz·Uᵀ      [128×512]·[512×128] (backward step)',
      flops: 2 * B * G * H,
      run: () => kernels.gemm(a, G, b, H, c, H, B, H, G, 0),
    },
    {
      name: 'gemmAtB hᵀ·dz   [128×128]ᵀ·[128×512] (dU)',
      flops: 2 * B * H * G,
      run: () => kernels.gemmAtB(a, H, b, G, c, G, B, H, G),
    },
    {
      name: 'gemm x·W        [64×128]·[128×512] (projection chunk)',
      flops: 2 * 64 * E * G,
      run: () => kernels.gemm(a, E, b, G, c, G, 64, G, E, 1),
    },
    {
      name: 'gemmAtB xᵀ·dP   [64×128]ᵀ·[64×512] (dW chunk)',
      flops: 2 * 64 * E * G,
      run: () => kernels.gemmAtB(a, E, b, G, c, G, 64, E, G),
    },
  ];
  console.log('\nMatrix kernels (best of 50 calls, ×20 each):');
  for (const k of kernelCases) {
    const ms = best(() => {
      for (let r = 0; r < 20; r++) k.run();
    }, 50);
    const rate = gflops(20 * k.flops, ms);
    console.log(`  ${k.name}: ${fmt(rate)} GFLOP/s (${fmt((100 * rate) / peak, 0)}% of peak)`);
  }

  // ---- Whole steps.
  for (const L of [200, 100]) {
    const trainer = await WasmTrainer.create(
      module,
      { batchSize: B, maxlen: L, vocabularySize: V, embeddingDim: E, lstmUnits: H },
      { kind: 'rmsprop', learningRate: 1e-3 },
    );
    const r = seededRandom(L);
    const uniform = (n: number, scale: number) => Float32Array.from({ length: n }, () => (2 * r() - 1) * scale);
    // Like a fresh model (src/model/buildModel.ts): small embeddings, glorot kernels, a recurrent
    // kernel of the orthogonal one's scale.
    const weights: LstmWeights = {
      embeddings: uniform(V * E, 0.05),
      kernel: uniform(E * G, Math.sqrt(6 / (E + G))),
      recurrentKernel: uniform(H * G, Math.sqrt(3 / H)),
      bias: new Float32Array(G).fill(1, H, 2 * H), // Keras's unit forget bias, as buildSentimentModel
      denseKernel: uniform(H, Math.sqrt(6 / (H + 1))),
      denseBias: uniform(1, 0.1),
    };
    trainer.setWeights(weights);
    const batch = () => ({
      ids: Int32Array.from({ length: B * L }, () => Math.floor(r() * V)),
      labels: Float32Array.from({ length: B }, () => (r() < 0.5 ? 1 : 0)),
    });
    const k = trainer.kernels;
    const cfg = trainer.cfg;
    const phases = { load: 0, prepare: 0, forwardBackward: 0, embedding: 0, optimize: 0 };
    let total = 0;
    let cpu = 0;
    let fastest = Number.POSITIVE_INFINITY;
    let unique = 0;
    let skipped = 0;
    let lastLoss = 0;
    for (let s = -2; s < timedSteps; s++) {
      const { ids, labels } = batch();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      trainer.loadBatch(ids, labels);
      const t1 = performance.now();
      k.phasePrepare(cfg, 0, 1);
      const t2 = performance.now();
      skipped += k.phaseForwardBackward(cfg, 0, 0, B);
      const t3 = performance.now();
      k.phaseEmbedding(cfg, 0, 1);
      const t4 = performance.now();
      trainer.beginOptimize();
      k.phaseOptimize(cfg, 0, 1);
      trainer.endOptimize();
      const t5 = performance.now();
      const used = process.cpuUsage(cpu0);
      lastLoss = trainer.batchMetrics().loss;
      if (s < 0) {
        skipped = 0;
        continue; // warm-up
      }
      phases.load += t1 - t0;
      phases.prepare += t2 - t1;
      phases.forwardBackward += t3 - t2;
      phases.embedding += t4 - t3;
      phases.optimize += t5 - t4;
      total += t5 - t0;
      fastest = Math.min(fastest, t5 - t0);
      cpu += (used.user + used.system) / 1000;
      unique += trainer.unique;
    }
    const ms = total / timedSteps;
    const u = unique / timedSteps;
    const nominal = 3 * 2 * 4 * (E + H) * H * L * B; // training ≈ 3 × forward (TFJS-NOTES)
    const done = 2 * u * E * G * 3 + 2 * B * (L - 1) * H * G * 3; // projection, dEmb, dW; h·U, dz·Uᵀ, dU
    const recurrent = 2 * B * (L - 1) * H * G * 3;
    console.log(
      `\nStep B=${B} L=${L} E=${E} H=${H} V=${V}, RMSprop, random ids (${fmt(u, 0)} distinct tokens), ` +
        `${timedSteps} steps after 2 warm-up, last loss ${fmt(lastLoss, 4)}, ` +
        `memory ${fmt(trainer.memoryBytes / 2 ** 20, 0)} MiB:`,
    );
    // Wall time counts the time another process held the core; CPU time is this process's own.
    const cpuMs = cpu / timedSteps;
    console.log(
      `  ${fmt(ms, 0)} ms per step (wall, mean) = ${fmt((1000 * B) / ms)} examples/s; ` +
        `fastest step ${fmt(fastest, 0)} ms = ${fmt((1000 * B) / fastest)} examples/s; ` +
        `CPU time ${fmt(cpuMs, 0)} ms per step = ${fmt((1000 * B) / cpuMs)} examples/s`,
    );
    console.log(
      `  ${fmt(gflops(nominal, ms))} GFLOP/s on the nominal ${fmt(nominal / B / 1e6, 0)} MFLOP/example; ` +
        `${fmt(gflops(done, ms))} GFLOP/s on the ${fmt(done / B / 1e6, 0)} MFLOP/example the kernels do ` +
        `(distinct tokens are projected once)`,
    );
    const per = (x: number) => x / timedSteps;
    console.log(
      `  phases (ms): batch tables ${fmt(per(phases.load))}, prepare+projection ${fmt(per(phases.prepare))}, ` +
        `forward+backward ${fmt(per(phases.forwardBackward))} (${fmt(gflops(recurrent, per(phases.forwardBackward)))} GFLOP/s ` +
        `in its matrix products), embedding+dW ${fmt(per(phases.embedding))}, optimizer ${fmt(per(phases.optimize))}`,
    );
    // The FLOP counts above assume the whole backward pass; say if the early exit shortened it.
    console.log(`  backward timesteps skipped by the early exit: ${fmt(skipped / timedSteps)} per step of ${L}`);
    wasmExamplesPerSecond.set(L, (1000 * B) / ms);
  }
  printPeer(wasmExamplesPerSecond);
}

/**
 * The peer, measured in the same run (scripts/lib/peer.ts), with one thread (as the WebAssembly
 * step here) and with every core.
 */
function printPeer(wasm: Map<number, number>): void {
  const unavailable = peerUnavailableReason();
  if (unavailable) {
    console.log(`\nPeer: ${unavailable}; no peer row.`);
    return;
  }
  const cores = os.cpus().length;
  console.log(`\nPeer: ${PEER_DESCRIPTION}:`);
  for (const [L, wasmRate] of wasm) {
    for (const threads of [...new Set([1, cores])]) {
      const peer = measurePeer({ maxlen: L, batch: B, steps: timedSteps, threads });
      if (typeof peer === 'string') {
        console.log(`  L=${L}, ${threads} thread(s): the peer failed: ${peer}`);
        continue;
      }
      console.log(
        `  L=${L}: PyTorch ${peer.torch} (${peer.blas}) with ${threads} thread(s) ${fmt(peer.examplesPerSecond)} examples/s; ` +
          `WebAssembly on 1 thread / PyTorch = ${fmt(wasmRate / peer.examplesPerSecond, 2)}×`,
      );
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
