const path = require('path');
const { task, src, dest, parallel } = require('gulp');

// tsc emits only JavaScript; n8n reads each node's icon and codex (*.node.json) from beside its
// built file, and a credential's icon likewise.
const copyAssets = (folder) => () =>
	src(path.join(folder, '**', '*.{png,svg,node.json}'), { encoding: false }).pipe(
		dest(path.join('dist', folder)),
	);

task('build:icons', parallel(copyAssets('nodes'), copyAssets('credentials')));
