// Builds the report site: `npm run build` (make report / make build).
//
// 1. Clears the data-loader cache (src/.observablehq/cache), so no stale data ships: the
//    loaders re-run every .sql file against the current DuckDB file. Kept: _node/ (npm
//    packages bundled from node_modules) and _npm/ (the versions Framework resolved for its
//    built-in libraries, empty folders), both keyed by version so they cannot go stale;
//    keeping them means only the first build asks the npm registry anything.
// 2. Runs `observable build` with telemetry off into a new folder beside the site
//    (dist.building-<pid>-<random>), and fails if any loader failed.
// 3. Only then swaps the new site in (two renames) and deletes the old one: a failed, killed
//    (SIGINT/SIGTERM) or interrupted build keeps the previous site as it was.
// 4. Prints the build time and the size of the built site.
import {spawn} from "node:child_process";
import {randomBytes} from "node:crypto";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync} from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const cache = path.join(root, "src", ".observablehq", "cache");
const output = path.resolve(root, process.env.REPORT_OUTPUT_DIR ?? "dist");
const parent = path.dirname(output);
const building = `${path.basename(output)}.building-`;
const replaced = `${path.basename(output)}.old-`;

if (existsSync(cache)) {
  for (const entry of readdirSync(cache)) {
    if (entry !== "_node" && entry !== "_npm") rmSync(path.join(cache, entry), {recursive: true, force: true});
  }
}
mkdirSync(parent, {recursive: true});
removeOrphans();
const staging = mkdtempSync(path.join(parent, `${building}${process.pid}-`));

const start = performance.now();
const env = {...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true", DO_NOT_TRACK: "1", REPORT_OUTPUT_DIR: staging};
const bin = path.join(root, "node_modules", ".bin", "observable");
const child = spawn(bin, ["build"], {cwd: root, env, stdio: ["ignore", "pipe", "pipe"]});
// Ctrl-C or SIGTERM: stop Framework, delete the half-built site, keep the previous one.
let stoppedBy = null;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stoppedBy ??= signal;
    child.kill("SIGTERM");
  });
}

let log = "";
for (const stream of [child.stdout, child.stderr]) {
  stream.on("data", (chunk) => {
    log += chunk;
    if (process.env.REPORT_VERBOSE) process.stdout.write(chunk);
  });
}
// A missing Framework (no `npm ci` yet) is an "error" event, not an exit: report it like a failed
// build, so the half-made folder is deleted and the message says what to run.
const code = await new Promise((resolve) => {
  child.on("error", (error) => {
    log += `error: cannot run ${bin} (${error.code}); run \`make build\` or \`npm ci\` in reports/\n`;
    resolve(127);
  });
  child.on("close", resolve);
});
const seconds = (performance.now() - start) / 1000;
// eslint-disable-next-line no-control-regex
const plain = log.replace(/\x1b\[[0-9;]*m/g, "");
const failures = plain.split("\n").filter((line) => /\berror\b|Unexpected error|run_sql:/i.test(line));

if (stoppedBy) {
  rmSync(staging, {recursive: true, force: true});
  console.error(`\nreport build stopped (${stoppedBy}); the previous site was kept: ${output}`);
  process.exit(128 + (stoppedBy === "SIGINT" ? 2 : 15));
}
if (code !== 0 || failures.length || !existsSync(path.join(staging, "index.html"))) {
  rmSync(staging, {recursive: true, force: true});
  if (!process.env.REPORT_VERBOSE) process.stdout.write(plain);
  console.error(`\nreport build failed (exit code ${code}${failures.length ? `; ${failures.length} error lines` : ""})`);
  for (const line of failures) console.error(`  ${line.trim()}`);
  console.error(`the previous site was kept: ${output}`);
  process.exit(1);
}

// The swap: synchronous, so no signal handler runs between the two renames.
const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
const old = existsSync(output) ? path.join(parent, `${replaced}${suffix}`) : null;
if (old) renameSync(output, old);
renameSync(staging, output);
if (old) rmSync(old, {recursive: true, force: true});

// Folders of builds whose process is gone (SIGKILL, power loss); live ones are left alone. A build
// killed between the two renames of the swap left no site, only the old one: that one goes back.
function removeOrphans() {
  for (const entry of readdirSync(parent)) {
    const prefix = [building, replaced].find((p) => entry.startsWith(p));
    const pid = prefix && Number.parseInt(entry.slice(prefix.length), 10);
    if (!pid || isRunning(pid)) continue;
    if (prefix === replaced && !existsSync(output)) renameSync(path.join(parent, entry), output);
    else rmSync(path.join(parent, entry), {recursive: true, force: true});
  }
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

function size(dir) {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = size(file);
      bytes += inner.bytes;
      files += inner.files;
    } else {
      bytes += statSync(file).size;
      files += 1;
    }
  }
  return {bytes, files};
}

const pages = (plain.match(/^render /gm) ?? []).length;
const {bytes, files} = size(output);
console.log(
  `report site built: ${pages} pages, ${files} files, ${(bytes / 1e6).toFixed(2)} MB in ` +
    `${path.relative(process.cwd(), output) || "."}, ${seconds.toFixed(1)} s`
);
