// Control-plane failures carry the Alibaba error code and the HTTP status the real API
// answers with, so a script that branches on `e.code` reads the same against the lab.

import { quote } from '../util/quote';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
    /** The request parameter at fault, when there is one. */
    readonly param?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): { Code: string; Message: string; HttpStatus: number; Param?: string } {
    return { Code: this.code, Message: this.message, HttpStatus: this.httpStatus, Param: this.param };
  }
}

/** A value as messages quote it: JSON-quoted and cut after 60 characters (util/quote.ts). */
export const quoted = quote;

export const notFound = (code: string, param: string, id: string): ApiError =>
  new ApiError(code, `The specified ${param} ${quoted(id)} does not exist.`, 404, param);

export const missing = (param: string): ApiError =>
  new ApiError('MissingParameter', `The input parameter "${param}" that is mandatory for processing this request is not supplied.`, 400, param);

export const invalid = (code: string, param: string, why: string): ApiError =>
  new ApiError(code, `${param}: ${why}`, 400, param);
