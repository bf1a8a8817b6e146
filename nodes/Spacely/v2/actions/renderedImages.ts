import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { RenderResult } from '../../renderResult';

/**
 * A render Spacely reports done must have images: a paid render without any is a failure the
 * user must see, not an item with an empty list that a workflow passes on as if all went well.
 */
export function requireImages(ctx: IExecuteFunctions, itemIndex: number, result: RenderResult): void {
	if (result.status !== 'success' || result.images.length > 0) return;
	const { refId } = result;
	const error = new NodeApiError(ctx.getNode(), { message: 'no images' }, {
		message: `The render with ref id "${refId}" succeeded but Spacely sent no images`,
		description: `Spacely reported the render as done, so it was paid for, but its result lists no image links. Do not start it again: try Result → Get with ref id ${refId} later, and if it still has no images, ask Spacely support about this ref id.`,
		itemIndex,
	});
	error.context.refId = refId;
	throw error;
}
