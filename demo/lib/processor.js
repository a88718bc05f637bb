const { ResourceLoader } = require('./resourceLoader');

// DEMO_FIXED=1 runs the demo with the fix (README.md, "The fix") applied, to
// compare before and after without editing this file.
const FIXED = process.env.DEMO_FIXED === '1';

// One Processor per loaded bot.
class Processor {
  // THE LEAK: a class-level ("static") map that remembers every Processor ever
  // built and never forgets one. unload() drops the server's reference, but
  // this map still holds the Processor and, through it, its ResourceLoader.
  // Fix: delete the entry in unload() (or keep WeakRefs in the map).
  static instanceMap = new Map();

  constructor(botName) {
    this.botName = botName;
    this.resourceLoader = new ResourceLoader(botName);
    Processor.instanceMap.set(botName, this);
  }

  handle(message) {
    const templates = this.resourceLoader.templates;
    return templates[message.length % templates.length].text;
  }

  unload() {
    this.unloaded = true; // …but Processor.instanceMap still holds this (see above)
    if (FIXED) Processor.instanceMap.delete(this.botName);
  }
}

module.exports = { Processor };
