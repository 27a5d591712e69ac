// Bundles the service worker and the page script into static/pwa/ (or the folder
// given as the first argument: the staleness test builds into a temporary one).
// Same lockfile, same esbuild, same sources => the same bytes (`make pwa`).
import { build } from "esbuild";
import { resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = resolve(process.argv[2] || resolve(here, "../../static/pwa"));

const common = {
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  legalComments: "none",
  charset: "utf8",
  sourcemap: false,
  // Workbox drops its development logging when NODE_ENV is production.
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
};

await build({ ...common, entryPoints: [resolve(here, "src/sw.js")], outfile: resolve(outdir, "sw.js") });
await build({ ...common, entryPoints: [resolve(here, "src/register.js")], outfile: resolve(outdir, "register.js") });
