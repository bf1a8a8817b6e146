import type { IExecuteFunctions } from 'n8n-workflow';

/** Gives a slot back; calling it again does nothing. */
export type ReleaseSlot = () => void;

/**
 * Who goes first when requests wait for a slot, in this order:
 * - "scout": polls of scout renders (scheduling/pollSchedule.ts), which are few and which other
 *   renders wait for;
 * - "normal": the items being started, and the requests of an item until it says otherwise, first
 *   come first served;
 * - "poll": polls of renders being waited for. They wait until the router has started every item:
 *   every poll sent before a batch's last POST delays that POST by one request's share of the rate
 *   cap, and with it the batch; a poll sent after it costs nothing;
 * - "download": image downloads, last: each holds its slot for a whole file, while a poll is one
 *   short request that may free a render for its downloads.
 */
export type SlotPriority = 'scout' | 'normal' | 'poll' | 'download';

const ORDER: SlotPriority[] = ['scout', 'normal', 'poll', 'download'];
const AFTER_STARTS: SlotPriority[] = ['poll', 'download'];

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

	private readonly queued: Record<SlotPriority, Array<() => void>> = { scout: [], normal: [], poll: [], download: [] };

	private readonly freeWatchers: Array<() => void> = [];

	private readonly reservedFor = new Set<number>();

	private readonly priorityOf = new Map<number, SlotPriority>();

	/**
	 * @param itemsToStart whether a router will start items with these slots: until it calls
	 * stopStarting(), every slot that comes free is its to take before a poll or download gets one
	 */
	constructor(
		readonly size: number,
		private itemsToStart = false,
	) {}

	/** Whether an item started now would get a slot at once (polls and downloads wait for it). */
	hasFree(): boolean {
		return this.inUse + this.queued.scout.length + this.queued.normal.length < this.size;
	}

	/** Sets the priority of item `itemIndex`'s next requests. */
	setPriority(itemIndex: number, priority: SlotPriority): void {
		this.priorityOf.set(itemIndex, priority);
	}

	/** The router starts no more items: slots it was waiting for go to the requests waiting. */
	stopStarting(): void {
		this.itemsToStart = false;
		this.freeWatchers.splice(0).forEach((notify) => notify());
		while (this.inUse < this.size) {
			const next = this.nextInLine();
			if (!next) break;
			this.inUse++;
			next();
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

	/**
	 * Waits for a slot, by priority (`priority`, else the item's), then first come first served; a
	 * reserved slot is taken at once.
	 */
	async acquire(itemIndex?: number, priority?: SlotPriority): Promise<ReleaseSlot> {
		const reserved = itemIndex !== undefined && this.reservedFor.delete(itemIndex);
		priority ??= (itemIndex !== undefined && this.priorityOf.get(itemIndex)) || 'normal';
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
		if (AFTER_STARTS.includes(priority) && this.itemsToStart) return false;
		const ahead = ORDER.slice(0, ORDER.indexOf(priority) + 1).reduce((sum, p) => sum + this.queued[p].length, 0);
		return this.inUse + ahead < this.size;
	}

	/** The first request waiting, by priority; polls and downloads only once every item started. */
	private nextInLine(): (() => void) | undefined {
		const { scout, normal, poll, download } = this.queued;
		return scout.shift() ?? normal.shift() ?? (this.itemsToStart ? undefined : (poll.shift() ?? download.shift()));
	}

	/** A slot was given back: the first request in line takes it over, else it is free. */
	private passOn() {
		const next = this.nextInLine();
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
