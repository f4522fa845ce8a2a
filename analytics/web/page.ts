import type { ViewState } from '../src/dashboard/view/view-state';
import type { Child } from './dom';

/** What a page is given to draw itself: the URL's state, its resolved range, and a way to change the URL. */
export interface PageContext {
  state: ViewState;
  range: { from: Date; to: Date };
  /** Pushes a new state onto the history (so Back works) and draws the page again. */
  navigate(next: ViewState): void;
  /** Draws the page again with the same URL, e.g. after a silence was created. */
  refresh(): void;
}

export interface Page {
  title: string;
  /** Pages that are useful before any span arrives (alerts: silences can be set up in advance). */
  worksWithoutSpans?: boolean;
  /** Pages whose figures do not depend on the range and filters (alerts, drift) hide those controls rather than ignore them. */
  ignoresRange?: boolean;
  render(context: PageContext): Promise<Child>;
}
