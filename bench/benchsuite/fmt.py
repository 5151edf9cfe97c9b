"""Number and status formats shared by the table, the progress lines and the targets."""


def rate(v):
    if v is None:
        return "-"
    if v >= 100:
        return f"{v:,.0f}"
    return f"{v:.1f}"


def num(v, digits=0):
    if v is None:
        return "-"
    return f"{v:,.{digits}f}"


def ratio(a, b):
    return a / b if a is not None and b else None


def short_status(r):
    """A table cell for a result without numbers: skipped, FAILED, or the status cut short."""
    status = (r or {}).get("status", "-")
    if status.startswith("skipped"):
        return "skipped"
    if status.startswith("failed") or "died" in status:
        return "FAILED"
    return status[:27]


def mb(kb):
    """kB (as /proc reports them, KiB) in MB of 10^6 bytes."""
    return kb * 1024 / 1e6
