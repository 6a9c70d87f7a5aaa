// Builds the report site: `npm run build` (make report / make build).
//
// 1. Clears the data-loader cache (src/.observablehq/cache), so no stale data ships: the
//    loaders re-run every .sql file against the current DuckDB file. Kept: _node/ (npm
//    packages bundled from node_modules) and _npm/ (the versions Framework resolved for its
//    built-in libraries, empty folders), both keyed by version so they cannot go stale;
//    keeping them means only the first build asks the npm registry anything.
// 2. Runs `observable build` with telemetry off and fails if any loader failed.
// 3. Prints the build time and the size of the built site.
import {spawn} from "node:child_process";
import {existsSync, readdirSync, rmSync, statSync} from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const cache = path.join(root, "src", ".observablehq", "cache");
const output = path.resolve(root, process.env.REPORT_OUTPUT_DIR ?? "dist");

if (existsSync(cache)) {
  for (const entry of readdirSync(cache)) {
    if (entry !== "_node" && entry !== "_npm") rmSync(path.join(cache, entry), {recursive: true, force: true});
  }
}
rmSync(output, {recursive: true, force: true});

const start = performance.now();
const env = {...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true", DO_NOT_TRACK: "1"};
const bin = path.join(root, "node_modules", ".bin", "observable");
const child = spawn(bin, ["build"], {cwd: root, env, stdio: ["ignore", "pipe", "pipe"]});
let log = "";
for (const stream of [child.stdout, child.stderr]) {
  stream.on("data", (chunk) => {
    log += chunk;
    if (process.env.REPORT_VERBOSE) process.stdout.write(chunk);
  });
}
const code = await new Promise((resolve) => child.on("close", resolve));
const seconds = (performance.now() - start) / 1000;
// eslint-disable-next-line no-control-regex
const plain = log.replace(/\x1b\[[0-9;]*m/g, "");
const failures = plain.split("\n").filter((line) => /\berror\b|Unexpected error|run_sql:/i.test(line));

if (code !== 0 || failures.length || !existsSync(path.join(output, "index.html"))) {
  if (!process.env.REPORT_VERBOSE) process.stdout.write(plain);
  console.error(`\nreport build failed (exit code ${code}${failures.length ? `; ${failures.length} error lines` : ""})`);
  for (const line of failures) console.error(`  ${line.trim()}`);
  process.exit(1);
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
