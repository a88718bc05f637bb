// Everything one bot needs at run time: templates, an intent index and a
// response cache. Deliberately large (about 2 MB retained) so a leak shows.
class ResourceLoader {
  constructor(botName) {
    this.botName = botName;
    this.templates = Array.from({ length: 8000 }, (_, i) => ({ id: `${botName}/template-${i}`, text: `Hello from ${botName}, answer #${i}` }));
    this.intentIndex = new Map(this.templates.map((template) => [template.id, template]));
    this.responseCache = Array.from({ length: 2000 }, (_, i) => `cached response ${i} for ${botName}`.repeat(4));
  }
}

module.exports = { ResourceLoader };
