// Small behaviours that need script. Every page works without it.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});

// A wide table scrolls sideways in its own box on a narrow screen or when zoomed, so that the
// page itself never does (WCAG 2.2, 1.4.10 Reflow). While the box scrolls it is a named region
// that the keyboard can reach and scroll with the arrow keys; otherwise it is not a tab stop.
const tableBoxes = "ResizeObserver" in window
  ? new ResizeObserver((entries) => entries.forEach(({ target }) => markScrolling(target)))
  : null;

function markScrolling(box) {
  if (box.scrollWidth > box.clientWidth + 1) {
    const table = box.querySelector("table");
    const caption = table && table.caption;
    box.setAttribute("role", "region");
    box.tabIndex = 0;
    if (caption) {
      if (!caption.id) caption.id = `table-caption-${Math.random().toString(36).slice(2, 9)}`;
      box.setAttribute("aria-labelledby", caption.id);
    } else {
      box.setAttribute("aria-label", (table && table.getAttribute("aria-label")) || "Table");
    }
  } else {
    ["role", "tabindex", "aria-labelledby", "aria-label"].forEach((a) => box.removeAttribute(a));
  }
}

function boxTables(root) {
  root.querySelectorAll("main table").forEach((table) => {
    if (table.parentElement.classList.contains("table-scroll")) return;
    const box = document.createElement("div");
    box.className = "table-scroll";
    table.before(box);
    box.append(table);
    if (tableBoxes) tableBoxes.observe(box);
    markScrolling(box);
  });
}

document.addEventListener("DOMContentLoaded", () => boxTables(document));
document.addEventListener("htmx:load", (event) => boxTables(event.detail.elt.parentElement || document));
