import type { IExecuteFunctions } from 'n8n-workflow';

import { MODELS, RENOVATE_TYPES, modelField, promptField } from '../../../renderVocabulary';
import { readText, requireOneOf, requirePublicUrl } from '../../../validation';
import { renovateTypeField, roomPhotoField } from '../fields';
import type { OperationModule } from '../operation';
import { renderPanel, showFor } from '../operation';
import { prepareRender } from '../runRender';

const show = showFor('render', 'generateAdvance');

export const option: OperationModule['option'] = {
	name: 'Generate Advance',
	value: 'generateAdvance',
	description: 'Redesign a room photo from a prompt (a style name or an instruction)',
	action: 'Redesign a room from a prompt',
};

export const description = renderPanel(show, [
	roomPhotoField(show),
	{ ...modelField, displayOptions: show },
	renovateTypeField(false, show),
	{ ...promptField, displayOptions: show },
	{
		displayName: 'Negative Prompt',
		name: 'negativePrompt',
		type: 'string',
		default: '',
		placeholder: 'e.g. clutter, dark colors',
		description: 'What the render should avoid',
		displayOptions: show,
	},
]);

export function prepare(ctx: IExecuteFunctions, itemIndex: number, stopWaiting?: AbortSignal) {
	const text = (name: string) => readText(ctx, name, itemIndex);
	const body = {
		model: text('model'),
		imageUrl: text('imageUrl'),
		prompt: text('prompt'),
		nPrompt: text('negativePrompt'),
		renovateType: text('renovateType'),
	};
	requirePublicUrl(ctx, itemIndex, 'Image URL', body.imageUrl, 'the room photo');
	requireOneOf(ctx, itemIndex, 'Model', body.model, MODELS);
	requireOneOf(ctx, itemIndex, 'Renovate Type', body.renovateType, RENOVATE_TYPES);
	return prepareRender(ctx, itemIndex, stopWaiting, '/api/v1/generate/advance', body);
}
