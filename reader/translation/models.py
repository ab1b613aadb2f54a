"""Installed and available Argos Translate packages: list, install from a file or folder, remove, download.

Packages live in :func:`reader.paths.models_dir` as one folder per package, exactly as Argos Translate lays them
out (``translate-fa_en-1_9/metadata.json``, ``model/``, ``sentencepiece.model``…), so Argos's own tools can read
the same folder.

Design notes
- The folder is scanned here on every call (cheap: one small JSON per package). We do not rely on
  ``argostranslate.settings.package_data_dir``, which is read once when argostranslate is first imported,
  because the data directory can change during a process (``--home``, tests).
- ``argostranslate`` is imported lazily and only its ``package``/``settings``/``tokenizer`` modules — never
  ``argostranslate.translate`` (it imports stanza → torch). Before that first import ``ARGOS_PACKAGES_DIR`` is
  pointed at our models folder, so argostranslate never creates or scans its own default folder.
- Installing never calls ``argostranslate.package.install_from_path`` (it imports ``argostranslate.translate``
  and ``extractall``s without checks). Archives are checked member by member, extracted into a hidden temporary
  folder inside the models folder and then renamed into place, so a failed install leaves nothing behind.
- Installing a newer version of a pair replaces the old one (old renamed aside, new renamed in, old deleted).
  Installing the same version again does nothing and returns the installed model; installing an older version
  than the installed one is refused (remove the newer one first).
- The network is used only by :func:`available_packages` and :func:`download`, on explicit request.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from packaging.version import InvalidVersion, Version

from reader import paths
from reader.core.text.nesting import json_depth
from reader.display import field as display_field
from reader.errors import YanyanaError
from reader.languages import pair_name

_PACKAGE_INDEX_DEFAULT = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
_USER_AGENT = "ArgosTranslate"  # what argostranslate.networking sends
_TEMP_PREFIXES = (".installing-", ".old-", ".removing-", ".download-")
_STALE_SECONDS = 3600.0

_install_lock = threading.RLock()


class ModelError(YanyanaError):
    """A problem with translation models that the user can fix; ``str()`` is one sentence."""


@dataclass(frozen=True)
class InstalledModel:
    """An installed Argos package (one translation direction)."""

    from_code: str
    to_code: str
    version: str
    code: str
    path: Path
    size: int
    target_prefix: str
    name: str

    @property
    def model_id(self) -> str:
        """Identifies the exact model that produced a translation (the cache key part)."""
        return f"{self.code}@{self.version}"


class PartlyInstalled(ModelError):
    """Some archives of a folder were installed, others refused; ``installed`` holds the successes."""

    def __init__(self, message: str, installed: list[InstalledModel]) -> None:
        super().__init__(message)
        self.installed = installed


# --------------------------------------------------------------------------------------------------- argos


def argos_package_module() -> Any:
    """Import ``argostranslate.package`` with ``ARGOS_PACKAGES_DIR`` set first (never ``.translate``)."""
    if "argostranslate.settings" not in sys.modules:
        folder = paths.models_dir()
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["ARGOS_PACKAGES_DIR"] = str(folder)
        os.environ.setdefault("ARGOS_DEVICE_TYPE", "cpu")
        # argostranslate.settings creates argos-translate folders under XDG_DATA_HOME, XDG_CONFIG_HOME and
        # XDG_CACHE_HOME (default ~/.local/share, ~/.config, ~/.local/cache) when it is imported: point them into
        # the Yanyana home for that import only (platformdirs, for our own home, reads the same variables).
        argos_home = paths.home() / "argos"
        saved = {name: os.environ.get(name) for name in _XDG_VARIABLES}
        os.environ.update(
            {name: str(argos_home / folder_name) for name, folder_name in _XDG_VARIABLES.items()}
        )
        try:
            import argostranslate.settings  # the import is what reads the variables
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    import argostranslate.package

    return argostranslate.package


_XDG_VARIABLES = {"XDG_DATA_HOME": "data", "XDG_CONFIG_HOME": "config", "XDG_CACHE_HOME": "cache"}


def open_package(model: InstalledModel) -> Any:
    """The ``argostranslate.package.Package`` for an installed model (metadata and its tokenizer)."""
    module = argos_package_module()
    try:
        package = module.Package(model.path)
    except (OSError, ValueError) as exc:
        raise ModelError(f"The {model.name} model in {model.path} could not be read ({exc}).") from exc
    if getattr(package, "tokenizer", None) is None:
        raise ModelError(f"The {model.name} model in {model.path} has no tokenizer file.")
    return package


def argos_setting(key: str, default: str) -> str:
    """An Argos Translate setting as Argos reads it (environment first, then its settings.json)."""
    argos_package_module()
    from argostranslate import settings

    value = settings.get_setting(key, default)
    return str(value)


def package_index_url() -> str:
    """The Argos package index URL, as ``argostranslate.settings.remote_package_index`` builds it."""
    argos_package_module()
    from argostranslate import settings

    return str(getattr(settings, "remote_package_index", _PACKAGE_INDEX_DEFAULT + "index.json"))


# --------------------------------------------------------------------------------------------------- listing


def _version_key(version: str) -> tuple[int, Version | str]:
    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def _newer(a: str, b: str) -> int:
    """1 if version ``a`` is newer than ``b``, -1 if older, 0 if equal (invalid versions compare as text)."""
    ka, kb = _version_key(a), _version_key(b)
    if ka[0] != kb[0]:
        return 1 if ka[0] > kb[0] else -1
    va, vb = ka[1], kb[1]
    if isinstance(va, Version) and isinstance(vb, Version):
        return (va > vb) - (va < vb)
    sa, sb = str(va), str(vb)
    return (sa > sb) - (sa < sb)


def _folder_size(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        try:
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_size
        except OSError:
            pass
    return total


# ISO 639 codes: two or three lowercase ASCII letters (Argos's own "pb" and "zt" included). Nothing else may
# reach a folder name, a cache key or a terminal.
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")

MAX_METADATA_BYTES = 64 * 1024
"""metadata.json of a real package is well under 4 KB."""
MAX_METADATA_DEPTH = 8
MAX_ENTRIES = 1000
"""Real packages hold a dozen files; 200,000 tiny files made every ``models list`` take seconds."""
MAX_PATH_DEPTH = 8
MAX_UNCOMPRESSED = 4 * 1024**3
"""The largest Argos packages unpack to well under 1 GB."""
MAX_EXPANSION = 20
"""Model weights barely compress; past 20 times the archive's size (and 64 MB) an archive is a zip bomb."""
_SMALL_ARCHIVE = 64 * 1024 * 1024
LOAD_TIMEOUT = 120.0
"""Seconds the install-time load of the tokenizer and the CTranslate2 model may take."""


