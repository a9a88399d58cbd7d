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

  // -- what a reply looks like -------------------------------------------------------------
  function table(data) {
    const head = el("tr", null, data.columns.map((c) => el("th", { scope: "col" }, c)));
    const rows = data.rows.map((row) => el("tr", null, row.map((cell, i) => (i === 0 ? el("th", { scope: "row" }, cell) : el("td", null, cell)))));
    const sources = data.citations.length ? el("div", { class: "row-sources" }, el("p", null, L.row_sources),
      el("ol", null, data.citations.map((c) => el("li", null, c)))) : null;
    return el("figure", { class: "table" },
      el("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": data.title },
        el("table", null, el("caption", null, data.title), el("thead", null, head), el("tbody", null, rows))),
      data.basis ? el("figcaption", null, data.basis) : null, sources);
  }

  function hit(data) {
    const url = data.url ? safeUrl(data.url) : null;
    const where = [data.section, data.speaker ? `${L.speaker}：${data.speaker}` : null].filter(Boolean).join("／");
    return el("li", { class: `hit ${data.kind}` },
      el("p", { class: "title" }, el("strong", null, data.title), where ? el("span", { class: "where" }, `（${where}）`) : null),
      el("blockquote", { class: "snippet" }, el("p", null, marked(data.text, data.marks))),
      el("p", { class: "meta" }, el("span", { class: "as-of" }, data.as_of),
        url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", class: "source" }, L.open_source,
          el("span", { class: "visually-hidden" }, L.opens_new_tab)) : null),
      el("p", { class: "citation" }, L.source, data.source));
  }

  function actions(data, turn) {
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
    const button = (kind, text, extra) => {
      const node = el("button", { type: "button", class: extra || "" }, text);
      node.addEventListener("click", press(kind, node));
      return node;
    };
    const link = new URL(`/a/${encodeURIComponent(data.answer_id)}`, window.location.href).href;
    const copy = navigator.clipboard ? el("button", { type: "button", class: "quiet" }, L.copy) : null;
    if (copy) {
      copy.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(link);
          said.textContent = L.copied;
        } catch (error) {
          said.textContent = link;
        }
      });
    }
    const buttons = [
      button("up", [el("span", { "aria-hidden": "true" }, L.helpful_icon), " ", L.helpful], "feedback"),
      button("down", [el("span", { "aria-hidden": "true" }, L.unhelpful_icon), " ", L.unhelpful], "feedback"),
      data.hits && data.hits.length ? button("more", L.more) : null,
      button("escalate", L.escalate),
    ];
    return el("div", { class: "actions", role: "group", "aria-label": L.actions },
      el("div", { class: "buttons" }, buttons),
      el("p", { class: "permalink" }, el("a", { href: link }, L.permalink), copy), said);
  }

  function answer(data, turn) {
    const parts = [];
    if (data.understood) parts.push(el("p", { class: "understood" }, data.understood));
    if (data.context_note) parts.push(el("p", { class: "context" }, data.context_note));
    if (data.message) parts.push(el("p", { class: "message" }, data.message));
    if (data.direct_answer) {
      parts.push(el("section", { class: "direct" }, el("h3", null, L.answer), el("p", null, data.direct_answer)));
    }
    if (data.table) parts.push(table(data.table));
    if (data.hits && data.hits.length) {
      parts.push(el("section", { class: "hits" }, el("h3", null, data.hits_heading),
        el("ol", { start: data.first || 1 }, data.hits.map(hit))));
    }
    parts.push(actions(data, turn));
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
