/** Rewrites docs/controls.md's step list from the step definitions: `npm run docs:steps`. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withStepList } from "../src/controls/step-list";

const doc = join(__dirname, "..", "docs", "controls.md");
writeFileSync(doc, withStepList(readFileSync(doc, "utf8")));
console.log(`step list rewritten in ${doc}`);