def parse_metadata(raw: bytes, where: str) -> dict[str, Any]:
    """metadata.json bytes → checked dict: bounded size and nesting, valid JSON object, valid codes."""
    if len(raw) > MAX_METADATA_BYTES:
        raise ModelError(
            f"{where} is not an Argos model: its metadata.json is {len(raw) // 1024} KB "
            f"(the limit is {MAX_METADATA_BYTES // 1024} KB)."
        )
    try:
        metadata = json.loads(raw.decode("utf-8"))
    except RecursionError as exc:
        raise ModelError(f"{where} is not an Argos model: its metadata.json is nested too deeply.") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(f"{where} is not an Argos model: its metadata.json is not valid JSON.") from exc
    if json_depth(metadata) > MAX_METADATA_DEPTH:
        raise ModelError(f"{where} is not an Argos model: its metadata.json is nested too deeply.")
    return _check_metadata(metadata, where)


def _check_metadata(metadata: object, where: str) -> dict[str, Any]:
    """Validate parsed metadata.json; raises ModelError naming ``where``."""
    if not isinstance(metadata, dict):
        raise ModelError(f"{where} is not an Argos model: its metadata.json is not an object.")
    kind = metadata.get("type", "translate")  # Argos's own default
    if kind != "translate":
        raise ModelError(f"{where} is not a translation model (its type is {kind!r}).")
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not _LANGUAGE_CODE.fullmatch(value):
            raise ModelError(
                f"{where} is not an Argos model: its metadata.json has no valid {key} (two or three letters)."
            )
    version = metadata.get("package_version", "")
    if not isinstance(version, str):
        raise ModelError(f"{where} is not an Argos model: its package_version is not text.")
    return metadata


