// Helpers shared by the browser tests: query the DuckDB file, drive Chromium, check a page.
import assert from "node:assert/strict";
import {execFileSync, spawn} from "node:child_process";
import {existsSync, mkdirSync} from "node:fs";
import path from "node:path";
import {chromium} from "playwright-core";

export const reportsDir = path.resolve(import.meta.dirname, "..");
export const python = process.env.REPORT_PYTHON ?? path.resolve(reportsDir, "../.venv/bin/python");
const runSql = path.join(reportsDir, "lib", "run_sql.py");

/** Rows of one SQL statement, run read-only by the same helper the loaders use. */
export function query(sql, env = {}) {
  const output = execFileSync(python, [runSql, "--query", sql], {encoding: "utf8", env: {...process.env, ...env}});
  return JSON.parse(output);
}

/**
 * Serves `root` with Python's http.server: a plain static file server that maps a URL to
 * the file of that name and nothing else (no `.html` added), like object storage or most
 * intranet hosts. Resolves to {url, close}.
 */
export function plainServer(root) {
  const child = spawn(python, ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", root], {
    stdio: ["ignore", "pipe", "ignore"]
  });
  return new Promise((resolve, reject) => {
    let output = "";
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`http.server exited with ${code}: ${output}`)));
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const port = /port (\d+)/.exec(output)?.[1];
      if (port) resolve({url: `http://127.0.0.1:${port}/`, close: () => child.kill()});
    });
  });
}

/** The URLs a rendered page points to: every href and src, in the HTML and added by its cells. */
export async function pageLinks(page) {
  return page.$$eval("[href], [src]", (elements) =>
    elements.flatMap((e) =>
      ["href", "src"]
        .filter((name) => e.hasAttribute(name))
        .map((name) => ({tag: e.tagName.toLowerCase(), attribute: e.getAttribute(name), url: new URL(e.getAttribute(name), document.baseURI).href}))
    )
  );
}

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchBrowser() {
  assert.ok(existsSync(chromiumPath), `${chromiumPath} not found: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      // WebGL (the 3-D scatter) through the software renderer, with no GPU.
      "--use-angle=swiftshader",
      "--enable-unsafe-swiftshader"
    ]
  });
}

// Every page is checked at a phone's width and at a desktop's.
export const viewports = [
  {name: "390", width: 390, height: 844},
  {name: "1280", width: 1280, height: 900}
];

/**
 * Opens `url` in a fresh page of `viewport`'s size and waits until every cell has run.
 * Returns the page and the problems seen: console errors, page errors, failed or non-2xx
 * requests, and any request that left 127.0.0.1 (the site must work with no network).
 */
export async function openPage(browser, url, viewport = viewports.at(-1)) {
  const context = await browser.newContext({viewport: {width: viewport.width, height: viewport.height}});
  const page = await context.newPage();
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  page.on("request", (request) => {
    const {protocol, hostname} = new URL(request.url());
    if (!["data:", "blob:"].includes(protocol) && hostname !== "127.0.0.1") {
      problems.push(`request left the machine: ${request.url()}`);
    }
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  const response = await page.goto(url, {waitUntil: "networkidle"});
  await page.waitForFunction(() => !document.querySelector("observablehq-loading"), null, {timeout: 30_000});
  await page.waitForLoadState("networkidle");
  return {page, response, problems};
}

/** Fails unless every `.chart` container on the page has drawn marks. */
export async function checkCharts(page, {allowNotes = false} = {}) {
  const charts = await page.$$eval(".chart", (elements) =>
    elements.map((element) => {
      const name = element.dataset.chart;
      const canvases = element.querySelectorAll("canvas").length;
      // Plot draws each mark as <g aria-label="bar|dot|cell|line|tick|...">; axes, grids,
      // rules, text and tips do not count as data.
      let marks = 0;
      for (const group of element.querySelectorAll("svg g[aria-label]")) {
        const kind = group.getAttribute("aria-label");
        if (/axis|grid|rule|text|tip|frame/.test(kind)) continue;
        marks += group.querySelectorAll("rect, circle, path, line").length;
      }
      const box = element.getBoundingClientRect();
      return {name, canvases, marks, width: box.width, height: box.height};
    })
  );
  const notes = await page.$$eval(".chart-note", (elements) => elements.map((e) => e.textContent.trim()));
  const errors = await page.$$eval(".observablehq--error", (elements) => elements.map((e) => e.textContent.trim()));
  assert.deepEqual(errors, [], "cells failed to run");
  if (!allowNotes) assert.deepEqual(notes, [], "a chart or table was replaced by a note on the full demo data");
  for (const chart of charts) {
    assert.ok(chart.width > 0 && chart.height > 0, `chart ${chart.name} has no size`);
    assert.ok(chart.marks > 0 || chart.canvases > 0, `chart ${chart.name} drew no marks`);
    if (chart.canvases) await checkCanvasDrawn(page, chart.name);
  }
  return {charts, notes};
}

/**
 * Fails when the page scrolls sideways or any visible element reaches past the viewport's
 * left or right edge, unless an ancestor clips or scrolls it (a wide table in its own
 * scrolling box is fine). Names the outermost offending elements.
 */
export async function checkOverflow(page) {
  const {scrollWidth, innerWidth, offenders} = await page.evaluate(() => {
    const innerWidth = window.innerWidth;
    const clipped = (element) => {
      for (let e = element.parentElement; e && e !== document.body; e = e.parentElement) {
        if (getComputedStyle(e).overflowX !== "visible") return true;
      }
      return false;
    };
    const describe = (e) => {
      const id = e.id ? `#${e.id}` : "";
      const classes = typeof e.className === "string" && e.className ? `.${e.className.trim().split(/\s+/).join(".")}` : "";
      const chart = e.closest("[data-chart]")?.dataset.chart;
      return `${e.tagName.toLowerCase()}${id}${classes}${chart ? ` in chart ${chart}` : ""}`;
    };
    const wide = new Set();
    for (const element of document.body.querySelectorAll("*")) {
      const style = getComputedStyle(element);
      if (style.visibility !== "visible" || style.display === "none") continue;
      const box = element.getBoundingClientRect();
      if (!box.width || !box.height) continue;
      // Wholly left of the page is a way to hide an element (Plotly's text measurer), and
      // cannot be scrolled to; an element cut by the left edge or past the right one is shown.
      if (box.right <= 0) continue;
      if ((box.right > innerWidth + 0.5 || box.left < -0.5) && !clipped(element)) wide.add(element);
    }
    const offenders = [...wide]
      .filter((e) => !wide.has(e.parentElement))
      .map((e) => {
        const box = e.getBoundingClientRect();
        return `${describe(e)} spans ${Math.round(box.left)}–${Math.round(box.right)} px`;
      });
    return {scrollWidth: document.documentElement.scrollWidth, innerWidth, offenders};
  });
  assert.deepEqual(offenders, [], `elements outside the ${innerWidth} px viewport`);
  assert.ok(scrollWidth <= innerWidth, `the page scrolls sideways: ${scrollWidth} px wide in a ${innerWidth} px viewport`);
}

