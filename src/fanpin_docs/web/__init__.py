"""The 工作台: a local web page over the same library functions as the commands (`fanpin serve`).

A thin front end beside `commands/`: pages rendered on the server (Jinja2), a little JavaScript, every
asset shipped in the package. No rule, reader or writer logic lives here; each page calls what the
matching command calls. `app.create_app` builds the application; `security` holds the Host check,
the sessions and the CSRF token; `rendering` the page templates.
"""
