import type { IExecuteFunctions } from 'n8n-workflow';

import { fieldError, readText, requirePublicUrl } from '../../../validation';
import { urlField } from '../fields';
import { boxFields, pointsField, readBox, readNumber, readPoints } from '../geometry';
import type { OperationModule } from '../operation';
import { renderPanel, showFor } from '../operation';
import { prepareRender } from '../runRender';

const show = showFor('productVisualization', 'decorationPlacement');
const SAME_UNIT = 'In the same unit as Product Width, Product Height and Line Length (e.g. centimetres).';

export const option: OperationModule['option'] = {
	name: 'Decoration Placement',
	value: 'decorationPlacement',
	description: 'Place a decoration product (high detail, true to scale) into a room photo',
	action: 'Place a decoration into a room photo',
};

const size = (name: string, displayName: string, description: string) => ({
	displayName,
	name,
	type: 'number' as const,
	required: true,
	default: 0,
	typeOptions: { minValue: 0 },
	description: `${description} ${SAME_UNIT}`,
	displayOptions: show,
});

export const description = renderPanel(show, [
	urlField(
		'imageUrl',
		'Room Image URL',
		'Link to the room photo the decoration goes into.',
		'https://example.com/photos/living-room.jpg',
		show,
	),
	{
		...urlField(
			'productImageUrl',
			'Product Image URL',
			'Link to a PNG of the product with no background.',
			'https://example.com/catalogue/vase.png',
			show,
		),
		hint: 'A public http(s) link to a PNG with a transparent background',
	},
	size('productWidth', 'Product Width', "The product's real width."),
	size('productHeight', 'Product Height', "The product's real height."),
	pointsField(
		'referenceLine',
		'Reference Line',
		2,
		'Two points in the room photo marking a line whose real length you know (say, the width of a door).',
		show,
	),
	size('lineLength', 'Line Length', 'The real length of the reference line.'),
	...boxFields('placement', 'Placement', 'Where the decoration goes in the room photo', show),
]);

export function prepare(ctx: IExecuteFunctions, itemIndex: number, stopWaiting?: AbortSignal) {
	const number = (name: string, field: string) =>
		readNumber(ctx, itemIndex, field, ctx.getNodeParameter(name, itemIndex, undefined), 'positive');
	const body = {
		imageUrl: readText(ctx, 'imageUrl', itemIndex),
		productImageUrl: readText(ctx, 'productImageUrl', itemIndex),
		productWidth: number('productWidth', 'Product Width'),
		productHeight: number('productHeight', 'Product Height'),
		referenceLine: readPoints(ctx, itemIndex, 'referenceLine', 'Reference Line', 2),
		lineLength: number('lineLength', 'Line Length'),
		placement: readBox(ctx, itemIndex, 'placement', 'Placement'),
	};
	requirePublicUrl(ctx, itemIndex, 'Room Image URL', body.imageUrl, 'the room photo');
	requirePublicUrl(ctx, itemIndex, 'Product Image URL', body.productImageUrl, 'the product PNG');
	requirePngByName(ctx, itemIndex, body.productImageUrl);
	return prepareRender(ctx, itemIndex, stopWaiting, '/api/v1/generate/decoration-placement', body);
}

/**
 * Spacely needs a PNG without background. Only the link's file extension is checked (nothing is
 * downloaded): a link without one, as many CDNs give, passes.
 */
function requirePngByName(ctx: IExecuteFunctions, itemIndex: number, url: string) {
	const extension = /\.([a-z0-9]{2,5})$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
	if (extension === undefined || extension === 'png') return;
	throw fieldError(
		ctx,
		itemIndex,
		`Product Image URL must link to a PNG, not a .${extension} file`,
		'Decoration Placement needs a PNG of the product with a transparent background. Export the product photo as PNG without background and link to that.',
	);
}
