/** Rewrites README.md's step list from the step definitions: `npm run docs:steps`. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withStepList } from "../src/controls/step-list";

const readme = join(__dirname, "..", "README.md");
writeFileSync(readme, withStepList(readFileSync(readme, "utf8")));
console.log(`step list rewritten in ${readme}`);
