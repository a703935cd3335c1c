/**
 * Functions handed to `page.evaluate` run in the browser, but the Node half of this project is
 * type-checked without the DOM library, on purpose: main-process code must never reach for
 * `window`. So page-side code here reads the few browser globals it needs through this narrow
 * type: `const g = globalThis as unknown as PageGlobals` (the cast is erased; in the page,
 * globalThis is the window).
 */
export interface PageElement {
  dispatchEvent(event: unknown): boolean;
  querySelector(selector: string): PageElement | null;
  closest(selector: string): PageElement | null;
  value: string;
  replaceChildren(): void;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  textContent: string | null;
  children: ArrayLike<PageElement>;
}

export interface PageGlobals {
  requestAnimationFrame(callback: (time: number) => void): number;
  innerWidth: number;
  innerHeight: number;
  atob(base64: string): string;
  performance: { now(): number };
  Event: new (type: string, init: { bubbles: boolean }) => unknown;
  navigator: { userAgent: string };
  document: {
    body: PageElement;
    querySelector(selector: string): PageElement | null;
    getElementById(id: string): PageElement | null;
    elementFromPoint(x: number, y: number): PageElement | null;
  };
  DataTransfer: new () => { items: { add(file: unknown): unknown } };
  File: new (parts: unknown[], name: string, options?: { type?: string }) => unknown;
  DragEvent: new (
    type: string,
    init: { dataTransfer: unknown; bubbles: boolean; cancelable: boolean },
  ) => unknown;
}

/** A canvas as the pixel probes read it. */
export interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  } | null;
}
