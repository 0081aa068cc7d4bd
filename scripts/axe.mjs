// axe.mjs runs axe-core (WCAG 2.1 A/AA) on public pages through a headless
// Chromium's DevTools port, without a browser driver module. Used by hand:
//   npm install axe-core@4   (in the directory you run it from)
//   chromium --headless=new --remote-debugging-port=9222 about:blank &
//   node --experimental-websocket scripts/axe.mjs 9222 http://so-ldtbxh.localhost:8080/ http://so-ldtbxh.localhost:8080/en@375
// Each URL may end in @<width> (375 = phone). Exits 1 on any violation.
import fs from 'node:fs';
const axe = fs.readFileSync('node_modules/axe-core/axe.min.js', 'utf8');
const port = process.argv[2], urls = process.argv.slice(3);
const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
const page = list.find(t => t.type === 'page');
const ws = new WebSocket(page.webSocketDebuggerUrl);
await new Promise(r => ws.addEventListener('open', r));
let id = 0; const pending = new Map();
ws.addEventListener('message', ev => { const m = JSON.parse(ev.data); if (m.id && pending.has(m.id)) { pending.get(m.id)(m); pending.delete(m.id); } });
const send = (method, params = {}) => new Promise(r => { const i = ++id; pending.set(i, r); ws.send(JSON.stringify({ id: i, method, params })); });
let total = 0;
for (const spec of urls) {
  const [url, width] = spec.split('@');
  await send('Emulation.setDeviceMetricsOverride', { width: +(width || 1280), height: 900, deviceScaleFactor: 1, mobile: +(width||1280) < 600 });
  await send('Page.enable');
  await send('Page.navigate', { url });
  await new Promise(r => setTimeout(r, 1500));
  await send('Runtime.evaluate', { expression: axe });
  const res = await send('Runtime.evaluate', { expression: `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}}).then(r => JSON.stringify({passes: r.passes.length, v: r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0,3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}))}))`, awaitPromise: true, returnByValue: true });
  const o = JSON.parse(res.result.result.value); const v = o.v;
  total += v.length;
  console.log(`${o.passes} rules passed, ${v.length} violations  ${url} @${width||1280}`);
  for (const x of v) console.log('   ', x.id, x.impact, JSON.stringify(x.nodes));
}
ws.close();
process.exit(total ? 1 : 0);
