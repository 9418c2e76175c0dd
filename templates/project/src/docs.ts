/**
 * The API reference at /docs: one HTML page written on the server from the OpenAPI
 * document. It has no script and no asset from elsewhere, so helmet's Content Security
 * Policy stays as strict here as everywhere (a page that loads a viewer from a CDN would
 * need that policy loosened). Clients and code generators read /openapi.json instead.
 */
// biome-ignore lint/suspicious/noExplicitAny: a JSON document walked by its keys, each read checked where it is used
type Json = Record<string, any>;

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

const escapeHtml = (text: unknown): string => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `#/components/schemas/Item` → the object it names. */
function resolve(document: Json, value: Json): Json {
  if (typeof value?.$ref !== 'string') return value;
  return value.$ref
    .slice(2)
    .split('/')
    .reduce((node: Json, key: string) => node?.[key], document);
}

const refName = (value: Json): string | undefined => value?.$ref?.split('/').pop();

function schemaLink(schema: Json | undefined): string {
  const name = refName(schema ?? {});
  return name
    ? `<a href="#schema-${escapeHtml(name)}">${escapeHtml(name)}</a>`
    : `<code>${escapeHtml(JSON.stringify(schema))}</code>`;
}

function operation(document: Json, path: string, method: string, op: Json, shared: Json[]): string {
  const parameters = [...shared, ...(op.parameters ?? [])].map((p) => resolve(document, p));
  const body = op.requestBody?.content?.['application/json']?.schema;
  const rows = Object.entries(op.responses ?? {}).map(([status, raw]) => {
    const response = resolve(document, raw as Json);
    const schema = response.content?.['application/json']?.schema;
    const headers = Object.keys(response.headers ?? {}).join(', ');
    return `<tr><td>${escapeHtml(status)}</td><td>${escapeHtml(response.description)}</td><td>${schema ? schemaLink(schema) : ''}</td><td>${escapeHtml(headers)}</td></tr>`;
  });
  return `
<section id="${escapeHtml(op.operationId)}">
  <h3><span class="method">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
  <p>${escapeHtml(op.summary ?? '')}${op.security?.length ? ' <em>Needs the bearer token.</em>' : ''}</p>
  ${parameters.length ? `<p>Parameters: ${parameters.map((p) => `<code>${escapeHtml(p.name)}</code> (${escapeHtml(p.in)}${p.required ? ', required' : ''}) ${escapeHtml(p.description ?? '')}`).join('; ')}</p>` : ''}
  ${body ? `<p>Body (application/json): ${schemaLink(body)}</p>` : ''}
  <table><tr><th>Status</th><th>Meaning</th><th>Body</th><th>Headers</th></tr>${rows.join('')}</table>
</section>`;
}

export function renderDocsPage(document: Json): string {
  const operations = Object.entries(document.paths as Json).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) =>
      operation(document, path, method, item[method], item.parameters ?? []),
    ),
  );
  const schemas = Object.entries(document.components?.schemas ?? {}).map(
    ([name, schema]) =>
      `<h3 id="schema-${escapeHtml(name)}">${escapeHtml(name)}</h3><pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.info.title)} API reference</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  code, pre { font: 13px ui-monospace, monospace; } pre { background: #f5f5f5; padding: .75rem; overflow-x: auto; }
  table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #ddd; padding: .3rem; text-align: left; vertical-align: top; }
  .method { font-weight: bold; color: #05a; } section { margin-bottom: 2rem; }
</style>
</head>
<body>
<h1>${escapeHtml(document.info.title)} <small>${escapeHtml(document.info.version)}</small></h1>
<p>${escapeHtml(document.info.description ?? '')}</p>
<p>The machine-readable contract: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${escapeHtml(document.openapi)}).</p>
<h2>Operations</h2>
${operations.join('\n')}
<h2>Schemas</h2>
${schemas.join('\n')}
</body>
</html>
`;
}
