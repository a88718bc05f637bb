// Loads some bots the way server.js does, then saves a heap snapshot next to
// this file (in the folder VS Code has open), or where you say:
//   node writeSnapshot.js                      → leak.heapsnapshot here
//   node writeSnapshot.js after-fix.heapsnapshot
// Open the file in VS Code: Retainer Graph's editor shows the classes; pick
// ResourceLoader to see Processor.instanceMap holding every bot.
const path = require('node:path');
const v8 = require('node:v8');
const { BotServer } = require('./lib/botServer');

const bots = new BotServer({ maxBots: Number(process.env.MAX_BOTS ?? 8) });
while (bots.loadNextBot()) { /* load them all */ }
const file = path.resolve(__dirname, process.argv[2] ?? 'leak.heapsnapshot');
v8.writeHeapSnapshot(file);
console.log(`wrote ${path.relative(process.cwd(), file) || file} with ${bots.loaded} bots loaded (only 1 should be alive); open it in VS Code`);
