#!/usr/bin/env node
// Sums the workshop doc-test's per-block timings (workshop-timings/<variant>.json, written by
// test/e2e/workshop.test.ts) per section of WORKSHOP.md, and prints them as the Markdown table
// rows INSTRUCTOR.md's "Time per section" uses: one column per variant, in seconds.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const dir = path.join(import.meta.dirname, '..', 'workshop-timings');
const runs = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
if (runs.length === 0) throw new Error(`no timings in ${dir}: run the workshop doc-test first`);
for (const run of runs) if (!run.complete) console.error(`warning: ${run.label} stopped before its last block`);

const sections = [];
for (const run of runs) for (const b of run.blocks) if (!sections.includes(b.section)) sections.push(b.section);
const sum = (run, section) => run.blocks.filter((b) => b.section === section).reduce((t, b) => t + b.seconds, 0);

console.log(`| Section | ${runs.map((r) => r.label).join(' | ')} |`);
console.log(`| --- | ${runs.map(() => '---').join(' | ')} |`);
for (const section of sections) console.log(`| ${section} | ${runs.map((r) => `${sum(r, section).toFixed(1)} s`).join(' | ')} |`);
console.log(`| total | ${runs.map((r) => `${r.blocks.reduce((t, b) => t + b.seconds, 0).toFixed(1)} s`).join(' | ')} |`);
