/** Help texts. Kept together so that the README and --help say the same thing. */
import { REGISTRY } from "../report/formats";
import type { Format } from "../report/formats/format";
import { LARGE_ESTATE_HOSTS } from "../report/formats/choose";

const NAME_WIDTH = 27;

/** `  <file>  <description>` per format: --help's list of outputs (help-layout.ts wraps the description under itself). */
export function formatLines(formats: readonly Format[]): string {
  return formats.map((f) => row(f.opens ?? f.files[0]!, 2 + NAME_WIDTH, f.description)).join("\n");
}

/** `  <name>  <file>: <description>` per format: `export --help`'s list of the names it takes. */
export function formatNameLines(formats: readonly Format[]): string {
  return formats.map((f) => row(f.name, 18, `${f.opens ?? f.files.join(", ")}: ${f.description}`)).join("\n");
}

/** A table row: a term too long for its column stands on a line of its own, the description under it at the column. */
function row(name: string, column: number, text: string): string {
  const lead = `  ${name}`;
  return lead.length + 2 <= column ? lead.padEnd(column) + text : `${lead}\n${" ".repeat(column)}${text}`;
}

/** What a run writes by default at each size, from the registry: run --help and merge --help say it. */
function sizeDefaults(formats: readonly Format[]): string {
  const files = (list: readonly Format[]): string => list.map((f) => f.opens ?? f.files[0]!).join(", ");
  const limit = LARGE_ESTATE_HOSTS.toLocaleString("en-US");
  const large = formats.filter((f) => (f.atScale === true && f.onRequest !== true) || f.html === "pages");
  const asked = formats.filter((f) => (f.atScale !== true || f.onRequest === true) && f.html === undefined).map((f) => f.name);
  const onRequest = formats.filter((f) => f.onRequest === true).map((f) => f.files[0]!);
  const all = onRequest.length > 0 ? `all of these but ${onRequest.join(", ")} (on request only)` : "all of these";
  return `Up to ${limit} hosts a run writes ${all}, with Allure's single file as the HTML report. Above, it writes ${files(large)}; the others (${asked.join(", ")}) with --export <name>, or later with hostproof export.`;
}

export const MAIN_HELP = `hostproof - check Windows Server and Hyper-V hosts and clusters against compliance controls

Usage:
  hostproof run --inventory <file> [options]    judge an estate and write the reports
  hostproof collect --inventory <file> --out <dir>
                                                read every live host once and write its snapshot
  hostproof discover --ldap <url> --base <DN> --out <dir>
                                                read Active Directory's computers: an inventory
                                                of the active servers and a directory snapshot
  hostproof validate <file>...                  check inventory, snapshot, waiver and feature files
  hostproof controls [--tags <expr>] [--min-severity <level>] [--probes]
                                                list the controls (and the facts they read)
  hostproof run --inventory <file> --shard K/N  judge one share of the estate (one per CI job)
  hostproof merge <shard dir>... --out <dir>    combine the shards into the report of the whole estate
  hostproof verify <report dir> [--expect <sha256>]
                                                check a report against its evidence manifest
  hostproof export <report dir> --format <name>
                                                derive a format (hdf, junit, pages...) from a report
  hostproof <command> --help                    help for one command
  hostproof --version

Every command that selects controls takes --tags <expr> (a Cucumber tag expression),
--min-severity <level> (that severity and above), --features <dir> (repeatable: your own controls
beside the built-in ones) and --no-builtin (your own controls only); every selected control is
linted first.

Exit codes (run):
  0  compliant (nothing non-compliant at or above --fail-on, nothing undetermined)
  1  non-compliant at or above --fail-on
  2  nothing non-compliant at or above --fail-on, but something undetermined
  3  bad usage or bad input (the message names the file, the field and the fix)
  4  internal error in hostproof (a bug: please report it)
  5  the file system refused (read-only, permission denied, disk full): the environment, not a bug
  130, 143  interrupted (Ctrl-C, SIGTERM); the earlier report is left as it was
Each command's --help gives its own.

Examples:
  hostproof run -i examples/demo/inventory.yaml --exit-zero
      judge the bundled demo estate (what npm start does)
  hostproof validate estate.yaml waivers.yaml
      check your own files before a run
  hostproof run -i estate.yaml -o reports/prod --fail-on high
      judge your estate; exit 1 on a high or critical failure
  hostproof verify reports/prod --expect <sha256>
      prove a report unchanged since the run printed that SHA-256
`;

