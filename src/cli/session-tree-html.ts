import type { SessionDetail } from '../journal/journal-reader.js';
import { buildSessionTree, walkTree } from '../journal/session-tree.js';
import { connectionLabel, fileLabel, processTail, sessionCounts } from './session-tree-text.js';
import { terminalLine } from './terminal-text.js';

/** Text for HTML content and attributes: markup characters escaped, control characters made visible. */
function h(text: string): string {
  return terminalLine(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em; color: #1d2330; background: #fff; }
h1 { font-size: 1.3em; margin: 0 0 .3em; }
.meta { color: #555; margin: 0 0 1.2em; }
.meta div { margin: .1em 0; }
ul.tree, ul.tree ul { list-style: none; margin: 0; padding-left: 1.4em; }
ul.tree { padding-left: 0; }
ul.tree ul { border-left: 1px solid #c7ccd6; margin-left: .4em; }
li { margin: .25em 0; }
.cmd { font-family: ui-monospace, monospace; background: #f3f5f9; padding: .05em .35em; border-radius: 3px; word-break: break-all; }
.pid { color: #777; font-size: .9em; margin-left: .5em; }
.what { font-family: ui-monospace, monospace; font-size: .92em; margin: .1em 0 0 1.2em; word-break: break-all; }
.file { color: #6b4e00; }
.file.sensitive { color: #a33b00; }
.connection { color: #0b5394; }
.alert { color: #fff; background: #c0392b; border-radius: 3px; padding: 0 .4em; display: inline-block; }
.over { color: #a33b00; }
`;

/**
 * `vigil ai show SESSION --format html`: one self-contained page (inline style, no script, no external
 * resource) with the session's header and its process tree: each process with its command line, files,
 * connections and alerts. Built without recursion.
 */
export function sessionTreeHtml(detail: SessionDetail): string {
  const s = detail.session;
  let tree = '';
  let cur = -1;
  walkTree(buildSessionTree(detail), (node, depth) => {
    if (depth > cur) tree += '<ul>'.repeat(depth - cur);
    else tree += '</li>' + '</ul></li>'.repeat(cur - depth);
    cur = depth;
    const p = node.process;
    tree += `<li class="process" data-entity-id="${h(p.entityId)}"><span class="cmd">${h(p.commandLine ?? p.name ?? p.entityId)}</span>`;
    tree += `<span class="pid">${h(processTail(p))}</span>`;
    for (const f of node.files) tree += `<div class="what file${f.sensitive ? ' sensitive' : ''}">${h(fileLabel(f))}</div>`;
    for (const c of node.connections) {
      tree += `<div class="what connection" data-ip="${h(c.ip ?? '')}" data-port="${c.port ?? ''}">${h(connectionLabel(c))}</div>`;
    }
    for (const a of node.alerts) tree += `<div class="what"><span class="alert">alert ${a.alertId} ${h(a.severity)}</span> ${h(a.rule)}</div>`;
  });
  if (cur >= 0) tree += '</li>' + '</ul></li>'.repeat(cur) + '</ul>';
  const over = s.processesDropped + s.filesDropped + s.connectionsDropped;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${h(`vigil: ${s.agent} session ${s.id}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>AI-agent session ${s.id}: ${h(s.agent)}</h1>
<div class="meta">
<div>root pid ${s.pid ?? '?'}${s.user !== null ? `, user ${h(s.user)}` : ''}${s.host !== null ? `, host ${h(s.host)}` : ''}</div>
<div>started ${h(s.start)}, ${s.end !== null ? `ended ${h(s.end)}` : `running (last activity ${h(s.last)})`}</div>
${s.workingDirectory !== null ? `<div>in <span class="cmd">${h(s.workingDirectory)}</span></div>` : ''}
<div class="counts${over > 0 ? ' over' : ''}">${h(sessionCounts(s))}</div>
</div>
${tree === '' ? '<ul class="tree"></ul>' : `<ul class="tree">${tree.slice('<ul>'.length)}`}
</body>
</html>
`;
}
