import type { INodeProperties } from 'n8n-workflow';

/** What both node versions call the same: Spacely's models and renovate types, and their fields. */

export const MODELS = ['spacely-v1', 'spacely-unfurnished-space', 'spacely-style-transfer'];
export const RENOVATE_TYPES = ['residential', 'commercial'];

export const modelField: INodeProperties = {
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
};

export const promptField: INodeProperties = {
	displayName: 'Prompt',
	name: 'prompt',
	type: 'string',
	default: '',
	placeholder: 'e.g. mid_century',
	description:
		'The style to redesign the room in (such as mid_century, modern or scandinavian) or a short instruction. Leave empty to let Spacely choose.',
};