/** A canvas chart (WebGL) must show more than a blank background: count its colours. */
async function checkCanvasDrawn(page, name) {
  const element = page.locator(`.chart[data-chart="${name}"]`);
  await element.scrollIntoViewIfNeeded();
  let colours = 0;
  // Hide the SVG overlays (legend, mode bar) so that only what the canvas drew is counted.
  await element.evaluate((e) => e.querySelectorAll("svg").forEach((svg) => (svg.style.visibility = "hidden")));
  try {
    for (let attempt = 0; attempt < 20 && colours < 8; ++attempt) {
      const png = await element.screenshot();
      colours = await countColours(page.context(), png);
      if (colours < 8) await page.waitForTimeout(250);
    }
  } finally {
    await element.evaluate((e) => e.querySelectorAll("svg").forEach((svg) => (svg.style.visibility = "")));
  }
  assert.ok(colours >= 8, `canvas chart ${name} looks blank (${colours} colours)`);
}

/** Distinct saturated colours in a PNG, decoded by the browser on a scratch page. */
async function countColours(context, png) {
  const scratch = await context.browser().newPage();
  try {
    return await scratch.evaluate(async (base64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement("canvas");
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext("2d", {willReadFrequently: true});
      context.drawImage(image, 0, 0);
      const {data} = context.getImageData(0, 0, canvas.width, canvas.height);
      const colours = new Set();
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
        if (Math.max(r, g, b) - Math.min(r, g, b) > 40) colours.add((r >> 4) * 256 + (g >> 4) * 16 + (b >> 4));
      }
      return colours.size;
    }, png.toString("base64"));
  } finally {
    await scratch.close();
  }
}

/** Full-page screenshot into the git-ignored screenshots folder. */
export async function screenshot(page, dir, name) {
  mkdirSync(dir, {recursive: true});
  const file = path.join(dir, `${name}.png`);
  await page.mouse.move(0, 0); // no tooltip left open by an earlier check
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({path: file, fullPage: true});
  return file;
}

/** The value of every `[data-metric=key]` element on the page, as text. */
export async function metric(page, key) {
  return page.$eval(`[data-metric="${key}"]`, (e) => e.dataset.value ?? e.textContent.trim());
}
