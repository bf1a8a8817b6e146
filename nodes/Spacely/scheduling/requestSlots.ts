import type { IExecuteFunctions } from 'n8n-workflow';

/** Gives a slot back; calling it again does nothing. */
export type ReleaseSlot = () => void;

/**
 * Who goes first when requests wait for a slot: an item's requests are "normal" (first come first
 * served with the items being started) until the item says otherwise. A render being waited for
 * polls and downloads at "low": after the renders still to be started, so that polls of hundreds
 * of renders do not hold back the rest of the batch (every poll before the last POST delays the
 * batch by one request's share of the rate cap; a poll after it costs nothing). Scout polls
 * (scheduling/pollSchedule.ts) are few, and the other renders wait for what they find: "urgent".
 */
export type SlotPriority = 'urgent' | 'normal' | 'low';

/**
 * Max Concurrent Requests: how many HTTP requests one node run has out at once (render POSTs,
 * polls, image downloads). A slot is held for one request only, never while a render is waited
 * for, so every started render is waited for at the same time however many there are: the limit
 * that matters for a batch is Spacely's requests per second, which the rate cap keeps.
 *
 * The router reserves a slot for an item as it starts it, and the item's first request takes that
 * slot over: so a burst of items starts at once, without the router having to wait and see which
 * of them already asked for a slot.
 */
export class RequestSlots {
	private inUse = 0;

	private readonly queued: Record<SlotPriority, Array<() => void>> = { urgent: [], normal: [], low: [] };

	private readonly freeWatchers: Array<() => void> = [];

	private readonly reservedFor = new Set<number>();

	private readonly priorityOf = new Map<number, SlotPriority>();

	/**
	 * @param itemsToStart whether a router will start items with these slots: until it calls
	 * stopStarting(), every slot that comes free is its to take before a request at "low" gets one
	 */
	constructor(
		readonly size: number,
		private itemsToStart = false,
	) {}

	/** Whether an item started now would get a slot at once (requests at "low" wait for it). */
	hasFree(): boolean {
		return this.inUse + this.queued.urgent.length + this.queued.normal.length < this.size;
	}

	/** Sets the priority of item `itemIndex`'s next requests. */
	setPriority(itemIndex: number, priority: SlotPriority): void {
		this.priorityOf.set(itemIndex, priority);
	}

	/** The router starts no more items: slots it was waiting for go to the requests waiting. */
	stopStarting(): void {
		this.itemsToStart = false;
		this.freeWatchers.splice(0).forEach((notify) => notify());
		while (this.inUse < this.size && this.queued.low.length > 0) {
			this.inUse++;
			this.queued.low.shift()!();
		}
	}

	/** Resolves when a request asking now would get a slot at once. */
	async whenFree(): Promise<void> {
		while (!this.hasFree()) await new Promise<void>((resolve) => this.freeWatchers.push(resolve));
	}

	/** Holds a free slot for the first request of item `itemIndex`. Only when hasFree(). */
	reserve(itemIndex: number): void {
		this.inUse++;
		this.reservedFor.add(itemIndex);
	}

	/** Gives back the reservation of an item that ended without making a request. */
	unreserve(itemIndex: number): void {
		if (this.reservedFor.delete(itemIndex)) this.passOn();
	}

	/** Waits for a slot, by priority, then first come first served; a reserved slot is taken at once. */
	async acquire(itemIndex?: number): Promise<ReleaseSlot> {
		const reserved = itemIndex !== undefined && this.reservedFor.delete(itemIndex);
		const priority = (itemIndex !== undefined && this.priorityOf.get(itemIndex)) || 'normal';
		if (!reserved && this.isFreeFor(priority)) this.inUse++;
		else if (!reserved) await new Promise<void>((resolve) => this.queued[priority].push(resolve));
		let released = false;
		return () => {
			if (released) return;
			released = true;
			this.passOn();
		};
	}

	private isFreeFor(priority: SlotPriority): boolean {
		if (priority === 'urgent') return this.inUse + this.queued.urgent.length < this.size;
		if (priority === 'low') return !this.itemsToStart && this.hasFree() && this.queued.low.length === 0;
		return this.hasFree();
	}

	/** A slot was given back: the first queued request by priority takes it over, else it is free. */
	private passOn() {
		const { urgent, normal, low } = this.queued;
		const next = urgent.shift() ?? normal.shift() ?? (this.itemsToStart ? undefined : low.shift());
		if (next) next();
		else this.inUse--;
		this.freeWatchers.splice(0).forEach((notify) => notify());
	}
}

const slotsPerRun = new WeakMap<IExecuteFunctions, RequestSlots>();

/** Gives this node run `size` request slots. */
export function createRequestSlots(ctx: IExecuteFunctions, size: number): RequestSlots {
	const slots = new RequestSlots(size, true);
	slotsPerRun.set(ctx, slots);
	return slots;
}

/** The slots of this node run, if the run has them. */
export function requestSlotsOf(ctx: IExecuteFunctions): RequestSlots | undefined {
	return slotsPerRun.get(ctx);
}
