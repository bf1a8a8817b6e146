import type { RenderTimeDistribution } from './renderTimes';

/** The rules for one render's polls; pollSchedule.ts explains them, and keeps what they learn from. */

/** What a waiting render asks of, and tells, the schedule it belongs to (pollSchedule.ts). */
export interface SharedSchedule {
	readonly changed: AbortSignal;
	readonly waitingCount: number;
	distribution(): RenderTimeDistribution | undefined;
	roundTripMs(): number;
	recordRoundTrip(ms: number): void;
	recordProcessing(render: WaitingRender, lo: number): void;
	recordDone(lo: number, hi: number, uncertainMs?: number): void;
	needsScouts(): boolean;
	takeScoutRole(): number | undefined;
	leaveScoutRole(): void;
	ended(render: WaitingRender, wasScout: boolean): void;
}

export const SCOUTS = 3;
const SCOUT_GAP = { minMs: 500, share: 0.08 };
/** a poll that would pick a render up less than this much sooner is not worth its cost */
export const WORTH_A_POLL = { minMs: 1000, share: 0.1 };
const BLIND_SHARE = 0.3;
/** each poll aims where this share of the renders still running is done */
const AIM_SHARE = 0.5;
/** how many renders seen done after a render's last look it takes before all act on what they show */
const CONFIRMED_BY = 3;
/** below this share of renders seen to take longer, the ground ahead is unknown */
const UNSEEN_SHARE = 0.03;
/** polls of one render come at least this far apart */
const MIN_REPOLL_MS = 250;
export const gap = ({ minMs, share }: { minMs: number; share: number }, ms: number) =>
	Math.max(minMs, share * ms);

/** One render being waited for: when to poll it next, and what its polls saw. */
export class WaitingRender {
	private readonly startedAt: number;

	/** when (ms after the start) a poll last saw the render processing */
	private lo = 0;

	private polls = 0;

	private scout?: number;

	private ended = false;

	constructor(
		private readonly schedule: SharedSchedule,
		private readonly clock: () => number,
		private readonly firstPollAfterMs: number,
	) {
		this.startedAt = clock();
	}

	/** Fires when the plan may have changed: then ask nextPollInMs() again. */
	get changed(): AbortSignal {
		return this.schedule.changed;
	}

	/** How long to wait before the next poll; undefined: until `changed` fires (nothing known yet). */
	nextPollInMs(): number | undefined {
		const aim = this.aim();
		if (aim === undefined) return undefined;
		const earliest = Math.max(this.firstPollAfterMs, this.polls > 0 ? this.lo + MIN_REPOLL_MS : 0);
		const sendAt = Math.max(aim - this.schedule.roundTripMs(), earliest);
		return Math.max(0, sendAt - (this.clock() - this.startedAt));
	}

	/** Whether this render scouts: its polls go ahead of other requests (see requestSlots.ts). */
	get isScout(): boolean {
		return this.scout !== undefined;
	}

	/** Records a poll: sent at `sentAt`, answered at `answeredAt` (clock times), done or not. */
	polled(sentAt: number, answeredAt: number, done: boolean) {
		this.schedule.recordRoundTrip(answeredAt - sentAt);
		const at = answeredAt - this.startedAt;
		this.polls++;
		// Seen done at the first moment it may be polled is as close as a look gets.
		if (done) this.schedule.recordDone(this.lo, at, at - Math.max(this.lo, this.firstPollAfterMs));
		else {
			this.lo = Math.max(this.lo, at);
			this.schedule.recordProcessing(this, this.lo);
		}
	}

	/** The render is no longer waited for (done, failed, stopped or timed out). */
	end() {
		if (this.ended) return;
		this.ended = true;
		this.schedule.ended(this, this.scout !== undefined);
	}

	/** When (ms after the start) the next poll should be answered. */
	private aim(): number | undefined {
		const distribution = this.schedule.distribution();
		const learned = distribution ? this.learnedAim(distribution) : undefined;
		// What one or two renders showed may be chance: the scouts check it before the others act on it.
		const trusted =
			learned !== undefined && distribution !== undefined && distribution.rendersDoneAfter(this.lo) >= CONFIRMED_BY;
		const scouting = !trusted || this.schedule.needsScouts();
		if (scouting && this.scout === undefined) this.scout = this.schedule.takeScoutRole();
		if (!scouting && this.scout !== undefined) {
			this.schedule.leaveScoutRole();
			this.scout = undefined;
		}
		// A scout still polls where the others aim, when that comes sooner than its next look.
		if (this.scout !== undefined) return Math.min(this.scoutAim(this.scout), learned ?? Infinity);
		if (trusted) return learned;
		if (!distribution) return undefined; // nothing seen yet: wait for the scouts
		// Unknown ground: poll seldom, beyond where renders were last seen running; a scout that
		// finds more moves this poll (`changed`).
		const from = Math.max(this.lo, Math.min(distribution.unexploredFrom, distribution.timeFor(1)));
		return from + Math.max(gap(WORTH_A_POLL, from), BLIND_SHARE * from);
	}

	private learnedAim(distribution: RenderTimeDistribution): number | undefined {
		const doneBefore = distribution.doneBy(this.lo);
		const rest = 1 - doneBefore;
		if (rest < UNSEEN_SHARE) return undefined;
		const aim = distribution.timeFor(doneBefore + AIM_SHARE * rest);
		if (aim === Infinity) return undefined;
		const last = distribution.lastDoneBy;
		// With renders seen running beyond it, only when it is near: they may be done any moment
		// (or one was seen running only because its answer was read late, on a busy machine).
		const near = distribution.unexploredFrom === Infinity ? gap(WORTH_A_POLL, aim) : WORTH_A_POLL.minMs;
		return last - aim <= near ? last : aim;
	}

	/**
	 * The scouts together poll at points a short gap apart (0.5 s, later 8% of the time so far),
	 * each scout at every third point: seen together, they tell closely when renders finish, for a
	 * third of the polls.
	 */
	private scoutAim(scout: number): number {
		// A First Poll After below 0.5 s says renders are expected that soon: look closer then.
		const scoutGap = { ...SCOUT_GAP, minMs: Math.min(SCOUT_GAP.minMs, this.firstPollAfterMs) };
		// With fewer renders than scouts waiting, each takes every second point, or every one.
		const stride = Math.min(SCOUTS, this.schedule.waitingCount);
		let point = this.firstPollAfterMs;
		for (let index = 0; index % stride !== scout % stride || point <= this.lo; index++) {
			point += gap(scoutGap, point);
		}
		return point;
	}
}

