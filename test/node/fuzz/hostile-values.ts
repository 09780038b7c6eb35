/** A small seeded generator of hostile JSON-like values, so that a failing case can be replayed. */
export class HostileValues {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** mulberry32 */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(choices: readonly T[]): T {
    return choices[this.int(choices.length)] as T;
  }

  string(): string {
    return this.pick([
      '',
      ' ',
      'x'.repeat(1 + this.int(64)),
      'y'.repeat(1_000_000),
      '__proto__',
      'constructor',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'http://evil.example/x.pdf',
      'https://results.example/x.pdf',
      'http://127.0.0.1:9/x.pdf',
      '<img src=x onerror=alert(1)>',
      '\u202Egnp.exe',
      '\u0000\uFFFF\uD800',
      '2119-01-01T00:00:00Z',
      'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQ5NDg5Njk5MzV9.c2ln',
      String(this.next()),
    ]);
  }

  scalar(): unknown {
    return this.pick<() => unknown>([
      () => null,
      () => undefined,
      () => this.next() < 0.5,
      () => this.int(1e9) - 5e8,
      () => this.pick([0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, NaN, Infinity]),
      () => this.string(),
    ])();
  }

  key(): string {
    return this.pick([
      '__proto__',
      'constructor',
      'prototype',
      'Files',
      'Url',
      'FileName',
      'FileSize',
      'data',
      'tasks',
      'id',
      'result',
      'files',
      'url',
      'status',
      'token',
      'secret',
      this.string().slice(0, 20),
    ]);
  }

  /** Any value, up to `depth` levels of nesting. */
  value(depth = 4): unknown {
    const kind = depth <= 0 ? 0 : this.int(4);
    if (kind === 0 || kind === 1) return this.scalar();
    if (kind === 2) return Array.from({ length: this.int(6) }, () => this.value(depth - 1));
    return this.object(depth);
  }

  object(depth = 4): Record<string, unknown> {
    // JSON.parse gives `__proto__` as an own property, as a hostile server's answer would.
    const entries = Array.from({ length: this.int(6) }, () => [this.key(), this.value(depth - 1)] as const);
    return JSON.parse(
      JSON.stringify(Object.fromEntries(entries.map(([key, value]) => [key, value ?? null]))),
    ) as Record<string, unknown>;
  }

  /** Nesting far deeper than any real answer. */
  deep(levels: number): unknown {
    return JSON.parse('['.repeat(levels) + ']'.repeat(levels)) as unknown;
  }

  /** A valid-looking answer with one part broken: the most telling fuzzing input. */
  mutate(valid: unknown): unknown {
    const copy = JSON.parse(JSON.stringify(valid)) as unknown;
    const paths: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node))
        node.forEach((child, index) => {
          paths.push({ parent: node, key: index });
          walk(child);
        });
      else if (node && typeof node === 'object') {
        for (const [key, child] of Object.entries(node)) {
          paths.push({ parent: node as Record<string, unknown>, key });
          walk(child);
        }
      }
    };
    walk(copy);
    for (let changes = 1 + this.int(3); changes > 0 && paths.length > 0; changes -= 1) {
      const { parent, key } = this.pick(paths);
      const action = this.int(3);
      if (action === 0) (parent as Record<string | number, unknown>)[key] = this.value(2);
      else if (action === 1 && !Array.isArray(parent)) Reflect.deleteProperty(parent, key);
      else (parent as Record<string | number, unknown>)[key] = this.scalar();
    }
    return copy;
  }
}
