// The query page's editor: CodeMirror 6 with the SPARQL mode, exposed as window.HKGEditor.
// Rebuild the vendored bundle with: npm ci && npm run build
import { basicSetup, EditorView } from "codemirror";
import { keymap } from "@codemirror/view";
import { Prec } from "@codemirror/state";
import { StreamLanguage } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";

window.HKGEditor = {
  /** Make an editor in `parent`; Ctrl/Cmd+Enter calls onRun. */
  create(parent, doc, onRun) {
    const run = () => { onRun(); return true; };
    return new EditorView({
      doc,
      parent,
      extensions: [
        Prec.highest(keymap.of([{ key: "Mod-Enter", run }])),
        basicSetup,
        StreamLanguage.define(sparql),
        EditorView.lineWrapping,
      ],
    });
  },
  getText(view) {
    return view.state.doc.toString();
  },
  setText(view, text) {
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  },
  /** Put the cursor at a 1-based line and column (e.g. of a syntax error). */
  focusAt(view, line, column) {
    const doc = view.state.doc;
    const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
    const pos = Math.min(l.from + Math.max(column - 1, 0), l.to);
    view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
    view.focus();
  },
};
