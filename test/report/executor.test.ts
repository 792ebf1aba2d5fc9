import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { executorFromEnv, writeExecutor } from "../../src/report/bookkeeping/executor";
import { scratch } from "./tmp";

test("GitHub Actions: repository, run link, run number as build order", () => {
  const env = {
    GITHUB_ACTIONS: "true",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: "contoso/estate-audit",
    GITHUB_RUN_ID: "9876543210",
    GITHUB_RUN_NUMBER: "42",
    GITHUB_WORKFLOW: "Nightly audit",
  };
  assert.deepEqual(executorFromEnv(env, { reportName: "Contoso production", reportUrl: "https://audit.example/42/" }), {
    name: "GitHub Actions",
    type: "github",
    url: "https://github.com/contoso/estate-audit",
    buildOrder: 42,
    buildName: "Nightly audit #42",
    buildUrl: "https://github.com/contoso/estate-audit/actions/runs/9876543210",
    reportName: "Contoso production",
    reportUrl: "https://audit.example/42/",
  });
});

test("Azure Pipelines: the build results page of the project, build id as build order", () => {
  const env = {
    TF_BUILD: "True",
    SYSTEM_COLLECTIONURI: "https://dev.azure.com/contoso/",
    SYSTEM_TEAMPROJECT: "Infra Audit",
    BUILD_BUILDID: "1234",
    BUILD_BUILDNUMBER: "20261122.3",
    BUILD_DEFINITIONNAME: "estate-audit",
  };
  assert.deepEqual(executorFromEnv(env), {
    name: "Azure Pipelines",
    type: "azure",
    url: "https://dev.azure.com/contoso/",
    buildOrder: 1234,
    buildName: "estate-audit 20261122.3",
    buildUrl: "https://dev.azure.com/contoso/Infra%20Audit/_build/results?buildId=1234",
  });
});

test("GitLab CI: pipeline link, pipeline IID as build order", () => {
  const env = {
    GITLAB_CI: "true",
    CI_PIPELINE_URL: "https://gitlab.example/infra/audit/-/pipelines/5555",
    CI_PIPELINE_IID: "77",
    CI_JOB_NAME: "hostproof",
    CI_PROJECT_URL: "https://gitlab.example/infra/audit",
  };
  assert.deepEqual(executorFromEnv(env), {
    name: "GitLab CI",
    type: "gitlab",
    url: "https://gitlab.example/infra/audit",
    buildOrder: 77,
    buildName: "hostproof #77",
    buildUrl: "https://gitlab.example/infra/audit/-/pipelines/5555",
  });
});

test("Jenkins: the build URL and number", () => {
  const env = { JENKINS_URL: "https://jenkins.example/", BUILD_URL: "https://jenkins.example/job/audit/19/", BUILD_NUMBER: "19", JOB_NAME: "audit" };
  assert.deepEqual(executorFromEnv(env), {
    name: "Jenkins",
    type: "jenkins",
    url: "https://jenkins.example/",
    buildOrder: 19,
    buildName: "audit #19",
    buildUrl: "https://jenkins.example/job/audit/19/",
  });
});

test("no CI: a local executor naming who ran it; the build order only when given", () => {
  assert.deepEqual(executorFromEnv({}, { localWho: "alice@laptop" }), { name: "hostproof (local run)", type: "local", buildName: "alice@laptop" });
  assert.deepEqual(executorFromEnv({ GITHUB_ACTIONS: "false", TF_BUILD: "", JENKINS_URL: "  " }, { localWho: "a@b", localBuildOrder: 3 }), {
    name: "hostproof (local run)",
    type: "local",
    buildOrder: 3,
    buildName: "a@b",
  });
  assert.match(executorFromEnv({}).buildName ?? "", /.+@.+/);
});

test("partial variables give a partial executor, never 'undefined' in a link or a bad build order", () => {
  const gh = executorFromEnv({ GITHUB_ACTIONS: "true", GITHUB_RUN_NUMBER: "n/a" });
  assert.deepEqual(gh, { name: "GitHub Actions", type: "github", url: "https://github.com", buildName: "#n/a" });
  assert.ok(!JSON.stringify(executorFromEnv({ TF_BUILD: "true", BUILD_BUILDID: "5" })).includes("undefined"));
});

test("GitHub wins over Jenkins when both are set (a Jenkins agent inside an Actions job)", () => {
  assert.equal(executorFromEnv({ GITHUB_ACTIONS: "true", JENKINS_URL: "https://j/" }).type, "github");
});

test("writeExecutor writes executor.json for Allure", (t) => {
  const dir = scratch(t);
  writeExecutor(dir, { name: "Jenkins", type: "jenkins", buildOrder: 1 });
  assert.deepEqual(JSON.parse(readFileSync(join(dir, "executor.json"), "utf8")), { name: "Jenkins", type: "jenkins", buildOrder: 1 });
});
