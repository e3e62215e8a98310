// The baseline of js_sdk_ratio: HighLevel's official JS SDK (@gohighlevel/api-client) GETs one conversation N times
// in a row from the LeadConnector emulator, as a script would (await each call).
//
//   node get-conversation.js <baseUri> <token> <n> <rounds> [<conversationId>...]
//     prints one line per round, "round=<i> us_per_call=<x>", after a warm-up round;
//   node get-conversation.js <baseUri> <token> <n> serve [<conversationId>...]
//     prints "ready", then times one loop of <n> calls per line read ("sdk <n>"), one "us_per_call=<x>" each: bench/
//     drives it this way, in turn with the PowerShell loops, so both see the same state of the machine.
// The SDK's base URL is pointed at the emulator; any request for another address is refused before it leaves
// (loopback only, never the real API).
'use strict';
const { HighLevel } = require('@gohighlevel/api-client');

const [baseUri, token, nArg, roundsArg, ...ids] = process.argv.slice(2);
if (!baseUri || !token) {
  console.error('usage: node get-conversation.js <baseUri> <token> <n> <rounds> [<conversationId>...]');
  process.exit(2);
}
const base = new URL(baseUri);
const loopback = (host) => host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host.startsWith('127.');
if (base.protocol !== 'http:' || !loopback(base.hostname)) {
  console.error(`refusing ${baseUri}: the benchmark talks to the loopback emulator only`);
  process.exit(2);
}
const n = Number(nArg || 300);
const serve = roundsArg === 'serve';
const rounds = serve ? 0 : Number(roundsArg || 5);
const conversationIds = ids.length > 0 ? ids : ['conv-a001'];
const origin = base.origin + base.pathname.replace(/\/$/, '');

// The SDK builds its axios client from the static BASE_URL in its constructor: set it first, and set the client's
// baseURL again after, so nothing can reach the default address.
HighLevel.BASE_URL = origin;
const ghl = new HighLevel({ privateIntegrationToken: token, apiVersion: '2021-07-28', logLevel: 'error' });
ghl.httpClient.defaults.baseURL = origin;
ghl.httpClient.interceptors.request.use((config) => {
  const url = new URL(config.url, config.baseURL || origin);
  if (url.origin !== base.origin) throw new Error(`refused: ${url.origin} is not the emulator`);
  return config;
});

async function round(count = n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const c = await ghl.conversations.getConversation({ conversationId: conversationIds[i % conversationIds.length] });
    if (!c || !c.id) throw new Error('no conversation in the answer');
  }
  return Number(process.hrtime.bigint() - start) / 1000 / count;
}

async function serveLines() {
  const lines = require('readline').createInterface({ input: process.stdin, terminal: false });
  console.log('ready');
  for await (const line of lines) {
    const [what, count] = line.trim().split(/\s+/);
    if (what !== 'sdk') throw new Error(`unknown loop '${what}'`);
    console.log(`us_per_call=${(await round(Number(count))).toFixed(1)}`);
  }
}

(async () => {
  await round(); // warm-up: JIT, the keep-alive connection
  if (serve) return serveLines();
  for (let r = 0; r < rounds; r++) console.log(`round=${r} us_per_call=${(await round()).toFixed(1)}`);
})().catch((e) => { console.error(String(e && e.stack || e)); process.exit(1); });
