// WearIt's web app: a hash-routed single page, plain ES modules, no external resources.
import * as api from "./api.js";
import * as live from "./socket.js";

const main = document.getElementById("main");
const statusLine = document.getElementById("status");
const nav = document.getElementById("nav");

/** Builds an element: h("button", { type: "submit", onclick }, "Save"). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, value);
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

function say(message, isError = false) {
  statusLine.textContent = message;
  statusLine.className = isError ? "error" : "";
}

function explain(error) {
  if (error.code === "credits_exhausted") return "You have no credits left. Refer a friend to get 15 more.";
  if (error.code?.startsWith("image_") || error.code === "payload_too_large") return `That photo was refused: ${error.message}`;
  if (error.code === "checkout_unavailable") return "Checkout cannot be started right now. Please try again in a minute.";
  if (error.code === "network" || error.status >= 500) return "A WearIt service is unavailable right now. Please try again shortly.";
  return error.message;
}

function show(title, ...content) {
  main.replaceChildren(h("h2", {}, title), ...content.filter((child) => child !== null && child !== undefined));
  document.title = `${title} — WearIt`;
  main.focus();
}

/** A form whose inputs show their field errors next to them. */
function form(fields, submitLabel, onSubmit) {
  const element = h("form", { novalidate: true });
  const inputs = {};
  for (const field of fields) {
    const id = `field-${field.name}`;
    const input = field.type === "select"
      ? h("select", { id, name: field.name }, field.options.map(([value, label]) => h("option", { value }, label)))
      : h("input", { id, name: field.name, type: field.type ?? "text", autocomplete: field.autocomplete, accept: field.accept, capture: field.capture, required: field.required, "aria-describedby": `${id}-error` });
    inputs[field.name] = input;
    element.append(h("label", { for: id }, field.label, input, h("span", { id: `${id}-error`, class: "field-error" })));
  }
  const button = h("button", { type: "submit" }, submitLabel);
  element.append(button);
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const span of element.querySelectorAll(".field-error")) span.textContent = "";
    button.disabled = true;
    try { await onSubmit(inputs); }
    catch (error) {
      if (!(error instanceof api.ApiError)) throw error;
      let placed = false;
      for (const [name, messages] of Object.entries(error.errors)) {
        const span = element.querySelector(`#field-${CSS.escape(name)}-error`);
        if (span) { span.textContent = messages.join(" "); placed = true; }
      }
      say(placed ? "Please correct the marked fields." : explain(error), true);
    } finally { button.disabled = false; }
  });
  return element;
}

/** What a body photo's check found, in words. */
function bodyStatus(body) {
  if (body.status === "processing") return "Checking your photo…";
  if (body.status === "rejected") return `Cannot be used: ${body.rejection?.message ?? "this photo cannot be tried on."}`;
  const names = { upper: "tops", lower: "bottoms", dress: "dresses" };
  return `Ready to try on: ${body.wears.map((type) => names[type] ?? type).join(", ")}`;
}

