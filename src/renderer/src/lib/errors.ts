// A failed LabService call, as the console shows it: the Alibaba error code and its message,
// and the request parameter at fault when the error carries one. The browser client
// (lab-ws.ts) rejects with an Error carrying `code`; the preload can only pass a message
// across the context bridge, `<Code>: <Message>`. Both end up here.

export interface LabFailure {
  code: string;
  message: string;
  /** The parameter the API names as wrong (its `Param`), when the error brought it. */
  param?: string;
}

/** `OperationDenied.ConflictOfAllZeroRouting`, `VPC_ROUTE_ENTRY_CIDR_BLOCK_DUPLICATE`, `LabError`… */
const CODE = /^([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*\.?): ([\s\S]*)$/;

export function labFailure(e: unknown): LabFailure {
  const err = e as { code?: unknown; message?: unknown; param?: unknown; Param?: unknown } | null | undefined;
  const message = err && typeof err.message === 'string' ? err.message : String(e);
  const p = err ? (err.param ?? err.Param) : undefined;
  const param = typeof p === 'string' && p ? { param: p } : {};
  if (err && typeof err.code === 'string' && err.code) {
    const prefix = `${err.code}: `;
    return { code: err.code, message: message.startsWith(prefix) ? message.slice(prefix.length) : message, ...param };
  }
  const m = CODE.exec(message);
  if (m) return { code: m[1], message: m[2], ...param };
  return { code: 'Error', message, ...param };
}
