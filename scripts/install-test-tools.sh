#!/usr/bin/env bash
# Installs every tool the tests use, on Debian or Ubuntu: the one list of them (.ci/run, CI's entry
# point, calls this too). Without a tool its tests skip, and `npm test` ends by naming them and this
# command. Run it after `npm ci`, as root or as a user who may use sudo; it installs only what is
# missing, so running it again is cheap.
#
#   scripts/install-test-tools.sh            install what is missing
#   scripts/install-test-tools.sh --list     each tool the tests use: present or missing, and from where
#   scripts/install-test-tools.sh --dry-run  the commands it would run, without running them
#   scripts/install-test-tools.sh --tools    the tool names, comma-separated (HOSTPROOF_REQUIRE_TOOLS)
#
# Tools Debian does not package go into .tools/ (not committed), where scripts/run-tests.js finds
# them: .tools/pwsh, .tools/launcher/pwsh and .tools/saf.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=install
case "${1:-}" in
  "") ;;
  --list) mode=list ;;
  --dry-run) mode=dry-run ;;
  --tools) mode=tools ;;
  -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "install-test-tools.sh: unknown option $1 (--list, --dry-run, --tools or none)" >&2; exit 3 ;;
esac

# Each line: the name the tests give the tool (test/helpers/require-tool.ts; "-" for a package the
# tests need under no name of its own), the check that finds it, how it is installed, and what.
#  - apt: Debian packages, one apt run for all that are missing.
#  - apt-lean: without recommendations: ansible-core recommends the whole `ansible` collection
#    bundle (about 250 MB) that ansible-inventory does not need.
#  - npm-ci: a dependency of hostproof itself: `npm ci` installs it.
#  - dotnet, launcher, saf: see install_pwsh, install_launcher and install_saf.
TOOLS=(
  # Allure's HTML report is written by a Java program.
  "java|have_java|apt|default-jre-headless"
  "allure-commandline|have_allure|npm-ci|allure-commandline"
  # Real ssh hops on loopback; ssh-keygen makes and checks the SSH signatures of signed reports,
  # openssl the PEM keys they are signed with.
  "sshd|have_sshd|apt|openssh-server openssh-client"
  "ssh|have_cmd ssh|apt|openssh-client"
  "ssh-keygen|have_cmd ssh-keygen|apt|openssh-client"
  "openssl|have_cmd openssl|apt|openssl"
  # The report checked in a real browser (playwright-core drives it; it never downloads one).
  "chromium|have_chromium|apt|chromium"
  # The shell scripts of examples/ci.
  "shellcheck|have_cmd shellcheck|apt|shellcheck"
  # GitHub's Markdown engine, which renders summary.md; jq runs the summary's documented one-liners.
  "cmark-gfm|have_cmd cmark-gfm|apt|cmark-gfm"
  "jq|have_cmd jq|apt|jq"
  # A real Active Directory domain controller for `discover` (test/helpers/samba-dc.ts provisions a
  # throwaway domain on a loopback address; the install starts no daemon); ldbadd fills it.
  "samba|have_samba_dc|apt|samba-ad-dc"
  "samba|have_cmd ldbadd|apt|ldb-tools"
  # The Excel export read back by openpyxl, the PDF by pdftotext and pdftoppm; DejaVu is the PDF's font.
  "openpyxl|have_openpyxl|apt|python3-openpyxl"
  "poppler|have_cmd pdftotext|apt|poppler-utils"
  "-|have_dejavu|apt|fonts-dejavu-core"
  # The real ansible-inventory, whose JSON --inventory reads.
  "ansible|have_cmd ansible-inventory|apt-lean|ansible-core"
  # PowerShell 7.6.9 (.config/dotnet-tools.json): every line of PowerShell hostproof ships runs under it.
  "pwsh|have_pwsh|dotnet|PowerShell (.NET local tool, .config/dotnet-tools.json) as .tools/pwsh"
  "pwsh-launcher|have_launcher|launcher|PowerShell (dotnet tool install --tool-path .tools/launcher)"
  # MITRE's SAF CLI reads the HDF and checklist exports back.
  "saf|have_saf|saf|@mitre/saf@1.5.3 into .tools/saf"
)

