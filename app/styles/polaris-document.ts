// What Polaris's AppProvider sets on <html> and <body> when it mounts, written by the server
// instead, so that mounting it during hydration changes no style of the page.
//
// AppProvider (Polaris 13) adds its theme's class to <html>, gives <body> the theme's background and
// text colour, and measures the platform's thin scrollbar into --pc-app-provider-scrollbar-width on
// <html>. Each is a change to an inherited style at the root of the page: set late, Chromium
// restyled all of the page's elements (770 on the review queue, 25-46 ms with the CPU slowed 4x)
// inside whatever tap was being answered while the page hydrated. Set by the server (and, for the
// scrollbar, by a script that runs before any of the page is parsed), AppProvider sets the same
// values again and the browser has nothing to redo.

/** A route whose page mounts AppProvider says so in its handle; the document shell reads it. */
export interface PolarisDocumentHandle {
  polarisDocument: true;
}

/** Polaris's default theme (`createThemeClassName(themeNameDefault)` in @shopify/polaris-tokens). */
export const POLARIS_THEME_CLASS = "p-theme-light";

/** AppProvider's setBodyStyles, as React style props. */
export const POLARIS_BODY_STYLE = {
  backgroundColor: "var(--p-color-bg)",
  color: "var(--p-color-text)",
} as const;

/**
 * AppProvider's measureScrollbars, step for step (the same test element, styles and 20 px cap), so
 * its own measurement on mount finds the value already there: the width of a thin scrollbar depends
 * on the platform (0 where scrollbars overlay the page), which the server cannot know. It runs as
 * the first thing in <body>, when the page has no element yet to restyle.
 */
export const POLARIS_SCROLLBAR_SCRIPT = `(function(){var d=document,p=d.createElement("div");p.setAttribute("style","position: absolute; opacity: 0; transform: translate3d(-9999px, -9999px, 0); pointer-events: none; width:30px; height:30px;");var c=d.createElement("div");c.setAttribute("style","width:100%; height: 40; overflow:scroll; scrollbar-width: thin;");p.appendChild(c);d.body.appendChild(p);var w=30-(p.firstElementChild?p.firstElementChild.clientWidth:0);d.documentElement.style.setProperty("--pc-app-provider-scrollbar-width",Math.min(w,20)+"px");d.body.removeChild(p)})()`;
