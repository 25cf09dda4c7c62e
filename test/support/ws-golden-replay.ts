import { readdirSync, readFileSync } from 'node:fs';
import request from 'supertest';
import { expect } from 'vitest';

/**
 * Replays the golden Piwigo 16.4 exchanges (test/fixtures/piwigo/golden/, captured by
 * shared/bench/capture-golden.sh) against Vitrine and compares the answers: HTTP status, content
 * type, envelope, keys (in order), value types, and values wherever they are not ids, dates,
 * hashes, tokens or URLs.
 *
 * Tokens and keys are mapped: when a replayed answer carries a `pwg_token` (or an API key), the
 * golden's value is remembered as standing for Vitrine's, so later requests that sent the golden
 * token send Vitrine's instead. Ids can be mapped the same way with {@link GoldenReplay.mapId}.
 */
export interface Golden {
  name: string;
  request: {
    http: string;
    url: string;
    encoding: 'query' | 'urlencoded' | 'multipart';
    headers: Record<string, string>;
    params: Record<string, string | string[]>;
    files: Record<string, { filename: string; size: number; content_type: string }>;
    cookies: string[];
  };
  response: { status: number; content_type: string; set_cookie: string[]; body: unknown };
}

const GOLDEN_DIR = new URL('../fixtures/piwigo/golden/', import.meta.url);

/** The golden exchange whose file name starts with `NN-`. */
export function golden(prefix: string): Golden {
  const name = readdirSync(GOLDEN_DIR).find((f) => f.startsWith(`${prefix}-`));
  if (!name) throw new Error(`no golden exchange ${prefix}`);
  return JSON.parse(readFileSync(new URL(name, GOLDEN_DIR), 'utf8')) as Golden;
}

/** Keys whose values are ids, dates, hashes, tokens, keys or URLs: compared by type only. */
const VOLATILE_KEY = /(^|_)(id|ids|url|src|token|sum|md5|key|secret|datetime|date|date_last|rank)$|^(id|uppercats|representative_picture_id|lastmodified|created_on|expired_on|auth_key|apikey_secret|date_creation|date_available|date_metadata_update|global_rank|id_uppercat|image_id|url)$/;

type Client = ReturnType<typeof request.agent> | ReturnType<typeof request>;

/** A replay session: the token/key substitutions learnt so far. */
export class GoldenReplay {
  private readonly substitutions = new Map<string, string>();

  /** Declares that the golden's `value` stands for Vitrine's `actual` in later requests (ids, names of keys…). */
  mapId(goldenValue: string | number, actual: string | number): void {
    this.substitutions.set(String(goldenValue), String(actual));
  }

  /** Sends the golden request (its params, headers, files as zero-filled buffers of the same size, or `files` given here). */
  send(client: Client, g: Golden, options: { files?: Record<string, Buffer>; headers?: Record<string, string> } = {}): request.Test {
    const sub = (v: string) => this.substitutions.get(v) ?? v;
    const url = g.request.url.replace(/([?&][^=&]+=)([^&]*)/g, (_, k: string, v: string) => k + encodeURIComponent(sub(decodeURIComponent(v))));
    let req = g.request.http === 'GET' ? client.get(url) : client.post(url);
    for (const [name, value] of Object.entries({ ...g.request.headers, ...options.headers })) req = req.set(name, sub(value));
    const pairs = Object.entries(g.request.params).flatMap(([k, v]) => (Array.isArray(v) ? v.map((item) => [k, sub(item)] as const) : [[k, sub(v)] as const]));
    if (g.request.encoding === 'urlencoded') {
      req = req.type('form').send(pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
    } else if (g.request.encoding === 'multipart') {
      for (const [k, v] of pairs) req = req.field(k, v);
      for (const [field, f] of Object.entries(g.request.files)) {
        req = req.attach(field, options.files?.[field] ?? Buffer.alloc(f.size), { filename: f.filename, contentType: f.content_type });
      }
    }
    return req;
  }

  /**
   * Sends and compares. Learns `pwg_token`s from the answer (golden token → Vitrine's).
   * @returns the parsed body
   */
  async replay(client: Client, g: Golden, options: { files?: Record<string, Buffer>; headers?: Record<string, string> } = {}): Promise<Record<string, unknown>> {
    const res = await this.send(client, g, options);
    return this.expectLike(res, g);
  }

  /** Compares an answer with the golden's (see the module comment); returns the parsed body. */
  expectLike(res: request.Response, g: Golden): Record<string, unknown> {
    const label = `${g.name}: `;
    expect(res.status, `${label}HTTP status (body ${res.text.slice(0, 300)})`).toBe(g.response.status);
    expect(res.headers['content-type'], `${label}content type`).toBe(g.response.content_type);
    const expected = g.response.body;
    let body: unknown;
    if (typeof expected === 'string') {
      body = res.text;
    } else {
      body = JSON.parse(res.text);
      compareLike(body, expected, g.name);
    }
    this.learn(body, expected);
    return (typeof body === 'object' && body !== null ? body : { text: body }) as Record<string, unknown>;
  }

  private learn(actual: unknown, expected: unknown): void {
    if (typeof actual !== 'object' || actual === null || typeof expected !== 'object' || expected === null) return;
    for (const [key, want] of Object.entries(expected)) {
      const got = (actual as Record<string, unknown>)[key];
      if ((key === 'pwg_token' || key === 'auth_key') && typeof want === 'string' && typeof got === 'string') this.substitutions.set(want, got);
      else this.learn(got, want);
    }
  }
}

/** Same keys in the same order, same value types, same values except volatile ones; recursive. */
export function compareLike(actual: unknown, expected: unknown, path: string, volatile = false): void {
  if (expected === null || typeof expected !== 'object') {
    if (volatile) {
      expect(actual === null ? 'null' : typeof actual, `${path}: type`).toBe(expected === null ? 'null' : typeof expected);
    } else {
      expect(actual, path).toEqual(expected);
    }
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path}: list`).toBe(true);
    expect((actual as unknown[]).length, `${path}: length`).toBe(expected.length);
    expected.forEach((item, i) => compareLike((actual as unknown[])[i], item, `${path}[${i}]`, volatile));
    return;
  }
  expect(actual !== null && typeof actual === 'object' && !Array.isArray(actual), `${path}: object`).toBe(true);
  const got = actual as Record<string, unknown>;
  expect(Object.keys(got), `${path}: keys`).toEqual(Object.keys(expected));
  for (const [key, want] of Object.entries(expected)) {
    compareLike(got[key], want, `${path}.${key}`, volatile || VOLATILE_KEY.test(key));
  }
}
