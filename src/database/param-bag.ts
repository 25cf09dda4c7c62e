/**
 * Collects positional parameters while SQL is composed from fragments, so that fragments from
 * different services ($1, $2, …) never collide. Values are always parameters, never spliced in.
 */
export class ParamBag {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder, e.g. `$3`. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
