// Bundles the extension into one CommonJS file; `vscode` is provided by the editor at run time.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import * as esbuild from "esbuild";

// The architecture view's scripts: Mermaid from npm (no network at run time) and the view's own.
const require = createRequire(import.meta.url);
mkdirSync("dist", { recursive: true });
copyFileSync(require.resolve("mermaid/dist/mermaid.min.js"), "dist/mermaid.min.js");
copyFileSync("media/architecture.js", "dist/architecture.js");

const production = process.argv.includes("--production");
const watch = process.argv.includes("--watch");

const options = {
  entryPoints: ["src/extension.ts"],
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  outfile: "dist/extension.js",
  external: ["vscode"],
  sourcemap: !production,
  minify: production,
  logLevel: "info",
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
}
