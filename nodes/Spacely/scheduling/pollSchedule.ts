import { createHash } from 'node:crypto';

import type { RenderObservation } from './renderTimes';
import { RenderTimeDistribution } from './renderTimes';
import type { SharedSchedule } from './waitingRender';
import { SCOUTS, WORTH_A_POLL, WaitingRender, gap } from './waitingRender';

/**
 * When to ask Spacely whether a render is done: learned per account (and kind of render) from the
 * renders this n8n process has seen, shared by every execution in it, like the rate limiter.
 *
 * Times are counted from when a render's POST was answered to when a poll was answered: latency
 * cancels out, and a poll that waited for the rate cap counts from when it was actually answered.
 * What polls saw goes into an estimate of how long renders take (renderTimes.ts); renders still
 * running count in it as taking longer than they have run so far.
 *
 * - A process that has seen no render finish sends scouts: the first three renders to wait poll
 *   often, together at points 0.5 s apart (later 8% of the time so far), each at every third point,
 *   while every other render waits for what they find. A batch of renders that take the same time
 *   then costs the scouts' few polls plus one poll per render, where polling every render blindly
 *   would cost several each.
 * - Once renders have been seen done, each poll aims where half of the renders still running at
 *   that point are done; when that is within a short span (1 s, or 10% of the time so far) of
 *   when every render seen done was done, it aims there. While renders are seen running beyond
 *   that, the span is 1 s: they may be done any moment, or one was seen running only because its
 *   answer was read late (a busy machine), and aiming further would hold the others back.
 *   Renders that take about the same time are picked up by their first poll, just after they
 *   are done; renders whose times vary widely get two or three polls each once their spread is
 *   known. What fewer than three renders seen done show may be chance (one render done at 26 s
 *   says nothing of the others): the scouts look again at once, and the others act on it when
 *   that is confirmed.
 * - A render that runs longer than renders were seen to run is on unknown ground: up to three such
 *   renders scout it, and the others poll 30% beyond where renders were last seen running, or
 *   sooner when a scout finds more (every waiting render plans again when a scout reports). The
 *   first batch in a process with widely varying render times polls most: nothing is known yet.
 * - Scouting starts again when no render was seen closely for 10 minutes (render times drift, and
 *   renders that are always picked up by their first poll cannot show that renders got faster);
 *   older observations count for less, and not at all after an hour.
 *
 * No poll comes before the user's First Poll After, and a render waiting for scouts still polls
 * once at its Wait Timeout. Polls take request slots and go through the rate cap like every
 * request: scout polls first (they are few, and others wait for them), other polls after the
 * renders still to be started (see requestSlots.ts).
 */

const SCOUT_AGAIN_AFTER_MS = 10 * 60_000;
const HALF_LIFE_MS = 10 * 60_000;
const FORGET_AFTER_MS = 60 * 60_000;
/**
 * Renders seen closely and renders seen loosely are kept apart, so that a run of renders picked up
 * by their first poll ("done within 30 s") does not push out the few that tell when exactly. Many
 * are kept: the last ones of a batch to finish are its slowest.
 */
const KEPT = { close: 64, loose: 1000 };
/** the estimate is made again after a render is seen done, else at most this often */
const ESTIMATE_KEPT_MS = 250;
const ROUND_TRIPS_KEPT = 16;

/**
 * Observations whose times are within 1% of each other, as one of their summed weight and count:
 * a batch gives many alike (picked up by the same poll, or still running), and the estimate stays
 * quick.
 */
function grouped(observations: RenderObservation[]): RenderObservation[] {
	const step = (ms: number) => (ms === Infinity ? ms : Math.round(Math.log1p(ms) / Math.log(1.01)));
	const groups = new Map<string, RenderObservation>();
	for (const observation of observations) {
		const key = `${step(observation.lo)}/${step(observation.hi)}`;
		const group = groups.get(key);
		if (!group) {
			groups.set(key, { ...observation });
			continue;
		}
		group.weight += observation.weight;
		group.renders = (group.renders ?? 1) + (observation.renders ?? 1);
	}
	return [...groups.values()];
}

interface Seen extends RenderObservation {
	at: number;
}

export class PollSchedule implements SharedSchedule {
	private readonly seen: { close: Seen[]; loose: Seen[] } = { close: [], loose: [] };

	private lastCloseLookAt = -Infinity;

	private scouts = 0;

	private scoutsEver = 0;

	private readonly roundTrips: number[] = [];

	/** renders being waited for, and when a poll last saw each one processing */
	private readonly running = new Map<WaitingRender, number>();

	private estimate?: { at: number; distribution: RenderTimeDistribution };

	private news = new AbortController();

	constructor(private readonly clock: () => number = () => performance.now()) {}

