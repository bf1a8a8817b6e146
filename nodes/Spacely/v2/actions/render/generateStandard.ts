import type { IExecuteFunctions } from 'n8n-workflow';

import { MODELS, modelField } from '../../../renderVocabulary';
import { readText, requireNotEmpty, requireOneOf, requirePublicUrl } from '../../../validation';
import { RENOVATE_TYPES_WITH_EXTERIOR, renovateTypeField, roomPhotoField, spaceTypeField, titleOf } from '../fields';
import type { OperationModule } from '../operation';
import { renderPanel, showFor } from '../operation';
import { prepareRender } from '../runRender';

const show = showFor('render', 'generateStandard');

/** Spacely's documented examples; other values pass through from expressions. */
const SPACE_STYLES = ['industrial_loft', 'mid_century', 'minimalist', 'modern'];
const SPACE_COLORS = ['set_1', 'set_2', 'set_3'];
const MATERIALS = ['paper_wallpaper', 'particle_board', 'porcelain_tile'];

export const option: OperationModule['option'] = {
	name: 'Generate Standard',
	value: 'generateStandard',
	description: "Redesign a room photo in one of Spacely's preset styles",
	action: 'Redesign a room in a preset style',
};

export const description = renderPanel(show, [
	roomPhotoField(show),
	{ ...modelField, displayOptions: show },
	spaceTypeField(show),
	{
		displayName: 'Space Style',
		name: 'spaceStyle',
		type: 'options',
		required: true,
		default: 'modern',
		description:
			'The preset style to redesign the room in. Other styles that Spacely offers can be given with an expression.',
		options: SPACE_STYLES.map((value) => ({ name: titleOf(value), value })),
		displayOptions: show,
	},
	renovateTypeField(true, show),
	{
		displayName: 'Color Set',
		name: 'spaceColor',
		type: 'options',
		default: '',
		description: "One of Spacely's colour palettes for the room, or none to let Spacely choose",
		options: [{ name: 'None', value: '' }, ...SPACE_COLORS.map((value) => ({ name: titleOf(value), value }))],
		displayOptions: show,
	},
	{
		displayName: 'Style Reference URL',
		name: 'styleUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com/moodboard/nordic.jpg',
		description: 'Optional link to a photo for inspiration. Must be a public http(s) link.',
		displayOptions: show,
	},
	{
		displayName: 'Materials',
		name: 'materialsIds',
		type: 'multiOptions',
		default: [],
		description:
			"Materials to use in the room, from Spacely's documented examples. Other material IDs can be given with an expression, as a list or comma-separated.",
		options: MATERIALS.map((value) => ({ name: titleOf(value), value })),
		displayOptions: show,
	},
]);

export function prepare(ctx: IExecuteFunctions, itemIndex: number, stopWaiting?: AbortSignal) {
	const text = (name: string) => readText(ctx, name, itemIndex);
	const body = {
		model: text('model'),
		imageUrl: text('imageUrl'),
		spaceType: text('spaceType'),
		spaceStyle: text('spaceStyle'),
		spaceColor: text('spaceColor'),
		renovateType: text('renovateType'),
		styleUrl: text('styleUrl'),
		materialsIds: readList(ctx.getNodeParameter('materialsIds', itemIndex, []) as unknown),
	};
	requirePublicUrl(ctx, itemIndex, 'Image URL', body.imageUrl, 'the room photo');
	requireOneOf(ctx, itemIndex, 'Model', body.model, MODELS);
	requireNotEmpty(ctx, itemIndex, 'Space Type', body.spaceType);
	requireNotEmpty(ctx, itemIndex, 'Space Style', body.spaceStyle);
	requireOneOf(ctx, itemIndex, 'Renovate Type', body.renovateType, RENOVATE_TYPES_WITH_EXTERIOR);
	if (body.styleUrl !== '') {
		requirePublicUrl(ctx, itemIndex, 'Style Reference URL', body.styleUrl, 'the inspiration photo');
	}
	return prepareRender(ctx, itemIndex, stopWaiting, '/api/v1/generate/standard', body);
}

/** The chosen materials; an expression may give a list or comma-separated text. */
function readList(value: unknown): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return list.map((entry) => String(entry).trim()).filter((entry) => entry !== '');
}
