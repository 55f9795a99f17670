/* preflight: the interactive runbook. Ticks, the operator's name and sign-off fields are kept in
   localStorage under preflight:<site>:<root path>:<release>:<checklist>, so a run survives reloads and works
   offline and from file://. No framework, no network. */
(function () {
  "use strict";
  var body = document.body;

  /* Copy buttons on code blocks (every page). */
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }
  /* A block written as a terminal session copies as its commands alone: the `$ ` prompts
     left out, with the output lines in a `console` block; lines continued with `\` and the
     body of a heredoc (`<<EOF` … `EOF`) are kept. Any other block with a line that is neither a
     command nor a part of one copies as shown. */
  function commands(text, lang) {
    var lines = text.replace(/\n$/, "").split("\n");
    var prompt = /^\s*\$ /;
    if (!lines.some(function (l) { return prompt.test(l); })) return text;
    var session = /^(console|shell-session|sh-session|terminal)$/i.test(lang || "");
    var out = [], continued = false, heredoc = null, plain = true;
    lines.forEach(function (l) {
      if (heredoc !== null) {
        out.push(l);
        if (l.trim() === heredoc) heredoc = null;
        return;
      }
      var command = prompt.test(l);
      if (!command && !continued) {
        if (l.trim()) plain = false;
        return;
      }
      var line = command ? l.replace(prompt, "") : l;
      out.push(line);
      continued = /\\$/.test(line);
      var doc = /<<-?\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]?/.exec(line);
      if (doc) heredoc = doc[1];
    });
    if (!plain && !session) return text;
    return out.join("\n") + "\n";
  }
  var copyStatus = document.createElement("p");
  copyStatus.className = "visually-hidden";
  copyStatus.setAttribute("role", "status");
  body.appendChild(copyStatus);
  document.querySelectorAll(".code-block .copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var block = button.closest(".code-block");
      var code = block.querySelector("pre code");
      var lang = block.querySelector(".code-lang");
      copyText(commands(code.textContent, lang && lang.textContent)).then(function () {
        button.textContent = "Copied";
        copyStatus.textContent = "Copied to the clipboard";
      }, function () {
        button.textContent = "Select and copy";
        copyStatus.textContent = "Could not copy: select the code and copy it";
      });
      setTimeout(function () { button.textContent = "Copy"; copyStatus.textContent = ""; }, 1600);
    });
  });

  /* The section the reader is in: the last whose top has scrolled past the bars. */
  function readingSection() {
    if (window.scrollY < 8) return "";
    var bars = parseFloat(document.documentElement.style.scrollPaddingTop) || 0;
    var current = "";
    document.querySelectorAll("section.section[id]").forEach(function (s) {
      if (s.getBoundingClientRect().top <= bars + 24) current = s.id;
    });
    return current;
  }

  /* Version switcher: keep the reader on the same section or item (the one in the address, else
     the section scrolled to), following renamed section ids; an item's id starts with its
     section's. */
  document.querySelectorAll("#version-switcher a[href]").forEach(function (link) {
    link.addEventListener("click", function (e) {
      if (link.hasAttribute("data-missing") || !body.getAttribute("data-checklist")) return;
      var hash = location.hash.slice(1);
      try { hash = decodeURIComponent(hash); } catch (err) { /* keep it as it is */ }
      hash = hash || readingSection();
      if (!hash) return;
      var renamed = {};
      try { renamed = JSON.parse(link.getAttribute("data-sections") || "{}"); } catch (err) { renamed = {}; }
      var item = hash.lastIndexOf("item-", 0) === 0 ? "item-" : "";
      var id = hash.slice(item.length);
      var from = "";
      Object.keys(renamed).forEach(function (old) {
        if ((id === old || id.lastIndexOf(old + ".", 0) === 0) && old.length > from.length) from = old;
      });
      var target = from ? item + renamed[from] + id.slice(from.length) : hash;
      e.preventDefault();
      location.href = link.href.split("#")[0] + "#" + encodeURIComponent(target);
    });
  });
  document.addEventListener("keydown", function (e) {
    var open = document.querySelector("#version-switcher[open]");
    if (e.key === "Escape" && open) { open.removeAttribute("open"); open.querySelector("summary").focus(); }
  });
  document.addEventListener("click", function (e) {
    var open = document.querySelector("#version-switcher[open]");
    if (open && !open.contains(e.target)) open.removeAttribute("open");
  });

  /* On a narrow screen the section list is folded above the page, not beside it. */
  var toc = document.querySelector("details.toc-fold");
  if (toc && window.matchMedia && window.matchMedia("(max-width: 960px)").matches) toc.open = false;

  /* A release's home reached from a page that is not in it: say so. */
  var notice = document.getElementById("missing-notice");
  var missing = /[?&]missing=([^&]+)/.exec(location.search);
  if (notice && missing) {
    var id = "";
    try { id = decodeURIComponent(missing[1]); } catch (err) { id = missing[1]; }
    notice.textContent = "The checklist “" + id + "” is not in release " + document.querySelector("h1").textContent + ". Here is this release’s list of checklists.";
    notice.hidden = false;
  }

  var checklist = body.getAttribute("data-checklist");
  if (!checklist) return;

  /* The site's root, as an address path, keeps apart the runs of two books of the same title
     on one host (two project sites, two folders opened from disk). Runs saved under the key
     without it, by an earlier version, are read once and saved under the new one. */
  var rootPath = new URL(body.getAttribute("data-root") || "./", location.href).pathname;
  var site = body.getAttribute("data-site"), release = body.getAttribute("data-release");
  var key = ["preflight", site, rootPath, release, checklist].join(":");
  var legacyKey = ["preflight", site, release, checklist].join(":");
  var ticks = Array.prototype.slice.call(document.querySelectorAll("input.tick"));
  var operator = document.getElementById("operator");
  var fieldInputs = Array.prototype.slice.call(document.querySelectorAll("[data-field]"));
  var hideDone = document.getElementById("hide-done");
  var phaseFilter = document.getElementById("phase-filter");
  var state = read();

  function empty() { return { operator: "", items: {}, fields: {}, hideDone: false, phase: "" }; }
  function read() {
    try {
      var s = JSON.parse(localStorage.getItem(key) || localStorage.getItem(legacyKey) || "null");
      if (s && typeof s === "object" && s.items && typeof s.items === "object") {
        var base = empty();
        Object.keys(base).forEach(function (k) { if (s[k] === undefined) s[k] = base[k]; });
        return s;
      }
    } catch (e) { /* unreadable state: start afresh */ }
    return empty();
  }
  /* Storage that is full or turned off (some private windows, locked-down browsers) keeps
     nothing: say so at once, so the run is exported or printed rather than lost on reload. */
  var warning = document.getElementById("pf_run-warning");
  function unsaved() {
    if (!warning || !warning.hidden) return;
    warning.textContent = "This browser is not saving this run (its storage is full or turned off): ticks will be lost when the page is closed or reloaded. Use Export run to keep them.";
    warning.hidden = false;
  }
  function save() {
    try {
      localStorage.setItem(key, JSON.stringify(state));
      localStorage.removeItem(legacyKey);
    } catch (e) { unsaved(); }
  }
  try {
    localStorage.setItem(key + ":probe", "1");
    localStorage.removeItem(key + ":probe");
  } catch (e) { unsaved(); }

  /* An item is a list item, or a row of a table of tasks. */
  function itemOf(tick) { return tick.closest(".item"); }
  /* An item's id is its element id without the "item-" prefix. */
  function idOf(tick) { return itemOf(tick).id.slice(5); }
  function childTicks(tick) {
    var list = itemOf(tick).querySelector(":scope > .items");
    if (!list) return [];
    return Array.prototype.slice.call(list.querySelectorAll(":scope > li.item > .item-line > label > input.tick"));
  }
  function parentTick(tick) {
    var li = itemOf(tick).parentElement.closest("li.item");
    return li ? li.querySelector(":scope > .item-line > label > input.tick") : null;
  }

  /* Ticks from saved state, else as written in the source. */
  function applyState() {
    ticks.forEach(function (t) {
      var id = idOf(t);
      var saved = state.items[id];
      t.checked = saved === undefined ? t.hasAttribute("data-source-checked") : !!saved;
      t.indeterminate = false;
    });
    ticks.slice().reverse().forEach(function (t) { if (childTicks(t).length) syncGroup(t, false); });
    ticks.forEach(mark);
    if (operator) operator.value = state.operator || "";
    fieldInputs.forEach(function (f) {
      var v = state.fields[f.getAttribute("data-field")];
      if (f.type === "checkbox") f.checked = v === undefined ? f.defaultChecked : !!v;
      else f.value = v || "";
    });
    if (hideDone) hideDone.checked = !!state.hideDone;
    if (phaseFilter) phaseFilter.value = state.phase || "";
    body.classList.toggle("hide-done", !!state.hideDone);
    filterPhase();
    progress();
  }

  function mark(t) { itemOf(t).classList.toggle("done", t.checked); }

  function record(t, now) { state.items[idOf(t)] = t.checked ? now : false; }

  /* A group parent shows its children: all ticked → ticked, some → indeterminate. */
  function syncGroup(t, store) {
    var kids = childTicks(t);
    if (!kids.length) return;
    var done = kids.filter(function (k) { return k.checked; }).length;
    var some = done > 0 || kids.some(function (k) { return k.indeterminate; });
    var was = t.checked;
    t.checked = done === kids.length;
    t.indeterminate = !t.checked && some;
    mark(t);
    if (store && was !== t.checked) record(t, new Date().toISOString());
  }

  function onTick(t) {
    var now = new Date().toISOString();
    record(t, now);
    mark(t);
    itemOf(t).querySelectorAll(".items input.tick").forEach(function (k) {
      k.checked = t.checked;
      k.indeterminate = false;
      record(k, now);
      mark(k);
    });
    for (var p = parentTick(t); p; p = parentTick(p)) syncGroup(p, true);
    save();
    progress();
  }

  function count(root) {
    var all = root.querySelectorAll("input.tick");
    var done = 0;
    all.forEach(function (t) { if (t.checked) done++; });
    return [done, all.length];
  }

  /* On a narrow screen the run bar scrolls away with the page: once it is out of sight, a
     small bar at the foot of the screen keeps the progress in view. */
  var mini = null;
  var runbar = document.querySelector(".runbar");
  if (runbar && document.getElementById("progress") && window.IntersectionObserver) {
    mini = document.createElement("div");
    mini.className = "mini-progress";
    mini.setAttribute("aria-hidden", "true");
    mini.hidden = true;
    body.appendChild(mini);
    new IntersectionObserver(function (entries) {
      mini.hidden = entries[0].isIntersecting;
    }).observe(runbar);
  }

  function progress() {
    var total = count(document.getElementById("main"));
    var el = document.getElementById("progress");
    if (el) {
      el.setAttribute("data-done", total[0]);
      el.setAttribute("data-total", total[1]);
      var bar = el.querySelector("progress");
      if (bar) { bar.max = Math.max(total[1], 1); bar.value = total[0]; }
      el.querySelector(".progress-text").textContent = total[0] + " of " + total[1] + " done";
      if (mini) mini.textContent = total[0] + " of " + total[1] + " done";
    }
    document.querySelectorAll("section.section").forEach(function (s) {
      var p = s.querySelector(":scope > .section-head .section-progress");
      if (!p) return;
      var c = count(s);
      p.setAttribute("data-done", c[0]);
      p.setAttribute("data-total", c[1]);
      p.textContent = c[0] + "/" + c[1];
      p.classList.toggle("complete", c[1] > 0 && c[0] === c[1]);
      var toc = document.querySelector('.toc-count[data-section="' + CSS.escape(s.id) + '"]');
      if (toc) {
        toc.textContent = c[0] + "/" + c[1];
        toc.classList.toggle("complete", c[1] > 0 && c[0] === c[1]);
      }
    });
  }

  /* Phase filter: a section shows when it or a section inside it has the phase; a section shown
     only for what it holds keeps its heading and hides its own content. */
  function filterPhase() {
    var phase = phaseFilter ? phaseFilter.value : "";
    var sections = Array.prototype.slice.call(document.querySelectorAll("section.section"));
    sections.forEach(function (s) {
      var own = !phase || s.getAttribute("data-phase") === phase;
      var inner = !!phase && !!s.querySelector('section.section[data-phase="' + CSS.escape(phase) + '"]');
      s.hidden = !own && !inner;
      s.classList.toggle("phase-context", !own && inner);
    });
    document.querySelectorAll(".toc a[data-phase]").forEach(function (a) {
      var target = document.getElementById(a.getAttribute("href").slice(1));
      a.parentElement.classList.toggle("filtered", !!target && target.hidden);
    });
  }

  /* A link to an item or section that the filters hide clears the filters. */
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var el = document.getElementById(id);
    /* An item or section this release does not have (reworded, moved): the nearest section
       of its id that it has, as ids are paths of sections (`pre.db.back-up` is in `pre.db`). */
    var path = id.replace(/^item-/, "");
    while (!el && path.lastIndexOf(".") > 0) {
      path = path.slice(0, path.lastIndexOf("."));
      el = document.getElementById(path);
      if (el) el.scrollIntoView();
    }
    if (!el) return;
    /* A link to a folded list (the diagnostics) unfolds it. */
    var folded = el.closest("details:not([open])");
    if (folded) folded.open = true;
    var hidden = el.closest("[hidden]") || (body.classList.contains("hide-done") && el.closest(".item.done"));
    if (!hidden) {
      /* The browser's own jump may have come before the padding was set, leaving the target
         under the bars; a position the browser restored on reload is left alone. */
      var top = el.getBoundingClientRect().top;
      var padding = parseFloat(document.documentElement.style.scrollPaddingTop) || 0;
      if (top >= -1 && top < padding) el.scrollIntoView();
      return;
    }
    if (hidden) {
      state.phase = "";
      state.hideDone = false;
      if (phaseFilter) phaseFilter.value = "";
      if (hideDone) hideDone.checked = false;
      body.classList.remove("hide-done");
      filterPhase();
      save();
      el.scrollIntoView();
    }
  }

  ticks.forEach(function (t) { t.addEventListener("change", function () { onTick(t); }); });
  if (operator) operator.addEventListener("input", function () { state.operator = operator.value; save(); });
  fieldInputs.forEach(function (f) {
    f.addEventListener(f.type === "checkbox" ? "change" : "input", function () {
      state.fields[f.getAttribute("data-field")] = f.type === "checkbox" ? f.checked : f.value;
      /* An outcome is one answer: ticking "Rolled back" unticks "Success". */
      var group = f.checked && f.closest(".choices[data-exclusive]");
      if (group) {
        group.querySelectorAll("input.field-choice").forEach(function (other) {
          if (other === f || !other.checked) return;
          other.checked = false;
          state.fields[other.getAttribute("data-field")] = false;
        });
      }
      save();
    });
  });
  if (hideDone) hideDone.addEventListener("change", function () {
    state.hideDone = hideDone.checked;
    body.classList.toggle("hide-done", hideDone.checked);
    save();
  });
  if (phaseFilter) phaseFilter.addEventListener("change", function () {
    state.phase = phaseFilter.value;
    filterPhase();
    save();
  });

  var notice = document.createElement("p");
  notice.className = "run-notice";
  notice.setAttribute("role", "status");
  var runbar = document.querySelector(".runbar");
  if (runbar) runbar.appendChild(notice);
  function tell(text) { notice.textContent = text; }

  /* A jump to a section or item lands below the sticky bars: the page's scroll padding follows
     the bottom of the run bar where it sticks (its height changes with the width and notices). */
  var topbar = document.querySelector(".topbar");
  function stickyPadding() {
    var bottom = topbar ? topbar.offsetHeight : 0;
    if (runbar && getComputedStyle(runbar).position === "sticky") {
      bottom = Math.max(bottom, (parseFloat(getComputedStyle(runbar).top) || 0) + runbar.offsetHeight);
    }
    document.documentElement.style.scrollPaddingTop = (bottom + 12) + "px";
  }
  stickyPadding();
  window.addEventListener("resize", stickyPadding);
  if (runbar && window.ResizeObserver) new ResizeObserver(stickyPadding).observe(runbar);

  var reset = document.getElementById("reset-run");
  if (reset) reset.addEventListener("click", function () {
    if (!window.confirm("Reset this run? Every tick, the operator name and the fields typed on this page are cleared.")) return;
    state = empty();
    try { localStorage.removeItem(key); localStorage.removeItem(legacyKey); } catch (e) { /* nothing stored */ }
    applyState();
    tell("Run reset.");
  });

  var exportButton = document.getElementById("export-run");
  if (exportButton) exportButton.addEventListener("click", function () {
    var run = {
      format: "preflight-run",
      version: 1,
      site: body.getAttribute("data-site"),
      release: body.getAttribute("data-release"),
      checklist: checklist,
      operator: state.operator || "",
      exported_at: new Date().toISOString(),
      items: ticks.filter(function (t) { return t.checked; }).map(function (t) {
        var id = idOf(t);
        var label = t.closest("label");
        var at = state.items[id];
        return { id: id, text: label ? label.textContent.trim() : "", ticked_at: typeof at === "string" ? at : null };
      }),
      fields: state.fields
    };
    var blob = new Blob([JSON.stringify(run, null, 2) + "\n"], { type: "application/json" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = checklist.replace(/\//g, "_") + "-run-" + run.exported_at.slice(0, 10) + ".json";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    tell("Run exported (" + run.items.length + " ticked).");
  });

  var importInput = document.getElementById("import-run");
  if (importInput) importInput.addEventListener("change", function () {
    var file = importInput.files && importInput.files[0];
    if (!file) return;
    file.text().then(function (text) {
      var run = JSON.parse(text);
      if (!run || run.format !== "preflight-run" || !Array.isArray(run.items)) {
        throw new Error("this file is not a preflight run");
      }
      if (run.checklist !== checklist) {
        throw new Error("this run is of checklist \u201c" + run.checklist + "\u201d, not this one");
      }
      /* An item is found by its id, else (moved to a renamed section in a newer release, so
         with another id) by its text when one item of the page has that text. */
      var known = {}, byText = {};
      ticks.forEach(function (t) {
        known[idOf(t)] = true;
        var label = t.closest("label");
        var text = label ? label.textContent.trim() : "";
        if (text) byText[text] = Object.prototype.hasOwnProperty.call(byText, text) ? null : idOf(t);
      });
      state = empty();
      state.operator = typeof run.operator === "string" ? run.operator : "";
      ticks.forEach(function (t) { state.items[idOf(t)] = false; });
      var dropped = [];
      run.items.forEach(function (i) {
        if (!i) return;
        var text = typeof i.text === "string" ? i.text.trim() : "";
        var id = known[i.id] ? i.id : (Object.prototype.hasOwnProperty.call(byText, text) && byText[text]);
        if (id) state.items[id] = typeof i.ticked_at === "string" ? i.ticked_at : new Date().toISOString();
        else dropped.push("\u201c" + (text || i.id) + "\u201d");
      });
      if (run.fields && typeof run.fields === "object") state.fields = run.fields;
      save();
      applyState();
      var left = dropped.length > 3 ? ", and " + (dropped.length - 3) + " more" : "";
      tell("Run imported: " + (run.items.length - dropped.length) + " ticked" +
        (dropped.length ? "; not on this page: " + dropped.slice(0, 3).join(", ") + left : "") + ".");
    }).catch(function (e) {
      tell("Cannot import: " + e.message + ".");
    }).then(function () { importInput.value = ""; });
  });

  window.addEventListener("hashchange", reveal);
  window.addEventListener("storage", function (e) {
    if (e.key === key) { state = read(); applyState(); }
  });
  applyState();
  reveal();
})();
