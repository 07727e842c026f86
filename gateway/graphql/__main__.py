"""``python -m gateway.graphql [--check]``: write the schema's SDL to schema.graphql (on
purpose, after a schema change), or with --check exit 1 if it differs."""

from __future__ import annotations

import sys

from gateway.graphql.schema import SDL_PATH, sdl


def main(argv: list[str]) -> int:
    current = sdl()
    if "--check" in argv:
        same = SDL_PATH.exists() and SDL_PATH.read_text(encoding="utf-8") == current
        print("schema.graphql is current" if same else "schema.graphql differs from the schema")
        return 0 if same else 1
    SDL_PATH.write_text(current, encoding="utf-8")
    print(f"wrote {SDL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
