// A failed LabService call, as the console shows it: the Alibaba error code and its message.
// The browser client (lab-ws.ts) rejects with an Error carrying `code`; the preload can only
// pass a message across the context bridge, `<Code>: <Message>`. Both end up here.

export interface LabFailure {
  code: string;
  message: string;
}

/** `OperationDenied.ConflictOfAllZeroRouting`, `VPC_ROUTE_ENTRY_CIDR_BLOCK_DUPLICATE`, `LabError`… */
const CODE = /^([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*\.?): ([\s\S]*)$/;

export function labFailure(e: unknown): LabFailure {
  const err = e as { code?: unknown; message?: unknown } | null | undefined;
  const message = err && typeof err.message === 'string' ? err.message : String(e);
  if (err && typeof err.code === 'string' && err.code) {
    const prefix = `${err.code}: `;
    return { code: err.code, message: message.startsWith(prefix) ? message.slice(prefix.length) : message };
  }
  const m = CODE.exec(message);
  if (m) return { code: m[1], message: m[2] };
  return { code: 'Error', message };
}