def _read_installed(folder: Path) -> InstalledModel:
    """Read and check one installed package folder; raises ModelError with the reason."""
    where = f"The model folder {folder.name}"
    metadata_path = folder / "metadata.json"
    try:
        with metadata_path.open("rb") as handle:
            raw = handle.read(MAX_METADATA_BYTES + 1)
    except FileNotFoundError as exc:
        raise ModelError(f"{where} has no metadata.json.") from exc
    except OSError as exc:
        raise ModelError(f"{where} has an unreadable metadata.json.") from exc
    metadata = parse_metadata(raw, where)
    if not (folder / "model" / "model.bin").is_file():
        raise ModelError(f"{where} has no model/model.bin.")
    if not ((folder / "sentencepiece.model").is_file() or (folder / "bpe.model").is_file()):
        raise ModelError(f"{where} has no tokenizer (sentencepiece.model or bpe.model).")
    from_code, to_code = metadata["from_code"], metadata["to_code"]
    code = metadata.get("code") or f"translate-{from_code}_{to_code}"
    return InstalledModel(
        from_code=from_code,
        to_code=to_code,
        version=metadata.get("package_version", "") or "0",
        code=str(code),
        path=folder,
        size=_folder_size(folder),
        target_prefix=str(metadata.get("target_prefix", "") or ""),
        name=pair_name(from_code, to_code),
    )


def _package_folders(models_dir: Path) -> Iterator[Path]:
    if not models_dir.is_dir():
        return
    for path in sorted(models_dir.iterdir()):
        if path.name.startswith(".") or not path.is_dir() or path.is_symlink():
            continue
        yield path


def list_installed_with_problems(models_dir: Path | None = None) -> tuple[list[InstalledModel], list[str]]:
    """Installed models (sorted by pair, newest version first) and one warning sentence per broken folder."""
    folder = models_dir if models_dir is not None else paths.models_dir()
    models: list[InstalledModel] = []
    problems: list[str] = []
    for path in _package_folders(folder):
        try:
            models.append(_read_installed(path))
        except ModelError as exc:
            problems.append(f"{exc} It was skipped.")
    by_pair: dict[tuple[str, str], list[InstalledModel]] = {}
    for model in models:
        by_pair.setdefault((model.from_code, model.to_code), []).append(model)
    ordered: list[InstalledModel] = []
    for pair in sorted(by_pair):  # newest version first within a pair
        ordered.extend(sorted(by_pair[pair], key=lambda m: _version_key(m.version), reverse=True))
    return ordered, problems


def list_installed(models_dir: Path | None = None) -> list[InstalledModel]:
    """Installed models; broken package folders are skipped (see :func:`list_installed_with_problems`)."""
    return list_installed_with_problems(models_dir)[0]


def find(from_code: str, to_code: str, models_dir: Path | None = None) -> InstalledModel | None:
    """The installed model for a pair (the newest version if several folders hold one), or None."""
    for model in list_installed(models_dir):
        if model.from_code == from_code and model.to_code == to_code:
            return model
    return None