	/** A render whose POST was just answered starts waiting; `firstPollAfterMs`: no poll before. */
	startWaiting(firstPollAfterMs: number): WaitingRender {
		const render = new WaitingRender(this, this.clock, firstPollAfterMs);
		this.running.set(render, 0);
		return render;
	}

	/** How many renders are being waited for. */
	get waitingCount(): number {
		return this.running.size;
	}

	/** Fires when what the schedule knows changed in a way that can move waiting renders' polls. */
	get changed(): AbortSignal {
		return this.news.signal;
	}

	/**
	 * The render times seen, or undefined when no render was seen done within the last hour. Renders
	 * still running count too, as taking longer than they have run so far: without them, the
	 * estimate would only know the renders fast enough to be done already.
	 */
	distribution(): RenderTimeDistribution | undefined {
		const now = this.clock();
		if (!this.estimate || now - this.estimate.at > ESTIMATE_KEPT_MS) {
			for (const list of [this.seen.close, this.seen.loose]) {
				while (list.length > 0 && now - list[0].at > FORGET_AFTER_MS) list.shift();
			}
			const weighted = [...this.seen.close, ...this.seen.loose].map(({ lo, hi, at }) => ({
				lo,
				hi,
				weight: 0.5 ** ((now - at) / HALF_LIFE_MS),
			}));
			const running = [...this.running.values()].filter((lo) => lo > 0);
			const distribution = new RenderTimeDistribution(
				grouped([...weighted, ...running.map((lo) => ({ lo, hi: Infinity, weight: 1 }))]),
				(ms) => gap(WORTH_A_POLL, ms),
			);
			this.estimate = { at: now, distribution };
		}
		const seenNone = this.seen.close.length + this.seen.loose.length === 0;
		return seenNone ? undefined : this.estimate.distribution;
	}

	recordProcessing(render: WaitingRender, lo: number) {
		this.running.set(render, lo);
	}

	/** Whether renders should scout: none was seen closely for a while. */
	needsScouts(): boolean {
		return this.clock() - this.lastCloseLookAt > SCOUT_AGAIN_AFTER_MS;
	}

	/** Takes one of the scout roles if one is free; returns the scout's number, else undefined. */
	takeScoutRole(): number | undefined {
		if (this.scouts >= SCOUTS) return undefined;
		this.scouts++;
		return this.scoutsEver++ % SCOUTS;
	}

	/** The fastest recent poll round trip: what to send a poll ahead of the time it aims at. */
	roundTripMs(): number {
		return this.roundTrips.length > 0 ? Math.min(...this.roundTrips) : 0;
	}

	recordRoundTrip(ms: number) {
		this.roundTrips.push(ms);
		if (this.roundTrips.length > ROUND_TRIPS_KEPT) this.roundTrips.shift();
	}

	/**
	 * A render was seen done at `hi` ms, having been seen running at `lo`; `uncertainMs`: how much
	 * sooner it could have been seen done.
	 */
	recordDone(lo: number, hi: number, uncertainMs = hi - lo) {
		const at = this.clock();
		const wasEmpty = this.distribution() === undefined;
		// A scout's own look spans three of the scouts' points; with the others' it is closer.
		const close = uncertainMs <= SCOUTS * gap(WORTH_A_POLL, hi);
		const list = close ? this.seen.close : this.seen.loose;
		list.push({ lo, hi, weight: 1, at });
		if (list.length > (close ? KEPT.close : KEPT.loose)) list.shift();
		this.estimate = undefined;
		if (close) this.lastCloseLookAt = at;
		if (close || wasEmpty) this.announce();
	}

	/** A scout that is no longer needed as one: others know what it would find. */
	leaveScoutRole() {
		this.scouts--;
	}

	ended(render: WaitingRender, wasScout: boolean) {
		this.running.delete(render);
		if (!wasScout) return;
		this.scouts--;
		this.announce();
	}

	private announce() {
		const previous = this.news;
		this.news = new AbortController();
		previous.abort();
	}
}

/** What tells renders that may take different times apart: the endpoint, and the model if any. */
export function renderKindOf(path: string, body: { model?: unknown }): string {
	return typeof body.model === 'string' ? `${path} ${body.model}` : path;
}

const schedules = new Map<string, PollSchedule>();

/**
 * The schedule for one account's renders of one kind, keyed by a hash of the API key (never the
 * key itself), as the rate limiter is.
 */
export function pollScheduleFor(apiKey: string, renderKind = ''): PollSchedule {
	const key = `${createHash('sha256').update(apiKey).digest('hex')}/${renderKind}`;
	let schedule = schedules.get(key);
	if (!schedule) {
		schedule = new PollSchedule();
		schedules.set(key, schedule);
	}
	return schedule;
}
