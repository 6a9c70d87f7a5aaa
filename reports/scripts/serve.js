// A tiny static server for the built site, bound to 127.0.0.1 only.
//
//   node scripts/serve.js [dist] [port]     (port 0 picks a free one)
//
// Like any plain static host it serves a file by its own name and adds nothing: the site
// links every page by its file name (segments/3.html), so a link without `.html` is a 404
// here too. A folder is served from its index.html, as ordinary web servers do.
import {createReadStream, existsSync, statSync} from "node:fs";
import {createServer} from "node:http";
import path from "node:path";
import {fileURLToPath} from "node:url";

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2"
};

function resolveFile(root, urlPath) {
  let pathname;
  try {
    pathname = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const file = path.resolve(root, "." + path.posix.normalize(pathname));
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  const candidates = [file, path.join(file, "index.html")];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile()) ?? null;
}

/** Serves `root` on 127.0.0.1:`port`; resolves to {server, url}. */
export function serve(root, port = 0) {
  root = path.resolve(root);
  const server = createServer((request, response) => {
    const {pathname} = new URL(request.url, "http://127.0.0.1");
    const file = resolveFile(root, pathname);
    if (!file || (request.method !== "GET" && request.method !== "HEAD")) {
      const notFound = path.join(root, "404.html");
      response.writeHead(file ? 405 : 404, {"content-type": types[".html"]});
      if (!file && existsSync(notFound)) return createReadStream(notFound).pipe(response);
      return response.end(file ? "method not allowed" : "not found");
    }
    response.writeHead(200, {"content-type": types[path.extname(file)] ?? "application/octet-stream"});
    if (request.method === "HEAD") return response.end();
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      resolve({server, url: `http://127.0.0.1:${server.address().port}/`});
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const root = process.argv[2] ?? "dist";
  const port = Number(process.argv[3] ?? process.env.PORT ?? 3000);
  if (!existsSync(path.join(root, "index.html"))) {
    console.error(`${root}/index.html not found: run \`make build\` (or \`make report\`) first`);
    process.exit(1);
  }
  const {url} = await serve(root, port);
  console.log(`Serving ${path.resolve(root)} at ${url} (Ctrl-C to stop)`);
}
