/**
 * The phone simulator: a page per number showing the conversation with the app, with a composer
 * that sends inbound SMS through the gateway, and a number picker.
 */
import type { ConversationLine } from './state.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const PAGE_STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.4 system-ui,-apple-system,sans-serif;background:#f2f2f7;color:#111;
  display:flex;flex-direction:column;min-height:100vh;max-width:32rem;margin-inline:auto}
header{display:flex;align-items:center;gap:.75rem;padding:.75rem 1rem;background:#fff;border-bottom:1px solid #ddd}
header h1{font-size:1.1rem;margin:0}
a{color:#0a66d8}
main{flex:1;padding:1rem;display:flex;flex-direction:column;gap:.5rem;overflow-y:auto}
.msg{max-width:80%;padding:.5rem .75rem;border-radius:1rem;white-space:pre-wrap;overflow-wrap:anywhere}
.msg p{margin:0}
.msg small{display:block;font-size:.7rem;opacity:.7;margin-top:.2rem}
.them{align-self:flex-start;background:#e5e5ea}
.me{align-self:flex-end;background:#0a84ff;color:#fff}
.empty{color:#666;text-align:center}
form{display:flex;gap:.5rem;padding:.75rem;background:#fff;border-top:1px solid #ddd}
input{flex:1;font:inherit;padding:.5rem .75rem;border:1px solid #ccc;border-radius:1.25rem;min-width:0}
button{font:inherit;padding:.5rem 1rem;border:0;border-radius:1.25rem;background:#0a84ff;color:#fff}
button:disabled{opacity:.5}
#error{color:#b00020;margin:0;padding:0 1rem .5rem;min-height:1em}
ul{list-style:none;padding:0 1rem}li{padding:.4rem 0}
`;

function bubbleHtml(line: ConversationLine): string {
  const mine = line.direction === 'inbound';
  const meta = `${line.at.replace('T', ' ').slice(0, 19)}${mine ? '' : ` · ${line.status}`}`;
  return `<div class="msg ${mine ? 'me' : 'them'}"><p>${escapeHtml(line.body)}</p><small>${escapeHtml(meta)}</small></div>`;
}

// Client script: contains no server data (the number comes from a data attribute) and renders
// message text only through textContent, so nothing a participant or the app types is ever HTML.
const PHONE_SCRIPT = `
const number = document.body.dataset.number;
const log = document.getElementById('log');
const form = document.getElementById('composer');
const input = document.getElementById('text');
const error = document.getElementById('error');
let last = '';
function bubble(line) {
  const mine = line.direction === 'inbound';
  const div = document.createElement('div');
  div.className = 'msg ' + (mine ? 'me' : 'them');
  const p = document.createElement('p');
  p.textContent = line.body;
  const small = document.createElement('small');
  small.textContent = line.at.replace('T', ' ').slice(0, 19) + (mine ? '' : ' · ' + line.status);
  div.append(p, small);
  return div;
}
async function refresh() {
  try {
    const res = await fetch('/_conversation?number=' + encodeURIComponent(number));
    const text = await res.text();
    if (!res.ok || text === last) return;
    last = text;
    const lines = JSON.parse(text);
    if (lines.length === 0) return;
    log.replaceChildren(...lines.map(bubble));
    log.lastElementChild.scrollIntoView({ block: 'end' });
  } catch (e) {
    error.textContent = 'Gateway unreachable';
  }
}
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = input.value;
  if (!body) return;
  const button = form.querySelector('button');
  button.disabled = true;
  error.textContent = '';
  try {
    const res = await fetch('/_inbound', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: number, body }),
    });
    const result = await res.json();
    if (!res.ok) error.textContent = result.error || ('HTTP ' + res.status);
    else if (result.status >= 300) error.textContent = 'The app answered HTTP ' + result.status;
    else input.value = '';
  } catch (e) {
    error.textContent = 'Send failed';
  } finally {
    button.disabled = false;
    input.focus();
    await refresh();
  }
});
setInterval(refresh, 2000);
log.lastElementChild?.scrollIntoView({ block: 'end' });
`;

export function phonePage(number: string, lines: ConversationLine[]): string {
  const bubbles = lines.length > 0 ? lines.map(bubbleHtml).join('') : '<p class="empty">No messages yet.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(number)} · nanocoach phone</title><style>${PAGE_STYLE}</style></head>
<body data-number="${escapeHtml(number)}">
<header><a href="/phone">&larr; Numbers</a><h1>${escapeHtml(number)}</h1></header>
<main id="log" aria-live="polite">${bubbles}</main>
<p id="error" role="status"></p>
<form id="composer"><input id="text" name="body" autocomplete="off" placeholder="Text message" aria-label="Text message" maxlength="1600"><button type="submit">Send</button></form>
<script>${PHONE_SCRIPT}</script>
</body></html>`;
}

export function pickerPage(numbers: string[], problem?: string): string {
  const items = numbers
    .map((n) => `<li><a href="/phone?number=${escapeHtml(encodeURIComponent(n))}">${escapeHtml(n)}</a></li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nanocoach phone</title><style>${PAGE_STYLE}</style></head>
<body>
<header><h1>Phone simulator</h1></header>
${problem ? `<p id="error" role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="get" action="/phone"><input name="number" placeholder="+12125550123" aria-label="Phone number" required><button type="submit">Open</button></form>
${items ? `<ul>${items}</ul>` : '<p class="empty">No numbers seen yet.</p>'}
</body></html>`;
}

/** Headers of the simulator's HTML pages. */
export const HTML_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  // Defence in depth: even if some text slipped through unescaped it could not run script.
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; form-action 'self'",
  'Cache-Control': 'no-store',
};