const screens = {
  async signup() {
    show("Create your account",
      form([
        { name: "name", label: "Name", autocomplete: "name", required: true },
        { name: "email", label: "Email", type: "email", autocomplete: "email", required: true },
        { name: "password", label: "Password (8 to 128 characters)", type: "password", autocomplete: "new-password", required: true },
        { name: "referralCode", label: "Referral code (optional)" },
      ], "Sign up", async (inputs) => {
        const user = await api.signup({ name: inputs.name.value, email: inputs.email.value, password: inputs.password.value, referralCode: inputs.referralCode.value || undefined });
        live.connect();
        say(`Welcome! We mailed a 6-digit code to ${user.email}.`);
        go("#/verify-email");
      }),
      h("p", {}, "Already have an account? ", h("a", { href: "#/login" }, "Log in")));
  },

  async login() {
    show("Log in",
      form([
        { name: "email", label: "Email", type: "email", autocomplete: "username", required: true },
        { name: "password", label: "Password", type: "password", autocomplete: "current-password", required: true },
      ], "Log in", async (inputs) => { await api.login(inputs.email.value, inputs.password.value); live.connect(); say(""); go("#/catalog"); }),
      h("p", {}, h("a", { href: "#/forgot" }, "Forgot your password?"), " · ", h("a", { href: "#/signup" }, "Create an account")));
  },

  async "verify-email"(_, query = new URLSearchParams()) {
    const result = query.get("result");
    const me = api.isSignedIn() ? await api.call("/api/v1/users/me") : null;
    if (result === "verified" || me?.emailVerified) {
      show("Email verified", h("p", { id: "verified" }, "Your address is verified and your 20 starter credits are yours."),
        h("p", {}, api.isSignedIn() ? h("a", { href: "#/photos" }, "Upload a photo of yourself") : h("a", { href: "#/login" }, "Log in"), " to start trying things on."));
      return;
    }
    show("Verify your email",
      h("p", {}, result === "failed"
        ? "That link is wrong, used or expired. Enter the code from the mail, or ask for a new one."
        : `We mailed a 6-digit code${me ? ` to ${me.email}` : ""}. Enter it to get your 20 starter credits.`),
      form([
        { name: "email", label: "Email", type: "email", autocomplete: "email", required: true },
        { name: "code", label: "6-digit code", autocomplete: "one-time-code", required: true },
      ], "Verify", async (inputs) => {
        await api.call("/api/v1/auth/verify-email", { method: "POST", body: { email: inputs.email.value, code: inputs.code.value } });
        say("Your address is verified: 20 credits are yours.");
        go(api.isSignedIn() ? "#/photos" : "#/login");
      }),
      me ? h("button", { type: "button", class: "secondary", onclick: async () => {
        try { await api.call("/api/v1/auth/verify-email/resend", { method: "POST" }); say(`A new code is on its way to ${me.email}.`); }
        catch (error) { if (error instanceof api.ApiError) say(explain(error), true); else throw error; }
      } }, "Send me a new code") : null);
    if (me) main.querySelector("#field-email").value = me.email;
  },

  async forgot() {
    show("Reset your password",
      form([{ name: "email", label: "Email", type: "email", autocomplete: "email", required: true }], "Send me a code", async (inputs) => {
        await api.call("/api/v1/auth/password-reset/request", { method: "POST", body: { email: inputs.email.value } });
        say("If that email has an account, a 6-digit code is on its way.");
      }),
      h("h3", {}, "I have a code"),
      form([
        { name: "email", label: "Email", type: "email", autocomplete: "email", required: true },
        { name: "code", label: "6-digit code", autocomplete: "one-time-code", required: true },
        { name: "newPassword", label: "New password", type: "password", autocomplete: "new-password", required: true },
      ], "Set new password", async (inputs) => {
        await api.call("/api/v1/auth/password-reset/confirm", { method: "POST", body: { email: inputs.email.value, code: inputs.code.value, newPassword: inputs.newPassword.value } });
        say("Your password is changed. Log in with it.");
        go("#/login");
      }));
  },

  async catalog(query = new URLSearchParams()) {
    const filters = await api.call("/api/v1/catalog/filters");
    const page = await api.call(`/api/v1/catalog/products?${query}`);
    const select = (name, label, facets) => h("label", { for: `filter-${name}` }, label,
      h("select", { id: `filter-${name}`, name }, h("option", { value: "" }, "Any"), facets.map((facet) => h("option", { value: facet.value, selected: query.get(name) === facet.value }, `${facet.value} (${facet.count})`))));
    const search = h("form", { class: "row", role: "search", onsubmit: (event) => {
      event.preventDefault();
      const next = new URLSearchParams([...new FormData(event.target)].filter(([, value]) => value));
      go(`#/catalog?${next}`);
    } },
      h("label", { for: "filter-q" }, "Search", h("input", { id: "filter-q", name: "q", type: "search", value: query.get("q") ?? "" })),
      select("category", "Category", filters.categories), select("color", "Colour", filters.colors), select("gender", "For", filters.genders),
      h("label", { for: "filter-sort" }, "Sort", h("select", { id: "filter-sort", name: "sort" }, [["relevance", "Relevance"], ["newest", "Newest"], ["price_asc", "Price: low to high"], ["price_desc", "Price: high to low"]]
        .map(([value, label]) => h("option", { value, selected: query.get("sort") === value }, label)))),
      h("button", { type: "submit" }, "Apply"));
    const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
    const pageLink = (number, label) => { const next = new URLSearchParams(query); next.set("page", number); return h("a", { href: `#/catalog?${next}` }, label); };
    show("Catalog", search,
      h("p", {}, `${page.total} products · page ${page.page} of ${pages}`),
      h("ul", { class: "grid" }, page.items.map((product) => h("li", { class: "card" },
        h("img", { src: product.images[0]?.thumbnailUrl ?? "", alt: product.title }),
        h("a", { href: `#/product/${product.id}` }, product.title),
        h("span", {}, `${product.brand} · ${product.price.toFixed(2)} ${product.currency}`)))),
      h("p", { class: "row" }, page.page > 1 ? pageLink(page.page - 1, "Previous page") : null, page.page < pages ? pageLink(page.page + 1, "Next page") : null));
  },

  async product(id) {
    const product = await api.call(`/api/v1/catalog/products/${id}`);
    show(product.title,
      product.images[0] ? h("img", { src: product.images[0].url, alt: product.title, class: "product-image" }) : null,
      h("p", {}, product.description),
      h("p", {}, `${product.brand} · ${product.category} · ${product.colors.map((color) => color.name).join(", ")} · sizes ${product.sizes.join(", ")}`),
      h("p", {}, h("strong", {}, `${product.price.toFixed(2)} ${product.currency}`)),
      api.isSignedIn() ? h("button", { type: "button", onclick: () => { tryonSelection.garments = [{ source: "catalog", id: product.id, label: product.title, clothType: product.clothType }]; go("#/tryon"); } }, "Try it on") : h("a", { href: "#/login" }, "Log in to try it on"));
  },

  async wardrobe() {
    const items = await api.call("/api/v1/wardrobe");
    show("My wardrobe",
      form([
        { name: "image", label: "Photo of the garment", type: "file", accept: "image/jpeg,image/png,image/webp", capture: "environment", required: true },
        { name: "category", label: "Category", type: "select", options: [["tops", "Top"], ["bottoms", "Bottoms"], ["dresses", "Dress"], ["outerwear", "Outerwear"]] },
        { name: "name", label: "Name (optional)" },
      ], "Add to wardrobe", async (inputs) => {
        const clothType = { tops: "upper", outerwear: "upper", bottoms: "lower", dresses: "dress" }[inputs.category.value];
        const data = new FormData();
        if (inputs.image.files[0]) data.append("image", inputs.image.files[0]);
        data.append("category", inputs.category.value);
        data.append("clothType", clothType);
        if (inputs.name.value) data.append("name", inputs.name.value);
        await api.call("/api/v1/wardrobe", { method: "POST", form: data });
        say("Added to your wardrobe.");
        screens.wardrobe();
      }),
      h("ul", { class: "grid" }, items.map((item) => h("li", { class: "card" },
        h("img", { src: item.image.thumbnailUrl, alt: item.name }), h("span", {}, `${item.name} (${item.category})`),
        h("button", { type: "button", class: "secondary", onclick: async () => { await api.call(`/api/v1/wardrobe/${item.id}`, { method: "DELETE" }); screens.wardrobe(); } }, `Delete ${item.name}`)))));
  },

  async photos() {
    const bodies = await api.call("/api/v1/bodies");
    show("My photos",
      h("p", {}, "Upload a photo of yourself, facing the camera: your upper body in view for tops, down to the knees for bottoms and dresses."),
      form([{ name: "image", label: "Your photo", type: "file", accept: "image/jpeg,image/png,image/webp", capture: "user", required: true }], "Upload photo", async (inputs) => {
        const data = new FormData();
        if (inputs.image.files[0]) data.append("image", inputs.image.files[0]);
        await api.call("/api/v1/bodies", { method: "POST", form: data });
        say("Photo uploaded; checking it…");
        screens.photos();
      }),
      h("ul", { class: "grid" }, bodies.map((body, index) => h("li", { class: "card" },
        h("img", { src: body.image.thumbnailUrl, alt: `Your photo ${index + 1}${body.isDefault ? " (default)" : ""}` }),
        h("span", { class: `status ${body.status}`, role: "status" }, bodyStatus(body)),
        body.isDefault ? h("span", {}, "Default photo") : h("button", { type: "button", onclick: async () => { await api.call(`/api/v1/bodies/${body.id}/default`, { method: "PUT" }); screens.photos(); } }, `Make photo ${index + 1} the default`),
        h("button", { type: "button", class: "secondary", onclick: async () => { await api.call(`/api/v1/bodies/${body.id}`, { method: "DELETE" }); screens.photos(); } }, `Delete photo ${index + 1}`)))));
    // A photo is checked in the background: look again shortly while one is still being checked.
    if (bodies.some((body) => body.status === "processing")) {
      setTimeout(() => { if (location.hash === "#/photos") screens.photos(); }, 1500);
    }
  },

  async tryon() {
    const [bodies, wardrobe, ...catalog] = await Promise.all([api.call("/api/v1/bodies"), api.call("/api/v1/wardrobe"),
      ...[["tops", 12], ["bottoms", 8], ["dresses", 4], ["outerwear", 4]].map(([category, size]) => api.call(`/api/v1/catalog/products?category=${category}&pageSize=${size}`))]);
    if (bodies.length === 0) { show("Try on", h("p", {}, "First ", h("a", { href: "#/photos" }, "upload a photo of yourself"), ".")); return; }
    const ready = bodies.filter((body) => body.status === "ready");
    if (ready.length === 0) {
      show("Try on", h("p", {}, bodies.some((body) => body.status === "processing") ? "Your photo is still being checked… " : "None of your photos can be used for a try-on. ",
        h("a", { href: "#/photos" }, "See your photos"), "."));
      return;
    }
    if (!ready.some((body) => body.id === tryonSelection.bodyId)) tryonSelection.bodyId = (ready.find((body) => body.isDefault) ?? ready[0]).id;
    const wears = ready.find((body) => body.id === tryonSelection.bodyId).wears;
    const garments = [
      ...wardrobe.map((item) => ({ source: "wardrobe", id: item.id, label: item.name, clothType: item.clothType, image: item.image.thumbnailUrl })),
      ...catalog.flatMap((page) => page.items).map((product) => ({ source: "catalog", id: product.id, label: product.title, clothType: product.clothType, image: product.images[0]?.thumbnailUrl })),
    ];
    const stages = h("ol", { class: "stages", "aria-live": "polite" });
    const progress = h("progress", { max: 100, value: 0, "aria-label": "Try-on progress" });
    const preview = h("div", { class: "result" });
    const toggle = (garment) => {
      const chosen = tryonSelection.garments;
      const index = chosen.findIndex((item) => item.id === garment.id);
      if (index >= 0) chosen.splice(index, 1); else { chosen.push(garment); if (chosen.length > 2) chosen.shift(); }
      screens.tryon();
    };
    const start = (seed) => {
      stages.replaceChildren(); preview.replaceChildren(); progress.value = 0;
      tryonSelection.current = null;
      live.send({ type: "start", requestId: crypto.randomUUID(), request: { bodyId: tryonSelection.bodyId, items: tryonSelection.garments.map(({ source, id }) => ({ source, id })), mode: "fast", seed } });
      say("Starting your try-on…");
    };
    tryonView = { stages, progress, preview, start };
    // After a reload the running (or just finished) try-on is picked up again: REST for where it is now,
    // the socket (resumed from the last seq seen) for what happens next.
    if (!tryonSelection.current) {
      const latest = (await api.tryonCall("/api/v1/tryons?pageSize=1")).items[0];
      if (latest && Date.now() - Date.parse(latest.updatedAt) < 5 * 60 * 1000) {
        tryonSelection.current = latest.id;
        if (latest.result) preview.replaceChildren(h("img", { src: latest.result.url, alt: "Your try-on result", id: "tryon-result" }));
        else if (latest.status === "queued" || latest.status === "running") { progress.value = latest.percent; say("Resuming your try-on…"); }
      }
    }
    for (const message of recentEvents) if (message.tryonId === tryonSelection.current) showEvent(message);
    show("Try on",
      h("fieldset", {}, h("legend", {}, "Your photo"), h("div", { class: "row" }, ready.map((body, index) => h("label", {},
        h("input", { type: "radio", name: "body", value: body.id, checked: body.id === tryonSelection.bodyId, onchange: () => { tryonSelection.bodyId = body.id; screens.tryon(); } }),
        h("img", { src: body.image.thumbnailUrl, alt: `Your photo ${index + 1}`, width: 80 }))))),
      h("h3", {}, "Pick one or two garments"),
      h("ul", { class: "grid" }, garments.map((garment) => h("li", { class: `card${tryonSelection.garments.some((item) => item.id === garment.id) ? " selected" : ""}` },
        garment.image ? h("img", { src: garment.image, alt: "" }) : null,
        h("button", { type: "button", "aria-pressed": String(tryonSelection.garments.some((item) => item.id === garment.id)), disabled: !wears.includes(garment.clothType), onclick: () => toggle(garment) }, garment.label),
        wears.includes(garment.clothType) ? null : h("small", {}, garment.clothType === "upper" ? "Needs your shoulders in the photo" : "Needs a photo down to your knees")))),
      h("p", {}, `Chosen: ${tryonSelection.garments.map((item) => item.label).join(" + ") || "nothing yet"}`),
      h("div", { class: "row" },
        h("button", { type: "button", disabled: tryonSelection.garments.length === 0, onclick: () => start(undefined) }, "Start try-on"),
        h("button", { type: "button", class: "secondary", disabled: tryonSelection.garments.length === 0, onclick: () => start(Math.floor(Math.random() * 1e9)) }, "Try again with another fit")),
      progress, stages, preview);
  },

  async history() {
    const page = await api.tryonCall("/api/v1/tryons?pageSize=50");
    show("History", page.items.length === 0 ? h("p", {}, "No try-ons yet.") : h("ul", { class: "grid" }, page.items.map((tryon) => h("li", { class: "card" },
      tryon.result ? h("img", { src: tryon.result.url, alt: `Try-on from ${new Date(tryon.createdAt).toLocaleString()}` }) : null,
      h("span", {}, `${tryon.status}${tryon.error ? `: ${tryon.error.message}` : ""} · version ${tryon.version}`),
      h("button", { type: "button", class: "secondary", onclick: async () => { await api.tryonCall(`/api/v1/tryons/${tryon.id}`, { method: "DELETE" }); screens.history(); } }, "Delete this try-on")))));
  },

  async outfits() {
    const favorites = await api.call("/api/v1/favorites");
    show("Outfits",
      tryonSelection.garments.length ? h("button", { type: "button", onclick: async () => {
        await api.call("/api/v1/favorites", { method: "POST", body: { name: tryonSelection.garments.map((item) => item.label).join(" + "), bodyId: tryonSelection.bodyId, items: tryonSelection.garments.map(({ source, id }) => ({ source, id })) } });
        say("Outfit saved."); screens.outfits();
      } }, "Save the current selection as an outfit") : h("p", {}, "Pick garments on the Try on screen, then save them here."),
      h("ul", {}, favorites.map((favorite) => h("li", {}, favorite.name, " ",
        h("button", { type: "button", onclick: () => { tryonSelection.bodyId = favorite.bodyId ?? tryonSelection.bodyId; tryonSelection.garments = favorite.items.map((item) => ({ ...item, label: `${item.source} item` })); go("#/tryon"); } }, `Open ${favorite.name}`), " ",
        h("button", { type: "button", class: "secondary", onclick: async () => { await api.call(`/api/v1/favorites/${favorite.id}`, { method: "DELETE" }); screens.outfits(); } }, `Delete ${favorite.name}`)))));
  },

  async account() {
    checkoutReturn();
    const [me, credits] = await Promise.all([api.call("/api/v1/users/me"), api.call("/api/v1/users/me/credits")]);
    show("Account",
      h("p", {}, `${me.name} · ${me.email} · referral code `, h("strong", {}, me.referralCode)),
      me.emailVerified ? null : h("p", { class: "error" }, "Your address is not verified yet: ", h("a", { href: "#/verify-email" }, "verify it"), " to get your starter credits."),
      h("p", {}, h("strong", { id: "credit-balance" }, `${credits.balance} credits`)),
      await shop(),
      h("table", {}, h("caption", {}, "Recent credit changes"), h("thead", {}, h("tr", {}, h("th", {}, "When"), h("th", {}, "Change"), h("th", {}, "Why"))),
        h("tbody", {}, credits.entries.map((entry) => h("tr", {}, h("td", {}, new Date(entry.createdAt).toLocaleString()), h("td", {}, entry.amount > 0 ? `+${entry.amount}` : String(entry.amount)), h("td", {}, entry.reason.replaceAll("_", " ")))))),
      h("h3", {}, "Change password"),
      form([
        { name: "currentPassword", label: "Current password", type: "password", autocomplete: "current-password" },
        { name: "newPassword", label: "New password", type: "password", autocomplete: "new-password" },
      ], "Change password", async (inputs) => {
        await api.call("/api/v1/users/me/password", { method: "POST", body: { currentPassword: inputs.currentPassword.value, newPassword: inputs.newPassword.value } });
        say("Password changed. Your other sessions were signed out.");
      }),
      h("button", { type: "button", class: "secondary", onclick: async () => { live.disconnect(); await api.logout(); render(); } }, "Log out"),
      h("h3", {}, "Delete account"),
      form([{ name: "password", label: "Password to confirm", type: "password", autocomplete: "current-password" }], "Delete my account and all my photos", async (inputs) => {
        await api.call("/api/v1/users/me", { method: "DELETE", body: { password: inputs.password.value } });
        live.disconnect(); api.signOutLocally(); say("Your account and everything in it are deleted."); go("#/signup");
      }));
  },
};

