// A long-running bot server with a memory leak, for trying Retainer Graph.
//   node --inspect server.js        (npm start in the repo root does this for you)
// Every 2 seconds it loads a bot and unloads the previous one; heap use keeps
// growing. Ask Retainer Graph what keeps a ResourceLoader alive.
// GET /fix applies the README's fix to the running server (no restart), so
// "Watch Until Collected" can confirm that the unloaded bots are freed.
const http = require('node:http');
const { BotServer } = require('./lib/botServer');
const { Processor } = require('./lib/processor');

const port = Number(process.env.PORT ?? 3000);
const bots = new BotServer({
  intervalMs: Number(process.env.BOT_INTERVAL_MS ?? 2000),
  maxBots: Number(process.env.MAX_BOTS ?? 30),
});
bots.start();

const server = http.createServer((request, response) => {
  if (request.url === '/load') bots.loadNextBot();
  if (request.url === '/fix') {
    // The README's fix, swapped in: unloading deletes the map entry; bots already unloaded go now.
    Processor.prototype.unload = function unload() {
      this.unloaded = true;
      Processor.instanceMap.delete(this.botName);
    };
    for (const [name, processor] of Processor.instanceMap) if (processor.unloaded) Processor.instanceMap.delete(name);
  }
  response.setHeader('content-type', 'application/json');
  response.end(`${JSON.stringify(bots.stats())}\n`);
});
server.listen(port, '127.0.0.1', () => {
  const fixed = process.env.DEMO_FIXED === '1' ? ', with the fix applied (DEMO_FIXED=1)' : '';
  console.log(`leaky bot server on http://127.0.0.1:${server.address().port}/ (pid ${process.pid})${fixed}; GET /load loads another bot, GET /fix applies the fix`);
});
