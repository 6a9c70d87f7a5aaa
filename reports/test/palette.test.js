// The segment colours stay apart for colour-blind readers.
//
// Each colour is shown as a reader with protanopia, deuteranopia or tritanopia sees it, with the
// full-severity matrices of Machado, Oliveira & Fernandes, "A Physiologically-based Model for
// Simulation of Color Vision Deficiency" (IEEE TVCG 2009), applied to linear sRGB. Every pair of
// segment colours must then stay at least MIN_DELTA_E apart in CIELAB (CIE76 distance), as must
// every colour from both page backgrounds (light and dark theme). For scale: 2.3 is a just
// noticeable difference; Observable's categorical palette, used before, put segments 4 and 6 at
// 3.0 under deuteranopia.
import assert from "node:assert/strict";
import {test} from "node:test";
import {palette} from "../src/components/palette.js";

const MIN_DELTA_E = 15;
const MIN_BACKGROUND_DELTA_E = 20; // the weakest: yellow on white under tritanopia, 21.7

const vision = {
  normal: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1]
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998]
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881]
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039]
  ]
};

// Framework's air (light) and near-midnight (dark) page backgrounds.
const backgrounds = {light: "#ffffff", dark: "#161616"};

/** CIELAB (D65) of an sRGB hex colour as seen through `matrix`. */
export function simulatedLab(hex, matrix) {
  const linear = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const [r, g, b] = matrix.map((row) => Math.min(1, Math.max(0, row[0] * linear[0] + row[1] * linear[1] + row[2] * linear[2])));
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const f = (t) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

function deltaE(a, b) {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** The closest pair of `colours` under `matrix`: [distance, i, j] (1-based segment positions). */
function closestPair(colours, matrix) {
  let closest = [Infinity, 0, 0];
  for (let i = 0; i < colours.length; i++) {
    for (let j = i + 1; j < colours.length; j++) {
      const d = deltaE(simulatedLab(colours[i], matrix), simulatedLab(colours[j], matrix));
      if (d < closest[0]) closest = [d, i + 1, j + 1];
    }
  }
  return closest;
}

test("the palette has one distinct colour per segment for up to eight segments", () => {
  assert.equal(palette.length, 8);
  assert.equal(new Set(palette.map((c) => c.toLowerCase())).size, palette.length);
  for (const colour of palette) assert.match(colour, /^#[0-9a-f]{6}$/i);
});

for (const [name, matrix] of Object.entries(vision)) {
  test(`every pair of segment colours stays apart under ${name}`, () => {
    const [d, i, j] = closestPair(palette, matrix);
    assert.ok(d >= MIN_DELTA_E, `segments ${i} and ${j}: delta E ${d.toFixed(1)} < ${MIN_DELTA_E} under ${name}`);
  });

  test(`every segment colour stands out from the light and dark page under ${name}`, () => {
    for (const [theme, background] of Object.entries(backgrounds)) {
      for (const [i, colour] of palette.entries()) {
        const d = deltaE(simulatedLab(colour, matrix), simulatedLab(background, matrix));
        assert.ok(d >= MIN_BACKGROUND_DELTA_E, `segment ${i + 1} (${colour}) on the ${theme} page: delta E ${d.toFixed(1)}`);
      }
    }
  });
}

test("the check fails the palette it replaced (segments 4 and 6 under deuteranopia)", () => {
  const observable = ["#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2", "#97bbf5"];
  const [d] = closestPair(observable, vision.deuteranopia);
  assert.ok(d < MIN_DELTA_E, `the old palette's closest pair is ${d.toFixed(1)} apart`);
});
