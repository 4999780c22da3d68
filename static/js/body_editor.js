// The admin's editors for a commentary's body and its lead: django-prose-editor (Tiptap,
// ProseMirror) with the schemas of core/body.py and core/lead.py, paste that keeps structure
// (Word, Google Docs, web pages, the old site's indented plain text), footnotes, ruby, language
// spans, figures from the media library, YouTube facades, and autosave to the server (with a
// copy in this browser while signed out).
// The server sanitises whatever is sent: nothing here is a security boundary.
import {
  Blockquote, Bold, BulletList, Document, Dropcursor, Editor, Extension, Gapcursor, HardBreak, Heading,
  History, HTML, Italic, Link, ListItem, Mark, Menu, Node, OrderedList, Paragraph, Plugin,
  Subscript, Superscript, Table, TableCell, TableHeader, TableRow, Text, gettext, initializeEditors, updateAttrsDialog,
} from "django-prose-editor/editor"

const ATTRIBUTE = "data-django-prose-editor-body"
const MAX_HEADING_LENGTH = 80
const FINAL_PUNCTUATION = ".。!！?？:：;；、,」』)）”\"'"
const YOUTUBE = /(?:youtu\.be\/|youtube(?:-nocookie)?\.com\/(?:embed\/|shorts\/|watch\?(?:.*&)?v=))([A-Za-z0-9_-]{11})/

const escapeText = (text) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")

// The importer's rule (archive/oldsite.py, body_html): a line is a paragraph, however
// indented; a short unindented line without final punctuation before more text, a sub-heading.
export function plainTextToHTML(text) {
  const lines = text.replace(/\r\n?/g, "\n").split("\n").filter((line) => line.trim())
  return lines
    .map((line, index) => {
      const stripped = line.trim()
      const heading =
        index + 1 < lines.length &&
        !/^\s/.test(line) &&
        stripped.length <= MAX_HEADING_LENGTH &&
        !FINAL_PUNCTUATION.includes(stripped.slice(-1))
      const tag = heading ? "h2" : "p"
      return `<${tag}>${escapeText(stripped)}</${tag}>`
    })
    .join("")
}

