/**
 * The allure-js-commons SDK entry points, typed.
 *
 * The package publishes `allure-js-commons/sdk` and `/sdk/reporter` only through package.json
 * "exports", which the repository's `moduleResolution: node10` cannot see, so TypeScript would
 * reject the import. Types are taken from the declaration files by path (type-only, erased at
 * run time) and the value is loaded through the public subpath, which Node resolves normally.
 */
import type * as ReporterSdk from "allure-js-commons/dist/types/sdk/reporter/index";
import type * as Sdk from "allure-js-commons/dist/types/sdk/index";

export type Writer = ReporterSdk.Writer;
export type Category = Sdk.Category;
export type EnvironmentInfo = Sdk.EnvironmentInfo;

const reporter = require("allure-js-commons/sdk/reporter") as typeof ReporterSdk;

export const stringifyEnvInfo: typeof ReporterSdk.stringifyEnvInfo = reporter.stringifyEnvInfo;
export const parseEnvInfo: typeof ReporterSdk.parseEnvInfo = reporter.parseEnvInfo;
export const FileSystemWriter: typeof ReporterSdk.FileSystemWriter = reporter.FileSystemWriter;
export const ReporterRuntime: typeof ReporterSdk.ReporterRuntime = reporter.ReporterRuntime;
