import { createHash } from 'node:crypto';

import { abortableSleep } from '../platform';

const WINDOW_MS = 1000;
/** Spacely's own limit per account; going over it blocks the account */
export const SPACELY_LIMIT_PER_SECOND = 100;
/** covers how unevenly long requests take to reach Spacely after they are sent */
export const ARRIVAL_MARGIN_MS = 50;

/**
 * Call once the request is over: `answered` when Spacely sent a response, of any status; `sent`
 * false when it was not sent after all (it then counts for nothing).
 */
export type Release = (answered: boolean, sent?: boolean) => void;

/**
 * Lets requests start, in the order they asked, while two rules hold. Both count requests in
 * flight and requests that reached Spacely within the last second, as Spacely counts them when
 * they arrive. The node cannot see arrivals, only when it sent a request and when the answer came.
 *
 * - The cap (`limit`) counts a request from its estimated arrival: its answer time less the
 *   fastest round trip seen on this account, plus a margin (and never later than the answer).
 *   It assumes that Spacely's work plus the way back takes no request less time than it took the
 *   fastest trip; then the estimate is early by at most how much longer the fastest trip's way
 *   there took than the next request's way there, which the margin covers. Counting from the
 *   answer would cost a whole round trip per second of throughput; counting from the send would
 *   not hold, as n8n writes a burst of requests out over tens of milliseconds.
 * - Spacely's own limit counts a request from when it ended, which it arrived before if it
 *   arrived at all (a request the node gave up on is assumed not to reach Spacely later). That
 *   needs no estimate, so the account is not blocked even when the estimate is wrong (say,
 *   connection set-up that slowed the fastest trip but not later ones).
 *
 * One instance per Spacely account, shared by every item and every execution in this process.
 * Other n8n processes (queue-mode workers) have their own: each gets a share of the account's
 * budget and of Spacely's limit (accountBudget.ts).
 * Times come from performance.now(): a system clock stepped back must not stall every request.
 */
export class SlidingWindowLimiter {
	private inFlight = 0;

	/** estimated arrivals (margin included; without an answer, when it ended), oldest first */
	private readonly arrivals: number[] = [];

	/** when the requests of the last second ended (answered or not), oldest first */
	private readonly endings: number[] = [];

	private fastestRoundTripMs = Infinity;

	private queue: Promise<void> = Promise.resolve();

	private onRelease: Array<() => void> = [];

	/**
	 * Resolves when the request may start, with the function to call once it is over.
	 * `spacelyLimit` is this process's share of Spacely's limit when several n8n processes send
	 * for the account (accountBudget.ts).
	 */
	async acquire(limit: number, signal?: AbortSignal, spacelyLimit = SPACELY_LIMIT_PER_SECOND): Promise<Release> {
		const turn = this.queue.then(async () => await this.waitForSlot(limit, spacelyLimit, signal));
		this.queue = turn.catch(() => undefined);
		await turn;
		const sentAt = whenSent();
		let released = false;
		return (answered, sent = true) => {
			if (released) return;
			released = true;
			this.inFlight--;
			if (sent) this.record(sentAt(), answered);
			for (const wake of this.onRelease.splice(0)) wake();
		};
	}

	private record(sentAt: number, answered: boolean) {
		const now = performance.now();
		this.endings.push(now);
		if (answered) this.fastestRoundTripMs = Math.min(this.fastestRoundTripMs, now - sentAt);
		// Without an answer (a network error, a stop) the request may have arrived until now.
		const estimate = answered ? now - this.fastestRoundTripMs + ARRIVAL_MARGIN_MS : now;
		const arrival = Math.min(estimate, now);
		let index = this.arrivals.length;
		while (index > 0 && this.arrivals[index - 1] > arrival) index--;
		this.arrivals.splice(index, 0, arrival);
	}

	private async waitForSlot(limit: number, spacelyLimit: number, signal?: AbortSignal): Promise<void> {
		for (;;) {
			// A stopped execution must not take a slot that other executions could use.
			signal?.throwIfAborted();
			const now = performance.now();
			const oldest = [this.arrivals, this.endings].map((times) => dropOlderThanWindow(times, now));
			if (
				this.inFlight + this.arrivals.length < limit &&
				this.inFlight + this.endings.length < spacelyLimit
			) {
				this.inFlight++;
				return;
			}
			const released = new Promise<void>((resolve) => this.onRelease.push(resolve));
			const expiries = oldest.filter((time) => time !== undefined).map((time) => time + WINDOW_MS - now);
			// Only requests in flight hold the slots when nothing expires: look again within a
			// second anyway, so that a stop is noticed.
			await Promise.race([released, abortableSleep(Math.min(WINDOW_MS, ...expiries), signal)]);
		}
	}
}

/** Drops the times a window ending now no longer holds; returns the oldest one left. */
function dropOlderThanWindow(times: number[], now: number): number | undefined {
	while (times.length > 0 && now - times[0] >= WINDOW_MS) times.shift();
	return times[0];
}

/**
 * When a request just let go actually leaves, near enough: n8n writes it out only once the work
 * queued before it is done (often the sending of a burst of other requests), about when a
 * zero-delay timer set now fires. Taking the earlier time instead would make round trips look
 * longer than they are, and requests look as if they arrived earlier than they did.
 */
function whenSent(): () => number {
	let sentAt = performance.now();
	void abortableSleep(0).then(() => (sentAt = performance.now()));
	return () => sentAt;
}

const limiters = new Map<string, SlidingWindowLimiter>();

/**
 * The limiter for one account, keyed by a hash of its key (never the key itself). Not by base URL
 * too: the same key through a proxy or under another spelling of the URL is still one account.
 */
export function limiterForAccount(apiKey: string): SlidingWindowLimiter {
	const account = createHash('sha256').update(apiKey).digest('hex');
	let limiter = limiters.get(account);
	if (!limiter) {
		limiter = new SlidingWindowLimiter();
		limiters.set(account, limiter);
	}
	return limiter;
}
