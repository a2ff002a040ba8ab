// One subscription to the app's events for the whole page, fanned out by type to the views
// that care: the lab's (trace, step, check, model) and the desk's (session, terminal).
// Both `window.lab`s can subscribe; should subscribing fail, the hub reports `unavailable`
// and views fall back to what their own calls return (runTo's results, a Refresh button).

import type { AppEvent } from '../../../main/api/desk-service';
import type { LabService } from '../../../main/api/lab-service';

type EventOf<T extends AppEvent['type']> = Extract<AppEvent, { type: T }>;
export type EventsState = 'connecting' | 'live' | 'unavailable';

interface Subscribable {
  subscribe(listener: (e: AppEvent) => void): Promise<() => void>;
}

export function canSubscribe(lab: unknown): lab is Subscribable {
  return typeof (lab as Partial<Subscribable> | null)?.subscribe === 'function';
}

export class EventHub {
  private readonly byType = new Map<string, Set<(e: AppEvent) => void>>();
  private readonly stateListeners = new Set<(s: EventsState) => void>();
  private unsubscribe: (() => void) | null = null;
  private started: Promise<EventsState> | null = null;
  state: EventsState = 'connecting';
  /** Why events are unavailable, when subscribing failed. */
  error: string | null = null;

  constructor(private readonly lab: LabService | Subscribable) {}

  on<T extends AppEvent['type']>(type: T, fn: (e: EventOf<T>) => void): () => void {
    let set = this.byType.get(type);
    if (!set) this.byType.set(type, (set = new Set()));
    const f = fn as (e: AppEvent) => void;
    set.add(f);
    return () => void set.delete(f);
  }

  onState(fn: (s: EventsState) => void): () => void {
    this.stateListeners.add(fn);
    fn(this.state);
    return () => void this.stateListeners.delete(fn);
  }

  /** Subscribe once; later calls return the same answer. */
  start(): Promise<EventsState> {
    this.started ??= this.subscribe();
    return this.started;
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private async subscribe(): Promise<EventsState> {
    if (!canSubscribe(this.lab)) return this.setState('unavailable');
    try {
      this.unsubscribe = await this.lab.subscribe((e) => this.dispatch(e));
      return this.setState('live');
    } catch (e) {
      this.error = (e as Error).message ?? String(e);
      // A later call may succeed (the socket reconnects on use).
      this.started = null;
      return this.setState('unavailable');
    }
  }

  private setState(s: EventsState): EventsState {
    this.state = s;
    for (const l of this.stateListeners) l(s);
    return s;
  }

  private dispatch(e: AppEvent): void {
    const set = this.byType.get(e.type);
    if (!set) return;
    for (const l of set) {
      try {
        l(e);
      } catch (err) {
        // One view's bug must not starve the others of events.
        console.error(`vpclab: a ${e.type} listener failed`, err);
      }
    }
  }
}
