import type { IExecuteFunctions } from 'n8n-workflow';

import { MODELS, RENOVATE_TYPES } from '../../../actions/generateAdvance';
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
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		required: true,
		default: 'spacely-v1',
		description: 'The Spacely AI model that redesigns the room',
		options: [
			{
				name: 'Spacely Style Transfer',
				value: 'spacely-style-transfer',
				description: 'Carries a style over onto the room',
			},
			{
				name: 'Spacely Unfurnished Space',
				value: 'spacely-unfurnished-space',
				description: 'Furnishes an empty room',
			},
			{
				name: 'Spacely V1',
				value: 'spacely-v1',
				description: 'Redesigns a furnished room (the general-purpose model)',
			},
		],
		displayOptions: show,
	},
	renovateTypeField(false, show),
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		default: '',
		placeholder: 'e.g. mid_century',
		description:
			'The style to redesign the room in (such as mid_century, modern or scandinavian) or a short instruction. Leave empty to let Spacely choose.',
		displayOptions: show,
	},
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
