// Cucumber configuration shared by `hostproof run` (which loads it through Cucumber's API) and a
// bare `npx cucumber-js` (which needs HOSTPROOF_INVENTORY to know which estate to judge).
module.exports = {
  default: {
    paths: ["features/**/*.feature"],
    requireModule: ["tsx/cjs"],
    require: ["steps/**/*.ts"],
    // Steps are cheap and in-memory: a second process costs more than it saves (toolchain-notes).
    parallel: 0,
    strict: true,
  },
};