PWSH=.tools/pwsh
LAUNCHER=.tools/launcher/pwsh
SAF=.tools/saf/node_modules/.bin/saf
SAF_PACKAGE=@mitre/saf@1.5.3

have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_java() { have_cmd java || [ -n "${JAVA_HOME:-}" ]; }
have_allure() { [ -x node_modules/allure-commandline/bin/allure ]; }
have_sshd() { [ -x /usr/sbin/sshd ]; }
have_chromium() { [ -x /usr/bin/chromium ] || [ -x /usr/bin/chromium-browser ]; }
have_samba_dc() { [ -x /usr/sbin/samba ] && have_cmd samba-tool; }
have_openpyxl() { /usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1; }
have_dejavu() { [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; }
have_pwsh() { [ -n "${NODE_POWERSHELL:-}" ] || [ -x "$PWSH" ] || have_cmd pwsh; }
have_launcher() { [ -n "${HOSTPROOF_PWSH_LAUNCHER:-}" ] || [ -x "$LAUNCHER" ]; }
have_saf() { [ -n "${HOSTPROOF_SAF:-}" ] || [ -x "$SAF" ]; }

# The tools that are missing now, as lines of TOOLS.
missing_entries() {
  local entry check
  for entry in "${TOOLS[@]}"; do
    IFS='|' read -r _ check _ _ <<<"$entry"
    # shellcheck disable=SC2086 # the check is a function and its argument
    $check || printf '%s\n' "$entry"
  done
}

# The packages of the entries of one kind among those on stdin, once each.
packages_of() {
  local kind=$1 entry k what
  while IFS= read -r entry; do
    IFS='|' read -r _ _ k what <<<"$entry"
    [ "$k" = "$kind" ] && printf '%s\n' "$what"
  done | tr ' ' '\n' | awk 'NF && !seen[$0]++'
}

pwsh_version() { sed -n 's/.*"version": *"\([0-9.]*\)".*/\1/p' .config/dotnet-tools.json | head -n 1; }

# Runs a command with its output discarded, or only shows it under --dry-run.
run() {
  if [ "$mode" = dry-run ]; then printf '%s\n' "$*"; else "$@" >/dev/null; fi
}

as_root() {
  if [ "$(id -u)" = 0 ]; then run "$@"
  elif [ "$mode" = dry-run ] || have_cmd sudo; then run sudo "$@"
  else echo "== not root and no sudo: cannot run $*" >&2; return 1
  fi
}

install_apt() {
  local -a plain lean
  mapfile -t plain < <(printf '%s\n' "${missing[@]}" | packages_of apt)
  mapfile -t lean < <(printf '%s\n' "${missing[@]}" | packages_of apt-lean)
  [ $(( ${#plain[@]} + ${#lean[@]} )) -gt 0 ] || return 0
  echo "== installing from Debian: ${plain[*]} ${lean[*]}"
  as_root apt-get update -qq || return 1
  if [ ${#plain[@]} -gt 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${plain[@]}" || return 1
  fi
  if [ ${#lean[@]} -gt 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${lean[@]}" || return 1
  fi
}

# A .NET local tool has no executable of its own, and the package holds a Windows and a Unix
# pwsh.dll: .tools/pwsh runs the Unix one with `exec`, so pwsh is one process that node-powershell
# can stop.
install_pwsh() {
  have_cmd dotnet || { echo "== pwsh needs the .NET 10 SDK (https://learn.microsoft.com/dotnet/core/install/linux), then run this again" >&2; return 1; }
  local version dll
  version=$(pwsh_version)
  dll="${NUGET_PACKAGES:-$HOME/.nuget/packages}/powershell/$version/tools/net10.0/any/unix/pwsh.dll"
  if [ "$mode" = dry-run ]; then
    echo "dotnet tool restore"
    echo "write $PWSH: exec dotnet \"$dll\" \"\$@\""
    return 0
  fi
  dotnet tool restore >/tmp/hostproof-dotnet-tool-restore.log 2>&1 || {
    echo "== pwsh could not be restored:" >&2; tail -n 5 /tmp/hostproof-dotnet-tool-restore.log >&2; return 1; }
  [ -f "$dll" ] || { echo "== $dll is missing after dotnet tool restore" >&2; return 1; }
  mkdir -p .tools
  printf '#!/bin/sh\nexec dotnet "%s" "$@"\n' "$dll" > "$PWSH"
  chmod +x "$PWSH"
}

# The launcher users get from `dotnet tool install`, which starts pwsh as a child: the session
# tests prove a stopped shell takes that child with it.
install_launcher() {
  have_cmd dotnet || { echo "== the pwsh launcher needs the .NET 10 SDK, then run this again" >&2; return 1; }
  run dotnet tool install PowerShell --version "$(pwsh_version)" --tool-path .tools/launcher 2>/dev/null || {
    echo "== dotnet tool install PowerShell --tool-path .tools/launcher failed" >&2; return 1; }
}

# In a folder of its own, not a devDependency: it adds 650 packages and 450 MB, and asks for
# Node 22 (it runs the converters the tests use on Node 20).
install_saf() {
  if [ "$mode" = dry-run ]; then echo "npm install --prefix .tools/saf $SAF_PACKAGE"; return 0; fi
  npm install --prefix .tools/saf --no-audit --no-fund --loglevel=error "$SAF_PACKAGE" >/tmp/hostproof-saf-install.log 2>&1 || {
    echo "== the SAF CLI could not be installed:" >&2; tail -n 5 /tmp/hostproof-saf-install.log >&2; return 1; }
}

case "$mode" in
  tools)
    for entry in "${TOOLS[@]}"; do printf '%s\n' "${entry%%|*}"; done | awk '$0 != "-" && !seen[$0]++' | paste -sd, -
    exit 0 ;;
  list)
    for entry in "${TOOLS[@]}"; do
      IFS='|' read -r tool check kind what <<<"$entry"
      # shellcheck disable=SC2086 # the check is a function and its argument
      if $check; then state=present; else state=missing; fi
      printf '%-19s %-8s %-9s %s\n' "$tool" "$state" "$kind" "$what"
    done
    exit 0 ;;
esac

mapfile -t missing < <(missing_entries)
failed=0
kinds=$(printf '%s\n' "${missing[@]}" | cut -d'|' -f3)
install_apt || failed=1
grep -qx dotnet <<<"$kinds" && { install_pwsh || failed=1; }
grep -qx launcher <<<"$kinds" && { install_launcher || failed=1; }
grep -qx saf <<<"$kinds" && { install_saf || failed=1; }
grep -qx npm-ci <<<"$kinds" && echo "== allure-commandline is a dependency of hostproof: run npm ci first" >&2
[ "$mode" = dry-run ] && exit 0

have_cmd java && echo "== $(java -version 2>&1 | head -n 1)"
have_chromium && echo "== $( (chromium --version || chromium-browser --version) 2>/dev/null | head -n 1)"
have_cmd ansible-inventory && echo "== $(ansible-inventory --version 2>/dev/null | head -n 1)"
# shellcheck disable=SC2016 # PowerShell's variable, for pwsh to expand
[ -x "$PWSH" ] && echo "== pwsh $(TERM=dumb "$PWSH" -NoLogo -NoProfile -Command '$PSVersionTable.PSVersion.ToString()' 2>&1)"

mapfile -t still < <(missing_entries)
if [ ${#still[@]} -gt 0 ]; then
  echo "== still missing (their tests will skip, or fail under HOSTPROOF_REQUIRE_TOOLS):" >&2
  printf '%s\n' "${still[@]}" | cut -d'|' -f1,4 | sed 's/|/: /; s/^/   /' >&2
  exit 1
fi
[ "$failed" = 0 ] || exit 1
echo "== every tool the tests use is here"
