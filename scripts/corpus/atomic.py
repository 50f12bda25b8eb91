"""Atomic file writes: write beside the target, then rename, so an interrupted run never leaves half a file."""
import os


def write_text(path, text):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def temp_path(path):
    """A temporary name beside `path` keeping its extension (sox and pico choose the format by extension)."""
    base, ext = os.path.splitext(path)
    return f"{base}.tmp{os.getpid()}{ext}"