export const RUN_HELP = `Usage: hostproof run --inventory <file> [options]

Judges every host and cluster of the inventory against the controls in features/ (and any
--features folders), prints a
host × control matrix and the verdict, and writes the reports under --out. Hosts with a live
transport (local, ssh, winrm) are first read once each through PowerShell 7; snapshot hosts are
read from their files.

Written under --out (default: reports):
${formatLines(REGISTRY.formats)}
  cucumber-messages.ndjson   Cucumber's own message stream: one test run per slice of the estate
  evidence/snapshots/        the snapshots that were judged
  evidence/manifest.json     SHA-256 of every file; check it with hostproof verify <dir>
  attestation.intoto.jsonl   with --sign-key: an in-toto attestation (DSSE, Ed25519) over the
                             manifest and summary.json; hostproof verify --key <public key>
  evidence/manifest.json.sig with an OpenSSH --sign-key: the manifest's SSH signature
                             (ssh-keygen -Y verify -n hostproof)

${sizeDefaults(REGISTRY.formats)}

The estate is read, judged and written slice by slice (whole clusters, up to 1,000 hosts), so
memory stays bounded whatever its size. The run writes into a staging folder beside --out and
replaces --out only once every file is written: an interrupted or failed run leaves the earlier
report as it was. The earlier report is deleted afterwards, by a background process.

History (Allure's trend and the previous results, for "what changed") is kept outside the report,
in .hostproof-history/<out name> beside --out, or --history <dir>.

Options:
  -i, --inventory <file>   inventory (YAML or JSON); required
  -o, --out <dir>          output folder (default: reports)
  -t, --tags <expr>        Cucumber tag expression choosing controls,
                           e.g. "@severity:critical or @area:dns", "not @manual"
      --features <dir>     a folder of your own .feature files, added to the built-in
                           controls (repeatable); each control is linted first (exit 3)
      --no-builtin         leave the built-in controls out: only the --features folders
      --min-severity <level>
                           judge only the controls of this severity and above: critical, high,
                           medium or low; with --tags, the controls both select. The controls
                           below it are not judged at all (the report records the selection)
      --fail-on <level>    lowest severity that fails the gate: critical, high, medium,
                           low or any (default: any); the controls below it are judged and
                           reported, but do not fail the gate
      --as-of <date>       the day end-of-support dates and waiver expiries are compared with,
                           yyyy-mm-dd (default: today, UTC); set it to re-judge old evidence as of then
  -w, --waivers <file>     accepted risks (YAML or JSON, schemas/waivers.schema.json): a failure a
                           waiver covers is reported as waived and does not fail the gate; an
                           undetermined result only with runControl: false (an attestation)
      --waiver-warn-days <n>
                           report a waiver as expiring this many days before its last day
                           (default: 14)
      --html <style>       the HTML report: single (Allure's one file, needs Java), pages (the
                           browsable report for large estates, pages/index.html) or auto
                           (default: single up to 2,000 hosts, pages above)
      --no-html            skip the HTML report (no Java needed)
      --export <names>     formats written besides the defaults for the estate's size
                           (comma-separated or repeated; names as hostproof export --help lists)
      --no-export <names>  default formats left out (summary, the record's results, stays);
                           hostproof export derives any of them from the report later
      --history <dir>      where Allure's history and the previous results are kept, for the
                           trend and "what changed" (default: .hostproof-history/<out name>
                           beside --out)
      --no-history         keep no history and report no drift
      --exit-zero          exit 0 even when the gate fails (for demos); bad input still exits 3
      --allow-outside-snapshots
                           read snapshot paths that resolve (links followed) outside the
                           inventory's folder; refused by default
      --directory <file>   a directory snapshot (hostproof discover's directory.json) for the
                           estate-wide controls; overrides the inventory's directory field.
                           Kept in the report as evidence/directory/<file>
      --shard <K/N>        judge only shard K of N of the estate, for \`hostproof merge\` to combine:
                           contiguous runs of the inventory balanced by host count, a cluster
                           never split; the same inventory always gives the same shares. Also
                           writes evidence/shard.json, which merge reads. Give every shard the
                           same --as-of: shards of different days are not merged
      --sign-key <file>    sign the report with this Ed25519 private key: a PKCS#8 PEM
                           (openssl genpkey -algorithm ed25519) or an unencrypted OpenSSH key
                           (ssh-keygen -t ed25519 -N ''). Also HOSTPROOF_SIGN_KEY_FILE, or
                           HOSTPROOF_SIGN_KEY holding the key itself (a CI secret)
      --no-color           plain output (also when NO_COLOR is set or output is not a terminal)
  -h, --help               this help

Progress (phases, counts, elapsed time) goes to stderr: one updating line on a terminal, one
plain line per phase in CI (no terminal, or CI set). The summary goes to stdout.

Exit codes:
  0  compliant: nothing non-compliant at or above --fail-on, nothing undetermined
  1  non-compliant at or above --fail-on
  2  nothing non-compliant at or above --fail-on, but something undetermined
  3  bad usage or bad input (the message names the file, the field and the fix); also an
     --out or --history overlapping an input, an --out another hostproof is writing, or a
     signing key that is not an unencrypted Ed25519 private key
  4  internal error in hostproof (a bug: please report it)
  5  the file system refused (read-only, permission denied, disk full)
  130, 143  interrupted (Ctrl-C, SIGTERM); --out is as it was before the run

Examples:
  hostproof run -i estate.yaml
      judge the estate, reports in reports/
  hostproof run -i estate.yaml -o reports/prod --fail-on high --no-html
      a CI gate: only high and critical failures fail it; no Java needed
  hostproof run -i estate.yaml --features controls/acme
      the built-in controls and your organisation's own, in controls/acme/*.feature
  hostproof run -i estate.yaml --shard 2/4 -o shard-2 --no-history --exit-zero
      the second of four CI jobs; then hostproof merge shard-1 shard-2 shard-3 shard-4 -o reports
`;

