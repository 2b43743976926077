// What axe-core cannot check, measured over the rendered DOM. Evaluated by
// web/a11y_test.go on every page of the tour; returns a list of problems
// (empty when the page passes). Each problem names its WCAG 2.2 criterion.
(() => {
  const problems = [];
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const cls = el.getAttribute('class');
    if (cls) s += '.' + cls.trim().split(/\s+/).join('.');
    const text = (el.textContent || '').replace(/\s+/g, ' ').trim();
    if (text) s += ' "' + text.slice(0, 50) + '"';
    return s;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return false;
    return getComputedStyle(el).visibility !== 'hidden';
  };
  const main = document.querySelector('main') || document.body;

  // 1.4.10 Reflow: nothing wider than the viewport (tables scroll inside
  // their own box, which is allowed for data tables).
  const vw = window.innerWidth;
  const sw = document.scrollingElement.scrollWidth;
  if (sw > vw) {
    const clipped = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible') return true;
      }
      return false;
    };
    // (an absolutely positioned element escapes a scrolling box that is
    // not its containing block, so it counts whatever its ancestors)
    const escapes = (el) => ['absolute', 'fixed'].includes(getComputedStyle(el).position);
    const wide = [...document.body.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > vw + 0.5 && (!clipped(el) || escapes(el)))
      .filter((el, _, all) => !all.some((o) => o !== el && el.contains(o)))
      .slice(0, 3).map(describe);
    problems.push(`1.4.10 reflow: the page is ${sw} px wide in a ${vw} px viewport (widest: ${wide.join('; ')})`);
  }

  // Chart text is legible: at least 12 px as rendered.
  for (const t of document.querySelectorAll('svg text')) {
    if (!visible(t)) continue;
    const m = t.getScreenCTM();
    const px = parseFloat(getComputedStyle(t).fontSize) * (m ? Math.hypot(m.a, m.b) : 1);
    if (px < 11.95) {
      problems.push(`chart text renders at ${px.toFixed(1)} px (< 12 px): ${describe(t)}`);
    }
  }

  // 2.5.8 Target size (minimum): 24 × 24 px, unless spaced so that a 24 px
  // circle on each undersized target meets no other target or circle, or
  // the target is a link inside a line of text.
  const targetSel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=link], [tabindex]:not([tabindex="-1"])';
  const targets = [...document.querySelectorAll(targetSel)].filter(visible);
  // A target inside another target (an input inside a link) is one target.
  const outer = targets.filter((el) => !targets.some((o) => o !== el && o.contains(el)));
  const rects = new Map(outer.map((el) => [el, el.getBoundingClientRect()]));
  const small = (r) => r.width < 23.95 || r.height < 23.95;
  const centre = (r) => [r.left + r.width / 2, r.top + r.height / 2];
  const isTarget = (n) => n.nodeType === 1 && n.matches(targetSel);
  const inLineOfText = (el) => {
    if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml') return false;
    if (getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    if (!block) return false;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      let inTarget = false;
      for (let p = n.parentElement; p && p !== block; p = p.parentElement) {
        if (isTarget(p)) { inTarget = true; break; }
      }
      if (!inTarget && /\p{L}/u.test(n.data)) return true;
    }
    return false;
  };
  const distToRect = ([x, y], r) => Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
  for (const el of outer) {
    const r = rects.get(el);
    if (!small(r) || inLineOfText(el)) continue;
    const c = centre(r);
    const clash = outer.find((o) => {
      if (o === el) return false;
      const ro = rects.get(o);
      if (ro.width === 0 && ro.height === 0) return false;
      if (small(ro) && !inLineOfText(o)) {
        const co = centre(ro);
        return Math.hypot(c[0] - co[0], c[1] - co[1]) < 24 - 0.05;
      }
      return distToRect(c, ro) < 12 - 0.05;
    });
    if (clash) {
      problems.push(`2.5.8 target size: ${describe(el)} is ${r.width.toFixed(1)} × ${r.height.toFixed(1)} px and too close to ${describe(clash)}`);
    }
  }

  // 1.4.1 Use of colour: a met / not met state is also written.
  // Visible text only: an SVG <title> is a tooltip, not on screen. A bar
  // is judged with the rest of its link (its value and state follow it).
  const shownText = (el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let s = '';
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.parentElement.closest('title')) s += n.data;
    }
    return s;
  };
  for (const el of main.querySelectorAll('.met, .miss, [class*="verdict-"]')) {
    if (!visible(el)) continue;
    const unit = el.namespaceURI === 'http://www.w3.org/2000/svg' ? (el.closest('a') || el) : el;
    if (!/đạt|chưa xác định|chưa đánh giá/i.test(shownText(unit))) {
      problems.push(`1.4.1 colour alone: ${describe(el)} shows its state only by colour (no "Đạt" / "Chưa đạt")`);
    }
  }

  // 1.4.11 Non-text contrast: the border of every text field and list box is
  // at least 3:1 against what surrounds it.
  const rgb = (s) => {
    const m = s.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const v = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: v[0], g: v[1], b: v[2], a: v.length > 3 ? v[3] : 1 };
  };
  const lum = (c) => {
    const f = (x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const backdrop = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const c = rgb(getComputedStyle(p).backgroundColor);
      if (c && c.a > 0) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  for (const el of document.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea')) {
    if (!visible(el)) continue;
    const cs = getComputedStyle(el);
    const around = backdrop(el);
    const width = parseFloat(cs.borderTopWidth) || 0;
    const edge = width > 0 ? rgb(cs.borderTopColor) : rgb(cs.backgroundColor);
    if (!edge) continue;
    const k = ratio(edge, around);
    if (k < 3) {
      problems.push(`1.4.11 non-text contrast: the ${width > 0 ? 'border' : 'background'} of ${describe(el)} is ${k.toFixed(2)}:1 against its surroundings (< 3:1)`);
    }
  }

  // 3.3.1 Error identification: each field error is tied to its field, and
  // each invalid field says why.
  for (const err of document.querySelectorAll('.field-error')) {
    if (!err.id) { problems.push(`3.3.1 errors: ${describe(err)} has no id, so no field can refer to it`); continue; }
    const owner = document.querySelector(`[aria-describedby~="${CSS.escape(err.id)}"]`);
    if (!owner) problems.push(`3.3.1 errors: no field has aria-describedby="${err.id}" (${describe(err)})`);
    else if (owner.getAttribute('aria-invalid') !== 'true') problems.push(`3.3.1 errors: ${describe(owner)} refers to an error but is not aria-invalid="true"`);
  }
  for (const el of document.querySelectorAll('[aria-invalid="true"]')) {
    const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    if (!ids.some((id) => { const d = document.getElementById(id); return d && d.textContent.trim(); })) {
      problems.push(`3.3.1 errors: ${describe(el)} is aria-invalid but no aria-describedby names its error`);
    }
  }

  // 2.4.4 / 4.1.2 unique names: two links outside tables with the same
  // name lead to the same place; no two checkboxes share a name.
  const textOf = (ids) => ids.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean).map((e) => e.textContent).join(' ');
  const name = (el) => {
    let n = el.getAttribute('aria-label') || '';
    if (!n && el.getAttribute('aria-labelledby')) n = textOf(el.getAttribute('aria-labelledby'));
    if (!n && el.labels && el.labels.length) n = [...el.labels].map((l) => l.textContent).join(' ');
    if (!n && el.namespaceURI === 'http://www.w3.org/2000/svg') { const t = el.querySelector('title'); if (t) n = t.textContent; }
    if (!n) n = el.textContent || el.getAttribute('title') || '';
    return n.replace(/\s+/g, ' ').trim();
  };
  const seen = new Map();
  for (const a of document.querySelectorAll('a[href]')) {
    if (a.closest('table, [aria-hidden="true"]') || !visible(a)) continue;
    const n = name(a), href = a.getAttribute('href');
    if (seen.has(n) && seen.get(n) !== href) problems.push(`2.4.4 link purpose: two links named "${n}" lead to ${seen.get(n)} and ${href}`);
    seen.set(n, href);
  }
  const boxes = new Map();
  for (const el of document.querySelectorAll('input[type=checkbox]')) {
    const n = name(el);
    if (!n) continue; // axe reports a missing name
    if (boxes.has(n)) problems.push(`4.1.2 name: two checkboxes are named "${n}"`);
    boxes.set(n, true);
  }

  // 2.4.1 Bypass blocks: the first thing to tab to skips to #main.
  const first = document.querySelector('body a[href], body button, body input:not([type=hidden]), body select, body textarea');
  if (!first || first.getAttribute('href') !== '#main' || !document.getElementById('main')) {
    problems.push(`2.4.1 bypass blocks: the first focusable element is not a link to #main (${first ? describe(first) : 'none'})`);
  }
  return problems;
})()
