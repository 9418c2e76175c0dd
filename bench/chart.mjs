// Writes the benchmark chart as plain SVG: runtime image size and `docker stop` time, one bar
// per Dockerfile (median of the runs, whiskers from min to max), with the targets drawn in.

const COLORS = { a: '#2a9d8f', b: '#e76f51', c: '#e9c46a' };
const NAMES = { a: '(a) generated', b: '(b) naive', c: '(c) docker init' };

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceMax(x) {
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

function panel({ x0, title, unit, series, guides, fmt, tick = fmt }) {
  const w = 340;
  const h = 214;
  const top = 76;
  const left = x0 + 56;
  const plotW = w - 70;
  const max = niceMax(Math.max(...series.map((s) => s.max), ...guides.map((g) => g.value)) * 1.08);
  const y = (v) => Math.round((top + h - (v / max) * h) * 10) / 10;
  const out = [];
  out.push(`<text x="${x0 + w / 2}" y="30" text-anchor="middle" font-size="15" font-weight="600">${esc(title)}</text>`);
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11" fill="#555">${esc(tick(v))}</text>`);
  }
  out.push(
    `<text x="${x0 + 12}" y="${top + h / 2}" font-size="11" fill="#555" transform="rotate(-90 ${x0 + 12} ${top + h / 2})" text-anchor="middle">${esc(unit)}</text>`,
  );
  const bw = plotW / series.length;
  series.forEach((s, i) => {
    const cx = left + bw * i + bw / 2;
    const barW = Math.round(bw * 0.55 * 10) / 10;
    out.push(
      `<rect x="${cx - barW / 2}" y="${y(s.median)}" width="${barW}" height="${top + h - y(s.median)}" fill="${COLORS[s.key]}"><title>${esc(`${NAMES[s.key]}: median ${fmt(s.median)} ${unit} (min ${fmt(s.min)}, max ${fmt(s.max)})`)}</title></rect>`,
    );
    if (s.max > s.min) {
      out.push(`<line x1="${cx}" x2="${cx}" y1="${y(s.max)}" y2="${y(s.min)}" stroke="#222" stroke-width="1.2"/>`);
      for (const v of [s.min, s.max])
        out.push(`<line x1="${cx - 6}" x2="${cx + 6}" y1="${y(v)}" y2="${y(v)}" stroke="#222" stroke-width="1.2"/>`);
    }
    out.push(`<text x="${cx}" y="${y(s.max) - 6}" text-anchor="middle" font-size="12" font-weight="600">${esc(fmt(s.median))}</text>`);
    out.push(`<text x="${cx}" y="${top + h + 16}" text-anchor="middle" font-size="11">${esc(NAMES[s.key])}</text>`);
  });
  for (const g of guides) {
    out.push(
      `<line x1="${left}" x2="${left + plotW}" y1="${y(g.value)}" y2="${y(g.value)}" stroke="${g.color}" stroke-dasharray="5 4" stroke-width="1.5"/>`,
    );
  }
  // Legend for the dashed lines, under the title (the lines can sit close to the bars' tops).
  guides.forEach((g, i) => {
    const ly = 46 + i * 13;
    out.push(
      `<line x1="${left}" x2="${left + 22}" y1="${ly - 4}" y2="${ly - 4}" stroke="${g.color}" stroke-dasharray="5 4" stroke-width="1.5"/>`,
    );
    out.push(`<text x="${left + 28}" y="${ly}" font-size="10" fill="${g.color}">${esc(`${g.label}: ${fmt(g.value)} ${unit}`)}</text>`);
  });
  out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + h}" stroke="#888"/>`);
  out.push(`<line x1="${left}" x2="${left + plotW}" y1="${top + h}" y2="${top + h}" stroke="#888"/>`);
  return out.join('\n');
}

export function renderChart(an) {
  const keys = ['a', 'b', 'c'];
  const size = keys.map((key) => ({ key, ...scale(an.per[key].size, 1e-6) }));
  const stop = keys.map((key) => ({ key, ...scale(an.per[key].stopMs, 1e-3) }));
  const body = [
    panel({
      x0: 10,
      title: 'Runtime image size',
      unit: 'MB',
      series: size,
      fmt: (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1)),
      tick: (v) => v.toFixed(0),
      guides: [
        { value: an.base.runtimeSize / 1e6, label: `base image ${an.base.runtime}`, color: '#555' },
        { value: an.limit / 1e6, label: 'target for (a): base + 1.15 × (node_modules + dist)', color: '#1d3557' },
      ],
    }),
    panel({
      x0: 380,
      title: 'docker stop time',
      unit: 'seconds',
      series: stop,
      fmt: (v) => v.toFixed(v >= 10 ? 1 : 2),
      tick: (v) => (Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)),
      guides: [{ value: 1, label: 'target', color: '#1d3557' }],
    }),
  ].join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="740" height="345" viewBox="0 0 740 345" font-family="Helvetica, Arial, sans-serif">
<rect width="740" height="345" fill="#fff"/>
${body}
<text x="370" y="335" text-anchor="middle" font-size="11" fill="#555">${esc(`Bars: median of ${an.runs} run(s); whiskers: min–max. Written by bench/run.mjs.`)}</text>
</svg>
`;
}

function scale(s, f) {
  return { median: s.median * f, min: s.min * f, max: s.max * f };
}
