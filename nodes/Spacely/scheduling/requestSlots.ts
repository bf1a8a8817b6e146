import type { IExecuteFunctions } from 'n8n-workflow';

/** Gives a slot back; calling it again does nothing. */
export type ReleaseSlot = () => void;

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

	private readonly queued: Array<() => void> = [];

	private readonly freeWatchers: Array<() => void> = [];

	private readonly reservedFor = new Set<number>();

	constructor(readonly size: number) {}

	/** Whether a request asking now would get a slot at once. */
	hasFree(): boolean {
		return this.inUse + this.queued.length < this.size;
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

	/** Waits for a slot, first come first served; an item's reserved slot is taken at once. */
	async acquire(itemIndex?: number): Promise<ReleaseSlot> {
		const reserved = itemIndex !== undefined && this.reservedFor.delete(itemIndex);
		if (!reserved && this.hasFree()) this.inUse++;
		else if (!reserved) await new Promise<void>((resolve) => this.queued.push(resolve));
		let released = false;
		return () => {
			if (released) return;
			released = true;
			this.passOn();
		};
	}

	/** A slot was given back: a queued request takes it over, otherwise it is free. */
	private passOn() {
		const next = this.queued.shift();
		if (next) next();
		else this.inUse--;
		this.freeWatchers.splice(0).forEach((notify) => notify());
	}
}

const slotsPerRun = new WeakMap<IExecuteFunctions, RequestSlots>();

/** Gives this node run `size` request slots. */
export function createRequestSlots(ctx: IExecuteFunctions, size: number): RequestSlots {
	const slots = new RequestSlots(size);
	slotsPerRun.set(ctx, slots);
	return slots;
}

/** The slots of this node run, if the run has them. */
export function requestSlotsOf(ctx: IExecuteFunctions): RequestSlots | undefined {
	return slotsPerRun.get(ctx);
}
