/** A command line the CLI cannot understand: printed with the usage text, exit code 2. */
export class UsageError extends Error {}