export const MERGE_HELP = `Usage: hostproof merge <shard dir>... --out <dir> [options]

Combines the reports of \`hostproof run --shard K/N\` (K = 1 to N, one folder each) into the report
one run over the whole estate gives: summary.json (results, totals, verdict, exit code),
summary.md, junit.xml, allure-results/, the HTML and evidence/snapshots/, the same field for
field; only times and paths differ. Nothing is judged again: each shard's results and snapshots
are read back, put in the estate's order, and written as a run writes them. Waiver use ("matched
nothing", "waived nothing") is counted over the whole estate.

The merged evidence/manifest.json records each shard's manifest SHA-256: hostproof verify on the
merged report follows that chain to the shards when they are at hand. Two records are the shards'
own rather than one run's: cucumber-messages.ndjson holds each shard's Cucumber runs in turn, and
Allure's Environment panel (who ran it, from which inventory path) is the first shard's.

Merge refuses (exit 3, nothing written) shards that do not belong together: a shard whose files
differ from its manifest (tampered), one that is not a shard, shards of different estates,
features, hostproof versions, as-of days, --tags or --min-severity, --fail-on or waivers, a shard given twice, a
host in two shards, or a shard missing. Also a shard that contradicts its own results (its
summary.json's totals, verdict, exit code or waiver counts, or its evidence/shard.json, disagree
with what its results give), and a shard file that changed while merge read it: each file is
read once, and its bytes are hashed as they are used.

Options:
  -o, --out <dir>          output folder (default: reports); not one of the shards
      --html <style>       single, pages or auto, as for run (default: auto)
      --no-html            skip the HTML report (no Java needed)
      --export <names>     formats written besides the defaults, as for run; the defaults are
                           those of a run over the whole estate (--help of run says them)
      --no-export <names>  default formats left out, as for run
      --history <dir>      where Allure's history and the previous results are kept, for the
                           trend and "what changed" (default: .hostproof-history/<out name>
                           beside --out); carry it between CI runs
      --no-history         keep no history and report no drift
      --key <file>         every shard must be signed by one of these Ed25519 public keys (an SPKI
                           PEM or OpenSSH public key lines; repeatable), else exit 3
      --sign-key <file>    sign the merged report, as run --sign-key (also HOSTPROOF_SIGN_KEY_FILE
                           or HOSTPROOF_SIGN_KEY)
      --exit-zero          exit 0 even when the gate fails; refused shards still exit 3
      --no-color           plain output
  -h, --help               this help

Exit codes:
  0  compliant
  1  non-compliant at or above the shards' --fail-on
  2  undetermined
  3  bad usage, or shards that do not belong together, contradict themselves or changed while
     read (the message says which and why), a shard not signed by a --key, a bad signing key,
     or an --out another hostproof is writing
  4  internal error
  5  the file system refused

Examples:
  hostproof merge shard-1 shard-2 shard-3 shard-4 --out reports
      the whole estate's report from four CI jobs' shards
  hostproof merge shards/* -o reports --history .hostproof-history/prod
      with history carried between CI runs (restore it before, save it after)
  hostproof merge shards/* -o reports --key signing.pub --sign-key signing.key
      only shards signed by the CI's key, and the merged report signed with it
`;

