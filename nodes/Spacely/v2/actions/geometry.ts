import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError } from '../../validation';

/**
 * Numbers, boxes and point lists: the fields of product placement and space planning. Positions
 * are image pixels from the photo's top-left corner. Values from expressions may be numeric text
 * (a spreadsheet cell), which is accepted.
 */

export interface Box extends IDataObject {
	x: number;
	y: number;
	w: number;
	h: number;
}

export interface Point extends IDataObject {
	x: number;
	y: number;
}

type DisplayOptions = INodeProperties['displayOptions'];

/** A number that must be above zero (a size or a length), or zero and above (a position). */
export function readNumber(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	rule: 'positive' | 'notNegative',
): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number)) {
		throw fieldError(
			ctx,
			itemIndex,
			`${field} must be a number, not ${JSON.stringify(value ?? null)}`,
			`Enter a number for ${field}. If it comes from an expression, check the value it produces for this item.`,
		);
	}
	if (rule === 'positive' ? number <= 0 : number < 0) {
		throw fieldError(
			ctx,
			itemIndex,
			`${field} must be ${rule === 'positive' ? 'more than 0' : '0 or more'}, not ${number}`,
			rule === 'positive'
				? `${field} is a size: enter a number above 0.`
				: `${field} counts pixels from the photo's top-left corner, so it cannot be negative.`,
		);
	}
	return number;
}

/** Four number fields for a box `{x, y, w, h}`: `<name>X`, `<name>Y`, `<name>Width`, `<name>Height`. */
export function boxFields(
	name: string,
	label: string,
	meaning: string,
	displayOptions: DisplayOptions,
): INodeProperties[] {
	const part = (suffix: string, title: string, description: string, hint?: string): INodeProperties => ({
		displayName: `${label} ${title}`,
		name: `${name}${suffix}`,
		type: 'number',
		required: true,
		default: 0,
		typeOptions: { minValue: 0 },
		description: `${meaning}: ${description}`,
		...(hint ? { hint } : {}),
		displayOptions,
	});
	return [
		part('X', 'X', 'left edge, in pixels from the left of the photo', 'Pixels from the top-left corner of the photo'),
		part('Y', 'Y', 'top edge, in pixels from the top of the photo'),
		part('Width', 'Width', 'width in pixels, more than 0'),
		part('Height', 'Height', 'height in pixels, more than 0'),
	];
}

export function readBox(ctx: IExecuteFunctions, itemIndex: number, name: string, label: string): Box {
	const value = (suffix: string) => ctx.getNodeParameter(`${name}${suffix}`, itemIndex, undefined) as unknown;
	return {
		x: readNumber(ctx, itemIndex, `${label} X`, value('X'), 'notNegative'),
		y: readNumber(ctx, itemIndex, `${label} Y`, value('Y'), 'notNegative'),
		w: readNumber(ctx, itemIndex, `${label} Width`, value('Width'), 'positive'),
		h: readNumber(ctx, itemIndex, `${label} Height`, value('Height'), 'positive'),
	};
}

/** A list of exactly `count` points, entered one by one; each X and Y may be an expression. */
export function pointsField(
	name: string,
	label: string,
	count: number,
	description: string,
	displayOptions: DisplayOptions,
): INodeProperties {
	return {
		displayName: label,
		name,
		type: 'fixedCollection',
		required: true,
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Point',
		default: {},
		description: `${description} Exactly ${count} points, in image pixels from the photo's top-left corner`,
		hint: `${count} points, in order`,
		displayOptions,
		options: [
			{
				displayName: 'Point',
				name: 'points',
				values: [
					{
						displayName: 'X',
						name: 'x',
						type: 'number',
						default: 0,
						description: 'Pixels from the left of the photo',
					},
					{
						displayName: 'Y',
						name: 'y',
						type: 'number',
						default: 0,
						description: 'Pixels from the top of the photo',
					},
				],
			},
		],
	};
}

export function readPoints(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	count: number,
): Point[] {
	const value = ctx.getNodeParameter(name, itemIndex, {}) as unknown;
	const list = pointList(value);
	if (!list || list.length !== count) {
		throw fieldError(
			ctx,
			itemIndex,
			`${label} needs exactly ${count} points, not ${list ? list.length : JSON.stringify(value)}`,
			`Add ${count} points to ${label}, in order. Each X and Y can be an expression.`,
		);
	}
	return list.map((point, index) => ({
		x: readNumber(ctx, itemIndex, `${label} point ${index + 1} X`, point?.x, 'notNegative'),
		y: readNumber(ctx, itemIndex, `${label} point ${index + 1} Y`, point?.y, 'notNegative'),
	}));
}

/** The points as the editor saves them: `{points: [{x, y}, ...]}`. */
function pointList(value: unknown): Array<IDataObject | undefined> | undefined {
	const points = value && typeof value === 'object' ? ((value as IDataObject).points ?? []) : undefined;
	return Array.isArray(points) ? (points as IDataObject[]) : undefined;
}
