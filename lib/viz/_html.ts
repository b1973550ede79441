/** Shared inline styles for the HTML display objects (inline, so reports need no stylesheet). */
export const TABLE_STYLE = "border-collapse:collapse;font:12px/1.4 system-ui,sans-serif";
export const TH_STYLE = "text-align:left;border-bottom:1px solid #999;padding:2px 8px";
export const TD_STYLE = "border-bottom:1px solid #eee;padding:2px 8px";
export const NUM_STYLE = "text-align:right;font-variant-numeric:tabular-nums";
export const CAPTION_STYLE = "caption-side:top;text-align:left;font-weight:bold;padding:4px 0";
