// The view of hopfield_helpers.DrawingCanvas: a grid to paint a +1/-1 pattern on.
// anywidget loads this file as it is (no build step); the Python side is in section 8.
//
// anywidget runs `render` once per view. The grid lives here as one byte per pixel
// (1 = ink, 0 = background) and goes to Python as bytes when a stroke ends, never once
// per pixel. Python may replace the grid at any moment (a stored pattern, a noisy cue,
// a frame of a recall): the view redraws, and a stroke in progress carries on over it.

const STYLE = `
.hh-canvas { display: inline-flex; flex-direction: column; gap: 8px; max-width: 100%; }
.hh-canvas .hh-frame { border: 1px solid #888; line-height: 0; width: fit-content; max-width: 100%; }
.hh-canvas canvas { touch-action: none; user-select: none; background: #fff;
  cursor: crosshair; max-width: 100%; height: auto; }
.hh-canvas .hh-tools { display: flex; flex-wrap: wrap; gap: 6px; }
.hh-canvas button { font: 16px/1.2 sans-serif; padding: 6px 14px; border-radius: 4px;
  border: 1px solid #555; background: #f2f2f2; color: #111; cursor: pointer; }
.hh-canvas button[aria-pressed="true"] { background: #222; color: #fff; }
.hh-canvas button[aria-disabled="true"] { opacity: 0.5; }
.hh-canvas button:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
.hh-canvas .hh-readout { font: 16px/1.4 monospace; white-space: pre-wrap; min-height: 1.4em; }
.hh-canvas .hh-note { font: 16px/1.4 sans-serif; color: #a00; }
`;
const MAX_UNDO = 50; // whole grids: 50 x 16 kB at 128 x 128

function addStyleOnce() {
  if (document.getElementById("hh-canvas-style")) return;
  const style = document.createElement("style");
  style.id = "hh-canvas-style";
  style.textContent = STYLE;
  document.head.appendChild(style);
}

function makeButton(text, title, onClick) {
  const b = document.createElement("button"); // a real button: Tab, Enter and Space work
  b.type = "button";
  b.textContent = text;
  b.title = title;
  b.addEventListener("click", onClick);
  return b;
}

