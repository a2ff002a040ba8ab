// Reading the API's answers without tripping over them: every field coerced to the type a
// row wants ('' / false / 0 / [] when absent), and the envelopes unwrapped. Shared by the
// Console's data modules (console-data.ts, vpn-data.ts).

export type Obj = Record<string, unknown>;

export const s = (o: Obj, k: string): string => {
  const v = o[k];
  return v === undefined || v === null ? '' : String(v);
};
export const b = (o: Obj, k: string): boolean => o[k] === true || o[k] === 'true' || o[k] === 1;
export const num = (o: Obj, k: string): number => {
  const v = Number(o[k]);
  return Number.isFinite(v) ? v : 0;
};
export const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
export const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** `resp[outer][inner]` as a list of objects: the API's `{Vpcs: {Vpc: [...]}}` envelope. */
export function items(resp: unknown, outer: string, inner?: string): Obj[] {
  let v: unknown = obj(resp)[outer];
  if (inner !== undefined) v = obj(v)[inner];
  return arr(v);
}
