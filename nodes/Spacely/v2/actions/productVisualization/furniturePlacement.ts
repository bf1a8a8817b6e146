import type { IExecuteFunctions } from 'n8n-workflow';

import { readText, requirePublicUrl } from '../../../validation';
import { urlField } from '../fields';
import { boxFields, readBox } from '../geometry';
import type { OperationModule } from '../operation';
import { renderPanel, showFor } from '../operation';
import { prepareRender } from '../runRender';

const show = showFor('productVisualization', 'furniturePlacement');

export const option: OperationModule['option'] = {
	name: 'Furniture Placement',
	value: 'furniturePlacement',
	description: 'Place a furniture product photo into a room photo',
	action: 'Place furniture into a room photo',
};

export const description = renderPanel(show, [
	urlField(
		'imageUrl',
		'Room Image URL',
		'Link to the room photo the product goes into.',
		'https://example.com/photos/living-room.jpg',
		show,
	),
	urlField(
		'productImageUrl',
		'Product Image URL',
		'Link to the furniture product photo.',
		'https://example.com/catalogue/sofa.jpg',
		show,
	),
	...boxFields('placement', 'Placement', 'Where the product goes in the room photo', show),
	...boxFields('area', 'Area', 'A larger box in the room photo within which the product may be placed', show),
]);

export function prepare(ctx: IExecuteFunctions, itemIndex: number, stopWaiting?: AbortSignal) {
	const body = {
		imageUrl: readText(ctx, 'imageUrl', itemIndex),
		productImageUrl: readText(ctx, 'productImageUrl', itemIndex),
		placement: readBox(ctx, itemIndex, 'placement', 'Placement'),
		area: readBox(ctx, itemIndex, 'area', 'Area'),
	};
	requirePublicUrl(ctx, itemIndex, 'Room Image URL', body.imageUrl, 'the room photo');
	requirePublicUrl(ctx, itemIndex, 'Product Image URL', body.productImageUrl, 'the product photo');
	return prepareRender(ctx, itemIndex, stopWaiting, '/api/v1/generate/furniture-placement', body);
}
