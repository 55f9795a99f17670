/* preflight: offline search over the index written at build time (see src/site/search.rs).
   The index is a set of scripts that call PreflightSearch.add(name, data), so it loads from
   file:// as well as over HTTP. Only the shards a query needs are loaded. */
(function () {
  "use strict";
  var store = {};
  var loading = {};
  var STOP = ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it",
    "of", "on", "or", "the", "to", "with"];
  var KIND_RANK = { title: 0, section: 1, item: 2, code: 3, text: 4 };
  var KIND_LABEL = { title: "Checklist", section: "Section", item: "Item", code: "Code", text: "Text" };
  var LIMIT = 50;

  window.PreflightSearch = {
    add: function (name, data) { store[name] = data; }
  };

  var body = document.body;
  var input = document.getElementById("search-input");
  var panel = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !panel) return;
  var base = (body.getAttribute("data-root") || "") + body.getAttribute("data-release") + "/";

  function load(name) {
    if (store[name]) return Promise.resolve(store[name]);
    if (loading[name]) return loading[name];
    loading[name] = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = base + "search/" + (name === "meta" ? "index" : name) + ".js";
      s.async = true;
      s.onload = function () {
        if (store[name]) resolve(store[name]);
        else reject(new Error("search index file " + s.src + " did not register " + name));
      };
      s.onerror = function () {
        delete loading[name];
        reject(new Error("cannot load " + s.src));
      };
      document.head.appendChild(s);
    });
    return loading[name];
  }

  /* Letters of the Latin, Greek and Cyrillic scripts without their accents, one character for
     one, as the index has them (`Überprüfe` is found by `uberprufe`). */
  function fold(text) {
    return text.replace(/[\u00C0-\u052F\u1E00-\u1FFF]/g, function (c) {
      var base = c.normalize("NFD").charAt(0);
      return /\p{M}/u.test(base) ? c : base;
    });
  }

  /* Chinese and Japanese, written without spaces (src/normalise/text.rs, `unspaced`). */
  var UNSPACED = /[\u3000-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF00-\uFF9F\u{20000}-\u{3FFFF}]/u;
  var JOINED = /^[\p{L}\p{N}]+(?:[._:\/@-]+[\p{L}\p{N}]+)+$/u;

  /* The terms of a query, cut as src/site/search.rs cuts text: words; with `whole`, a value
     of parts (`10.0.1.10`, `pg-node-1`) as one term instead of its parts; in Chinese and
     Japanese, pairs of characters (a single character alone). */
  function terms(text, whole) {
    var out = [];
    function push(t) {
      t = Array.from(t).slice(0, 32).join("");
      if (STOP.indexOf(t) >= 0 || out.indexOf(t) >= 0) return;
      out.push(t);
    }
    fold(text.toLowerCase()).split(/[^\p{L}\p{N}._:\/@-]+/u).forEach(function (chunk) {
      var value = chunk.replace(/^[._:\/@-]+|[._:\/@-]+$/g, "");
      if (whole && JOINED.test(value)) { push(value); return; }
      chunk.split(/[^\p{L}\p{N}]+/u).forEach(function (w) {
        var chars = Array.from(w), run = [];
        function flush(cjk) {
          if (cjk) {
            if (run.length === 1) push(run[0]);
            for (var i = 0; i + 1 < run.length; i++) push(run[i] + run[i + 1]);
          } else if (run.length >= 2) push(run.join(""));
          run = [];
        }
        chars.forEach(function (c, i) {
          if (i > 0 && UNSPACED.test(c) !== UNSPACED.test(chars[i - 1])) flush(UNSPACED.test(chars[i - 1]));
          run.push(c);
        });
        if (run.length) flush(UNSPACED.test(run[0]));
      });
    });
    return out;
  }

  function hex(s) {
    return Array.from(new TextEncoder().encode(s)).map(function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  /* Documents with a word starting with `term`: titles, sections, items and code, or with
     `text` set, other text (whose terms are kept under "~"). */
  function postings(meta, term, text) {
    var key = hex(Array.from(term).slice(0, meta.prefix).join(""));
    if (meta.terms.indexOf(key) < 0) return Promise.resolve([]);
    var wanted = (text ? "~" : "") + term;
    return load("t-" + key).then(function (shard) {
      var docs = new Set();
      Object.keys(shard).forEach(function (t) {
        if (t.lastIndexOf(wanted, 0) !== 0) return;
        var d = 0;
        shard[t].forEach(function (delta) { d += delta; docs.add(d); });
      });
      return Array.from(docs);
    });
  }

  function shardOf(meta, doc) {
    var lo = 0, hi = meta.docs.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (meta.docs[mid] <= doc) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /* A value of parts is looked for whole first (`10.0.1.10`), then by its parts. */
  function run(query) {
    var exact = terms(query, true), loose = terms(query, false);
    if (!loose.length) return Promise.resolve(null);
    return find(exact).then(function (r) {
      return r.total || exact.join(" ") === loose.join(" ") ? r : find(loose);
    });
  }

  function find(words) {
    function all(meta, text) {
      return Promise.all(words.map(function (w) { return postings(meta, w, text); })).then(function (lists) {
        lists.sort(function (a, b) { return a.length - b.length; });
        var hits = lists[0].filter(function (d) {
          return lists.every(function (l) { return l === lists[0] || l.indexOf(d) >= 0; });
        });
        return hits.sort(function (a, b) { return a - b; });
      });
    }
    return load("meta").then(function (meta) {
      /* Other text comes after the rest, and is looked up only when the rest is not enough. */
      return all(meta, false).then(function (main) {
        return main.length >= LIMIT ? main : all(meta, true).then(function (text) { return main.concat(text); });
      }).then(function (hits) {
        var total = hits.length;
        // Results come from the first hits in book order: their document shards are all that
        // is loaded, so a common word costs a shard or two, not the whole index.
        var shown = hits.slice(0, 200);
        var shards = {};
        shown.forEach(function (d) { shards[shardOf(meta, d)] = true; });
        var names = Object.keys(shards);
        return Promise.all(names.map(function (i) { return load("d-" + i); })).then(function () {
          var rows = [];
          shown.forEach(function (d) {
            var i = shardOf(meta, d);
            var shard = store["d-" + i];
            if (!shard) return;
            var row = shard[d - meta.docs[i]];
            if (row) rows.push(row);
          });
          rows.sort(function (a, b) { return KIND_RANK[a[2]] - KIND_RANK[b[2]]; });
          return { words: words, total: total, rows: rows.slice(0, LIMIT), meta: meta };
        });
      });
    });
  }

  function highlight(el, text, words) {
    var lower = fold(text.toLowerCase());
    if (lower.length !== text.length) lower = text.toLowerCase();
    var i = 0;
    while (i < text.length) {
      var best = -1, len = 0;
      words.forEach(function (w) {
        var at = lower.indexOf(w, i);
        if (at >= 0 && (best < 0 || at < best)) { best = at; len = w.length; }
      });
      if (best < 0) break;
      el.appendChild(document.createTextNode(text.slice(i, best)));
      var m = document.createElement("mark");
      m.textContent = text.slice(best, best + len);
      el.appendChild(m);
      i = best + len;
    }
    el.appendChild(document.createTextNode(text.slice(i)));
  }

  /* Of a code result's lines, the first with a query's word in it, else the first. */
  function matchingLine(code, words) {
    var lines = code.split("\n");
    for (var i = 0; i < lines.length; i++) {
      var lower = fold(lines[i].toLowerCase());
      if (words.some(function (w) { return lower.indexOf(w) >= 0; })) return lines[i];
    }
    return lines[0];
  }

  function show(result) {
    panel.textContent = "";
    if (!result && !input.value.trim()) { panel.hidden = true; status.textContent = ""; return; }
    var head = document.createElement("p");
    head.className = "search-summary";
    if (!result) {
      head.textContent = "Type a word to search for: two letters or more, other than “the” or “and”";
      panel.appendChild(head);
      panel.hidden = false;
      status.textContent = head.textContent;
      return;
    }
    head.textContent = result.total === 0 ? "No results" :
      result.total + (result.total === 1 ? " result" : " results") +
      (result.total > result.rows.length ? ", showing " + result.rows.length : "");
    panel.appendChild(head);
    result.rows.forEach(function (row) {
      var checklist = result.meta.checklists[row[0]];
      var a = document.createElement("a");
      a.className = "search-result kind-" + row[2];
      a.setAttribute("data-checklist", checklist[0]);
      a.href = base + checklist[0] + "/index.html" + (row[1] ? "#" + row[1] : "");
      var title = document.createElement("span");
      title.className = "search-result-title";
      title.textContent = checklist[1];
      var id = document.createElement("span");
      id.className = "search-result-id";
      id.textContent = checklist[0];
      title.appendChild(id);
      var kind = document.createElement("span");
      kind.className = "search-result-kind";
      kind.textContent = KIND_LABEL[row[2]] || row[2];
      var text = document.createElement("span");
      text.className = "search-result-text";
      highlight(text, row[2] === "code" ? matchingLine(row[3], result.words) : row[3], result.words);
      a.appendChild(kind);
      a.appendChild(title);
      a.appendChild(text);
      panel.appendChild(a);
    });
    panel.hidden = false;
    status.textContent = head.textContent;
  }

  var timer = 0;
  var serial = 0;
  /* The query the panel shows results for. */
  var shown = "";
  function update() {
    var mine = ++serial;
    var query = input.value;
    return run(query).then(function (r) { if (mine === serial) { show(r); shown = query; } }, function (e) {
      if (mine !== serial) return;
      panel.textContent = "";
      var p = document.createElement("p");
      p.className = "search-summary";
      p.textContent = "Search is unavailable: " + e.message;
      panel.appendChild(p);
      panel.hidden = false;
    });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 80);
  });
  /* Escape closes the panel and gives the focus back to the box, which must not reopen it. */
  var closing = false;
  input.addEventListener("focus", function () {
    load("meta").catch(function () {});
    if (!closing && input.value && panel.childNodes.length) panel.hidden = false;
    closing = false;
  });
  /* Tabbing out of the box and its results closes them. */
  input.parentElement.addEventListener("focusout", function (e) {
    var to = e.relatedTarget;
    if (to && (to === input || panel.contains(to))) return;
    if (to) panel.hidden = true;
  });

  function links() { return Array.prototype.slice.call(panel.querySelectorAll("a.search-result")); }
  function move(step) {
    var all = links();
    if (!all.length) return;
    var at = all.indexOf(document.activeElement);
    var next = at < 0 ? (step > 0 ? 0 : all.length - 1) : at + step;
    if (next < 0) { input.focus(); return; }
    all[Math.min(next, all.length - 1)].focus();
  }
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      input.focus();
      input.select();
    } else if (e.key === "Escape" && (t === input || panel.contains(t))) {
      panel.hidden = true;
      if (t !== input) { closing = true; input.focus(); }
    } else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && (t === input || panel.contains(t))) {
      e.preventDefault();
      move(e.key === "ArrowDown" ? 1 : -1);
    } else if (e.key === "Enter" && t === input && !e.isComposing) {
      /* Typed fast, the query may not have been searched yet: search it now, then follow. */
      var ready = shown === input.value ? Promise.resolve() : (clearTimeout(timer), update());
      ready.then(function () {
        var first = links()[0];
        if (first) first.click();
      });
    }
  });
  document.addEventListener("click", function (e) {
    if (!panel.hidden && !panel.contains(e.target) && e.target !== input) panel.hidden = true;
  });
  panel.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a.search-result");
    if (a) panel.hidden = true;
  });
})();
