/// <reference lib="webworker" />
import { instantiateKernels, type WasmKernels } from '../../model/wasm/wasmTrainer';
import { serve } from '../rpc';
import type { WasmThreadApi } from './api';

let kernels: WasmKernels | null = null;

const api: WasmThreadApi = {
  async init(module, memory) {
    kernels = await instantiateKernels(module, memory);
  },
  async run(phase, args) {
    if (!kernels) throw new Error('This WebAssembly thread was not initialised');
    const [cfg = 0, thread = 0, a = 0, b = 0] = args;
    kernels[phase](cfg, thread, a, b);
  },
};
serve(api);
