// Cucumber configuration shared by `hostproof run` (which loads it through Cucumber's API) and a
// bare `npx cucumber-js` (which needs HOSTPROOF_INVENTORY to know which estate to judge).
// No paths here: `hostproof run` gives Cucumber the selected feature files itself (built-in and
// --features folders), and Cucumber would add any paths named here to those.
const controls = {
  // Steps are cheap and in-memory: a second process costs more than it saves (toolchain-notes).
  parallel: 0,
  strict: true,
};
// The TypeScript step definitions through tsx: no build needed after editing a step.
const source = { ...controls, requireModule: ["tsx/cjs"], require: ["steps/**/*.ts"] };
// A bare `npx cucumber-js` runs the built-in controls (so does `--profile compiled`: with no paths
// Cucumber reads features/ of the folder it runs in).
const builtIn = ["features/**/*.feature"];

// `hostproof run` picks "compiled" or "source" (src/engine/support-code.ts): the copy of the steps
// that matches the copy of hostproof running. A bare `npx cucumber-js`, for people writing
// controls, runs the source; `npx cucumber-js --profile compiled` runs what `npm run build` made.
module.exports = {
  default: { ...source, paths: builtIn },
  source,
  compiled: { ...controls, require: ["dist/steps/**/*.js"] },
};
