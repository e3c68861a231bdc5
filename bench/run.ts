/** `npm run bench`: runs every benchmark module and prints its tables. Speed targets live here, not in tests. */
export {};
const modules: ReadonlyArray<{ name: string; load: () => Promise<{ run: () => Promise<void> }> }> = [
  { name: 'core: sampler overhead and noise', load: () => import('./core.bench') },
  { name: 'inference', load: () => import('./inference.bench') },
  { name: 'report: document model, PDF and HTML', load: () => import('./report.bench') },
];

for (const m of modules) {
  console.log(`\n## ${m.name}\n`);
  await (await m.load()).run();
}
if (modules.length === 0) console.log('No benchmarks registered yet.');
