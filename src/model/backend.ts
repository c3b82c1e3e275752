import * as tf from '@tensorflow/tfjs';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { readSearch, strictChoiceField } from '../url/searchCodec';

export type BackendName = 'webgl' | 'wasm' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['webgl', 'wasm', 'cpu'];

/** The backend a page's `?backend=` asks for; null (the best available) when absent or unknown. */
export function backendFromSearch(search: string): BackendName | null {
  const requested: { backend: BackendName | null } = { backend: null };
  return readSearch(search, { backend: strictChoiceField(BACKENDS, null) }, requested).backend;
}

export interface BackendInfo {
  name: BackendName;
  /** The GPU renderer string, for WebGL. */
  renderer: string | null;
  /** WebGL drawn by the CPU (SwiftShader, llvmpipe): it works, but slowly. */
  softwareRendered: boolean;
  /** Why the preferred backend is not the one in use, if it is not. */
  fallbackNote: string | null;
}

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software/i;

async function prepareWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // The page is cross-origin isolated, so tfjs would pick its threaded build, whose pthread
  // workers cannot start from inside our bundled module worker. One thread is what this
  // backend gets on a 2-core machine anyway (hardwareConcurrency / 2).
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const [plain, simd, threaded] = await Promise.all([
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'),
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'),
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'),
  ]);
  wasm.setWasmPaths({
    'tfjs-backend-wasm.wasm': plain.default,
    'tfjs-backend-wasm-simd.wasm': simd.default,
    'tfjs-backend-wasm-threaded-simd.wasm': threaded.default,
  });
}

function webglRenderer(): string | null {
  const backend = tf.backend() as MathBackendWebGL;
  const gl = backend.gpgpu?.gl;
  if (!gl) return null;
  const debugInfo = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(debugInfo ? debugInfo.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

/**
 * Picks the backend: the requested one, else WebGL, then wasm, then cpu, so training works (more
 * slowly) where WebGL is missing. Software WebGL is accepted, and reported as such.
 */
export async function initBackend(requested: BackendName | null): Promise<BackendInfo> {
  // tfjs asks for its context with failIfMajorPerformanceCaveat; without this, browsers that only
  // offer software WebGL would leave us on the far slower cpu backend.
  tf.env().set('SOFTWARE_WEBGL_ENABLED', true);
  // Shapes baked into each shader, not passed as uniforms. With shape uniforms, tfjs 4.22 keys its
  // shader cache on ranks and a few layout flags, and a program compiled for one texture layout was
  // reused on the embedding's squarified [20000, 128] texture after a fused-engine step: its rows
  // were then read wrongly on the GPU (while reading them back gave the true weights), so training
  // and evaluation ran on rows that the saved model does not hold. Costs one more shader per shape
  // (the last, smaller batch; the engine buckets its own shapes).
  tf.env().set('WEBGL_USE_SHAPES_UNIFORMS', false);
  const order = requested ? [requested, ...BACKENDS.filter((b) => b !== requested)] : [...BACKENDS];
  const failures: string[] = [];
  for (const name of order) {
    try {
      if (name === 'wasm') await prepareWasm();
      if (await tf.setBackend(name)) {
        await tf.ready();
        const renderer = name === 'webgl' ? webglRenderer() : null;
        const preferred = requested ?? 'webgl';
        return {
          name,
          renderer,
          softwareRendered: renderer !== null && SOFTWARE_RENDERERS.test(renderer),
          fallbackNote:
            name === preferred ? null : `${preferred} is not available here (${failures.join('; ')}); using ${name}.`,
        };
      }
      failures.push(`${name}: could not initialise`);
    } catch (error) {
      failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(`No TensorFlow.js backend could start: ${failures.join('; ')}`);
}

/** Calls `onLost` if the WebGL context goes away (driver reset, GPU memory pressure). */
/** Loses tfjs's WebGL context through WEBGL_lose_context, as a GPU reset would (fault injection for tests). */
export function loseContext(): boolean {
  if (tf.getBackend() !== 'webgl') return false;
  const gl = (tf.backend() as MathBackendWebGL).gpgpu?.gl;
  const extension = gl?.getExtension('WEBGL_lose_context');
  extension?.loseContext();
  return Boolean(extension);
}

export function watchContextLoss(onLost: () => void): void {
  if (tf.getBackend() !== 'webgl') return;
  const canvas = (tf.backend() as MathBackendWebGL).gpgpu?.gl?.canvas as
    (HTMLCanvasElement | OffscreenCanvas) | undefined;
  canvas?.addEventListener('webglcontextlost', (event) => {
    event.preventDefault();
    onLost();
  });
}
