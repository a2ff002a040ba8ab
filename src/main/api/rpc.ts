// The wire format between a LabService and its clients: one JSON object per line.
//   request  {"id": 1, "method": "status", "params": [...]}
//   response {"id": 1, "result": …} | {"id": 1, "error": {"Code": …, "Message": …}}
//   event    {"event": LabEvent}          (after a `subscribe` request)

export interface RpcRequest {
  id: number;
  method: string;
  params: unknown[];
}

export interface RpcError {
  Code: string;
  Message: string;
  /** The request parameter at fault, when the cloud names one (a form shows the error next to it). */
  Param?: string;
}

export type RpcMessage = { id: number; result?: unknown; error?: RpcError } | { event: unknown };

/** Splits a byte stream into JSON lines. */
export function lineReader(onLine: (line: string) => void): (chunk: Buffer | string) => void {
  let rest = '';
  return (chunk) => {
    rest += chunk.toString();
    let i: number;
    while ((i = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, i);
      rest = rest.slice(i + 1);
      if (line.trim()) onLine(line);
    }
  };
}

export function toRpcError(e: unknown): RpcError {
  if (e instanceof Error && e.name === 'ApiError') {
    const { code, param } = e as Error & { code: string; param?: string };
    return { Code: code, Message: e.message, ...(param ? { Param: param } : {}) };
  }
  return { Code: 'LabError', Message: e instanceof Error ? e.message : String(e) };
}

/** Thrown on the client side for an error reply, with the Alibaba code when there is one. */
export class RemoteError extends Error {
  constructor(readonly code: string, message: string, readonly param?: string) {
    super(message);
    this.name = 'RemoteError';
  }
}
