"""The packages Hosakan installs: the repository's top-level folders, each under the one import
package ``hosakan`` (``hosakan.bot``, ``hosakan.indexer``, ...), so that no other installed package
named ``bot`` or ``knowledge`` can collide with them. Every folder under them is packaged (record
folders and the web page's assets are data-only packages), so a new adapter folder is packaged
without being named here. Everything else about the project is in pyproject.toml."""

from setuptools import find_namespace_packages, setup

FOLDERS = ("bot", "indexer", "adapters", "knowledge")

setup(
    packages=[f"hosakan.{name}" for name in find_namespace_packages(
        include=[f"{folder}*" for folder in FOLDERS], exclude=["*.__pycache__"])],
    package_dir={f"hosakan.{folder}": folder for folder in FOLDERS},
)
