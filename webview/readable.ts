/**
 * What "readable" means for the drawing, in one place: the first view and
 * "Fit" never zoom out past the scale at which the smallest text drawn
 * stays at a size one can read.
 */

/** The smallest text drawn (stats, subtitles, edge labels), in px at scale 1. */
export const SMALLEST_TEXT_PX = 11;
/** What a reader can still read on screen, in px. */
export const MIN_SCREEN_TEXT_PX = 9;
/** The first view and "Fit" never go below this scale: past it they frame the story and leave the rest to panning. */
export const MIN_READABLE_SCALE = MIN_SCREEN_TEXT_PX / SMALLEST_TEXT_PX;
