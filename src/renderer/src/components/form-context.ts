// The contexts that carry a console action's refusal to where it is shown: the Console
// view routes it to the form being submitted (FailureRouter), and the form to the field
// that takes the parameter at fault (FieldError), else to its own top.

import { getContext, setContext } from 'svelte';
import type { ActionFailure, FailureRouter } from '../lib/field-error';

const ROUTER = Symbol('console failures');
const FIELDS = Symbol('form fields');

export function setFailureRouter(r: FailureRouter<ActionFailure>): void {
  setContext(ROUTER, r);
}

/** The Console view's router, or undefined outside it (a form then leaves failures to its caller). */
export function getFailureRouter(): FailureRouter<ActionFailure> | undefined {
  return getContext<FailureRouter<ActionFailure> | undefined>(ROUTER);
}

export interface FormFields {
  /** A field that takes these parameters; the result unregisters it. */
  register(params: readonly string[]): { id: number; off: () => void };
  /** The form's current refusal. */
  readonly failure: ActionFailure | null;
  /** The field that shows it, or null when the form's top does. */
  readonly shownAt: number | null;
}

export function setFormFields(f: FormFields): void {
  setContext(FIELDS, f);
}

export function getFormFields(): FormFields | undefined {
  return getContext<FormFields | undefined>(FIELDS);
}
