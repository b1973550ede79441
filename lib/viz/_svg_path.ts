/**
 * A minimal path context (the subset d3 symbol types draw with) that serialises to SVG path
 * data, so legends can draw Plot's symbol shapes without a canvas.
 */
export interface SymbolTypeLike {
  draw(context: PathRecorder, size: number): void;
}

const r2 = (x: number) => String(Math.round(x * 100) / 100 || 0);

export class PathRecorder {
  #parts: string[] = [];
  #last = "";
  moveTo(x: number, y: number): void {
    this.#last = `${r2(x)},${r2(y)}`;
    this.#parts.push(`M${this.#last}`);
  }
  lineTo(x: number, y: number): void {
    this.#last = `${r2(x)},${r2(y)}`;
    this.#parts.push(`L${this.#last}`);
  }
  closePath(): void {
    this.#parts.push("Z");
  }
  /** Arcs as d3-path draws them; a full turn becomes two half-circle arc commands. */
  arc(x: number, y: number, r: number, a0: number, a1: number): void {
    const x0 = x + r * Math.cos(a0), y0 = y + r * Math.sin(a0);
    const start = `${r2(x0)},${r2(y0)}`;
    if (!this.#parts.length) this.#parts.push(`M${start}`);
    else if (start !== this.#last) this.#parts.push(`L${start}`);
    const sweep = a1 - a0;
    if (Math.abs(sweep) >= 2 * Math.PI - 1e-9) {
      const xm = x - r * Math.cos(a0), ym = y - r * Math.sin(a0);
      this.#parts.push(`A${r2(r)},${r2(r)},0,1,1,${r2(xm)},${r2(ym)}`);
      this.#parts.push(`A${r2(r)},${r2(r)},0,1,1,${r2(x0)},${r2(y0)}`);
      return;
    }
    const x1 = x + r * Math.cos(a1), y1 = y + r * Math.sin(a1);
    const large = Math.abs(sweep) > Math.PI ? 1 : 0;
    this.#parts.push(`A${r2(r)},${r2(r)},0,${large},${sweep > 0 ? 1 : 0},${r2(x1)},${r2(y1)}`);
  }
  toString(): string {
    return this.#parts.join("");
  }
}

/** SVG path data for a d3 symbol type of the given area (`size`, in square pixels). */
export function symbolPath(type: SymbolTypeLike, size = 64): string {
  const recorder = new PathRecorder();
  type.draw(recorder, size);
  return recorder.toString();
}
