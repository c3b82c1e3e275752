import { afterEach, describe, expect, it } from 'vitest';
import {
  callback,
  Cancelled,
  connect,
  Superseding,
  release,
  serve,
  transfer,
  WorkerFailed,
} from '../../src/workers/rpc';

interface TestApi {
  add(a: number, b: number): Promise<number>;
  fail(message: string): Promise<never>;
  cancelled(): Promise<never>;
  count(to: number, onStep: (step: number) => void): Promise<number>;
  take(bytes: Uint8Array): Promise<number>;
  give(length: number): Promise<Uint8Array>;
  never(): Promise<never>;
}

const channels: MessageChannel[] = [];

/** A served api on one end of a MessageChannel, the way a worker serves it on its global scope. */
function served() {
  const channel = new MessageChannel();
  channels.push(channel);
  const api: TestApi = {
    async add(a, b) {
      return a + b;
    },
    async fail(message) {
      throw new Error(message);
    },
    async cancelled() {
      throw new Cancelled('stopped in the worker');
    },
    async count(to, onStep) {
      let last: unknown;
      for (let step = 1; step <= to; step++) last = onStep(step);
      await last;
      release(onStep);
      return to;
    },
    async take(bytes) {
      return bytes.byteLength;
    },
    async give(length) {
      const bytes = new Uint8Array(length).fill(7);
      return transfer(bytes, [bytes.buffer]);
    },
    never() {
      return new Promise<never>(() => {});
    },
  };
  serve(api, channel.port1);
  return { connection: connect<TestApi>(channel.port2, 'test'), port: channel.port2 };
}

afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

describe('the worker RPC layer', () => {
  it('answers calls with their results', async () => {
    const { connection } = served();
    await expect(connection.call((api) => api.add(2, 3))).resolves.toBe(5);
  });

  it('rejects with the error thrown in the worker, and keeps Cancelled as its class', async () => {
    const { connection } = served();
    await expect(connection.call((api) => api.fail('bad shard'))).rejects.toThrow('bad shard');
    const error = await connection.call((api) => api.cancelled()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cancelled);
    expect((error as Error).message).toBe('stopped in the worker');
  });

  it('delivers every progress callback, in order, before the answer', async () => {
    const { connection } = served();
    const steps: number[] = [];
    const result = await connection.call((api) =>
      api.count(
        50,
        callback((step: number) => void steps.push(step)),
      ),
    );
    expect(result).toBe(50);
    expect(steps).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('moves transferred buffers instead of copying them, both ways', async () => {
    const { connection } = served();
    const bytes = new Uint8Array(1024);
    await expect(connection.call((api) => api.take(transfer(bytes, [bytes.buffer])))).resolves.toBe(1024);
    expect(bytes.byteLength).toBe(0); // detached: it left this side
    const received = await connection.call((api) => api.give(16));
    expect(Array.from(received)).toEqual(new Array(16).fill(7));
  });

  it('rejects pending calls with Cancelled when the client is disposed, and later calls too', async () => {
    const { connection } = served();
    const pending = connection.call((api) => api.never());
    connection.dispose();
    await expect(pending).rejects.toBeInstanceOf(Cancelled);
    await expect(connection.call((api) => api.add(1, 1))).rejects.toBeInstanceOf(Cancelled);
  });

  it('rejects pending calls with WorkerFailed when the worker fails', async () => {
    const { connection, port } = served();
    const pending = connection.call((api) => api.never());
    port.dispatchEvent(new Event('error'));
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerFailed);
    expect((error as Error).message).toContain('The test worker failed');
  });
});

describe('Superseding', () => {
  it('cancels the older request when a newer one starts, and tells the worker which', async () => {
    const latest = new Superseding();
    const superseded: number[] = [];
    let resolveFirst: (value: string) => void = () => {};
    const first = latest.run(
      () => new Promise<string>((resolve) => (resolveFirst = resolve)),
      (id) => superseded.push(id),
    );
    const second = latest.run(
      async () => 'second',
      (id) => superseded.push(id),
    );
    await expect(first).rejects.toBeInstanceOf(Cancelled);
    await expect(second).resolves.toBe('second');
    expect(superseded).toEqual([1]);
    resolveFirst('too late'); // an answer after cancellation changes nothing
    await expect(first).rejects.toBeInstanceOf(Cancelled);
  });

  it('knows which request is current while it runs, and none after it answers', async () => {
    const latest = new Superseding();
    let seen = false;
    await latest.run(
      async (id) => {
        seen = latest.isCurrent(id);
      },
      () => {},
    );
    expect(seen).toBe(true);
    expect(latest.isCurrent(1)).toBe(false);
  });
});
