// One typed table per service says which methods it has; every client (the CLI's socket,
// the preload's IPC, the browser's WebSocket) is built from it rather than spelled out,
// and every server checks requests against it. `satisfies Record<keyof S, true>` makes the
// compiler refuse a table that misses a method of the service or names one it lacks.

/** The method names of a service table, as a list. */
export function methodNames<S>(table: Record<keyof S & string, true>): (keyof S & string)[] {
  return Object.keys(table) as (keyof S & string)[];
}

/** A client whose every method is `call(name, ...args)`: the transport is the caller's. */
export function clientOf<S>(methods: readonly (keyof S & string)[], call: (method: keyof S & string, ...args: unknown[]) => Promise<unknown>): S {
  return Object.fromEntries(methods.map((m) => [m, (...args: unknown[]) => call(m, ...args)])) as S;
}
