"""Write `.env` from `.env.example`, every secret fresh, unless `.env` exists already.

The one writer of `.env`: the post-generation hook runs it when the service is created,
and `make setup` when a clone has none. Either way every secret (each line of the example
whose value is the placeholder `change-me`: DJANGO_SECRET_KEY and the passwords) gets a
new random value, and the file is readable by its owner only (mode 0600). Standard
library only, so it runs before any dependency is installed.

    python scripts/write_env.py
"""

import os
import secrets
import string
import sys
from pathlib import Path

# .env.example marks each secret with this value; .env gets a random one of SECRET_LENGTH.
PLACEHOLDER = "change-me"
SECRET_LENGTH = 64
ALPHABET = string.ascii_letters + string.digits
ROOT = Path(__file__).resolve().parent.parent


def env_text(example: str) -> str:
    """The example file's lines, each secret's placeholder replaced by a fresh value."""
    lines = []
    for line in example.splitlines():
        key, sep, value = line.partition("=")
        if sep and not key.startswith("#") and value.strip() == PLACEHOLDER:
            secret = "".join(secrets.choice(ALPHABET) for _ in range(SECRET_LENGTH))
            lines.append(f"{key}={secret}")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def write_env(root: Path = ROOT) -> bool:
    """Write root/.env if it is missing; True if this call wrote it."""
    env = root / ".env"
    text = env_text((root / ".env.example").read_text())
    try:
        # Created with owner-only permissions, never briefly readable by others.
        descriptor = os.open(env, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    env.chmod(0o600)  # whatever the umask
    return True


def main() -> int:
    if write_env():
        print("Wrote .env with fresh secrets (readable by you only).")
    else:
        print(".env exists: left as it is.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
