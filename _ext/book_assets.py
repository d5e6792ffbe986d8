"""Local Sphinx extension: keep each script once on a page.

Jupyter Book 1.x adds the Thebe loader twice, which throws a console error in
browsers ('THEBE_JS_URL has already been declared'); this drops the duplicate.
"""


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        key = str(getattr(script, "filename", None) or "") + repr(sorted(getattr(script, "attributes", {}).items()))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    scripts[:] = kept


def setup(app):
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
