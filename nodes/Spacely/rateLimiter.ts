import { createHash } from 'node:crypto';
import { sleepWithAbort } from 'n8n-workflow';

const WINDOW_MS = 1000;
/** covers how unevenly long requests take to reach Spacely after they are sent */
const ARRIVAL_MARGIN_MS = 50;

/** Call once the request is over: `answered` when Spacely sent a response, of any status. */
export type Release = (answered: boolean) => void;

/**
 * Lets requests start, in the order they asked, only while fewer than `limit` requests are in
 * flight or reached Spacely less than a second ago.
 *
 * Spacely counts a request when it arrives, which the node cannot see: it sees when it sent the
 * request and when the answer came back. An answer comes back at least the fastest round trip
 * seen on this account after the request arrived, less that trip's own way there. So a request
 * counts from its answer minus the fastest round trip, plus a margin for ways there that took
 * longer than the fastest trip's. Delays that every request shares (DNS, connection set-up,
 * distance) cancel out. Counting from the answer would also hold but would cost a whole round
 * trip per second of throughput; counting from the send would not hold, as n8n writes a burst of
 * requests out over tens of milliseconds.
 *
 * One instance per Spacely account, shared by every item and every execution in this process.
 * Times come from performance.now(): a system clock stepped back must not stall every request.
 */
export class SlidingWindowLimiter {
	private inFlight = 0;

	/** when answered requests reached Spacely at the latest (margin included), oldest first */
	private readonly arrivals: number[] = [];

	private fastestRoundTripMs = Infinity;

	private queue: Promise<void> = Promise.resolve();

	private onRelease: Array<() => void> = [];

	/** Resolves when the request may start, with the function to call once it is over. */
	async acquire(limit: number, signal?: AbortSignal): Promise<Release> {
		const turn = this.queue.then(async () => await this.waitForSlot(limit, signal));
		this.queue = turn.catch(() => undefined);
		await turn;
		const sentAt = whenSent();
		let released = false;
		return (answered) => {
			if (released) return;
			released = true;
			this.inFlight--;
			this.recordArrival(sentAt(), answered);
			for (const wake of this.onRelease.splice(0)) wake();
		};
	}

	private recordArrival(sentAt: number, answered: boolean) {
		const now = performance.now();
		if (answered) this.fastestRoundTripMs = Math.min(this.fastestRoundTripMs, now - sentAt);
		// Without an answer (a network error, a stop) the request may have arrived until now.
		const arrivedBy = (answered ? now - this.fastestRoundTripMs : now) + ARRIVAL_MARGIN_MS;
		let index = this.arrivals.length;
		while (index > 0 && this.arrivals[index - 1] > arrivedBy) index--;
		this.arrivals.splice(index, 0, arrivedBy);
	}

	private async waitForSlot(limit: number, signal?: AbortSignal): Promise<void> {
		for (;;) {
			// A stopped execution must not take a slot that other executions could use.
			signal?.throwIfAborted();
			const now = performance.now();
			while (this.arrivals.length > 0 && now - this.arrivals[0] >= WINDOW_MS) {
				this.arrivals.shift();
			}
			if (this.inFlight + this.arrivals.length < limit) {
				this.inFlight++;
				return;
			}
			const released = new Promise<void>((resolve) => this.onRelease.push(resolve));
			const untilExpiry = this.arrivals.length > 0 ? this.arrivals[0] + WINDOW_MS - now : undefined;
			await Promise.race(
				untilExpiry === undefined ? [released] : [released, sleepWithAbort(untilExpiry, signal)],
			);
		}
	}
}

/**
 * When a request just let go actually leaves, near enough: n8n writes it out only once the work
 * queued before it is done (often the sending of a burst of other requests), about when a
 * zero-delay timer set now fires. Taking the earlier time instead would make round trips look
 * longer than they are, and requests look as if they arrived earlier than they did.
 */
function whenSent(): () => number {
	let sentAt = performance.now();
	void sleepWithAbort(0).then(() => (sentAt = performance.now()));
	return () => sentAt;
}

const limiters = new Map<string, SlidingWindowLimiter>();

/** The limiter for one account: keyed by base URL and a hash of the key, never the key itself. */
export function limiterForAccount(baseUrl: string, apiKey: string): SlidingWindowLimiter {
	const account = `${baseUrl} ${createHash('sha256').update(apiKey).digest('hex')}`;
	let limiter = limiters.get(account);
	if (!limiter) {
		limiter = new SlidingWindowLimiter();
		limiters.set(account, limiter);
	}
	return limiter;
}