# --------------------------------------------------------------------------------------------------- install


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    """Why a zip member is unsafe to extract, or None."""
    name = info.filename
    if "\\" in name:
        return "a member name with a backslash"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "an absolute path"
    parts = PurePosixPath(name).parts
    if any(part == ".." for part in parts):
        return "a '..' path"
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "a link or special file"
    return None


@dataclass(frozen=True)
class _ArchivePlan:
    top: str
    metadata: dict[str, Any]
    members: list[zipfile.ZipInfo]
    total_size: int


def _megabytes(size: int) -> str:
    """A size in MB that is never a misleading "0 MB"."""
    if size < 1024 * 1024:
        return f"{max(1, -(-size // 1024))} KB"
    return f"{size / 1024 / 1024:.0f} MB" if size >= 10 * 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _shown(name: str) -> str:
    return display_field(name[:120])


def _inspect_archive(zf: zipfile.ZipFile, label: str, archive_size: int) -> _ArchivePlan:
    infos = zf.infolist()
    if not infos:
        raise ModelError(f"{label} is not an Argos model: the archive is empty.")
    if len(infos) > MAX_ENTRIES:
        raise ModelError(
            f"{label} was refused because it holds {len(infos)} files (an Argos model has a few dozen; "
            f"the limit is {MAX_ENTRIES})."
        )
    total = sum(i.file_size for i in infos)
    limit = min(MAX_UNCOMPRESSED, max(_SMALL_ARCHIVE, MAX_EXPANSION * archive_size))
    if total > limit:
        raise ModelError(
            f"{label} was refused because it would unpack to {_megabytes(total)} from a "
            f"{_megabytes(archive_size)} archive (the limit is {_megabytes(limit)})."
        )
    tops: set[str] = set()
    for info in infos:
        problem = _member_problem(info)
        if problem:
            raise ModelError(f"{label} was refused because it contains {problem} ({_shown(info.filename)}).")
        parts = [p for p in PurePosixPath(info.filename).parts if p not in ("", ".")]
        if len(parts) > MAX_PATH_DEPTH:
            raise ModelError(
                f"{label} was refused because a path in it is {len(parts)} folders deep "
                f"(the limit is {MAX_PATH_DEPTH})."
            )
        if not parts:
            continue
        tops.add(parts[0])
        if len(parts) == 1 and not info.is_dir():
            raise ModelError(f"{label} is not an Argos model: it must hold exactly one top folder.")
    if len(tops) != 1:
        raise ModelError(f"{label} is not an Argos model: it must hold exactly one top folder.")
    top = tops.pop()
    if top.startswith(".") or any(c in top for c in ':*?"<>|'):
        raise ModelError(f"{label} is not an Argos model: its top folder name {top!r} is not usable.")
    names = {PurePosixPath(i.filename).as_posix().rstrip("/") for i in infos}
    if f"{top}/metadata.json" not in names:
        raise ModelError(f"{label} is not an Argos model: it has no metadata.json.")
    if not any(n.startswith(f"{top}/model/") and n.endswith("/model.bin") for n in names):
        raise ModelError(f"{label} is not an Argos model: it has no model/ folder with model.bin.")
    if f"{top}/sentencepiece.model" not in names and f"{top}/bpe.model" not in names:
        raise ModelError(f"{label} is not an Argos model: it has no tokenizer (sentencepiece.model).")
    metadata_info = zf.getinfo(
        next(i.filename for i in infos if i.filename.rstrip("/") == f"{top}/metadata.json")
    )
    if metadata_info.file_size > MAX_METADATA_BYTES:
        raise ModelError(
            f"{label} is not an Argos model: its metadata.json is {metadata_info.file_size // 1024} KB "
            f"(the limit is {MAX_METADATA_BYTES // 1024} KB)."
        )
    metadata = parse_metadata(zf.read(metadata_info), label)
    return _ArchivePlan(top=top, metadata=metadata, members=infos, total_size=total)