// Word's, Google Docs' and web pages' HTML, reduced to what the schema can read: comments,
// styles, Word's conditional and mso- markup dropped, Word's list paragraphs made lists,
// h1 a sub-heading, h5 and h6 the smallest one.
export function cleanPastedHTML(html) {
  const page = new DOMParser().parseFromString(html, "text/html")
  const walker = page.createTreeWalker(page.body, NodeFilter.SHOW_COMMENT)
  const comments = []
  while (walker.nextNode()) comments.push(walker.currentNode)
  comments.forEach((comment) => comment.remove())
  page.body.querySelectorAll("style, script, meta, link, title, xml, o\\:p").forEach((el) => el.remove())
  page.body.querySelectorAll("[style*='mso-list:Ignore'], [style*='mso-list: Ignore']").forEach((el) => {
    el.dataset.marker = el.textContent
  })
  // Google Docs wraps what it copies in a <b> that is not bold.
  page.body.querySelectorAll("b").forEach((el) => {
    if (el.style.fontWeight === "normal" || el.id.startsWith("docs-internal-guid")) el.replaceWith(...el.childNodes)
  })
  // Word's list paragraphs (mso-list: l<list> level<n>) become lists, nested by level.
  let stack = []
  for (const paragraph of [...page.body.querySelectorAll("p")]) {
    const found = (paragraph.getAttribute("style") || "").match(/mso-list:\s*(l\d+)(?:\s+level(\d+))?/)
    if (!found) {
      stack = []
      continue
    }
    const [, listId, levelText] = found
    const level = Number(levelText || 1)
    const marker = paragraph.querySelector("[data-marker]")
    const ordered = marker ? /^\s*[0-9a-zA-Z]{1,3}[.)]/.test(marker.dataset.marker) : false
    paragraph.querySelectorAll("[data-marker]").forEach((el) => el.remove())
    const tag = ordered ? "OL" : "UL"
    const outer = stack[0]
    if (!outer || paragraph.previousElementSibling !== outer.list || outer.list.dataset.list !== listId) stack = []
    while (stack.length && stack[stack.length - 1].level > level) stack.pop()
    let current = stack[stack.length - 1]
    if (!current || current.level < level || (stack.length === 1 && current.list.nodeName !== tag)) {
      const list = page.createElement(tag)
      list.dataset.list = listId
      if (current && current.level < level && current.list.lastElementChild) current.list.lastElementChild.append(list)
      else {
        if (current) stack = []
        paragraph.before(list)
      }
      current = { list, level }
      stack.push(current)
    }
    const item = page.createElement("li")
    item.append(...paragraph.childNodes)
    current.list.append(item)
    paragraph.remove()
  }
  for (const [from, to] of [["h1", "h2"], ["h5", "h4"], ["h6", "h4"]]) {
    page.body.querySelectorAll(from).forEach((el) => {
      const heading = page.createElement(to)
      heading.append(...el.childNodes)
      el.replaceWith(heading)
    })
  }
  page.body.querySelectorAll("[style]").forEach((el) => {
    // Google Docs marks bold and italic by style alone: those become <strong> and <em>
    // (a style attribute would not even be read under the CSP); every other style goes.
    const style = el.getAttribute("style")
    el.removeAttribute("style")
    if (el.closest("h1, h2, h3, h4, h5, h6, th")) return
    for (const [pattern, tag] of [[/font-style:\s*italic/, "em"], [/font-weight:\s*(bold|[6-9]00)/, "strong"]]) {
      if (pattern.test(style)) {
        const mark = page.createElement(tag)
        mark.append(...el.childNodes)
        el.append(mark)
      }
    }
  })
  page.body.querySelectorAll("[class]").forEach((el) => el.removeAttribute("class"))
  return page.body.innerHTML
}

const Paste = Extension.create({
  name: "thinktankPaste",
  addProseMirrorPlugins() {
    const editor = this.editor
    return [
      new Plugin({
        props: {
          transformPastedHTML: cleanPastedHTML,
          handlePaste(view, event) {
            const data = event.clipboardData
            if (!data || data.getData("text/html") || !data.getData("text/plain")) return false
            const text = data.getData("text/plain")
            if (!/\n/.test(text.trim())) return false
            editor.commands.insertContent(plainTextToHTML(text))
            return true
          },
        },
      }),
    ]
  },
})

const footnoteDialog = updateAttrsDialog(
  { text: { type: "string", title: gettext("Footnote"), format: "textarea", required: true } },
  { title: gettext("Footnote"), submitText: gettext("Save") },
)

// A footnote: its text stays where it is referred to; the page numbers and lists them.
const Footnote = Node.create({
  name: "footnote",
  group: "inline",
  inline: true,
  atom: true,
  selectable: true,
  addAttributes() {
    return { text: { default: "", parseHTML: (el) => el.textContent, renderHTML: () => ({}) } }
  },
  parseHTML() {
    return [{ tag: "span[data-footnote]" }]
  },
  renderHTML({ node }) {
    return ["span", { "data-footnote": "", title: node.attrs.text }, node.attrs.text]
  },
  addCommands() {
    return {
      editFootnote:
        () =>
        ({ editor }) => {
          const { selection } = editor.state
          const current = selection.node?.type.name === "footnote" ? selection.node : null
          footnoteDialog(editor, { text: current?.attrs.text || "" }).then((attrs) => {
            if (!attrs || !attrs.text.trim()) return
            if (current) editor.chain().focus().updateAttributes("footnote", attrs).run()
            else editor.chain().focus().insertContent({ type: "footnote", attrs }).run()
          })
          return true
        },
    }
  },
  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "footnote",
      groups: "insert",
      command: (editor) => editor.commands.editFootnote(),
      button: buttons.text(gettext("Note"), gettext("Insert a footnote")),
    })
  },
})

