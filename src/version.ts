/** hostproof's version, from package.json, for --version and the reports. */
import { PACKAGE_JSON } from "./package-root";

export const VERSION: string = PACKAGE_JSON.version;
