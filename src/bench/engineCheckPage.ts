import { initBackend } from '../worker/backend';
import { installEmbeddingGradient } from '../model/embeddingGradient';
import {
  checkEngineAgainstStock,
  checkShaderCacheBounded,
  checkFusedAgainstStock,
  trainStepsWith,
  type TrainingStepsCase,
  type TrainingStepsResult,
  type EngineCheckCase,
  type EngineCheckResult,
  type ModelCheckCase,
  type ModelCheckResult,
  type ShaderCacheCheck,
} from './engineCheck';

/**
 * A page for the engine's correctness tests (e2e/fusedEngine.spec.ts): on the same WebGL setup the
 * app trains with, it exposes the comparison with tfjs's LSTM to the test runner.
 */
declare global {
  interface Window {
    __engineCheck?: (cases: EngineCheckCase[]) => Promise<EngineCheckResult[]>;
    __engineBackend?: string;
    __modelCheck?: (cases: ModelCheckCase[]) => Promise<ModelCheckResult[]>;
    __shaderCacheCheck?: () => Promise<ShaderCacheCheck>;
    __trainSteps?: (engine: 'stock' | 'fused', c: TrainingStepsCase) => Promise<TrainingStepsResult>;
  }
}

const output = document.getElementById('result')!;
const backend = await initBackend('webgl');
window.__engineBackend = backend.name;
// As in the app: the stock Embedding gradient takes minutes per batch on WebGL.
installEmbeddingGradient();
window.__engineCheck = async (cases) => {
  const results: EngineCheckResult[] = [];
  for (const c of cases) {
    console.log(`engine check ${JSON.stringify(c)}`);
    results.push(await checkFusedAgainstStock(c));
    output.textContent = JSON.stringify(results, null, 2);
  }
  return results;
};
window.__modelCheck = async (cases) => {
  const results: ModelCheckResult[] = [];
  for (const c of cases) results.push(await checkEngineAgainstStock(c));
  output.textContent = JSON.stringify(results, null, 2);
  return results;
};
window.__shaderCacheCheck = () => checkShaderCacheBounded();
window.__trainSteps = (engine, c) => trainStepsWith(engine, c);
output.textContent = `ready on ${backend.name}`;