const rubyDialog = updateAttrsDialog(
  {
    base: { type: "string", title: gettext("Text"), required: true },
    reading: { type: "string", title: gettext("Reading (furigana)"), required: true },
  },
  { title: gettext("Ruby"), submitText: gettext("Save") },
)

// Ruby (furigana): the text and its reading, edited together.
const Ruby = Node.create({
  name: "ruby",
  group: "inline",
  inline: true,
  atom: true,
  selectable: true,
  addAttributes() {
    return {
      base: {
        default: "",
        parseHTML: (el) =>
          [...el.childNodes]
            .filter((child) => !["RT", "RP"].includes(child.nodeName))
            .map((child) => child.textContent)
            .join(""),
        renderHTML: () => ({}),
      },
      reading: {
        default: "",
        parseHTML: (el) => [...el.querySelectorAll("rt")].map((rt) => rt.textContent).join(""),
        renderHTML: () => ({}),
      },
    }
  },
  parseHTML() {
    return [{ tag: "ruby" }]
  },
  renderHTML({ node }) {
    return ["ruby", {}, node.attrs.base, ["rt", {}, node.attrs.reading]]
  },
  addCommands() {
    return {
      editRuby:
        () =>
        ({ editor }) => {
          const { selection, doc } = editor.state
          const current = selection.node?.type.name === "ruby" ? selection.node : null
          const base = current?.attrs.base || doc.textBetween(selection.from, selection.to)
          rubyDialog(editor, { base, reading: current?.attrs.reading || "" }).then((attrs) => {
            if (!attrs) return
            editor.chain().focus().insertContent({ type: "ruby", attrs }).run()
          })
          return true
        },
    }
  },
  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "ruby",
      groups: "insert",
      command: (editor) => editor.commands.editRuby(),
      button: buttons.text(gettext("Ruby"), gettext("Ruby (furigana)")),
    })
  },
})

// A passage in the other language (<span lang="ja">), for screen readers and fonts.
const Language = Mark.create({
  name: "language",
  addAttributes() {
    return { lang: { default: "ja" } }
  },
  parseHTML() {
    return [{ tag: "span[lang]", getAttrs: (el) => (["ja", "en"].includes(el.lang) ? null : false) }]
  },
  renderHTML({ HTMLAttributes }) {
    return ["span", { lang: HTMLAttributes.lang }, 0]
  },
  addMenuItems({ menu, buttons }) {
    const other = () => (document.getElementById("id_language")?.value === "ja" ? "en" : "ja")
    menu.defineItem({
      name: "language",
      groups: "marks",
      command: (editor) => editor.chain().focus().toggleMark("language", { lang: other() }).run(),
      active: (editor) => editor.isActive("language"),
      button: buttons.text("あ/A", gettext("In the other language")),
    })
  },
})

// A figure from the media library: the image's record, its picture, caption and credit.
const Figure = Node.create({
  name: "bodyFigure",
  group: "block",
  atom: true,
  draggable: true,
  addAttributes() {
    const text = (selector) => (el) => el.querySelector(selector)?.textContent || ""
    return {
      image: { default: "", parseHTML: (el) => el.dataset.image || "", renderHTML: () => ({}) },
      src: { default: "", parseHTML: (el) => el.querySelector("img")?.getAttribute("src") || "", renderHTML: () => ({}) },
      alt: { default: "", parseHTML: (el) => el.querySelector("img")?.getAttribute("alt") || "", renderHTML: () => ({}) },
      caption: {
        default: "",
        parseHTML: (el) => text(".figure-caption")(el) || (!el.querySelector(".figure-credit") && text("figcaption")(el)) || "",
        renderHTML: () => ({}),
      },
      credit: { default: "", parseHTML: text(".figure-credit"), renderHTML: () => ({}) },
    }
  },
  parseHTML() {
    return [{ tag: "figure" }]
  },
  renderHTML({ node }) {
    const { image, src, alt, caption, credit } = node.attrs
    const parts = []
    if (caption) parts.push(["span", { class: "figure-caption" }, caption])
    if (credit) parts.push(["span", { class: "figure-credit" }, credit])
    const figure = ["figure", image ? { "data-image": image } : {}, ["img", { src, alt }]]
    if (parts.length) figure.push(["figcaption", {}, ...parts])
    return figure
  },
  addCommands() {
    return {
      insertFigure:
        () =>
        ({ editor }) => {
          chooseImage(editor)
          return true
        },
    }
  },
  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "bodyFigure",
      groups: "insert",
      command: (editor) => editor.commands.insertFigure(),
      button: buttons.material("image", gettext("Insert figure")),
    })
  },
})

