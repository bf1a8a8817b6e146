import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Checks of an item's parameters before any request is sent: each error names the field, the
 * item and the fix, since the value often comes from an expression over a spreadsheet row.
 */

const FROM_EXPRESSION = 'If it comes from an expression, check the value it produces for this item.';

/** A text parameter, trimmed; empty when unset. */
export function readText(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	return value === undefined || value === null ? '' : String(value).trim();
}

export function fieldError(ctx: IExecuteFunctions, itemIndex: number, message: string, description: string) {
	return new NodeOperationError(ctx.getNode(), `${message} [item ${itemIndex}]`, { itemIndex, description });
}

export function requireOneOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: string,
	allowed: string[],
) {
	if (allowed.includes(value)) return;
	throw fieldError(
		ctx,
		itemIndex,
		`${field} "${value}" is not supported`,
		`Set ${field} to one of: ${allowed.join(', ')}. ${FROM_EXPRESSION}`,
	);
}

export function requireNotEmpty(ctx: IExecuteFunctions, itemIndex: number, field: string, value: string) {
	if (value !== '') return;
	throw fieldError(ctx, itemIndex, `${field} is empty`, `Fill in ${field}. ${FROM_EXPRESSION}`);
}

/**
 * A link Spacely downloads itself: it must be a public http(s) URL. `what` says what it shows,
 * for the fix ("the room photo").
 */
export function requirePublicUrl(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: string,
	what: string,
) {
	const fix = `Use a full public link to ${what}, such as https://example.com/photos/room.jpg, that opens in a browser without a login.`;
	if (value === '') {
		throw fieldError(
			ctx,
			itemIndex,
			`${field} is empty`,
			`${fix} If it comes from an expression, check that the field it reads exists in this item.`,
		);
	}
	if (!isHttpUrl(value)) {
		throw fieldError(ctx, itemIndex, `${field} "${value}" is not a public http(s) link`, fix);
	}
}

export function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}
