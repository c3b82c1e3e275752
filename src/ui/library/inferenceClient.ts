import type { NamedBytes } from '../../bundle/files';
import type { ModelBundle } from '../../bundle/types';
import type { Classification } from '../../inference/reviewClassifier';
import type { InferenceRequest, InferenceResponse, ModelReady } from '../../worker/inferenceProtocol';

type Request = InferenceRequest extends infer R ? (R extends InferenceRequest ? Omit<R, 'requestId'> : never) : never;

/** The page's side of the inference worker: one promise per request, matched by id. */
export class InferenceClient {
  private readonly worker: Worker;
  private nextRequestId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (message: InferenceResponse) => void; reject: (error: Error) => void }
  >();

  constructor() {
    this.worker = new Worker(new URL('../../worker/inferenceWorker.ts', import.meta.url), {
      type: 'module',
      name: 'inference',
    });
    this.worker.onmessage = (event: MessageEvent<InferenceResponse>) => {
      const message = event.data;
      const pending = this.pending.get(message.requestId);
      if (!pending) return;
      this.pending.delete(message.requestId);
      if (message.type === 'failed') pending.reject(new Error(message.message));
      else pending.resolve(message);
    };
    this.worker.onerror = (event) => {
      const error = new Error(`The inference worker failed: ${event.message || 'unknown error'}`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
  }

  private send(request: Request, transfer: Transferable[] = []): Promise<InferenceResponse> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.worker.postMessage({ ...request, requestId } as InferenceRequest, transfer);
    });
  }

  /** Validates and adopts a bundle; the worker keeps its previous model if this one is rejected. */
  async setBundle(bundle: ModelBundle): Promise<ModelReady> {
    const answer = await this.send({ type: 'set-bundle', bundle });
    if (answer.type !== 'model-ready') throw new Error(`Unexpected answer ${answer.type}`);
    return answer.ready;
  }

  /** Reads a zip or separate files in the worker; resolves to the adopted bundle. */
  async loadFiles(files: NamedBytes[]): Promise<{ ready: ModelReady; bundle: ModelBundle }> {
    const answer = await this.send(
      { type: 'load-files', files },
      files.map((f) => f.bytes.buffer),
    );
    if (answer.type !== 'model-ready' || !answer.bundle) throw new Error(`Unexpected answer ${answer.type}`);
    return { ready: answer.ready, bundle: answer.bundle };
  }

  async classify(text: string): Promise<Classification> {
    const answer = await this.send({ type: 'classify', text });
    if (answer.type !== 'classified') throw new Error(`Unexpected answer ${answer.type}`);
    return answer.result;
  }

  async export(as: 'zip' | 'files'): Promise<NamedBytes[]> {
    const answer = await this.send({ type: 'export', as });
    if (answer.type !== 'exported') throw new Error(`Unexpected answer ${answer.type}`);
    return answer.files;
  }

  dispose(): void {
    this.worker.terminate();
  }
}