const element = (tag, attributes = {}, children = []) => {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") el.textContent = value
    else el.setAttribute(name, value)
  }
  el.append(...children)
  return el
}

// The media library's chooser (h18b's JSON endpoints, named on the textarea): search or
// upload, then the chosen image is a figure in the article's language.
function chooseImage(editor) {
  const textarea = editor.options.element.querySelector("textarea")
  const { chooseUrl, uploadUrl } = textarea.dataset
  if (!chooseUrl) return
  const language = document.getElementById("id_language")?.value || "en"
  const csrf = document.querySelector("[name=csrfmiddlewaretoken]")?.value || ""
  const search = element("input", { type: "search", name: "q", "aria-label": gettext("Search images") })
  const results = element("ul", { class: "figure-chooser__results" })
  const file = element("input", { type: "file", name: "file", accept: "image/*" })
  const fields = ["alt_en", "alt_ja", "caption_en", "caption_ja", "credit"].map((name) =>
    element("label", {}, [name.replace("_", " "), element("input", { type: "text", name })]),
  )
  const upload = element("button", { type: "submit", text: gettext("Upload and insert") })
  const close = element("button", { type: "button", value: "cancel", text: gettext("Cancel") })
  const form = element("form", { class: "figure-chooser__upload" }, [file, ...fields, upload])
  const dialog = element("dialog", { class: "prose-editor-dialog figure-chooser" }, [
    element("h3", { text: gettext("Insert figure") }), search, results, form, close,
  ])
  const insert = (image) => {
    editor.chain().focus().insertContent({
      type: "bodyFigure",
      attrs: {
        image: String(image.id), src: image.src, alt: image[`alt_${language}`] || "",
        caption: image[`caption_${language}`] || "", credit: image.credit || "",
      },
    }).run()
    dialog.close()
  }
  const find = async () => {
    const response = await fetch(`${chooseUrl}?q=${encodeURIComponent(search.value)}`, { credentials: "same-origin" })
    if (!response.ok) return
    results.replaceChildren(
      ...(await response.json()).results.map((image) => {
        const button = element("button", { type: "button" }, [
          element("img", { src: image.thumb || image.src, alt: image[`alt_${language}`] || "" }),
        ])
        button.addEventListener("click", () => insert(image))
        return element("li", {}, [button])
      }),
    )
  }
  let pending = null
  search.addEventListener("input", () => {
    clearTimeout(pending)
    pending = setTimeout(find, 300)
  })
  form.addEventListener("submit", async (event) => {
    event.preventDefault()
    const data = new FormData(form)
    data.append("csrfmiddlewaretoken", csrf)
    const response = await fetch(uploadUrl, { method: "POST", body: data, credentials: "same-origin" })
    if (response.ok) insert(await response.json())
  })
  close.addEventListener("click", () => dialog.close())
  dialog.addEventListener("close", () => dialog.remove())
  editor.view.dom.parentElement.append(dialog)
  dialog.showModal()
  find()
}

const videoDialog = updateAttrsDialog(
  { url: { type: "string", title: gettext("YouTube address"), required: true } },
  { title: gettext("Video"), submitText: gettext("Insert") },
)

