// Loads some bots the way server.js does, then saves a heap snapshot, e.g.
//   node writeSnapshot.js leak.heapsnapshot
// Open the file in VS Code: Retainer Graph's editor shows the classes; pick
// ResourceLoader to see Processor.instanceMap holding every bot.
const v8 = require('node:v8');
const { BotServer } = require('./lib/botServer');

const bots = new BotServer({ maxBots: Number(process.env.MAX_BOTS ?? 8) });
while (bots.loadNextBot()) { /* load them all */ }
const file = v8.writeHeapSnapshot(process.argv[2] ?? 'leaky-bot-server.heapsnapshot');
console.log(`wrote ${file} with ${bots.loaded} bots loaded (only 1 should be alive)`);
