/**
 * The formatter Cucumber writes to its stdout during `hostproof run`: none at all. Cucumber falls
 * back to its "progress" formatter when given no other, and that one formats every failed
 * scenario at the end of the run by rebuilding a map of the whole feature file for each failure:
 * quadratic in scenarios or Examples rows (issue 18: 10,000 rows spent 12 s there), for text that
 * hostproof throws away. The messages hostproof keeps come through runCucumber's onMessage.
 */
const silent = {
  type: "formatter" as const,
  formatter(): void {},
};

export default silent;
