// n8n loads this package through the "n8n" block of package.json (the built files in dist/),
// not through this entry point. It exists so that `require('n8n-nodes-spacely')` does not fail.
module.exports = {};
