/**
 * How long renders take, estimated from what polls saw: a render seen "processing" at `lo` ms and
 * done at `hi` ms (both counted from its start) took more than `lo` and at most `hi`. Most renders
 * are only known that loosely (a render picked up by its first poll is known to take at most `hi`);
 * a few are known closely (scout renders, polled often). The estimate is Turnbull's: the
 * distribution most likely to have produced these intervals. It puts all weight where intervals
 * overlap in the way only a close observation can tell (the "innermost" intervals: where some
 * interval starts and then, before any other starts, one ends), and spreads the weight evenly
 * within each. So "at most 30 s" from a hundred renders does not blur "between 29.6 and 30 s" from
 * one scout, and a spread of render times is still found when most renders are seen loosely.
 * A render still running is an interval that never ends: weight beyond every render seen done is
 * unexplored ground, and the times there are not known.
 */

export interface RenderObservation {
	/** ms from the start of the render until a poll last saw it processing (0 if none did) */
	lo: number;
	/** ms from the start of the render until the poll that saw it done; Infinity: still running */
	hi: number;
	/** how much this observation counts (older ones count less) */
	weight: number;
	/** how many renders it stands for (alike ones are grouped), 1 if not given */
	renders?: number;
}

interface Cell {
	from: number;
	to: number;
	mass: number;
}

const ITERATIONS = 60;
/** see stillRunningAfter */
const SQUEEZED_INTO = 0.25;

export class RenderTimeDistribution {
	private readonly cells: Cell[];

	private readonly done: RenderObservation[];

	/** `resolutionMs(ms)`: times closer than this, around `ms`, are not told apart. */
	constructor(observations: RenderObservation[], resolutionMs: (ms: number) => number = () => 0) {
		const kept = observations.filter((o) => o.hi > o.lo && o.weight > 0);
		this.done = kept.filter(({ hi }) => hi !== Infinity);
		this.cells = estimate(stillRunningAfter(kept, resolutionMs));
	}

	/** How many renders were seen done later than `ms`, however long ago. */
	rendersDoneAfter(ms: number): number {
		return this.done.reduce((sum, { hi, renders = 1 }) => (hi > ms ? sum + renders : sum), 0);
	}

	get isEmpty(): boolean {
		return this.cells.length === 0;
	}

	/**
	 * From where on nothing is known: renders were seen still running there, and none was seen to
	 * finish later. Infinity when every render seen running was later matched by one seen done.
	 */
	get unexploredFrom(): number {
		const last = this.cells[this.cells.length - 1];
		return last?.to === Infinity && last.mass > 0 ? last.from : Infinity;
	}

	/** By when every render seen done was done: the end of the known ground (0 if none). */
	get lastDoneBy(): number {
		const known = this.cells.filter(({ to, mass }) => to !== Infinity && mass > 0);
		return known[known.length - 1]?.to ?? 0;
	}

	/** The share of renders done within `ms`. */
	doneBy(ms: number): number {
		let share = 0;
		for (const { from, to, mass } of this.cells) {
			if (ms >= to) share += mass;
			else if (ms > from) share += (mass * (ms - from)) / (to - from);
		}
		return Math.min(1, share);
	}

	/** The time within which a share `p` (0 to 1) of renders is done; Infinity if not known. */
	timeFor(p: number): number {
		let share = 0;
		for (const { from, to, mass } of this.cells) {
			if (share + mass >= p && mass > 0) {
				return to === Infinity ? Infinity : from + ((to - from) * Math.max(0, p - share)) / mass;
			}
			share += mass;
		}
		return this.cells[this.cells.length - 1]?.to ?? 0;
	}
}

/**
 * A render seen running just before another was seen done counts as running from then on, when
 * that other one was last seen running long before. Renders are polled in rounds, answered over a
 * second or two, and rounds planned at different moments come a little apart: one render is seen
 * running at 34.1 s, others done at 35.4 s that were last seen running at 26.3 s. Taken as they
 * are, those intervals let the estimate squeeze the weight of all the renders done by 35.4 s, or of
 * all those still running, into 34.1-35.4 s (nothing in the intervals rules it out), and every
 * render seen running would poll again at once, to find it still running. Render times spread more
 * smoothly than that: here a render done in 26.3-35.4 s finished after 34.1 s with a chance of one
 * in seven. So when a "done" comes within what is told apart after a running render's `lo`, and
 * that is the last quarter or less of the done render's own interval, the running render's `lo`
 * moves to it. A render seen running at about the same time and done soon after is left as it is:
 * that one does tell when the renders running then are done.
 */
function stillRunningAfter(observations: RenderObservation[], resolutionMs: (ms: number) => number) {
	// Only recent looks (weight from the last half-life) come from rounds close to this one.
	const done = observations.filter(({ hi, weight }) => hi !== Infinity && weight >= 0.5);
	return observations.map((observation) => {
		if (observation.hi !== Infinity) return observation;
		const seenRunning = observation.lo;
		const within = resolutionMs(seenRunning);
		let lo = seenRunning;
		for (const other of done) {
			const after = other.hi - seenRunning;
			const squeezed = after <= SQUEEZED_INTO * (other.hi - other.lo) && after <= within;
			if (squeezed && other.hi > lo) lo = other.hi;
		}
		return { ...observation, lo };
	});
}

/** Turnbull's self-consistency iteration over the innermost intervals. */
function estimate(observations: RenderObservation[]): Cell[] {
	const cells = innermostIntervals(observations);
	if (cells.length === 0) return [];
	const covers = observations.map(({ lo, hi }) =>
		cells.map((cell, index) => (cell.from >= lo && cell.to <= hi ? index : -1)).filter((index) => index >= 0),
	);
	const total = observations.reduce((sum, o) => sum + o.weight, 0);
	cells.forEach((cell) => (cell.mass = 1 / cells.length));
	for (let iteration = 0; iteration < ITERATIONS; iteration++) {
		const next = cells.map(() => 0);
		observations.forEach(({ weight }, j) => {
			const inside = covers[j].reduce((sum, index) => sum + cells[index].mass, 0);
			if (inside <= 0) return;
			for (const index of covers[j]) next[index] += (weight * cells[index].mass) / inside / total;
		});
		cells.forEach((cell, index) => (cell.mass = next[index]));
	}
	return cells;
}

/**
 * The intervals (from, to] between a start of some observation and the next end, with no other
 * start in between. At equal times an end sorts first: (a, t] and (t, b] do not overlap.
 */
function innermostIntervals(observations: RenderObservation[]): Cell[] {
	const ends = observations.flatMap(({ lo, hi }) => [
		{ at: lo, start: true },
		{ at: hi, start: false },
	]);
	ends.sort((a, b) => a.at - b.at || Number(a.start) - Number(b.start));
	const cells: Cell[] = [];
	for (let i = 0; i + 1 < ends.length; i++) {
		if (ends[i].start && !ends[i + 1].start) cells.push({ from: ends[i].at, to: ends[i + 1].at, mass: 0 });
	}
	return cells;
}
