// Where the app's static files are: the shell names the versioned path of this build on <html
// data-assets> (/assets/v/<build>/), which the browser may keep without asking again; a page
// without it falls back to /assets (revalidated on each use).
const BASE = document.documentElement.dataset.assets || '/assets';

// The URL of an asset by its path under web/ ("i18n/ja.json", "styles/review.css").
export function assetUrl(path) {
  return `${BASE}/${path}`;
}
