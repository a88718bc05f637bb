/** Text widths for laying out boxes before they are drawn (every webview sizes its labels this way). */

/** Badge text is 9px bold with 0.04em letter spacing, plus 4px padding each side. */
export function badgeWidth(badge: string, measure: TextMeasurer): number {
  return badge ? Math.ceil(measure.width(badge, 9, 700) + badge.length * 0.36) + 8 : 0;
}

/** Text width in px; a canvas measures real glyphs, cached per string and font. */
export class TextMeasurer {
  private readonly ctx: CanvasRenderingContext2D | null;
  private readonly cache = new Map<string, number>();

  private family = '';

  /** `fontFamily`: the font to measure in, read once it is needed (default: the page's, from the theme). */
  constructor(private readonly fontFamily: () => string = () => getComputedStyle(document.body).fontFamily) {
    this.ctx = document.createElement('canvas').getContext('2d');
  }

  width(text: string, size: number, weight = 400): number {
    const key = `${weight}/${size}/${text}`;
    let width = this.cache.get(key);
    if (width === undefined) {
      if (this.ctx) {
        // Canvas fonts cannot use var(): resolve the theme's font once it is known.
        if (!this.family) this.family = this.fontFamily() || 'sans-serif';
        this.ctx.font = `${weight} ${size}px ${this.family}`;
        width = this.ctx.measureText(text).width;
      } else {
        width = text.length * size * 0.6;
      }
      this.cache.set(key, width);
    }
    return width;
  }
}
