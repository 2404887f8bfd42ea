// Reads an Atom feed (the file named by the first argument) with @rowanmanning/feed-parser, a
// parser others wrote and test against real feeds, and prints what it understood as JSON.
'use strict';
const { readFileSync } = require('node:fs');
const { parseFeed } = require('@rowanmanning/feed-parser');

const feed = parseFeed(readFileSync(process.argv[2], 'utf8'));
process.stdout.write(JSON.stringify(feed.toJSON()));
