// ESLint for the report site's JavaScript: the components, the build and test scripts, and the
// ```js cells of the pages (extracted by @eslint/markdown). `make lint` runs it.
import js from "@eslint/js";
import markdown from "@eslint/markdown";
import globals from "globals";

export default [
  {ignores: ["dist/**", "screenshots/**", "src/.observablehq/**"]},
  {
    files: ["**/*.js"],
    ...js.configs.recommended,
    languageOptions: {ecmaVersion: "latest", sourceType: "module", globals: {...globals.node}},
    rules: {...js.configs.recommended.rules, eqeqeq: ["error", "smart"], "no-var": "error", "prefer-const": "error"},
  },
  // Components run in the reader's browser; the browser tests hand functions to page.evaluate.
  {files: ["src/components/**/*.js", "test/**/*.js"], languageOptions: {globals: {...globals.browser}}},
  {files: ["src/**/*.md"], plugins: {markdown}, processor: "markdown/markdown"},
  {
    // A page's cells share one reactive scope that Framework provides (display, view, width,
    // FileAttachment, ...) and each cell may use what another declares, so names defined
    // elsewhere and names used elsewhere are not errors here; everything else is.
    files: ["src/**/*.md/*.js"],
    languageOptions: {globals: {...globals.browser}},
    rules: {"no-undef": "off", "no-unused-vars": "off", "no-unused-expressions": "off"},
  },
];