// A YouTube video as the click-to-load facade the pages render: no request to YouTube before
// the reader asks.
const Video = Node.create({
  name: "video",
  group: "block",
  atom: true,
  draggable: true,
  addAttributes() {
    return { youtube: { default: "", parseHTML: (el) => el.dataset.youtube || (el.src?.match(YOUTUBE) || [])[1] || "", renderHTML: () => ({}) } }
  },
  parseHTML() {
    return [{ tag: "div.video-facade[data-youtube]" }, { tag: "iframe[src*='youtube']" }]
  },
  renderHTML({ node }) {
    return ["div", { class: "video-facade", "data-youtube": node.attrs.youtube }]
  },
  addCommands() {
    return {
      insertVideo:
        () =>
        ({ editor }) => {
          videoDialog(editor, { url: "" }).then((attrs) => {
            const found = attrs && attrs.url.match(YOUTUBE)
            if (found) editor.chain().focus().insertContent({ type: "video", attrs: { youtube: found[1] } }).run()
          })
          return true
        },
    }
  },
  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "video",
      groups: "insert",
      command: (editor) => editor.commands.insertVideo(),
      button: buttons.material("smart_display", gettext("Insert a YouTube video")),
    })
  },
})

const MENU_GROUPS = [
  { group: "blockType -lists", type: "dropdown", minItems: 2 },
  { group: "lists" },
  { group: "nodes -blockType -lists" },
  { group: "marks" },
  { group: "link" },
  { group: "insert" },
  { group: "table" },
  { group: "history" },
  { group: "utility" },
]

// Autosave: a copy of what is typed, kept on the server for this user and piece (never the
// piece itself) and in this browser, offered back when the form is opened again.
function autosave(editor, textarea) {
  const url = textarea.dataset.autosaveUrl
  const form = textarea.closest("form")
  if (!url || !form) return
  const names = ["title", "lead", "body", "author_note"]
  const storageKey = `autosave:${url}`
  const field = (name) => form.elements[name]
  const values = () =>
    Object.fromEntries(names.filter((name) => field(name)).map((name) => [name, field(name).value]))
  const loaded = JSON.stringify(values())
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]")?.value || ""
  const status = element("p", { class: "autosave-status", role: "status" })
  editor.options.element.after(status)
  let dirty = false
  let timer = null

  const save = async () => {
    const fields = values()
    const savedAt = new Date().toISOString()
    localStorage.setItem(storageKey, JSON.stringify({ saved_at: savedAt, fields }))
    const data = new FormData()
    for (const [name, value] of Object.entries(fields)) data.append(name, value)
    data.append("csrfmiddlewaretoken", csrf)
    try {
      const response = await fetch(url, {
        method: "POST", body: data, credentials: "same-origin", redirect: "manual",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      })
      if (!response.ok || !(response.headers.get("content-type") || "").includes("json")) throw new Error()
      status.textContent = `${gettext("Draft copy saved")} ${new Date().toLocaleTimeString()}`
      status.dataset.state = "saved"
    } catch {
      status.textContent = gettext("Not saved to the server (signed out?): kept in this browser until you can save.")
      status.dataset.state = "local"
    }
  }
  const changed = () => {
    if (JSON.stringify(values()) === loaded) return
    dirty = true
    clearTimeout(timer)
    timer = setTimeout(save, Number(textarea.dataset.autosaveDelay || 2000))
  }
  editor.on("update", changed)
  form.addEventListener("input", changed)
  form.addEventListener("submit", () => {
    dirty = false
    localStorage.removeItem(storageKey)
  })
  window.addEventListener("beforeunload", (event) => {
    if (!dirty) return
    event.preventDefault()
    event.returnValue = ""
  })

  const offer = (copy) => {
    const restore = element("button", { type: "button", class: "button", text: gettext("Restore it") })
    const discard = element("button", { type: "button", class: "button", text: gettext("Discard it") })
    const when = new Date(copy.saved_at).toLocaleString()
    const banner = element("div", { class: "autosave-offer", role: "alert" }, [
      element("p", { text: gettext("An unsaved copy of your text from %s was kept.").replace("%s", when) }),
      restore, discard,
    ])
    form.prepend(banner)
    restore.addEventListener("click", () => {
      for (const [name, value] of Object.entries(copy.fields)) {
        if (editors[name]) editors[name].commands.setContent(value, { emitUpdate: true })
        else if (field(name)) field(name).value = value
      }
      banner.remove()
      changed()
      save()
    })
    discard.addEventListener("click", () => {
      banner.remove()
      localStorage.removeItem(storageKey)
      fetch(url, { method: "DELETE", credentials: "same-origin", headers: { "X-CSRFToken": csrf } })
    })
  }
  const differs = (copy) =>
    copy && copy.fields && Object.entries(copy.fields).some(([name, value]) => field(name) && field(name).value !== value && !(editors[name] && editors[name].getHTML() === value))
  fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : {}))
    .catch(() => ({}))
    .then((server) => {
      let local = null
      try {
        local = JSON.parse(localStorage.getItem(storageKey) || "null")
      } catch {}
      const copies = [server, local].filter((copy) => copy && copy.saved_at && differs(copy))
      copies.sort((a, b) => (a.saved_at < b.saved_at ? 1 : -1))
      if (copies.length) offer(copies[0])
    })
}