export const VALIDATE_HELP = `Usage: hostproof validate [<file or folder>...] [-i <inventory>] [--waivers <file>]
                         [--directory <file>] [--features <dir>]... [--no-builtin]

Checks what run would check before it reads a host, with the same checks and in the same words,
and changes nothing. Give it the files as run is given them (-i, --waivers, --directory,
--features), or name them: the kind of each is recognised from its content (an inventory, also
ansible-inventory's JSON; a waiver file; a host snapshot; a directory snapshot, kind
hostproof-directory), and a folder or a name ending in .feature is linted as controls.

  inventory     schema, duplicate hosts, clusters naming unknown hosts, credentials; every
                snapshot it reads, as run reads it; its directory (a snapshot inside its folder,
                or { none: <why> }); transports this machine cannot use (winrm off Windows, a
                live host with no usable pwsh)
  waivers       schema, unknown control IDs, duplicate ids, { directory: <DN> } scopes on
                controls not judged over the directory; with an inventory, scopes that would
                cover nothing (a host named as a cluster, a short name for a full one)
  directory     schema, its count, objects listed twice, a base DN that names no domain
  controls      the control lint, on the built-in controls and every --features folder

Warnings (exit 0): a waiver already expired (today, UTC), a waiver scope naming no host or
cluster of the inventory (one waiver file may serve several estates); waivers expiring within
14 days are listed. Paths (snapshots, the directory) must resolve inside the inventory's folder,
as for run, unless --allow-outside-snapshots is given.

Exit codes:
  0  every file is valid (warnings may be printed)
  3  at least one is not: each problem names the file, the line, the field and the fix, as run
     would name it

Options:
  -i, --inventory <file>  the inventory, as run takes it
  -w, --waivers <file>    the waiver file, checked against the controls and the inventory
      --directory <file>  a directory snapshot (hostproof discover), in place of the inventory's
      --features <dir>    controls the named files are checked beside (repeatable)
      --no-builtin        not beside the built-in controls
      --allow-outside-snapshots
                          snapshot paths may resolve outside the inventory's folder
  -h, --help              this help

Examples:
  hostproof validate -i estate.yaml --waivers waivers.yaml
      what run -i estate.yaml --waivers waivers.yaml would refuse, before it reads a host
  hostproof validate estate.yaml waivers.yaml directory.json
      the same files named by their content: each file checked, the waivers against the inventory
  hostproof validate controls/acme
      lint your own controls before a run uses them with --features controls/acme
`;

