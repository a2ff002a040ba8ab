// Where a console form shows a refusal: next to the field that takes the parameter the API
// names, else at the form's top. The parameter comes from the error's `Param` when the page
// received it, else from the message, which the lab's API phrases as the real one does
// (src/main/cloud/errors.ts): `The specified <Param> "…" does not exist.`, `The input
// parameter "<Param>" that is mandatory…`, `<Param>: <why>`.

import type { LabFailure } from './errors';

/** A refused console action, as a form or the page shows it. */
export interface ActionFailure extends LabFailure {
  action: string;
}

const NAMED = [/^The specified ([A-Z]\w*) "/, /^The input parameter "([A-Z]\w*)"/, /^([A-Z][A-Za-z0-9]*): /];

/** The request parameter a failure is about, or null when it names none. */
export function failedParam(f: LabFailure): string | null {
  if (f.param) return f.param;
  for (const re of NAMED) {
    const m = re.exec(f.message);
    if (m) return m[1];
  }
  return null;
}

/**
 * Which of a form's fields (each taking some parameters) shows the failure: its index, or -1
 * for the form's top. A field that sets a list of objects (`Servers`) takes the failures of
 * its items' fields too (`Servers.1.ServerId`).
 */
export function fieldOf(f: LabFailure, fields: readonly (readonly string[])[]): number {
  const p = failedParam(f);
  if (p === null) return -1;
  const exact = fields.findIndex((params) => params.includes(p));
  return exact >= 0 ? exact : fields.findIndex((params) => params.some((x) => p.startsWith(`${x}.`)));
}

/**
 * Sends a console action's failure to the form that is submitting it, if one is, instead of
 * the page's top: a form claims failures while its submit runs.
 */
export class FailureRouter<F> {
  private sink: ((f: F) => void) | null = null;

  /** Failures go to `sink` until the returned function is called. */
  claim(sink: (f: F) => void): () => void {
    this.sink = sink;
    return () => {
      if (this.sink === sink) this.sink = null;
    };
  }

  /** Hands `f` to the submitting form; false when no form is submitting (the page shows it). */
  route(f: F): boolean {
    if (this.sink === null) return false;
    this.sink(f);
    return true;
  }
}