def _extract(zf: zipfile.ZipFile, plan: _ArchivePlan, destination: Path) -> Path:
    """Extract members (already checked) below ``destination``; returns the package folder."""
    root = destination.resolve()
    written = 0
    for info in plan.members:
        parts = [p for p in PurePosixPath(info.filename).parts if p not in ("", ".")]
        if not parts:
            continue
        target = root.joinpath(*parts)
        if not target.resolve().is_relative_to(root):  # defence in depth after _member_problem
            raise ModelError(f"{info.filename} points outside the models folder.")
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as source, open(target, "wb") as sink:
            while chunk := source.read(1024 * 1024):
                written += len(chunk)
                if written > plan.total_size:  # the zip's declared sizes were a lie: stop at once
                    raise ModelError("The archive unpacks to more than it declares; it was refused.")
                sink.write(chunk)
    return root / plan.top


def _clean_stale_temp(models_dir: Path) -> None:
    now = time.time()
    for path in models_dir.iterdir() if models_dir.is_dir() else []:
        if path.name.startswith(_TEMP_PREFIXES):
            try:
                if now - path.stat().st_mtime > _STALE_SECONDS:
                    if path.is_dir():
                        shutil.rmtree(path, ignore_errors=True)
                    else:
                        path.unlink(missing_ok=True)
            except OSError:
                pass


