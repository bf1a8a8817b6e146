import type { IExecuteFunctions } from 'n8n-workflow';

import { readText, requirePublicUrl } from '../../../validation';
import { roomPhotoField } from '../fields';
import { pointsField, readNumber, readPoints } from '../geometry';
import type { OperationModule } from '../operation';
import { renderPanel, showFor } from '../operation';
import { prepareRender } from '../runRender';

const show = showFor('spacePlanning', 'twoPointPerspective');

export const option: OperationModule['option'] = {
	name: 'Two-Point Perspective',
	value: 'twoPointPerspective',
	description: 'Draw orthogonal guide lines on a room photo for work with real dimensions',
	action: 'Draw two point perspective lines on a room photo',
};

export const description = renderPanel(show, [
	roomPhotoField(show),
	pointsField(
		'topCornerLine',
		'Top Corner Line',
		3,
		'Where the walls meet the ceiling: the top-left corner, a corner in between (if the wall is not straight) and the top-right corner.',
		show,
	),
	pointsField(
		'bottomCornerReferenceLine',
		'Bottom Corner Reference Line',
		3,
		"Three points on the floor's edge, each 1 metre from the real corner towards the middle of the room, from left to right.",
		show,
	),
	{
		displayName: 'Room Height (Metres)',
		name: 'roomHeight',
		type: 'number',
		required: true,
		default: 2.5,
		typeOptions: { minValue: 0 },
		description: 'Height of the room from floor to ceiling, in metres',
		displayOptions: show,
	},
]);

export function prepare(ctx: IExecuteFunctions, itemIndex: number, stopWaiting?: AbortSignal) {
	const body = {
		imageUrl: readText(ctx, 'imageUrl', itemIndex),
		topCornerLine: readPoints(ctx, itemIndex, 'topCornerLine', 'Top Corner Line', 3),
		bottomCornerReferenceLine: readPoints(
			ctx,
			itemIndex,
			'bottomCornerReferenceLine',
			'Bottom Corner Reference Line',
			3,
		),
		roomHeight: readNumber(
			ctx,
			itemIndex,
			'Room Height',
			ctx.getNodeParameter('roomHeight', itemIndex, undefined),
			'positive',
		),
	};
	requirePublicUrl(ctx, itemIndex, 'Image URL', body.imageUrl, 'the room photo');
	return prepareRender(ctx, itemIndex, stopWaiting, '/api/v1/generate/two-point-perspective', body);
}
