// Lint BPMN files with bpmnlint's recommended rules; print one JSON object:
// {"<file>": [{"rule": ..., "id": ..., "message": ..., "category": "error"|"warn"}], ...}
// Usage: node lint.js FILE...   (run `npm ci` in this folder first)
const fs = require('fs');
const { Linter } = require('bpmnlint');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');
const { BpmnModdle } = require('bpmn-moddle');

async function lint(file) {
  const moddle = new BpmnModdle();
  const { rootElement, warnings } = await moddle.fromXML(fs.readFileSync(file, 'utf8'));
  const linter = new Linter({
    config: { extends: 'bpmnlint:recommended' },
    resolver: new NodeResolver()
  });
  const results = await linter.lint(rootElement);
  const out = warnings.map(w => ({ rule: 'import', id: '', message: w.message, category: 'error' }));
  for (const [rule, reports] of Object.entries(results)) {
    for (const report of reports) {
      out.push({ rule, id: report.id, message: report.message, category: report.category });
    }
  }
  return out;
}

(async () => {
  const all = {};
  for (const file of process.argv.slice(2)) {
    all[file] = await lint(file);
  }
  process.stdout.write(JSON.stringify(all));
})().catch(err => { console.error(err); process.exit(2); });
