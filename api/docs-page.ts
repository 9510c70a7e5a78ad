type JsonObject = Record<string, unknown>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const anchor = (id: string) => `schema-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** JSON with every $ref to a component schema turned into a link to it on the page. */
function jsonBlock(value: unknown): string {
  return `<pre>${escapeHtml(JSON.stringify(value, null, 2)).replace(/&quot;#\/components\/schemas\/([A-Za-z0-9_.-]+)&quot;/g, (_m, id: string) => `<a href="#${anchor(id)}">&quot;#/components/schemas/${id}&quot;</a>`)}</pre>`;
}

/** Paragraphs of plain text with `code` spans; a paragraph indented by four spaces is a code block. */
function prose(text: string | undefined): string {
  if (!text) return '';
  return text
    .split(/\n{2,}/)
    .map((paragraph) =>
      paragraph.startsWith('    ')
        ? `<pre>${escapeHtml(paragraph.replace(/^ {4}/gm, ''))}</pre>`
        : `<p>${escapeHtml(paragraph).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`,
    )
    .join('\n');
}

function operationSection(path: string, method: string, op: JsonObject): string {
  const params = (op.parameters as JsonObject[] | undefined) ?? [];
  const body = op.requestBody as { required: boolean; content: Record<string, { schema: unknown }> } | undefined;
  const responses = (op.responses as Record<string, { description: string; content?: Record<string, { schema: unknown }> }>) ?? {};
  const scope = op['x-cloudtrust-scope'] as string | undefined;
  const auth = scope ? `<span class="scope">${escapeHtml(scope)}</span>` : (op.security as unknown[]).length === 0 ? '<span class="public">public</span>' : '<span class="hmac">HMAC</span>';
  return `<section class="op" id="${escapeHtml(String(op.operationId))}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code> ${auth}</h3>
<p><b>${escapeHtml(String(op.summary ?? ''))}</b></p>
${prose(op.description as string | undefined)}
${params.length ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th></tr>${params.map((p) => `<tr><td><code>${escapeHtml(String(p.name))}</code>${p.description ? `<br>${escapeHtml(String(p.description))}` : ''}</td><td>${escapeHtml(String(p.in))}</td><td>${p.required ? 'yes' : 'no'}</td><td>${jsonBlock(p.schema)}</td></tr>`).join('')}</table>` : ''}
${body ? `<h4>Request body${body.required ? '' : ' (optional)'}</h4>${Object.entries(body.content).map(([type, c]) => `<p><code>${escapeHtml(type)}</code></p>${jsonBlock(c.schema)}`).join('')}` : ''}
<h4>Responses</h4>
<table><tr><th>status</th><th>meaning</th><th>body</th></tr>${Object.entries(responses)
    .map(([status, r]) => `<tr><td>${escapeHtml(status)}</td><td>${escapeHtml(r.description)}</td><td>${Object.entries(r.content ?? {}).map(([type, c]) => `<code>${escapeHtml(type)}</code>${type === 'application/json' ? jsonBlock(c.schema) : ''}`).join('<br>')}</td></tr>`)
    .join('')}</table>
</section>`;
}

/** The OpenAPI document as one self-contained HTML page: no scripts, no external resources. */
export function renderDocsPage(document: JsonObject): string {
  const info = document.info as { title: string; version: string; description?: string };
  const paths = document.paths as Record<string, Record<string, JsonObject>>;
  const operations = Object.entries(paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => ({ path, method: m, op: item[m] })));
  const tags = [...new Set(operations.map((o) => String((o.op.tags as string[])[0])))];
  const components = ((document.components as JsonObject).schemas ?? {}) as Record<string, unknown>;
  const index = operations
    .map((o) => `<li><a href="#${escapeHtml(String(o.op.operationId))}"><span class="method ${o.method}">${o.method.toUpperCase()}</span> ${escapeHtml(o.path)}</a></li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)} ${escapeHtml(info.version)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;line-height:1.45}
code,pre{font-family:ui-monospace,monospace}pre{background:#f4f4f4;padding:.5em;overflow:auto;max-height:30em;margin:.2em 0}
table{border-collapse:collapse;width:100%;margin:.5em 0}td,th{border:1px solid #ccc;padding:.3em;text-align:left;vertical-align:top}
.method{display:inline-block;min-width:4.5em;text-align:center;border-radius:3px;color:#fff;font-size:.85em;padding:.1em .3em}
.get{background:#2a7ab0}.post{background:#2f8f4e}.delete{background:#b03a2a}.put,.patch{background:#8a6d1a}
.scope,.public,.hmac{font-size:.8em;border:1px solid #888;border-radius:3px;padding:0 .3em;margin-left:.5em}
.public{border-color:#2f8f4e;color:#2f8f4e}.hmac{border-color:#8a6d1a;color:#8a6d1a}
section.op{border-top:1px solid #ddd;margin-top:1.5em}ul.index{columns:2;list-style:none;padding:0}
</style></head>
<body>
<h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1>
${prose(info.description)}
<p>The machine-readable document is at <a href="openapi.json"><code>/openapi.json</code></a>.</p>
<h2>Operations</h2>
<ul class="index">${index}</ul>
${tags.map((tag) => `<h2>${escapeHtml(tag)}</h2>\n${operations.filter((o) => (o.op.tags as string[])[0] === tag).map((o) => operationSection(o.path, o.method, o.op)).join('\n')}`).join('\n')}
<h2>Schemas</h2>
${Object.entries(components).map(([id, schema]) => `<section id="${anchor(id)}"><h3>${escapeHtml(id)}</h3>${jsonBlock(schema)}</section>`).join('\n')}
</body></html>
`;
}
