#!/usr/bin/env python3
"""Searches every byte under a data directory for strings, to show what an erasure left behind.

    python3 tools/zoek-klaartekst.py DATA STRING...

Each file under DATA (and the key directory, when it is elsewhere: pass it as another DATA with
--map) is read whole and raw: SQLite databases, their -wal and -shm files, the index, the processing
log, the key store. Log segments (`log/seg-*.lz4`) are also read frame by frame with every LZ4 frame
decompressed (the frames as schemas/log-format.md §3 describes them), so text that compression hides
is found too. Prints one JSON object: for each string, the files that hold it (empty when none).
Reads only; written for docs/avg.md's proof of erasure and for the tests that make it.
"""
import json
import os
import struct
import sys

import lz4.frame

LZ4_MAGIC = 0x184D2204
SKIPPABLE_LOW, SKIPPABLE_HIGH = 0x184D2A50, 0x184D2A5F


def lz4_frame_end(data: bytes, offset: int):
    """Where the LZ4 frame at `offset` ends (the LZ4 frame format: header, blocks, end mark,
    optional content checksum), or None when the bytes end first."""
    flags = data[offset + 4]
    position = offset + 6 + (8 if flags & 0x08 else 0) + (4 if flags & 0x01 else 0) + 1
    while position + 4 <= len(data):
        size = struct.unpack_from("<I", data, position)[0]
        position += 4
        if size == 0:
            end = position + (4 if flags & 0x04 else 0)
            return end if end <= len(data) else None
        position += (size & 0x7FFFFFFF) + (4 if flags & 0x10 else 0)
    return None


def frames(data: bytes):
    """The content of each frame in a segment: metadata frames as stored, data frames decompressed.
    Stops at the first bytes that are no frame (a torn tail): those are searched raw anyway."""
    offset = 0
    while offset + 8 <= len(data):
        magic = struct.unpack_from("<I", data, offset)[0]
        if SKIPPABLE_LOW <= magic <= SKIPPABLE_HIGH:
            length = struct.unpack_from("<I", data, offset + 4)[0]
            yield data[offset + 8:offset + 8 + length]
            offset += 8 + length
        elif magic == LZ4_MAGIC:
            end = lz4_frame_end(data, offset)
            if end is None:
                return
            try:
                yield lz4.frame.decompress(data[offset:end])
            except RuntimeError:
                return
            offset = end
        else:
            return


def search(directories, strings):
    found = {text: [] for text in strings}
    needles = {text: text.encode("utf-8") for text in strings}
    for directory in directories:
        for root, _, names in os.walk(directory):
            for name in sorted(names):
                path = os.path.join(root, name)
                with open(path, "rb") as handle:
                    raw = handle.read()
                views = [raw]
                if name.startswith("seg-") and name.endswith(".lz4"):
                    views += list(frames(raw))
                for text, needle in needles.items():
                    if any(needle in view for view in views):
                        found[text].append(os.path.relpath(path, directory))
    return found


def main(argv):
    directories, strings = [], []
    arguments = iter(argv)
    for argument in arguments:
        if argument == "--map":
            directories.append(next(arguments))
        elif not directories:
            directories.append(argument)
        else:
            strings.append(argument)
    if not directories or not strings:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 64
    print(json.dumps(search(directories, strings), ensure_ascii=False, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
