/**
 * Small files written by the libuv thread pool while the run goes on judging. At 10,000 hosts a run
 * writes about 115,000 small files (Allure results, evidence); written one synchronous call after
 * another they were most of the run's time, with the main thread waiting on the file system. Here
 * the writes of one slice overlap the loading and judging of the next, and `drain` waits for them:
 * at most two slices' files are ever held in memory, and the first error (a full disk) is thrown
 * there, before anything is put in place.
 */
import { writeFile } from "node:fs";

export class WriteQueue {
  private inFlight = 0;
  private error: Error | undefined;
  private idle: (() => void) | undefined;

  /** `then` runs once the file is written (not after a failed write). */
  readonly write = (path: string, data: string | Buffer, then?: () => void): void => {
    if (this.error !== undefined) throw this.error;
    this.inFlight += 1;
    writeFile(path, data, (err) => {
      if (err && this.error === undefined) this.error = err;
      if (!err && then !== undefined) {
        try {
          then();
        } catch (thrown) {
          this.error ??= thrown as Error;
        }
      }
      this.inFlight -= 1;
      if (this.inFlight === 0) this.idle?.();
    });
  };

  /** Resolves when every write so far is done; rejects with the first that failed. */
  async drain(): Promise<void> {
    while (this.inFlight > 0) await new Promise<void>((done) => (this.idle = done));
    this.idle = undefined;
    if (this.error !== undefined) throw this.error;
  }
}
