import type { IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { SpacelyV1 } from './v1/SpacelyV1.node';
import { SpacelyV2 } from './v2/SpacelyV2.node';

/**
 * Version 1 is kept unchanged for workflows saved with it; new nodes get version 2, whose panel
 * groups the operations by resource and asks for the output once (see README "Node versions").
 */
export class Spacely extends VersionedNodeType {
	constructor() {
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new SpacelyV1(),
			2: new SpacelyV2(),
		};
		super(nodeVersions, {
			displayName: 'Spacely',
			name: 'spacely',
			icon: { light: 'file:spacely.svg', dark: 'file:spacely.dark.svg' },
			group: ['transform'],
			description: 'Redesign room photos and place products into them with Spacely AI rendering',
			defaultVersion: 2,
		});
	}
}
