// Cucumber configuration shared by `hostproof run` (which loads it through Cucumber's API) and a
// bare `npx cucumber-js` (which needs HOSTPROOF_INVENTORY to know which estate to judge).
const controls = {
  paths: ["features/**/*.feature"],
  // Steps are cheap and in-memory: a second process costs more than it saves (toolchain-notes).
  parallel: 0,
  strict: true,
};
// The TypeScript step definitions through tsx: no build needed after editing a step.
const source = { ...controls, requireModule: ["tsx/cjs"], require: ["steps/**/*.ts"] };

// `hostproof run` picks "compiled" or "source" (src/engine/support-code.ts): the copy of the steps
// that matches the copy of hostproof running. A bare `npx cucumber-js`, for people writing
// controls, runs the source; `npx cucumber-js --profile compiled` runs what `npm run build` made.
module.exports = {
  default: source,
  source,
  compiled: { ...controls, require: ["dist/steps/**/*.js"] },
};