export const CONTROLS_HELP = `Usage: hostproof controls [--tags <expr>] [--min-severity <level>] [--probes] [--framework nist|stig|cis] [--json] [--features <dir>]... [--no-builtin]

Lists the controls: ID, severity, origin ("built-in" or the --features folder), title and feature
file. Every selected feature is linted first.

Options:
  -t, --tags <expr>   only the controls a Cucumber tag expression selects
      --min-severity <level>
                      only the controls of this severity and above (critical, high, medium,
                      low); with --tags, the controls both select
      --features <dir>
                      also the controls of this folder of .feature files (repeatable)
      --no-builtin    without the built-in controls
      --probes        also the facts each control reads, and the probes a host is read for
      --framework nist|stig|cis
                      coverage instead: each NIST SP 800-53 rev5 control, STIG rule or CIS
                      recommendation the controls map, and which controls check or contradict it
      --json          machine-readable output
  -h, --help          this help

Exit codes:
  0  listed
  3  bad usage (an unknown option, a tag expression that does not parse, a --min-severity that is
     not a severity), or a control the lint refuses

Examples:
  hostproof controls
      every control: ID, severity, origin, title, feature file
  hostproof controls -t @area:cluster --min-severity high
      what a selection picks (the high and critical cluster controls), before a run uses it
  hostproof controls --framework stig
      the STIG rules the controls check, and those a control contradicts on purpose
  hostproof controls --features controls/acme --probes
      your own controls beside the built-in ones, and the facts each reads
`;

export const COLLECT_HELP = `Usage: hostproof collect --inventory <file> --out <dir> [options]

Reads every host with a live transport (local, ssh, winrm) in one PowerShell round trip, for the
probes the selected controls need, and writes <dir>/snapshots/<host>.json plus <dir>/inventory.json
pointing at them (transport: snapshot, no credentials). Judge them anywhere, with no PowerShell:
hostproof run --inventory <dir>/inventory.json. A host that cannot be read still gets a snapshot,
every probe of it recording why. Needs PowerShell 7 (pwsh) on this machine.

Options:
  -i, --inventory <file>   inventory (YAML or JSON); required
  -o, --out <dir>          output folder; required (replaced only if hostproof wrote it)
  -t, --tags <expr>        read only what the controls this tag expression selects need
      --min-severity <level>
                           read only what the controls of this severity and above need
                           (critical, high, medium, low); with --tags, the controls both select
      --features <dir>     also read what this folder's controls need (repeatable)
      --no-builtin         only what the --features folders' controls need
      --allow-outside-snapshots
                           copy snapshot paths that resolve outside the inventory's folder
      --concurrency <n>    hosts read at once (default: the inventory's collection.concurrency, else 16)
      --timeout <s>        per-host limit in seconds (default: collection.timeoutSeconds, else 120)
      --shard <K/N>        read only shard K of N of the estate (as run --shard cuts it); the
                           folder's inventory.json still lists the whole estate, so shard folders'
                           snapshots/ copied together are the estate collected
  -h, --help               this help

Exit codes:
  0  every live host was read
  2  some host could not be read (its snapshot says why, probe by probe)
  3  bad usage or bad input (including no pwsh, and winrm hosts on a runner that is not Windows),
     an --out overlapping the inventory or its snapshots, or one another hostproof is writing
  5  the file system refused (read-only, permission denied, disk full)
  130, 143  interrupted (Ctrl-C, SIGTERM); --out is as it was before

Examples:
  hostproof collect -i estate.yaml -o snaps
      read every live host once; snaps/inventory.json points at the snapshots
  hostproof collect -i estate.yaml -o snaps -t @area:network --concurrency 32 --timeout 60
      read only what the network controls need, 32 hosts at once, 60 s per host
  hostproof run -i snaps/inventory.json
      then judge the snapshots anywhere, with no PowerShell
`;

