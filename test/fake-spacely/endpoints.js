/**
 * The request bodies of Spacely's render endpoints, as spacely-api.md documents them, checked
 * strictly so that a client sending a wrong body fails its tests here instead of costing credits
 * against the real API. Value lists are closed only for model and renovateType: the docs give the
 * others (spaceType, spaceStyle, spaceColor, materialsIds) as open "e.g." lists.
 */

const MODELS = ['spacely-v1', 'spacely-unfurnished-space', 'spacely-style-transfer'];
const RENOVATE_TYPES = ['residential', 'commercial'];
const RENOVATE_TYPES_WITH_EXTERIOR = [...RENOVATE_TYPES, 'exterior'];

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value) => typeof value === 'number' && Number.isFinite(value);
const shown = (value) => (Array.isArray(value) ? `a list of ${value.length}` : JSON.stringify(value));

// Each check answers why `value` (the field `name`) is wrong, or undefined when it is right.

const text = (value, name) => (typeof value === 'string' ? undefined : `${name} must be a string, got ${shown(value)}`);

const oneOf = (allowed) => (value, name) =>
	allowed.includes(value) ? undefined : `${name} must be one of ${allowed.join(', ')}, got ${shown(value)}`;

const httpUrl = (value, name) =>
	typeof value === 'string' && /^https?:\/\/[^\s/]+/i.test(value)
		? undefined
		: `${name} must be an http(s) URL, got ${shown(value)}`;

// The docs' example sends "" for "no reference image".
const httpUrlOrEmpty = (value, name) => (value === '' ? undefined : httpUrl(value, name));

const textList = (value, name) =>
	Array.isArray(value) && value.every((id) => typeof id === 'string')
		? undefined
		: `${name} must be a list of strings, got ${shown(value)}`;

/** A number >= 0, or > 0 when `positive`. */
function number(value, name, positive = true) {
	if (value === undefined) return `${name} is missing`;
	if (isNumber(value) && (positive ? value > 0 : value >= 0)) return undefined;
	return `${name} must be a number ${positive ? '> 0' : '>= 0'}, got ${shown(value)}`;
}

const positiveNumber = (value, name) => number(value, name);

/** An object with exactly these number fields; x and y may be 0, the others must be > 0. */
const shape = (keys) => (value, name) => {
	if (!isObject(value)) return `${name} must be an object {${keys.join(', ')}}, got ${shown(value)}`;
	const unknown = Object.keys(value).find((key) => !keys.includes(key));
	if (unknown !== undefined) return `unknown field ${name}.${unknown}`;
	for (const key of keys) {
		const problem = number(value[key], `${name}.${key}`, key !== 'x' && key !== 'y');
		if (problem) return problem;
	}
	return undefined;
};

const box = shape(['x', 'y', 'w', 'h']);
const point = shape(['x', 'y']);

const points = (count) => (value, name) => {
	if (!Array.isArray(value) || value.length !== count) {
		return `${name} must be a list of ${count} points {x, y}, got ${shown(value)}`;
	}
	for (const [index, each] of value.entries()) {
		const problem = point(each, `${name}[${index}]`);
		if (problem) return problem;
	}
	return undefined;
};

const required = (check) => ({ required: true, check });
const optional = (check) => ({ required: false, check });

const model = required(oneOf(MODELS));
const imageUrl = required(httpUrl);
const productImageUrl = required(httpUrl);

/** The fields of each render endpoint (POST /api/v1/generate/<name>), in the docs' order. */
const ENDPOINTS = {
	advance: {
		model,
		imageUrl,
		prompt: optional(text),
		nPrompt: optional(text),
		renovateType: required(oneOf(RENOVATE_TYPES)),
	},
	standard: {
		model,
		imageUrl,
		spaceType: required(text),
		spaceStyle: required(text),
		spaceColor: optional(text),
		renovateType: required(oneOf(RENOVATE_TYPES_WITH_EXTERIOR)),
		styleUrl: optional(httpUrlOrEmpty),
		materialsIds: optional(textList),
	},
	'style-transfer': {
		imageUrl,
		styleImageUrl: required(httpUrl),
		spaceType: required(text),
		renovateType: required(oneOf(RENOVATE_TYPES_WITH_EXTERIOR)),
	},
	'furniture-placement': {
		imageUrl,
		productImageUrl,
		placement: required(box),
		area: required(box),
	},
	'decoration-placement': {
		imageUrl,
		productImageUrl,
		productWidth: required(positiveNumber),
		productHeight: required(positiveNumber),
		referenceLine: required(points(2)),
		lineLength: required(positiveNumber),
		placement: required(box),
	},
	'two-point-perspective': {
		imageUrl,
		topCornerLine: required(points(3)),
		bottomCornerReferenceLine: required(points(3)),
		roomHeight: required(positiveNumber),
	},
};

const RENDER_ENDPOINTS = Object.keys(ENDPOINTS);

const isEmpty = (value) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * Why `body` is not a valid body for the render endpoint `endpoint` (one of RENDER_ENDPOINTS), as
 * the 400 message names it, or undefined when it is valid. The first problem found is reported.
 */
function invalidBody(endpoint, body) {
	if (!isObject(body)) return 'Body must be a JSON object';
	const fields = ENDPOINTS[endpoint];
	// hasOwn, not `in`: a body may carry keys such as "constructor" or "__proto__".
	const unknown = Object.keys(body).find((key) => !Object.hasOwn(fields, key));
	if (unknown !== undefined) {
		return `unknown field ${unknown} (POST /generate/${endpoint} takes ${Object.keys(fields).join(', ')})`;
	}
	for (const [name, field] of Object.entries(fields)) {
		const value = body[name];
		if (field.required && isEmpty(value)) return `${name} is required`;
		if (value === undefined) continue;
		const problem = field.check(value, name);
		if (problem) return problem;
	}
	return undefined;
}

module.exports = { invalidBody, RENDER_ENDPOINTS, MODELS, RENOVATE_TYPES, RENOVATE_TYPES_WITH_EXTERIOR };
