/**
 * Builds the WebAssembly training kernels (src/model/wasm/assembly, AssemblyScript) into the
 * git-ignored src/model/wasm/build/: `lstm.wasm` (imports a plain memory) and `lstm-threads.wasm`
 * (imports a shared memory, for worker threads). Both need 128-bit SIMD.
 *
 * Skips the compiler when a stamp says the sources, compiler version and flags are unchanged, so
 * `npm run build:wasm`, `npm start`, `npm run check` and Vitest's global setup (which calls this)
 * cost nothing when nothing changed. Usage: `npm run build:wasm [-- --force]`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SHARED_MAXIMUM_PAGES } from '../src/model/wasm/wasmTrainer';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const wasmDir = join(root, 'src/model/wasm');
const sourceDir = join(wasmDir, 'assembly');
export const wasmBuildDir = join(wasmDir, 'build');
const entry = join(sourceDir, 'index.ts');

// -O3 without --shrinkLevel: speed over size. --noAssert and abort= leave no imports but the memory.
const common = ['--enable', 'simd', '-O3', '--noAssert', '--runtime', 'stub', '--use', 'abort=', '--importMemory'];
const builds: { file: string; flags: string[] }[] = [
  { file: 'lstm.wasm', flags: common },
  {
    file: 'lstm-threads.wasm',
    flags: [...common, '--enable', 'threads', '--sharedMemory', '--maximumMemory', String(SHARED_MAXIMUM_PAGES)],
  },
];

function fingerprint(compilerVersion: string): string {
  const hash = createHash('sha256');
  hash.update(compilerVersion);
  hash.update(JSON.stringify(builds));
  const files = [
    join(wasmDir, 'layout.ts'),
    join(wasmDir, 'classifyLayout.ts'),
    ...readdirSync(sourceDir).map((name) => join(sourceDir, name)),
  ].sort();
  for (const file of files) {
    hash.update(file.slice(root.length));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

/** Compiles both builds unless the stamp matches. Returns the build directory. */
export async function buildWasm(force = false): Promise<string> {
  // The compiler's version from its package.json: importing asc (Binaryen) takes seconds.
  const { version } = JSON.parse(readFileSync(join(root, 'node_modules/assemblyscript/package.json'), 'utf8')) as {
    version: string;
  };
  const stampFile = join(wasmBuildDir, 'stamp.txt');
  const want = fingerprint(version);
  const fresh = builds.every((b) => existsSync(join(wasmBuildDir, b.file)));
  if (!force && fresh && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === want) return wasmBuildDir;
  mkdirSync(wasmBuildDir, { recursive: true });
  const { main } = await import('assemblyscript/asc');
  for (const build of builds) {
    const started = performance.now();
    const { error, stderr } = await main([entry, ...build.flags, '--outFile', join(wasmBuildDir, build.file)]);
    if (error) throw new Error(`asc failed for ${build.file}: ${error.message}\n${stderr.toString()}`);
    console.log(`build:wasm: ${build.file} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  writeFileSync(stampFile, want);
  return wasmBuildDir;
}

/** Vitest global setup (vite.config.ts): the unit tests load the built modules. */
export default async function setup(): Promise<void> {
  await buildWasm();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildWasm(process.argv.includes('--force')).then(
    (dir) => console.log(`build:wasm: ${dir} is up to date.`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
