const { Processor } = require('./processor');

// Loads a new bot every `intervalMs` and unloads the previous one, so only one
// bot should be alive at a time. Memory says otherwise.
class BotServer {
  constructor({ intervalMs = 2000, maxBots = 30 } = {}) {
    this.intervalMs = intervalMs;
    this.maxBots = maxBots;
    this.loaded = 0;
    this.current = undefined;
  }

  loadNextBot() {
    if (this.loaded >= this.maxBots) return undefined;
    const botName = `bot${++this.loaded}`;
    const processor = new Processor(botName);
    const previous = this.current;
    this.current = processor;
    if (previous) previous.unload();
    return processor;
  }

  start() {
    this.loadNextBot();
    this.timer = setInterval(() => this.loadNextBot(), this.intervalMs);
    this.timer.unref();
  }

  stats() {
    const { heapUsed } = process.memoryUsage();
    return { botsLoaded: this.loaded, currentBot: this.current?.botName, heapUsedMB: Math.round(heapUsed / 1048576) };
  }
}

module.exports = { BotServer };
