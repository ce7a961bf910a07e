/* GraphQL over HTTP for the benchmarks: a fetch client for setup requests, and a lean client in a second process for timed ones. */
import { spawn } from 'node:child_process';

export interface Gql {
  data?: any;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export function graphqlClient(url: string) {
  return async (query: string, variables: Record<string, unknown>, token?: string): Promise<Gql> => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Gql;
    if (body.errors?.length) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
    return body;
  };
}

/** A warm-up request of its own query (a mix of the kinds a server meets), rather than variables of the measured one. */
export interface WarmupRequest {
  query: string;
  variables: object;
}

/**
 * Sends one GraphQL request per variables object from a separate Node process, as a front end would:
 * a client in the server's own process would share its event loop. A lean keep-alive client
 * (node:http, one socket) so the figures are the server's and not fetch's (undici costs the client
 * process a fraction of a millisecond and garbage of its own per request). Returns each request's
 * time in ms, its response size in bytes, and the rows it answered (the edges of a connection, the
 * items of a list, else 1).
 */
const HTTP_CLIENT = `
const http = require('node:http');
let input = '';
process.stdin.on('data', (c) => (input += c)).on('end', async () => {
  const { url, token, query, warmup, measured } = JSON.parse(input);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const post = (payload) => new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: 'Bearer ' + token };
    const request = http.request(url, { method: 'POST', agent, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk)).on('end', () => resolve(text));
    });
    request.on('error', reject);
    request.end(payload);
  });
  const send = async (variables, own) => {
    const text = await post(JSON.stringify({ query: own || query, variables }));
    const body = JSON.parse(text);
    if (body.errors) throw new Error(text.slice(0, 500));
    const first = Object.values(body.data)[0];
    return { bytes: Buffer.byteLength(text), rows: Array.isArray(first) ? first.length : first && first.edges ? first.edges.length : 1 };
  };
  for (const item of warmup) await (item.query ? send(item.variables, item.query) : send(item));
  const times = [];
  const sizes = [];
  const rows = [];
  for (const variables of measured) {
    const start = performance.now();
    const answer = await send(variables);
    times.push(performance.now() - start);
    sizes.push(answer.bytes);
    rows.push(answer.rows);
  }
  process.stdout.write(JSON.stringify({ times, sizes, rows }));
});`;

export async function requestsOverHttp(
  url: string,
  token: string,
  query: string,
  warmup: (object | WarmupRequest)[],
  measured: object[],
): Promise<{ times: number[]; sizes: number[]; rows: number[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', HTTP_CLIENT], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`HTTP client exited with ${code}`)),
    );
    child.stdin.end(JSON.stringify({ url: `${url}/graphql`, token, query, warmup, measured }));
  });
}
