import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

/** Dependencies point inward only: domain <- fhir <- smart / ui / cli. A lint rule, not a convention. */
const restrict = (patterns) => ({ "no-restricted-imports": ["error", { patterns }] });
const outerLayers = (...names) =>
  names.map((n) => ({
    group: [`**/${n}/**`, `../${n}`, `./${n}`],
    message: `This layer must not import from src/${n}.`,
  }));
const platform = [
  {
    group: ["react", "react-dom", "react/*", "@mui/*", "@emotion/*"],
    message: "The domain core is pure: no React.",
  },
  { group: ["fhirclient", "fhirclient/*"], message: "The domain core is pure: no fhirclient." },
  {
    group: ["node:*", "fs", "path", "os", "http", "stream", "readline"],
    message: "The domain core is pure: no I/O.",
  },
];

export default defineConfig(
  {
    ignores: [
      "dist/**",
      "dist-cli/**",
      "node_modules/**",
      "artifacts/**",
      "stubs/**",
      "bench/out/**",
      "coverage/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  reactHooks.configs.flat.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["eslint.config.js", "bin/*.js", "scripts/*.mjs"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
    },
  },
  { files: ["**/*.js", "**/*.mjs"], ...tseslint.configs.disableTypeChecked },
  {
    files: ["src/domain/**"],
    rules: restrict([...platform, ...outerLayers("fhir", "smart", "ui", "cli", "sandbox", "cds")]),
  },
  {
    files: ["src/fhir/**"],
    rules: restrict([
      { group: ["react", "react-dom", "@mui/*"], message: "The FHIR layer has no UI." },
      ...outerLayers("smart", "ui", "cli", "sandbox", "cds"),
    ]),
  },
  { files: ["src/ui/**", "src/smart/**"], rules: restrict(outerLayers("cli", "sandbox")) },
  { files: ["src/cli/**"], rules: restrict(outerLayers("ui", "smart", "sandbox")) },
  // The CDS Hooks service (issue 13): the FHIR layer and the rules, served over HTTP; no UI, no SMART launch.
  {
    files: ["src/cds/**"],
    rules: restrict([
      {
        group: ["react", "react-dom", "@mui/*", "fhirclient", "fhirclient/*"],
        message: "The CDS service has no UI and no fhirclient.",
      },
      ...outerLayers("app", "ui", "smart", "cli", "sandbox"),
    ]),
  },
);
