import { initBackend } from '../../src/model/backend';
import { installEmbeddingGradient } from '../../src/model/embeddingGradient';
import {
  checkEngineAgainstStock,
  checkShaderCacheBounded,
  checkFusedAgainstStock,
  trainStepsWith,
  type EngineCheckResult,
  type ModelCheckResult,
} from './engineCheck';
import './hooks';

/**
 * A page for the engine's correctness tests (e2e/fusedEngine.spec.ts): on the same WebGL setup the
 * app trains with, it exposes the comparison with tfjs's LSTM to the test runner (see hooks.ts).
 */
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