export const EXPORT_HELP = `Usage: hostproof export <report dir> --format <name>[,<name>...] [--out <dir>] [--expect <sha256>] [--key <file>...]

Derives output formats from a report that hostproof run or merge wrote, as the run writes them:
the same bytes, apart from the times only a run knows. The report is checked as hostproof verify
checks it, while it is read, each file once: its record (summary.json's results, the snapshots in
evidence/snapshots/, evidence/run.json) is read back a slice at a time, every byte checked against
the manifest as it is read, so memory stays bounded whatever the size of the estate, and every
other file is hashed meanwhile. A tampered report is refused and nothing is written.

The export goes to a folder of its own, apart from the report (default: <report dir>-<names>
beside it), so the report and its manifest stay as they were; that folder is replaced whole, once
every file is written. It holds export.json: the report it came from (by its manifest's SHA-256),
the report's signature (verified with --key, else as claimed), the formats, and the SHA-256 of
every file written; hostproof verify <export dir> checks it. A report made before
evidence/run.json existed is refused (exit 3), unless
it is a shard, whose evidence/shard.json records the same. allure-report needs Java, and draws no
trend: an export keeps no history.

Formats:
${formatNameLines(REGISTRY.formats)}

Options:
  -f, --format <name>      a format to derive (repeatable, or comma-separated); each brings the
                           formats it needs (allure-report brings allure-results)
  -o, --out <dir>          output folder (default: <report dir>-<names>, beside the report); not
                           inside the report
      --expect <sha256>    the report's manifest must have this SHA-256, as for hostproof verify
      --key <file>         an Ed25519 public key the report must be signed by (repeatable), as
                           for hostproof verify; export.json then records the signature verified
  -h, --help               this help

Exit codes:
  0  exported
  1  the report is not as it was written (a file modified, missing or unexpected, or the report
     contradicts its own results), its manifest is not the one --expect names, or it is not
     signed by a key --key gives: nothing exported
  3  bad usage or bad input: an unknown format, a folder that is not a report, a report with no
     run record, an --out overlapping the report or one another hostproof is writing, a report file
     that changed while it was read, a format this machine cannot make (allure-report without Java)
  4  internal error in hostproof (a bug: please report it)
  5  the file system refused (read-only, permission denied, disk full)
  130, 143  interrupted (Ctrl-C, SIGTERM); --out is as it was before

Examples:
  hostproof export reports --format hdf
      hdf.json of the report in reports, written to reports-hdf/
  hostproof export merged --format junit,csv -o merged-ci
      junit.xml and results.csv of a merged report
  hostproof export reports --format pages --expect <sha256>
      the browsable report of a report whose manifest the run printed as <sha256>
`;

export const DISCOVER_HELP = `Usage: hostproof discover --ldap <url> --base <DN> --out <dir> [options]

Reads every computer object of an Active Directory (or any LDAP directory holding AD's computer
attributes), a page at a time, and writes <dir>/directory.json (the directory snapshot: the query,
the server, the time and every object's raw attributes; schemas/directory-snapshot.schema.json)
and <dir>/inventory.yaml (the active servers as inventory hosts, the directory's facts as
comments). The bind account needs no rights beyond an ordinary domain user's.

Options:
      --ldap <url>          ldaps://dc[:636], or ldap://dc[:389] (StartTLS); required
      --base <DN>           where to search, e.g. DC=corp,DC=example; required
      --bind-dn <dn>        the read-only account (a DN or user@domain); without it, an anonymous bind
      --password-env <VAR>  the name of the environment variable holding the account's password
      --password-file <f>   a file holding it (one line). Never on the command line.
      --ca-file <pem>       the CA that signed the domain controller's certificate
      --no-starttls         ldap:// without TLS: only without a password (anonymous)
      --page-size <n>       objects per page, 1 to 1000 (default 500)
      --stale-days <n>      no logon or password change in this many days: stale (default 90)
      --transport <t>       transport written for every host: winrm (default) or ssh
  -o, --out <dir>           output folder; required. An inventory.yaml already there is kept
                            unless --replace (it may hold your edits)
      --replace             replace an existing <dir>/inventory.yaml
  -h, --help                this help

Exit codes:
  0  the directory was read and both files written
  3  bad usage or input: a certificate that does not verify, wrong credentials, a base DN that
     does not exist, no computer objects, an account that may not read operatingSystem, plain
     LDAP with a password; nothing was written
  5  the directory does not answer, or the file system refused; nothing was written
  130, 143  interrupted (Ctrl-C, SIGTERM); earlier files are as they were
`;
