import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { Operation } from '../../router';
import { creditsNotice, outputField, requestSettingsField, waitSettingsField } from './fields';

/** What each version-2 operation file exports. */
export interface OperationModule {
	/** its entry in the Operation list of its resource */
	option: INodePropertyOptions & { action: string };
	description: INodeProperties[];
	prepare: Operation;
}

export type DisplayOptions = INodeProperties['displayOptions'];

export function showFor(resource: string, operation: string): DisplayOptions {
	return { show: { resource: [resource], operation: [operation] } };
}

/**
 * A render operation's panel: the credits notice, its own fields (the photo first), then the
 * output choice, the wait settings (only when waiting) and the request settings.
 */
export function renderPanel(displayOptions: DisplayOptions, fields: INodeProperties[]): INodeProperties[] {
	return [
		creditsNotice(displayOptions),
		...fields,
		outputField(displayOptions),
		waitSettingsField(displayOptions),
		requestSettingsField(true, displayOptions),
	];
}
