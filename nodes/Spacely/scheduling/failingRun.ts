import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * A node run that will fail (an item failed, without Continue On Fail) starts no more renders:
 * each would spend a credit on a run that is failing. The router decides; the transport checks,
 * right before a render request goes out, after its waits for a slot and the rate cap, as an
 * item may have been started, or a slot woken it, before the failure was known.
 */
const failingSignalOf = new WeakMap<IExecuteFunctions, AbortSignal>();

/** Marks, in an error's context, an item that sent no render because the run was failing. */
export const NOT_STARTED = 'notStarted';

/** `failing` fires when this node run has decided to fail. */
export function watchFailing(ctx: IExecuteFunctions, failing: AbortSignal): void {
	failingSignalOf.set(ctx, failing);
}

export function isFailing(ctx: IExecuteFunctions): boolean {
	return failingSignalOf.get(ctx)?.aborted === true;
}

export function notStartedError(ctx: IExecuteFunctions, itemIndex: number): NodeOperationError {
	const error = new NodeOperationError(ctx.getNode(), 'Not started: another item failed', {
		itemIndex,
		description: 'No render was started for this item and no credit was spent.',
	});
	error.context[NOT_STARTED] = true;
	return error;
}
