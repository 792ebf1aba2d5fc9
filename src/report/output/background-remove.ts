import { spawn, type ChildProcess } from "node:child_process";

export interface BackgroundRemoval {
  /** Resolves when the folder is gone (or the deleter failed); keeps this process alive until then. */
  wait(): Promise<void>;
}

/**
 * Deletes a folder in a detached process of its own, off the run's critical path: an earlier
 * report at 10,000 hosts is 115,000 files, and deleting them took half a rerun (bench/README.md).
 * The folder is already out of the way under a hidden name, so nothing waits for it; the process
 * outlives hostproof (its own process group: Ctrl-C in the terminal does not stop it) and, if it
 * is killed anyway, the next run's sweep (staging.ts) removes what is left.
 */
export function removeInBackground(dir: string): BackgroundRemoval {
  let child: ChildProcess | undefined;
  const done = new Promise<void>((resolve) => {
    try {
      const env = { ...process.env };
      // A test runner's `--import tsx` has nothing to do in this one-liner.
      delete env.NODE_OPTIONS;
      child = spawn(process.execPath, ["-e", "require('node:fs').rmSync(process.argv[1], { recursive: true, force: true, maxRetries: 3 })", dir], {
        detached: true,
        stdio: "ignore",
        windowsHide: true,
        env,
      });
      child.on("error", () => resolve());
      child.on("exit", () => resolve());
      child.unref();
    } catch {
      resolve();
    }
  });
  return {
    wait: () => {
      child?.ref();
      return done;
    },
  };
}
