"""Shared by the generators of bindings/gen: write a generated file."""
import os


def write(path, text):
    """Write text to path through a temporary file, so a failed run never
    leaves a half-written generated file behind."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
