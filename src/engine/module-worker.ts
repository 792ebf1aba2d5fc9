/**
 * A worker thread that runs one of hostproof's own modules, as compiled or as source, whichever
 * the caller is. The CLI runs dist/ (plain JavaScript: the module's .js file is the worker); the
 * tests and benches run src/ through tsx, and a worker does not inherit that: Node refuses a .ts
 * file as a worker, and tsx's `--import` hooks do not reach worker threads on Node 20. So the
 * source worker first registers tsx for require (the module and the step definitions Cucumber
 * requires) and for import (Cucumber imports its formatter by URL), then requires the module.
 *
 * The write queue and the file pool need none of this: their workers are a few lines of source
 * text. A judge worker runs Cucumber and every step definition, which only exist as modules.
 */
import { Worker } from "node:worker_threads";

/** The module beside this one named `name`, in the same copy (compiled or source) as this one. */
export function siblingModule(name: string): string {
  return `${__dirname}/${name}${__filename.slice(__filename.lastIndexOf("."))}`;
}

export function startModuleWorker(file: string, workerData: unknown): Worker {
  if (!file.endsWith(".ts")) return new Worker(file, { workerData });
  // tsx's require-side build of its ESM API resolves its own loader wrongly (tsx 4.23): the
  // import-side build, by the same name, is used.
  const esmApi = require.resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs");
  const bootstrap = `
    const { pathToFileURL } = require("node:url");
    import(pathToFileURL(${JSON.stringify(esmApi)}).href).then((api) => {
      api.register();
      require(${JSON.stringify(require.resolve("tsx/cjs"))});
      require(${JSON.stringify(file)});
    });
  `;
  return new Worker(bootstrap, { eval: true, workerData });
}
