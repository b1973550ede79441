/**
 * The report page's script (bundled into the HTML by `bundle.ts` with esbuild): sortable tables
 * and sections that can be shown or hidden. It reads the page through the DOM only (textContent,
 * data attributes) and never writes markup from data (no innerHTML), so escaped data stays text.
 *
 * - `<table class="sortable">`: clicking a header sorts by that column (numbers by the cell's
 *   `data-sort` value when present, else by its text; again to reverse); `aria-sort` tells which.
 * - `<section class="collapsible">`: the button in its `<h2>` hides / shows `.section-body`;
 *   `#expand-all` / `#collapse-all` act on every section.
 * - When done, `<html data-report-script="ready">` (the browser test checks the script ran).
 */

function cellValue(row: HTMLTableRowElement, column: number): string {
  const cell = row.cells[column];
  if (!cell) return "";
  return cell.dataset.sort ?? cell.textContent?.trim() ?? "";
}

function compareValues(a: string, b: string): number {
  const x = Number(a), y = Number(b);
  const xNum = a !== "" && Number.isFinite(x), yNum = b !== "" && Number.isFinite(y);
  if (xNum && yNum) return x - y;
  if (xNum !== yNum) return xNum ? -1 : 1; // numbers before text / empty cells
  return a.localeCompare(b);
}

export function makeSortable(table: HTMLTableElement): void {
  const head = table.tHead?.rows[0];
  const body = table.tBodies[0];
  if (!head || !body) return;
  [...head.cells].forEach((th, column) => {
    th.tabIndex = 0;
    th.title = "sort by this column";
    th.style.cursor = "pointer";
    const sort = () => {
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      for (const other of head.cells) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const rows = [...body.rows];
      rows.sort((r1, r2) => {
        const c = compareValues(cellValue(r1, column), cellValue(r2, column));
        return ascending ? c : -c;
      });
      for (const r of rows) body.appendChild(r);
    };
    th.addEventListener("click", sort);
    th.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        sort();
      }
    });
  });
}

function setOpen(section: HTMLElement, open: boolean): void {
  const body = section.querySelector<HTMLElement>(":scope > .section-body");
  const button = section.querySelector<HTMLButtonElement>(":scope > h2 > button.toggle");
  if (body) body.hidden = !open;
  if (button) {
    button.textContent = open ? "hide" : "show";
    button.setAttribute("aria-expanded", String(open));
  }
}

export function makeCollapsible(section: HTMLElement): void {
  const h2 = section.querySelector<HTMLElement>(":scope > h2");
  if (!h2) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "toggle";
  h2.appendChild(button);
  button.addEventListener("click", () => {
    const body = section.querySelector<HTMLElement>(":scope > .section-body");
    setOpen(section, body ? body.hidden !== false : true);
  });
  setOpen(section, !section.classList.contains("closed"));
}

function init(): void {
  document.querySelectorAll<HTMLTableElement>("table.sortable").forEach(makeSortable);
  const sections = [...document.querySelectorAll<HTMLElement>("section.collapsible")];
  sections.forEach(makeCollapsible);
  document.getElementById("expand-all")?.addEventListener(
    "click",
    () => sections.forEach((s) => setOpen(s, true)),
  );
  document.getElementById("collapse-all")?.addEventListener(
    "click",
    () => sections.forEach((s) => setOpen(s, false)),
  );
  document.documentElement.dataset.reportScript = "ready";
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
