// Desk failures carry a code like the cloud's and the runtime's, so every front end shows
// them the same way (`<Code>: <Message>`).

export class DeskError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'DeskError';
  }
}
