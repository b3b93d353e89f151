/**
 * The house style and the HTML primitives every participant-facing email and page is built from:
 * escaping, safe links, one-line subjects, the greeting and the script-free page shell. Channel-
 * neutral: the email channel's messages and the core's history page both use them. Pure.
 */
const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const INK = '#1f2933';
const MUTED = '#52606d';
const ACCENT = '#1f5fbf';
/** The emails' and pages' type and colours, for other messages built from the same blocks. */
export const EMAIL_STYLE = { font: FONT, ink: INK, muted: MUTED, accent: ACCENT } as const;

/** Escapes text for HTML content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/gu, '&amp;')
    .replace(/</gu, '&lt;')
    .replace(/>/gu, '&gt;')
    .replace(/"/gu, '&quot;')
    .replace(/'/gu, '&#39;');
}

/** Only http(s) URLs become links; anything else (`javascript:`…) is refused loudly. */
export function safeUrl(url: string): string {
  if (!/^https?:\/\//iu.test(url)) throw new RangeError('links must be http(s) URLs');
  return escapeHtml(url);
}

/** A subject on one line (a newline in a subject is a header-injection attempt or a mistake). */
export function oneLine(text: string, max = 120): string {
  const line = text.replace(/\s+/gu, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** "Hi Ana," ("Hi there," without a name). */
export function greeting(name: string): string {
  return `Hi ${name.trim() || 'there'},`;
}

const PAGE_STYLE = `body{margin:0;padding:24px 16px;background:#f5f7fa;color:${INK};font:17px/1.5 ${FONT}}
main{max-width:480px;margin:0 auto;background:#fff;border-radius:8px;padding:24px 20px}
h1{font-size:22px;line-height:1.3;margin:0 0 12px}
p{margin:0 0 16px}
button{min-height:44px;padding:0 20px;border:0;border-radius:8px;background:${ACCENT};color:#fff;font:inherit;font-weight:600;cursor:pointer}
button.primary{display:block;width:100%;min-height:56px;font-size:20px}
button:focus-visible,textarea:focus-visible,input:focus-visible{outline:3px solid #f0b429;outline-offset:2px}
textarea,input[type=text]{box-sizing:border-box;width:100%;padding:10px;border:1px solid #9aa5b1;border-radius:8px;font:inherit}
textarea{min-height:72px}
label{display:block;margin:0 0 8px;font-weight:600}
fieldset{border:0;margin:0 0 20px;padding:0;min-width:0}
legend{font-weight:600;margin:0 0 10px;padding:0}
.choices{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 6px}
.choice{display:inline-flex;align-items:center;gap:6px;min-width:44px;min-height:44px;margin:0;padding:0 10px;box-sizing:border-box;border:1px solid ${ACCENT};border-radius:8px;color:${ACCENT};cursor:pointer}
.choice:has(input:checked){background:${ACCENT};color:#fff}
.choice input{margin:0;accent-color:#fff}
.progress{font-size:19px;font-weight:600}
.muted{color:${MUTED};font-size:15px}`;

/** A participant page: no script, nothing fetched from elsewhere, no referrer. */
export function page(title: string, body: string): string {
  // No referrer: the token in this page's URL must not leak to anything the page links to.
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

/** An HTML page and its status, as the page handlers answer. */
export interface PageResult {
  readonly statusCode: number;
  readonly html: string;
}