function same(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export default {
  render({ model, el }) {
    addStyleOnce();
    const rows = model.get("rows"), cols = model.get("cols"), n = rows * cols;
    const cell = model.get("pixel_size");
    const ratio = Math.max(1, Math.round(window.devicePixelRatio || 1)); // crisp lines

    // The grid as Python last sent it (binary traits arrive as a DataView), or null.
    function pythonGrid() {
      const v = model.get("grid");
      if (!v || v.byteLength !== n) return null;
      const bytes = v instanceof ArrayBuffer ? new Uint8Array(v)
        : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      return bytes.slice(); // a copy: painting must never write into the model's buffer
    }

    let grid = pythonGrid() || new Uint8Array(n);
    let stroke = null; // {id, ink, mask, at} while one pointer paints
    const history = []; // the grid as it was before each stroke or button press

    const box = document.createElement("div");
    box.className = "hh-canvas";
    const canvas = document.createElement("canvas");
    canvas.width = cols * cell * ratio;
    canvas.height = rows * cell * ratio;
    canvas.style.width = `${cols * cell}px`;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `drawing grid, ${rows} by ${cols} pixels: drag to ` +
      "paint; hold Shift or use the right button to erase");
    canvas.title = "drag to paint; Shift-drag or right-drag does the other mode";
    const ctx = canvas.getContext("2d");
    // One screen pixel per grid pixel here, then scaled up without smoothing.
    const small = document.createElement("canvas");
    small.width = cols;
    small.height = rows;
    const image = small.getContext("2d").createImageData(cols, rows);

    function draw() {
      for (let i = 0; i < n; i++) {
        const v = grid[i] ? 0 : 255; // ink black, background white
        image.data.fill(v, 4 * i, 4 * i + 3);
        image.data[4 * i + 3] = 255;
      }
      small.getContext("2d").putImageData(image, 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
      if (cell < 8) return; // lines between small cells would hide the picture
      const s = cell * ratio;
      ctx.strokeStyle = "#999";
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (let r = 1; r < rows; r++) { ctx.moveTo(0, r * s + 0.5); ctx.lineTo(canvas.width, r * s + 0.5); }
      for (let c = 1; c < cols; c++) { ctx.moveTo(c * s + 0.5, 0); ctx.lineTo(c * s + 0.5, canvas.height); }
      ctx.stroke();
    }

    // Where a pointer is, in grid pixels (fractional; outside the grid is fine).
    function at(e) {
      const rect = canvas.getBoundingClientRect(); // follows any CSS scaling
      return [(e.clientY - rect.top) / rect.height * rows, (e.clientX - rect.left) / rect.width * cols];
    }

    // The brush's width in grid pixels: beyond twice the grid's side it covers no more.
    const brush = () => Math.min(model.get("brush"), 2 * Math.max(rows, cols));

    // Paint a round brush centred on one spot, clipped to the grid.
    function stamp([y, x]) {
      const b = brush();
      const r0 = Math.floor(y) - Math.floor((b - 1) / 2), c0 = Math.floor(x) - Math.floor((b - 1) / 2);
      const mid = (b - 1) / 2, reach = (b / 2) ** 2;
      for (let r = Math.max(0, r0); r < Math.min(rows, r0 + b); r++) {
        for (let c = Math.max(0, c0); c < Math.min(cols, c0 + b); c++) {
          if ((r - r0 - mid) ** 2 + (c - c0 - mid) ** 2 <= reach) {
            grid[r * cols + c] = stroke.ink;
            stroke.mask[r * cols + c] = 1;
          }
        }
      }
    }

    // Stamps along the segment, close enough together to leave no gaps however fast
    // the pointer moved.
    function paintTo(to) {
      const [y0, x0] = stroke.at, spacing = Math.max(1, brush() / 4);
      const steps = Math.max(1, Math.ceil(Math.max(Math.abs(to[0] - y0), Math.abs(to[1] - x0)) / spacing));
      for (let k = 1; k <= steps; k++) stamp([y0 + (to[0] - y0) * k / steps, x0 + (to[1] - x0) * k / steps]);
      stroke.at = to;
      draw();
    }

    function send() {
      if (same(pythonGrid(), grid)) return;
      model.set("grid", new DataView(grid.slice().buffer));
      model.save_changes(); // does nothing without a kernel: see showConnection
    }

    // ipywidgets marks a view with no kernel behind it (a notebook reopened with its
    // saved widget state) with this class: say so in words.
    function showConnection() {
      const gone = el.classList.contains("jupyter-widgets-disconnected");
      note.textContent = gone ? "Not connected to Python: this is the last drawing " +
        "saved. Run the cell again to draw with readouts." : "";
    }

    function remember() {
      history.push(grid.slice());
      if (history.length > MAX_UNDO) history.shift();
    }

    function forgetIfNoChange() { // a stroke or press that changed nothing is no step
      if (same(history[history.length - 1], grid)) history.pop();
      showUndo();
    }
    function showUndo() {
      undoButton.setAttribute("aria-disabled", String(history.length === 0));
    }

    function endStroke() {
      if (!stroke) return;
      const id = stroke.id;
      stroke = null; // first, so the lostpointercapture this fires is ignored
      if (canvas.hasPointerCapture(id)) canvas.releasePointerCapture(id);
      forgetIfNoChange();
      send();
    }

    canvas.addEventListener("pointerdown", (e) => {
      // One pointer at a time (a second finger is ignored); left, right or pen eraser.
      if (stroke || ![0, 2, 5].includes(e.button)) return;
      e.preventDefault();
      const other = e.button !== 0 || e.shiftKey || e.altKey; // the other mode, this stroke
      const erase = (model.get("mode") === "erase") !== other;
      stroke = { id: e.pointerId, ink: erase ? 0 : 1, mask: new Uint8Array(n), at: at(e) };
      try { canvas.setPointerCapture(e.pointerId); } catch (err) { /* pointer already gone */ }
      remember();
      paintTo(stroke.at);
    });
    canvas.addEventListener("pointermove", (e) => {
      if (stroke && e.pointerId === stroke.id) paintTo(at(e));
    });
    for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) {
      canvas.addEventListener(type, (e) => { if (stroke && e.pointerId === stroke.id) endStroke(); });
    }
    canvas.addEventListener("contextmenu", (e) => e.preventDefault()); // right button erases

    // A button press ends a stroke in progress (keeping what it painted), then acts.
    function act(change) {
      endStroke();
      remember();
      change();
      forgetIfNoChange();
      draw();
      send();
    }
    function setMode(mode) {
      model.set("mode", mode);
      model.save_changes();
    }
    function showMode() {
      paintButton.setAttribute("aria-pressed", String(model.get("mode") !== "erase"));
      eraseButton.setAttribute("aria-pressed", String(model.get("mode") === "erase"));
    }
    const paintButton = makeButton("paint", "strokes paint ink", () => setMode("paint"));
    const eraseButton = makeButton("erase", "strokes erase to background", () => setMode("erase"));
    const undoButton = makeButton("undo", "take back the last stroke or button press", () => {
      endStroke();
      if (history.length) {
        grid = history.pop();
        draw();
        send();
      }
      showUndo();
    });
    const invertButton = makeButton("invert", "swap ink and background",
      () => act(() => { for (let i = 0; i < n; i++) grid[i] ^= 1; }));
    const clearButton = makeButton("clear", "set every pixel to background", () => act(() => grid.fill(0)));
    // Python runs the recall and plays it back on the grid, frame by frame.
    const recallButton = makeButton("recall", "let the network recall from this drawing", () => {
      endStroke();
      model.send({ event: "recall" });
    });
    recallButton.hidden = !model.get("can_recall");

    const tools = document.createElement("div");
    tools.className = "hh-tools";
    tools.append(paintButton, eraseButton, undoButton, invertButton, clearButton, recallButton);
    const readout = document.createElement("div"); // text only: never parsed as HTML
    readout.className = "hh-readout";
    readout.setAttribute("role", "status");
    const note = document.createElement("div");
    note.className = "hh-note";
    note.setAttribute("role", "alert");
    const frame = document.createElement("div"); // an edge for white pixels to end at
    frame.className = "hh-frame";
    frame.append(canvas);
    box.append(frame, tools, readout, note);
    el.appendChild(box);

    model.on("change:grid", () => {
      const incoming = pythonGrid();
      if (!incoming || same(incoming, grid)) return; // our own change, or nothing new
      if (stroke) {
        // Python changed the grid mid-stroke: the stroke continues on the new grid, and
        // undoing it will go back to what Python sent.
        history[history.length - 1] = incoming.slice();
        for (let i = 0; i < n; i++) if (stroke.mask[i]) incoming[i] = stroke.ink;
      }
      grid = incoming;
      draw();
    });
    model.on("change:readout_text", () => { readout.textContent = model.get("readout_text"); });
    model.on("change:mode", showMode);

    new MutationObserver(showConnection).observe(el, { attributes: true, attributeFilter: ["class"] });
    readout.textContent = model.get("readout_text");
    showConnection();
    showMode();
    showUndo();
    draw();
  },
};