/** The credit shop of the account screen; null (no shop at all) when the server takes no payments. */
async function shop() {
  if (!(await api.config()).paymentsEnabled) return null;
  const [packs, purchases] = await Promise.all([api.call("/api/v1/payments/packs"), api.call("/api/v1/payments")]);
  const money = (amount, currency) => new Intl.NumberFormat(undefined, { style: "currency", currency: currency.toUpperCase() }).format(amount / 100);
  const statuses = { paid: "paid", partially_refunded: "partly refunded", refunded: "refunded" };
  return h("section", { id: "shop" }, h("h3", {}, "Buy credits"),
    h("ul", { class: "packs" }, packs.map((pack) => {
      // One key per button while the screen is shown: a retried click gets the same Checkout, not a second one.
      const key = `${pack.id}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const button = h("button", { type: "button", onclick: () => buy(pack, key, button) }, `Buy ${pack.name} for ${money(pack.amount, pack.currency)}`);
      return h("li", {}, button);
    })),
    purchases.length ? h("table", { id: "purchases" }, h("caption", {}, "Your purchases"), h("thead", {}, h("tr", {}, h("th", {}, "When"), h("th", {}, "Pack"), h("th", {}, "Paid"), h("th", {}, "Status"))),
      h("tbody", {}, purchases.map((purchase) => h("tr", {}, h("td", {}, new Date(purchase.paidAt).toLocaleString()), h("td", {}, `${purchase.credits} credits`),
        h("td", {}, money(purchase.amount, purchase.currency)), h("td", {}, statuses[purchase.status] ?? purchase.status))))) : null);
}

async function buy(pack, key, button) {
  button.disabled = true;
  say("Taking you to Stripe's secure checkout…");
  try {
    const started = await api.call("/api/v1/payments/checkout", { method: "POST", body: { pack: pack.id }, headers: { "Idempotency-Key": key } });
    location.assign(started.checkoutUrl);
  } catch (error) {
    button.disabled = false;
    if (!(error instanceof api.ApiError)) throw error;
    say(explain(error), true);
  }
}

/**
 * Back from Stripe (/?checkout=success&session_id=…#/account): says how it went, and for a payment waits for Stripe's
 * confirmation (its webhook, usually seconds) before showing the new balance. The query is then removed, so a reload
 * does not say it again.
 */
function checkoutReturn() {
  const query = new URLSearchParams(location.search);
  const outcome = query.get("checkout");
  if (!outcome) return;
  history.replaceState(null, "", `${location.pathname}${location.hash}`);
  if (outcome !== "success") { say("Checkout cancelled: nothing was charged."); return; }
  const sessionId = query.get("session_id");
  say("Payment received. Your credits appear as soon as Stripe confirms it…");
  (async () => {
    for (let attempt = 0; attempt < 15; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const purchases = await api.call("/api/v1/payments").catch(() => []);
      if (purchases.some((purchase) => purchase.sessionId === sessionId)) {
        if (location.hash.startsWith("#/account")) await screens.account();
        say("Payment confirmed: your credits are in.");
        return;
      }
    }
    say("Stripe has not confirmed the payment yet. Your credits will appear here once it does.", true);
  })();
}

const tryonSelection = { bodyId: null, garments: [], current: null };
let tryonView = null;

// Every try-on event of this page, so a try-on screen drawn after they arrived (a reload, a visit to
// another screen) shows them too: each is delivered once.
const recentEvents = [];

live.onEvent(async (message) => {
  if (message.type === "started") { tryonSelection.current = message.tryonId; return; }
  if (message.type === "error") { say(explain(new api.ApiError(400, message)), true); return; }
  if (!message.type?.startsWith("tryon.")) return;
  recentEvents.push(message);
  if (recentEvents.length > 200) recentEvents.shift();
  tryonSelection.current ??= message.tryonId;
  showEvent(message);
});

/** Shows one try-on event on the try-on screen, if it is the one on screen. */
function showEvent(message) {
  if (!tryonView || message.tryonId !== tryonSelection.current) return;
  const { stages, progress, preview } = tryonView;
  if (message.type === "tryon.progress") {
    progress.value = message.percent;
    stages.append(h("li", { class: "done" }, `${message.stage} (${message.percent}%)`));
    if (message.previewUrl) preview.replaceChildren(h("img", { src: message.previewUrl, alt: `Preview while ${message.stage}` }));
    say(`Working: ${message.stage}…`);
  } else if (message.type === "tryon.succeeded") {
    progress.value = 100;
    preview.replaceChildren(h("img", { src: message.resultUrl, alt: "Your try-on result", id: "tryon-result" }));
    say("Your try-on is ready.");
  } else if (message.type === "tryon.failed") {
    say(`The try-on failed: ${message.message} Your credit was refunded.`, true);
  } else if (message.type === "tryon.canceled") {
    say("The try-on was cancelled and your credit refunded.");
  }
}

function go(hash) { if (location.hash === hash) render(); else location.hash = hash; }

async function render() {
  const [path, queryString] = (location.hash.slice(1) || "/catalog").split("?");
  const [, screen, id] = path.split("/");
  const open = new Set(["signup", "login", "forgot", "verify-email", "catalog", "product"]);
  nav.hidden = !api.isSignedIn();
  for (const link of nav.querySelectorAll("a")) {
    if (link.getAttribute("href") === `#/${screen}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (!api.isSignedIn() && !open.has(screen)) { go("#/login"); return; }
  try {
    const show = screens[screen] ?? screens.catalog;
    await (screen === "catalog" ? show(new URLSearchParams(queryString)) : show(id, new URLSearchParams(queryString)));
  } catch (error) {
    if (!(error instanceof api.ApiError)) throw error;
    if (error.status === 401) { api.signOutLocally(); go("#/login"); return; }
    say(explain(error), true);
  }
}

window.addEventListener("hashchange", render);
(async () => {
  if (await api.refresh().catch(() => false)) live.connect();
  await render();
})();
