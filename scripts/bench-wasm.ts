/**
 * npm run bench:wasm [-- --batches N] [--rounds N] [--lengths 200,100]
 *
 * The WebAssembly engine as the app runs it, in headless Debian Chromium (a cross-origin isolated
 * page, so its threads share one memory), against the peer on the same CPU in the same run:
 * PyTorch's CPU LSTM at its fastest (scripts/lib/peer.ts). The default model (Embedding(20000,
 * 128) → LSTM(128) → Dense), batch 128, RMSprop, Zipf-distributed ids. For each length: the
 * browser with one thread and with one per core (navigator.hardwareConcurrency), PyTorch with one
 * thread and with one per core, interleaved round by round so machine drift hits every case.
 * Prints examples per second (median of rounds) and the ratios browser / PyTorch at equal threads.
 * Nothing is asserted.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { launchChromium, serveBuilt } from './lib/browser';
import { runWasmBenchCase } from './lib/benchPage';
import { measurePeer, PEER_DESCRIPTION, peerUnavailableReason } from './lib/peer';

const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    lengths: { type: 'string', default: '200,100' },
  },
});
const batches = Number(values.batches);
const rounds = Number(values.rounds);
const lengths = values.lengths.split(',').map(Number);
const BATCH = 128;

const fmt = (x: number, digits = 1) => x.toFixed(digits);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const cores = os.cpus().length;
  const threadCounts = [...new Set([1, cores])];
  const peerMissing = peerUnavailableReason();
  const { url, close } = await serveBuilt('tools', 'bench-wasm');
  const browser = await launchChromium();
  const rates = new Map<string, number[]>();
  const add = (key: string, value: number) => rates.set(key, [...(rates.get(key) ?? []), value]);
  let pageCores = 0;
  try {
    for (let round = 0; round < rounds; round++)
      for (const maxlen of lengths)
        for (const threads of threadCounts) {
          const r = await runWasmBenchCase(browser, url, { maxlen, batchSize: BATCH, batches, threads });
          if (r.error) throw new Error(`browser L=${maxlen} ${threads} thread(s): ${r.error}`);
          pageCores = r.hardwareConcurrency;
          add(`browser/${maxlen}/${threads}`, r.examplesPerSecond);
          console.log(
            `round ${round + 1} L=${maxlen}: browser WebAssembly on ${r.threads} thread(s)` +
              `${r.threadsNote ? ` (${r.threadsNote})` : ''}: ${fmt(r.examplesPerSecond)} examples/s ` +
              `(batches ${r.batchMs.map((ms) => ms.toFixed(0)).join(', ')} ms)`,
          );
          if (peerMissing) continue;
          const peer = measurePeer({ maxlen, batch: BATCH, steps: batches, threads });
          if (typeof peer === 'string') {
            console.log(`round ${round + 1} L=${maxlen}: the peer failed with ${threads} thread(s): ${peer}`);
            continue;
          }
          add(`peer/${maxlen}/${threads}`, peer.examplesPerSecond);
          console.log(
            `round ${round + 1} L=${maxlen}: PyTorch ${peer.torch} (${peer.blas}) on ${threads} thread(s): ` +
              `${fmt(peer.examplesPerSecond)} examples/s`,
          );
        }
  } finally {
    await browser.close();
    await close();
  }
  console.log(
    `\nMachine: ${cores} × ${os.cpus()[0]?.model ?? 'CPU'} (the page saw ${pageCores} cores); headless Debian Chromium; ` +
      `batch ${BATCH}, ${batches} timed batches (median) after one warm-up, ${rounds} round(s), median of rounds`,
  );
  console.log(peerMissing ? `Peer: ${peerMissing}` : `Peer: ${PEER_DESCRIPTION}`);
  console.log('| L | threads | browser WebAssembly ex/s | PyTorch ex/s | browser / PyTorch |');
  console.log('|---|---|---|---|---|');
  for (const maxlen of lengths)
    for (const threads of threadCounts) {
      const browserRate = median(rates.get(`browser/${maxlen}/${threads}`) ?? []);
      const peerRate = median(rates.get(`peer/${maxlen}/${threads}`) ?? []);
      console.log(
        `| ${maxlen} | ${threads} | ${fmt(browserRate)} | ${Number.isNaN(peerRate) ? '–' : fmt(peerRate)} | ` +
          `${Number.isNaN(peerRate) ? '–' : `${fmt(browserRate / peerRate, 2)}×`} |`,
      );
    }
  for (const maxlen of lengths) {
    const one = median(rates.get(`browser/${maxlen}/1`) ?? []);
    const all = median(rates.get(`browser/${maxlen}/${cores}`) ?? []);
    if (cores > 1) console.log(`L=${maxlen}: browser ${cores} threads / 1 thread = ${fmt(all / one, 2)}×`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
