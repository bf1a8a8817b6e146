import type { IExecuteFunctions } from 'n8n-workflow';

import { readText, requireNotEmpty, requireOneOf, requirePublicUrl } from '../../../validation';
import { RENOVATE_TYPES_WITH_EXTERIOR, renovateTypeField, roomPhotoField, spaceTypeField, urlField } from '../fields';
import type { OperationModule } from '../operation';
import { renderPanel, showFor } from '../operation';
import { prepareRender } from '../runRender';

const show = showFor('render', 'styleTransfer');

export const option: OperationModule['option'] = {
	name: 'Style Transfer',
	value: 'styleTransfer',
	description: 'Redesign a room photo in the style of a reference photo, such as a mood board',
	action: 'Redesign a room in the style of a photo',
};

export const description = renderPanel(show, [
	roomPhotoField(show),
	urlField(
		'styleImageUrl',
		'Style Image URL',
		'Link to the photo whose style the room should take, such as a mood board or a showroom.',
		'https://example.com/moodboard/nordic-bedroom.jpg',
		show,
	),
	spaceTypeField(show),
	renovateTypeField(true, show),
]);

export function prepare(ctx: IExecuteFunctions, itemIndex: number, stopWaiting?: AbortSignal) {
	const text = (name: string) => readText(ctx, name, itemIndex);
	const body = {
		imageUrl: text('imageUrl'),
		styleImageUrl: text('styleImageUrl'),
		spaceType: text('spaceType'),
		renovateType: text('renovateType'),
	};
	requirePublicUrl(ctx, itemIndex, 'Image URL', body.imageUrl, 'the room photo');
	requirePublicUrl(ctx, itemIndex, 'Style Image URL', body.styleImageUrl, 'the style photo');
	requireNotEmpty(ctx, itemIndex, 'Space Type', body.spaceType);
	requireOneOf(ctx, itemIndex, 'Renovate Type', body.renovateType, RENOVATE_TYPES_WITH_EXTERIOR);
	return prepareRender(ctx, itemIndex, stopWaiting, '/api/v1/generate/style-transfer', body);
}
