// Builds the front end into build/ (served as static files by Django):
//   build/css/academy.css  GOV.UK Frontend compiled with our brand
//   build/js/govuk-frontend.min.js and build/js/academy.js
//   build/vendor/axe.min.js for the browser accessibility tests
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "js"), { recursive: true });

const started = Date.now();
const result = sass.compile(join(root, "assets", "scss", "academy.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter(root)],
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "css", "academy.css"), result.css);

cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "js", "govuk-frontend.min.js"));
cpSync(join(root, "assets", "js"), join(out, "js"), { recursive: true });
mkdirSync(join(out, "vendor"), { recursive: true });
cpSync(join(root, "node_modules", "axe-core", "axe.min.js"), join(out, "vendor", "axe.min.js"));

console.log(`assets built in ${Date.now() - started} ms: ${(result.css.length / 1024).toFixed(0)} KB of CSS`);
