/// The page's only style sheet, inlined: the report must open from a file, an artifact store or a mail
/// attachment with nothing else beside it.
enum ReportStyle {
    static let css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 96em; color: #1a1a1a; background: #fff; padding: 0 1em; }
        h1 { font-size: 1.5em; margin-bottom: 0.2em; }
        h2 { font-size: 1.15em; margin-top: 1.8em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
        p.meta { color: #555; margin-top: 0; }
        table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
        th, td { text-align: left; padding: 0.3em 0.6em; border-bottom: 1px solid #eee; vertical-align: top; }
        th { background: #f3f3f3; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        code { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 0.95em; }
        .status-succeeded { color: #1b5e20; }
        .status-succeeded_with_warnings, .status-cancelled, .status-interrupted { color: #8d5a00; }
        .status-failed { color: #b71c1c; font-weight: bold; }
        .status-running { color: #0d47a1; }
        .lock-free { background: #e8f5e9; border-left: 4px solid #2e7d32; padding: 0.6em 1em; }
        .lock-held { background: #fff8e1; border-left: 4px solid #f9a825; padding: 0.6em 1em; }
        .lock-stale { background: #ffebee; border-left: 4px solid #c62828; padding: 0.6em 1em; }
        figure { margin: 1em 0; }
        figcaption { font-weight: bold; margin-bottom: 0.3em; }
        .key { margin-right: 1em; font-size: 0.85em; }
        .swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.3em; vertical-align: middle; }
        div.scroll { overflow-x: auto; }
        nav.pages a, nav.pages strong { margin-right: 0.6em; }
        """
}