// django-prose-editor's createTextareaEditor, but with Tiptap's stylesheet in
// body_editor.css rather than injected inline (which the CSP refuses).
function createTextareaEditor(textarea, extensions) {
  const element = document.createElement("div")
  element.className = "prose-editor"
  textarea.before(element)
  element.append(textarea)
  return new Editor({
    element,
    extensions,
    injectCSS: false,
    content: textarea.value,
    onUpdate({ editor }) {
      const html = editor.getHTML()
      textarea.value = /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html
      textarea.dispatchEvent(new Event("input", { bubbles: true }))
    },
  })
}

const LEAD_MENU_GROUPS = [{ group: "marks" }, { group: "link" }, { group: "insert" }, { group: "history" }]

// The lead's schema (core/lead.py): paragraphs with inline marks, ruby and language spans.
const leadExtensions = () => [
  Document, Paragraph, Text, HardBreak, History, Menu.configure({ groups: LEAD_MENU_GROUPS }),
  Bold, Italic, Subscript, Superscript,
  Link.configure({ enableTarget: false, protocols: ["http", "https", "mailto"] }),
  Ruby, Language, Paste,
]

const bodyExtensions = () => [
  Document, Dropcursor, Gapcursor, Paragraph, Text, HardBreak, History,
  Menu.configure({ groups: MENU_GROUPS }), HTML,
  Heading.configure({ levels: [2, 3, 4] }), Bold, Italic, Subscript, Superscript,
  Link.configure({ enableTarget: false, protocols: ["http", "https", "mailto"] }),
  BulletList, OrderedList, ListItem, Blockquote,
  Table, TableRow, TableHeader, TableCell,
  Footnote, Ruby, Language, Figure, Video, Paste,
]

// Each field's editor by its name, for the autosave's restore (which sets the body and lead).
const editors = {}

function createEditor(textarea) {
  if (textarea.closest(".prose-editor")) return null
  const { schema } = JSON.parse(textarea.getAttribute(ATTRIBUTE) || "{}")
  const lead = schema === "lead"
  const editor = createTextareaEditor(textarea, lead ? leadExtensions() : bodyExtensions())
  editors[textarea.name] = editor
  if (lead) {
    editor.options.element.classList.add("prose-editor--lead")
    window.leadEditor = editor
    return editor
  }
  autosave(editor, textarea)
  textarea.dispatchEvent(new CustomEvent("prose-editor:ready", { detail: { editor, textarea }, bubbles: true }))
  window.bodyEditor = editor
  return editor
}

initializeEditors(createEditor, `[${ATTRIBUTE}]`)