def _install_archive(archive: Path, models_dir: Path) -> InstalledModel:
    label = archive.name
    try:
        zf = zipfile.ZipFile(archive)
    except FileNotFoundError as exc:
        raise ModelError(f"{archive} does not exist.") from exc
    except zipfile.BadZipFile as exc:
        raise ModelError(f"{label} is not an Argos model: it is not a zip archive or it is damaged.") from exc
    except OSError as exc:
        raise ModelError(f"{label} could not be read ({exc.strerror or exc}).") from exc
    with zf:
        plan = _inspect_archive(zf, label, archive.stat().st_size)
        from_code, to_code = plan.metadata["from_code"], plan.metadata["to_code"]
        version = plan.metadata.get("package_version", "") or "0"
        existing = [m for m in list_installed(models_dir) if (m.from_code, m.to_code) == (from_code, to_code)]
        for model in existing:
            order = _newer(version, model.version)
            if order == 0:
                return model  # same version already installed: nothing to do
            if order < 0:
                raise ModelError(
                    f"A newer {model.name} model (version {model.version}) is already installed; "
                    f"remove it first to install version {version}."
                )
        models_dir.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(models_dir).free
        if plan.total_size + 16 * 1024 * 1024 > free:
            raise ModelError(
                f"There is not enough free disk space to install {label} "
                f"({_megabytes(plan.total_size + 16 * 1024 * 1024)} needed, {_megabytes(free)} free)."
            )
        staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=models_dir))
        try:
            try:
                folder = _extract(zf, plan, staging)
            except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
                raise ModelError(
                    f"{label} is damaged (it failed its integrity check); download it again."
                ) from exc
            except OSError as exc:
                raise ModelError(f"{label} could not be installed: {exc.strerror or exc}.") from exc
            _read_installed(folder)  # the same checks list_installed applies, on the extracted files
            check_loads(folder, label)  # a broken package is refused now, never at translate time
            final = models_dir / plan.top
            _swap_into_place(folder, final, [m.path for m in existing], models_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return _read_installed(final)


_LOAD_CHECK = """
import sys
from pathlib import Path
folder = Path(sys.argv[1])
step = "tokenizer"
try:
    if (folder / "sentencepiece.model").is_file():
        import sentencepiece
        processor = sentencepiece.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
        if processor.vocab_size() <= 0 or not processor.encode("test", out_type=str):
            raise ValueError("it has an empty vocabulary")
    step = "translation model"
    import ctranslate2
    ctranslate2.Translator(str(folder / "model"), device="cpu", inter_threads=1, intra_threads=1)
except BaseException as exc:
    print(step + ": " + " ".join(str(exc).split())[:200], file=sys.stderr)
    sys.exit(3)
"""


def check_loads(folder: Path, label: str, timeout: float = LOAD_TIMEOUT) -> None:
    """Load the package's SentencePiece model and its CTranslate2 model once, in a subprocess with a timeout
    (a crafted file can crash or hang the native loaders), so a broken package is refused at install."""
    try:
        result = subprocess.run(
            [sys.executable, "-c", _LOAD_CHECK, str(folder)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "OMP_NUM_THREADS": "1"},
        )
    except subprocess.TimeoutExpired as exc:
        raise ModelError(
            f"{label} was refused: its model did not load within {timeout:.0f} seconds."
        ) from exc
    except OSError as exc:
        raise ModelError(f"{label} could not be checked ({exc.strerror or exc}).") from exc
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        reason = (
            lines[-1]
            if lines and result.returncode == 3
            else f"the loader crashed (exit {result.returncode})"
        )
        raise ModelError(f"{label} was refused: its {display_field(reason.rstrip('.'))}.")


def _swap_into_place(new_folder: Path, final: Path, old_folders: list[Path], models_dir: Path) -> None:
    """Move old versions (and anything at ``final``) aside, rename the new folder in, then delete the old."""
    aside = Path(tempfile.mkdtemp(prefix=".old-", dir=models_dir))
    moved: list[tuple[Path, Path]] = []
    try:
        targets = list(dict.fromkeys([*old_folders, final]))
        for index, old in enumerate(targets):
            if old.exists() or old.is_symlink():
                parked = aside / f"{index}-{old.name}"
                os.replace(old, parked)
                moved.append((parked, old))
        try:
            os.replace(new_folder, final)
        except OSError as exc:
            for parked, original in reversed(moved):  # put the old version back
                os.replace(parked, original)
            moved.clear()
            raise ModelError(
                f"The model could not be moved into {models_dir}: {exc.strerror or exc}."
            ) from exc
    finally:
        shutil.rmtree(aside, ignore_errors=True)


def install_from_path(path: Path, models_dir: Path | None = None) -> list[InstalledModel]:
    """Install one ``.argosmodel`` file, or every ``.argosmodel`` in a folder (e.g. a USB stick).

    Returns the models now installed from ``path``. For a folder, good archives are installed even when others
    are refused; the refusals are then raised together as one PartlyInstalled (``.installed`` holds the successes).
    """
    target = models_dir if models_dir is not None else paths.models_dir()
    source = Path(path).expanduser()
    if source.is_dir():
        archives = sorted(p for p in source.iterdir() if p.suffix.lower() == ".argosmodel" and p.is_file())
        if not archives:
            raise ModelError(f"There are no .argosmodel files in {source}.")
    elif source.exists():
        archives = [source]
    else:
        raise ModelError(f"{source} does not exist.")
    installed: list[InstalledModel] = []
    failures: list[str] = []
    with _install_lock:
        target.mkdir(parents=True, exist_ok=True)
        _clean_stale_temp(target)
        for archive in archives:
            try:
                installed.append(_install_archive(archive, target))
            except ModelError as exc:
                if len(archives) == 1:
                    raise
                failures.append(str(exc).rstrip("."))
    if failures:
        raise PartlyInstalled(
            f"Installed {len(installed)} of {len(archives)} models; refused: " + "; ".join(failures) + ".",
            installed,
        )
    return installed


@dataclass(frozen=True)
class FoundArchive:
    """An ``.argosmodel`` file found in a folder (a USB stick), read without extracting it."""

    path: Path
    size: int
    from_code: str = ""
    to_code: str = ""
    version: str = ""
    name: str = ""
    problem: str = ""
    """Why it cannot be installed (one sentence), or empty."""


def scan_folder(folder: Path) -> list[FoundArchive]:
    """Every ``.argosmodel`` in ``folder`` and its subfolders (sorted by pair), each with its pair and size.

    Archives that are not usable Argos models are listed with their ``problem`` instead of being skipped, so a
    user sees everything the stick holds.
    """
    source = Path(folder).expanduser()
    if not source.is_dir():
        raise ModelError(f"{source} is not a folder.")
    try:
        candidates = sorted(p for p in source.rglob("*") if p.suffix.lower() == ".argosmodel" and p.is_file())
    except OSError as exc:
        raise ModelError(f"{source} could not be read ({exc.strerror or exc}).") from exc
    found: list[FoundArchive] = []
    for path in candidates:
        try:
            size = path.stat().st_size
            with zipfile.ZipFile(path) as zf:
                plan = _inspect_archive(zf, path.name, size)
        except ModelError as exc:
            found.append(FoundArchive(path=path, size=_size_or_zero(path), problem=str(exc)))
            continue
        except (OSError, zipfile.BadZipFile, EOFError) as exc:
            problem = f"{path.name} is not an Argos model: it is not a zip archive or it is damaged ({exc})."
            found.append(FoundArchive(path=path, size=_size_or_zero(path), problem=problem))
            continue
        from_code, to_code = plan.metadata["from_code"], plan.metadata["to_code"]
        found.append(
            FoundArchive(
                path=path,
                size=size,
                from_code=from_code,
                to_code=to_code,
                version=str(plan.metadata.get("package_version", "") or "0"),
                name=pair_name(from_code, to_code),
            )
        )
    found.sort(key=lambda f: (f.problem != "", f.from_code, f.to_code, _version_key(f.version)))
    return found


def _size_or_zero(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def remove(from_code: str, to_code: str, models_dir: Path | None = None) -> InstalledModel:
    """Remove the installed model(s) for a pair; returns the (newest) one removed."""
    target = models_dir if models_dir is not None else paths.models_dir()
    with _install_lock:
        pair = [m for m in list_installed(target) if (m.from_code, m.to_code) == (from_code, to_code)]
        if not pair:
            raise ModelError(f"No {pair_name(from_code, to_code)} model is installed.")
        for model in pair:
            trash = Path(tempfile.mkdtemp(prefix=".removing-", dir=target))
            try:
                os.replace(model.path, trash / model.path.name)
            except OSError as exc:
                shutil.rmtree(trash, ignore_errors=True)
                raise ModelError(
                    f"The {model.name} model could not be removed: {exc.strerror or exc}."
                ) from exc
            shutil.rmtree(trash, ignore_errors=True)
    return pair[0]


# --------------------------------------------------------------------------------------------------- network


def _offline_error(exc: BaseException) -> ModelError:
    reason = getattr(exc, "reason", None) or exc
    return ModelError(
        f"You appear to be offline: the Argos package index could not be reached ({reason}); "
        "install a downloaded .argosmodel file instead."
    )


def _open_url(url: str, timeout: float) -> Any:
    import urllib.request  # brings http.client, ssl and email: only when the network is asked for

    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    return urllib.request.urlopen(request, timeout=timeout)


def available_packages(timeout: float = 15, index_url: str | None = None) -> list[dict[str, Any]]:
    """The Argos package index (a list of package metadata dicts). Network access: explicit request only."""
    import urllib.error

    url = index_url or package_index_url()
    try:
        with _open_url(url, timeout) as response:
            data = response.read()
    except urllib.error.HTTPError as exc:
        raise ModelError(
            f"The Argos package index answered with an error ({exc.code}); try again later."
        ) from exc
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        raise _offline_error(exc) from exc
    try:
        index = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError("The Argos package index could not be read (it is not valid JSON).") from exc
    if not isinstance(index, list):
        raise ModelError("The Argos package index could not be read (unexpected format).")
    return [entry for entry in index if isinstance(entry, dict)]


def download(
    from_code: str,
    to_code: str,
    progress: Callable[[int, int], None] | None = None,
    timeout: float = 30,
    models_dir: Path | None = None,
    index_url: str | None = None,
) -> InstalledModel:
    """Download the pair's package from the Argos index and install it. ``progress(done, total)``; total 0 if
    unknown."""
    target = models_dir if models_dir is not None else paths.models_dir()
    target.mkdir(parents=True, exist_ok=True)
    temp, _entry = _fetch(from_code, to_code, target, progress, timeout, index_url)
    try:
        return install_from_path(temp, target)[0]
    finally:
        temp.unlink(missing_ok=True)


def download_to_folder(
    from_code: str,
    to_code: str,
    folder: Path,
    progress: Callable[[int, int], None] | None = None,
    timeout: float = 30,
    index_url: str | None = None,
) -> Path:
    """Download the pair's ``.argosmodel`` into ``folder`` without installing it (to carry on a USB stick).

    The file is written under a hidden temporary name and renamed when complete, so an interrupted download
    leaves no half file that looks like a model. Returns the file's path.
    """
    folder = Path(folder).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"The folder {folder} could not be created: {exc.strerror or exc}.") from exc
    temp, entry = _fetch(from_code, to_code, folder, progress, timeout, index_url)
    try:
        with zipfile.ZipFile(temp) as zf:  # refuse to leave a damaged or foreign file on the stick
            plan = _inspect_archive(
                zf, f"The downloaded {pair_name(from_code, to_code)} model", temp.stat().st_size
            )
        version = str(entry.get("package_version", "") or plan.metadata.get("package_version", "") or "0")
        final = folder / f"translate-{from_code}_{to_code}-{version.replace('.', '_')}.argosmodel"
        os.replace(temp, final)
    except zipfile.BadZipFile as exc:
        raise ModelError(
            f"The downloaded {pair_name(from_code, to_code)} model is damaged; try again."
        ) from exc
    except OSError as exc:
        raise ModelError(f"The downloaded model could not be saved: {exc.strerror or exc}.") from exc
    finally:
        temp.unlink(missing_ok=True)
    return final


def _fetch(
    from_code: str,
    to_code: str,
    folder: Path,
    progress: Callable[[int, int], None] | None,
    timeout: float,
    index_url: str | None,
) -> tuple[Path, dict[str, Any]]:
    """Download the newest package of the pair into a hidden temporary file in ``folder``."""
    import http.client  # with urllib below: only when a download is asked for
    import urllib.error

    entries = [
        e
        for e in available_packages(timeout=timeout, index_url=index_url)
        if e.get("from_code") == from_code
        and e.get("to_code") == to_code
        and e.get("type", "translate") == "translate"
    ]
    if not entries:
        raise ModelError(f"The Argos package index has no {pair_name(from_code, to_code)} model.")
    entry = max(entries, key=lambda e: _version_key(str(e.get("package_version", ""))))
    links = [
        link
        for link in entry.get("links", [])
        if isinstance(link, str) and link.startswith(("https://", "http://"))
    ]
    if not links:
        raise ModelError(
            f"The Argos package index lists no download link for {pair_name(from_code, to_code)}."
        )
    last_error: BaseException | None = None
    for link in links:
        handle, name = tempfile.mkstemp(prefix=".download-", suffix=".argosmodel", dir=folder)
        temp = Path(name)
        try:
            with os.fdopen(handle, "wb") as sink, _open_url(link, timeout) as response:
                total = int(response.headers.get("Content-Length") or 0)
                done = 0
                while True:
                    chunk = response.read(256 * 1024)
                    if not chunk:
                        break
                    sink.write(chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total)
            if total and done != total:
                raise ModelError(f"The download of {pair_name(from_code, to_code)} was cut short; try again.")
            return temp, entry
        except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException) as exc:
            temp.unlink(missing_ok=True)
            last_error = exc  # try the next mirror
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise ModelError(f"The downloaded model could not be saved: {exc.strerror or exc}.") from exc
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    assert last_error is not None
    raise _offline_error(last_error)
