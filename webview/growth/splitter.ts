/** The bar between the report and the merged paths: drag it, or focus it and use the arrow keys. */
import { h } from '../dom';

const MIN = 0.15;
const MAX = 0.85;
const KEY_STEP = 0.05;

export class Splitter {
  readonly element: HTMLElement;

  /** `share`: the part of `container`'s height below the bar. */
  constructor(
    private readonly container: HTMLElement,
    private readonly changed: (share: number) => void,
  ) {
    this.element = h('div', { class: 'splitter', role: 'separator', 'aria-orientation': 'horizontal', 'aria-label': 'Resize the merged paths', tabindex: 0, 'aria-valuemin': MIN * 100, 'aria-valuemax': MAX * 100 });
    this.element.addEventListener('pointerdown', (event) => {
      this.element.setPointerCapture(event.pointerId);
      const move = (e: PointerEvent) => {
        const box = this.container.getBoundingClientRect();
        if (box.height > 0) this.set(1 - (e.clientY - box.top) / box.height, true);
      };
      const up = () => {
        this.element.removeEventListener('pointermove', move);
        this.element.removeEventListener('pointerup', up);
      };
      this.element.addEventListener('pointermove', move);
      this.element.addEventListener('pointerup', up);
    });
    this.element.addEventListener('keydown', (event) => {
      const current = Number(this.element.getAttribute('aria-valuenow') ?? 50) / 100;
      if (event.key === 'ArrowUp') this.set(current + KEY_STEP, true);
      else if (event.key === 'ArrowDown') this.set(current - KEY_STEP, true);
      else return;
      event.preventDefault();
    });
  }

  /** Style through the CSSOM (the page's CSP allows no inline style attributes). */
  set(share: number, fromUser = false): void {
    const clamped = Math.min(MAX, Math.max(MIN, share));
    this.container.style.setProperty('--paths-share', `${(clamped * 100).toFixed(1)}%`);
    this.element.setAttribute('aria-valuenow', (clamped * 100).toFixed(0));
    if (fromUser) this.changed(clamped);
  }
}
