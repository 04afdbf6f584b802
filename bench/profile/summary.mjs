// Groups a .cpuprofile's self time by where the code lives: ky, @rc/core (its observe.js apart),
// @rc/otel, OpenTelemetry, undici (Node's fetch), other node internals, garbage collection, idle. `node bench/profile/summary.mjs a.cpuprofile`
import { readFileSync } from 'node:fs';

/** Where a frame's code lives, by its URL: the first that matches. */
const WHERE = [
  [/\/ky\//, 'ky'],
  [/packages\/core\/(dist|src)\/observe\./, '@rc/core observe.js'],
  [/packages\/otel\//, '@rc/otel'],
  [/@opentelemetry\//, '@opentelemetry/*'],
  [/packages\/core\//, '@rc/core'],
  [/packages\/transport-undici\//, '@rc/transport-undici'],
  [/undici|internal\/deps\/undici/, 'undici (fetch)'],
  [/^node:|^$/, 'node internals / native'],
];

for (const file of process.argv.slice(2)) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const self = new Map(profile.nodes.map((n) => [n.id, 0]));
  const deltas = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    self.set(id, self.get(id) + (deltas[i] ?? 0));
  });
  const groups = new Map();
  const fns = new Map();
  let total = 0;
  for (const n of profile.nodes) {
    const t = self.get(n.id);
    if (!t) continue;
    const u = n.callFrame.url;
    const name = n.callFrame.functionName || '(anonymous)';
    const g =
      name === '(idle)'
        ? 'idle'
        : name === '(garbage collector)'
          ? 'gc'
          : (WHERE.find(([re]) => re.test(u))?.[1] ?? 'other');
    groups.set(g, (groups.get(g) ?? 0) + t);
    if (g !== 'idle') total += t;
    const key = `${g} ${name} ${u.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`;
    fns.set(key, (fns.get(key) ?? 0) + t);
  }
  console.log(`${file}: ${(total / 1000).toFixed(0)} ms busy`);
  for (const [g, t] of [...groups].sort((a, b) => b[1] - a[1]))
    if (g !== 'idle') console.log(`  ${g.padEnd(26)} ${((t / total) * 100).toFixed(1).padStart(5)} %`);
  console.log('  top functions (self):');
  for (const [k, t] of [...fns]
    .filter(([k]) => !k.startsWith('idle'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 18))
    console.log(`    ${((t / total) * 100).toFixed(1).padStart(5)} %  ${k}`);
}
