/**
 * Runs one request at a time and reports only the newest: while one is in flight, later
 * submissions replace each other, and a result whose query was superseded is dropped. So the worker
 * never builds a backlog while someone types, and a stale answer is never shown last.
 */
export class LatestOnly<Q, R> {
  private inFlight = false;
  private waiting: { query: Q } | null = null;
  private newest = 0;

  constructor(
    private readonly run: (query: Q) => Promise<R>,
    private readonly onResult: (query: Q, outcome: { result: R } | { error: Error }) => void,
  ) {}

  submit(query: Q): void {
    this.newest++;
    if (this.inFlight) {
      this.waiting = { query };
      return;
    }
    void this.start(query, this.newest);
  }

  /** Forget whatever is pending or in flight (e.g. the text was cleared). */
  cancel(): void {
    this.newest++;
    this.waiting = null;
  }

  private async start(query: Q, ticket: number): Promise<void> {
    this.inFlight = true;
    let outcome: { result: R } | { error: Error };
    try {
      outcome = { result: await this.run(query) };
    } catch (error) {
      outcome = { error: error instanceof Error ? error : new Error(String(error)) };
    }
    this.inFlight = false;
    if (ticket === this.newest) this.onResult(query, outcome);
    const next = this.waiting;
    this.waiting = null;
    if (next) void this.start(next.query, this.newest);
  }
}
