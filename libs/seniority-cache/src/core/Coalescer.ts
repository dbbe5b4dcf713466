/** One pending computation for a key, shared by every caller that asks while it runs. */
export interface Flight<V> {
  readonly promise: Promise<V>;
  /** Moves the work ahead of bulk work, when a caller with higher priority joins (optional). */
  promote?(): void;
}

/**
 * Singleflight (after groupcache's): key → the flight computing it. A caller that finds a flight
 * joins it instead of starting another, so a key in flight is never computed twice; the entry is
 * forgotten as soon as the flight settles (whether it succeeded or failed), so the map holds only
 * keys in flight and stays bounded by the work queued behind it. Caching is a separate layer.
 */
export class Coalescer<V> {
  private readonly flights = new Map<string, Flight<V>>();
  private joinedCount = 0;

  /** The flight for `key`, if one is running (counted as a coalesced call). */
  join(key: string): Flight<V> | undefined {
    const flight = this.flights.get(key);
    if (flight) this.joinedCount++;
    return flight;
  }

  /** Registers a new flight for `key`; the caller has checked that none runs. */
  start(key: string, flight: Flight<V>): Flight<V> {
    if (this.flights.has(key)) throw new Error(`a flight for ${key} is already running`);
    this.flights.set(key, flight);
    const forget = (): void => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    };
    flight.promise.then(forget, forget);
    return flight;
  }

  /** Keys in flight now. */
  get size(): number {
    return this.flights.size;
  }

  /** Calls that joined a running flight instead of starting one, since creation. */
  get coalesced(): number {
    return this.joinedCount;
  }
}
