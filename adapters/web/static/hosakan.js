// Hosakan's web chat. Everything from records and questions goes into the page as text
// (textContent, text nodes), never as HTML; links open only http(s) addresses. The words the
// page shows come from the server (the "labels" block), so this file holds no sentence.
"use strict";

(() => {
  const L = JSON.parse(document.getElementById("labels").textContent);
  const log = document.getElementById("log");
  const status = document.getElementById("status");
  const form = document.getElementById("ask");
  const box = document.getElementById("question");
  let conversation = newId();
  let composing = false;

  function newId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // An element with attributes and children; a string child is a text node, null is skipped.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== "") node.append(child);
    }
    return node;
  }

  function safeUrl(url) {
    try {
      const parsed = new URL(url, window.location.href);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch (error) {
      return null;
    }
  }

  // The snippet with its matched terms in <mark>; marks count code points, as Python does.
  function marked(text, marks) {
    const points = Array.from(text || "");
    const parts = [];
    let last = 0;
    for (const [start, end] of marks || []) {
      if (start < last || end <= start || end > points.length) continue;
      parts.push(points.slice(last, start).join(""), el("mark", null, points.slice(start, end).join("")));
      last = end;
    }
    parts.push(points.slice(last).join(""));
    return parts;
  }

  async function call(path, body) {
    let response;
    try {
      response = await fetch(path, body === undefined ? { credentials: "same-origin" } : {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
    } catch (error) {
      return { type: "error", text: L.offline };
    }
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    if (!response.ok || data === null) {
      return { type: "error", text: (data && data.message) || L.offline, signedOut: response.status === 401 };
    }
    return data;
  }

  function busy(on) {
    log.setAttribute("aria-busy", on ? "true" : "false");
    status.textContent = on ? L.waiting : "";
  }

  function scrollTo(node) {
    const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    node.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
  }

  // -- what a reply looks like: the server's view of it (bot/presenter.py), drawn as it says -
  function table(data) {
    const head = el("tr", null, data.columns.map((c) => el("th", { scope: "col" }, c)));
    const rows = data.rows.map((row) => el("tr", null, row.map((cell, i) => (i === 0
      ? el("th", { scope: "row", "data-label": data.columns[i] }, cell)
      : el("td", { "data-label": data.columns[i] }, cell)))));
    const scroll = el("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": data.title },
      el("table", null, el("caption", null, data.title), el("thead", null, head), el("tbody", null, rows)));
    const hint = el("p", { class: "scroll-hint", "aria-hidden": "true" }, L.scrolls);
    const notes = [data.basis, ...data.sources].filter(Boolean).map((note) => el("p", null, note));
    const figure = el("figure", { class: "table" }, scroll, hint, el("figcaption", null, notes));
    // say that the table scrolls sideways only when it does, and which way is left
    const edges = () => {
      const wide = scroll.scrollWidth > scroll.clientWidth + 1;
      figure.classList.toggle("wide", wide);
      figure.classList.toggle("at-end", !wide || scroll.scrollLeft + scroll.clientWidth >= scroll.scrollWidth - 1);
      figure.classList.toggle("at-start", scroll.scrollLeft <= 0);
    };
    scroll.addEventListener("scroll", edges, { passive: true });
    window.addEventListener("resize", edges);
    requestAnimationFrame(edges);
    return figure;
  }

  function hit(data) {
    const url = data.url ? safeUrl(data.url) : null;
    return el("li", { class: `hit ${data.kind}` },
      el("p", { class: "title" }, el("strong", null, data.title), el("span", { class: "where" }, ` › ${data.where}`)),
      el("blockquote", { class: "snippet" }, el("p", null, marked(data.text, data.marks))),
      el("p", { class: "citation" }, L.source, data.source, data.as_of ? `、${data.as_of}` : null,
        url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", class: "source" }, L.open_source,
          el("span", { class: "visually-hidden" }, L.opens_new_tab)) : null));
  }

  function fact(data) {
    const cited = [data.source ? `${L.source}${data.source}` : null, data.as_of].filter(Boolean).join("、");
    return el("li", { class: "case" }, el("strong", { class: "name" }, data.name),
      el("span", { class: "fact" }, data.quoted ? `「${data.fact}」` : data.fact),
      cited ? el("span", { class: "cite" }, cited) : null);
  }

  function actions(data, view, turn) {
    if (!data.answer_id) return null;
    const said = el("p", { class: "said", role: "status" });
    const press = (kind, button) => async () => {
      button.disabled = true;
      const reply = await call("/web/act", { answer_id: data.answer_id, kind });
      button.disabled = false;
      if (kind === "more") {
        if (reply.type === "answer") show(reply, L.more);
        else said.textContent = reply.text;
        return;
      }
      said.textContent = reply.text;
      if ((kind === "up" || kind === "down") && reply.type !== "error") {
        for (const other of turn.querySelectorAll("button.feedback")) {
          other.disabled = true;
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
        }
      }
    };
    const buttons = view.buttons.map((b) => {
      const feedback = b.kind === "up" || b.kind === "down";
      const node = el("button", { type: "button", class: feedback ? "feedback" : "" },
        b.icon ? [el("span", { "aria-hidden": "true" }, b.icon), " "] : null, b.label);
      node.addEventListener("click", press(b.kind, node));
      return node;
    });
    const link = new URL(`/a/${encodeURIComponent(data.answer_id)}`, window.location.href).href;
    const copier = (label, text, done) => {
      if (!navigator.clipboard) return null;
      const node = el("button", { type: "button", class: "quiet" }, label);
      node.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(text);
          said.textContent = done;
        } catch (error) {
          said.textContent = text;
        }
      });
      return node;
    };
    return el("div", { class: "actions", role: "group", "aria-label": L.actions },
      buttons.length ? el("div", { class: "buttons" }, buttons) : null,
      el("p", { class: "permalink" }, copier(L.copy_answer, data.text, L.copied_answer),
        el("a", { href: link }, L.permalink), copier(L.copy, link, L.copied)), said);
  }

  function answer(data, turn) {
    const view = data.view;
    const parts = view.readings.map((note) => el("p", { class: "reading" }, note));
    if (view.message) parts.push(el("p", { class: "message" }, view.message));
    if (view.lead.length || view.cases.length) {
      parts.push(el("section", { class: "direct" }, el("h3", null, L.answer),
        view.lead.map((line) => el("p", null, line)),
        view.cases.length ? el("ul", { class: "cases" }, view.cases.map(fact)) : null));
    }
    if (view.table) parts.push(table(view.table));
    if (view.evidence.length) {
      const list = el("ol", { start: view.evidence[0].number }, view.evidence.map(hit));
      // the evidence folds under an answer; candidates (no answer, or the next page) are the answer
      const open = !view.answered || Boolean(view.heading);
      parts.push(el("details", { class: "hits", open: open ? true : null },
        el("summary", null, open ? view.heading || view.evidence_title : `${L.show_evidence}（${view.evidence.length}）`), list));
    }
    parts.push(...view.footnotes.map((note) => el("p", { class: "footnote" }, note)));
    parts.push(actions(data, view, turn));
    return parts;
  }

  function reply(data, turn) {
    if (data.type === "answer") return answer(data, turn);
    if (data.type === "help") {
      return [el("p", { class: "help" }, data.text)];
    }
    const text = data.type === "apology" ? data.text : data.text || L.offline;
    const parts = [el("p", { class: data.type === "notice" ? "notice" : "problem" }, text)];
    if (data.signedOut) parts.push(el("p", null, el("a", { href: "/signin" }, L.sign_in_again)));
    return parts;
  }

  // A turn: what was asked (or pressed), then what Hosakan said.
  function show(data, asked, shared) {
    const turn = el("article", { class: "turn" });
    if (shared) turn.append(el("p", { class: "shared" }, L.shared));
    for (const before of (shared && data.before) || []) {
      turn.append(el("p", { class: "before" }, el("span", { class: "who" }, `${L.before}：`), before));
    }
    if (asked) turn.append(el("p", { class: "asked" }, el("span", { class: "who" }, `${L.asked}：`), asked));
    turn.append(el("div", { class: "reply" }, reply(data, turn)));
    log.append(turn);
    scrollTo(turn);
    return turn;
  }

  async function ask(text) {
    const question = text.trim();
    if (!question) return;
    busy(true);
    const data = await call("/web/ask", { question, conversation });
    busy(false);
    show(data, question);
    status.textContent = data.type === "answer" ? L.answered : "";
  }

  // -- the question box: Enter sends, except while an IME is composing ------------------------
  box.addEventListener("compositionstart", () => { composing = true; });
  box.addEventListener("compositionend", () => { setTimeout(() => { composing = false; }, 0); });
  box.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || composing || event.keyCode === 229) return;
    event.preventDefault();
    form.requestSubmit();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = box.value;
    box.value = "";
    box.focus();
    ask(text);
  });
  for (const example of document.querySelectorAll("button.example")) {
    example.addEventListener("click", () => ask(example.textContent));
  }
  document.getElementById("new-conversation").addEventListener("click", () => {
    conversation = newId();
    status.textContent = L.new_conversation_done;
    box.focus();
  });

  // -- a permalink: /a/<id> shows that answer ------------------------------------------------
  const permalink = window.location.pathname.match(/^\/a\/([A-Za-z0-9_-]{1,64})$/);
  if (permalink) {
    call(`/web/answers/${permalink[1]}`).then((data) => show(data, data.question || null, data.type === "answer"));
  }
})();
